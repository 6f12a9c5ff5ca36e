"""The files beside the pages: Atom, iCalendar, BibTeX, JSON-LD, the sitemap and search."""
