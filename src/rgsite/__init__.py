"""rgsite: a static site generator for a reading group's archive."""

__version__ = "0.1.0"
