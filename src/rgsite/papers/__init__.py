"""Papers cited by identifier.

Identifiers, the fetched-metadata store (``content/papers.yaml``) and arXiv/Crossref lookup.
"""
