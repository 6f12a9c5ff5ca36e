"""Markdown to HTML.

The extension, the raw-HTML sanitiser, math as MathML with the site's macros,
``[[kind:id]]`` links, lists as GitHub nests them, and what a moved archive left behind.
"""
