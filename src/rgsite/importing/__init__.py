"""``rgsite import``: an existing archive (Jekyll, Hugo, a YAML talk list, a spreadsheet)
brought into a site as sessions and speakers.

The stages, each in its module: readers turn a source into entries with the line of
every value (:mod:`.jekyll`, :mod:`.hugo`, :mod:`.yaml_list`, :mod:`.csv_list`);
:mod:`.interpret` reads each entry into a talk, using :mod:`.fields` (which key is which),
:mod:`.dates`, :mod:`.people`, :mod:`.roster`, :mod:`.links`, :mod:`.htmltext`,
:mod:`.body` and :mod:`.recap`; :mod:`.merge` joins duplicates and recognises what the site
already has; :mod:`.write` plans and writes files; :mod:`.verify` checks a staged copy;
:mod:`.report` says what happened. :mod:`.pipeline` runs them in that order.
"""
