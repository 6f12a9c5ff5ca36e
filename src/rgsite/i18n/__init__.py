"""A site's language: the theme's strings through gettext catalogs, dates and times
through Babel's CLDR data.

``messages`` reads catalogs (the shipped ones in ``locales/`` and a site's own
``locales/<lang>.po``); ``translations`` joins them into what templates and formats
call; ``dates`` writes dates, times and durations; ``coverage`` finds strings a
language lacks; ``extract`` gathers the theme's strings to keep catalogs complete.
"""
