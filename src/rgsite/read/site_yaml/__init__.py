"""``content/site.yaml``: the group's settings, its terms and its LaTeX macros."""
