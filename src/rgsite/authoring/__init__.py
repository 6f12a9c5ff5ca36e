"""Writing content for the organiser.

``init`` and ``new``, edits of speakers.yaml, the meeting cadence and announcements.
"""
