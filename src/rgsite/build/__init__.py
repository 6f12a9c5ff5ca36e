"""The build: one pass top to bottom, what each page read, the caches and the last-build record."""
