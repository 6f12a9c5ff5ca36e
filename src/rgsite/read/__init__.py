"""Reading a site: find its files, decode them, check their fields and load them into models."""
