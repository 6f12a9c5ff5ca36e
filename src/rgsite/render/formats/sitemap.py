"""``sitemap.xml`` (sitemaps.org 0.9) and ``robots.txt``.

A sitemap lists absolute URLs only, so a site whose ``base_url`` is just a path gets
no sitemap, and its robots.txt names none. The 404 page is left out. No ``lastmod``
is written: rgsite keeps no edit history, and a date that is not the page's real
last change does crawlers more harm than none.

Crawlers read robots.txt only at a host's root; under a subpath the file is still
written, for a host that serves the site at its root too.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:
    from rgsite.render.views import View

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
LEFT_OUT = frozenset({"404.html"})
URL_SAFE = ":/?#[]@!$&'()*+,;=%~"


def sitemap(view: View, urls: Iterable[str]) -> bytes | None:
    """The sitemap of page ``urls`` (relative to the base path), or None without an origin."""
    if not view.site.config.origin:
        return None
    ET.register_namespace("", SITEMAP_NS)
    root = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    for url in sorted(set(urls) - LEFT_OUT, key=lambda u: (u != "", u)):
        entry = ET.SubElement(root, f"{{{SITEMAP_NS}}}url")
        # The protocol wants URLs as RFC 3986 has them: a page named in any language is
        # listed percent-encoded, as a browser would request it.
        loc = quote(view.absolute(url), safe=URL_SAFE)
        ET.SubElement(entry, f"{{{SITEMAP_NS}}}loc").text = loc
    ET.indent(root, space="  ")
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def robots(view: View, has_sitemap: bool) -> bytes:
    lines = ["User-agent: *", "Disallow:"]
    if has_sitemap:
        lines += ["", f"Sitemap: {view.absolute('sitemap.xml')}"]
    return ("\n".join(lines) + "\n").encode()
