"""The few words Markdown's HTML carries of its own, in the site's language.

A rendered body is cached and shared whatever the language (it is the author's text),
but its heading links and footnotes say something to readers: "Link to the section
“Proof”", "Jump back to footnote 1 in the text". Those are written in English by the
Markdown step in one fixed form each, and put into the site's language when a page is
written.
"""

from __future__ import annotations

import html
import re

from rgsite.i18n.messages import N_
from rgsite.i18n.translations import ENGLISH, Translations

SECTION = N_("Link to the section “%(name)s”")
HERE = N_("Link here")
PERMALINK = N_("Link to this section")
BACKLINK = N_("Jump back to footnote %(number)s in the text")

_SECTION = re.compile(r'aria-label="Link to the section “([^"]*)”"')
_HERE = 'aria-label="Link here"'
_PERMALINK = 'title="Link to this section"'
_BACKLINK = re.compile(r'title="Jump back to footnote (\d+) in the text"')


def localise(fragment: str, t: Translations) -> str:
    """``fragment`` (HTML from the Markdown step) with its own words translated."""
    if t is ENGLISH or ("Link" not in fragment and "Jump back" not in fragment):
        return fragment

    def attribute(attr: str, message: str, **values: str) -> str:
        # ``values`` are already escaped HTML; the translation around them is not.
        marked = {key: f"\x00{key}\x00" for key in values}
        text = html.escape(t.gettext(message) % marked, quote=True)
        for key, value in values.items():
            text = text.replace(f"\x00{key}\x00", value)
        return f'{attr}="{text}"'

    fragment = _SECTION.sub(lambda m: attribute("aria-label", SECTION, name=m[1]), fragment)
    fragment = fragment.replace(_HERE, attribute("aria-label", HERE))
    fragment = fragment.replace(_PERMALINK, attribute("title", PERMALINK))
    return _BACKLINK.sub(lambda m: attribute("title", BACKLINK, number=m[1]), fragment)
