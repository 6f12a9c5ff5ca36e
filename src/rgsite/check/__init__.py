"""``rgsite check``: internal links and anchors, and links to other sites."""
