"""Images published in the sizes pages show them: avatars and pictures in Markdown."""
