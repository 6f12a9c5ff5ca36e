"""Markdown to HTML.

The extension, the raw-HTML sanitiser, math as MathML and ``[[kind:id]]`` links.
"""
