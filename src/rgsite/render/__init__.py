"""Rendering: templates, what pages may call, and the pages and files a site is made of."""
