"""What templates and formats call to translate: ``gettext`` and ``ngettext`` over a
site's catalog, the theme's, and English underneath.

A message no catalog translates shows in English, so a page is never left with a gap;
``rgsite check`` lists such messages (:mod:`rgsite.i18n.coverage`).
"""

from __future__ import annotations

import functools
import gettext as _gettext
import hashlib
from collections.abc import Callable

from rgsite.i18n.messages import SOURCE_LANGUAGE, Messages, Text, codes, shipped_for


class Translations:
    """The catalogs for one language, the site's own first; the interface Jinja's i18n
    extension installs (``gettext``, ``ngettext``), and what Python formats call."""

    def __init__(self, language: str, layers: tuple[Messages, ...] = ()) -> None:
        self.language = language
        self.layers = layers
        self._table: dict[str, tuple[Text, Callable[[int], int]]] = {}
        for layer in reversed(layers):  # the first layer wins
            choose = _plural(layer.plural)
            for msgid, text in layer.entries:
                self._table[msgid] = (text, choose)

    def gettext(self, message: str) -> str:
        found = self._table.get(message)
        if found is None:
            return message
        text = found[0]
        return text if isinstance(text, str) else text[0]

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        found = self._table.get(singular)
        if found is None or isinstance(found[0], str):
            return singular if n == 1 else plural
        forms, choose = found
        index = choose(n)
        return forms[index] if index < len(forms) else forms[-1]

    def has(self, message: str) -> bool:
        return message in self._table

    @functools.cached_property
    def digest(self) -> str:
        """Different for catalogs that translate any message differently."""
        hasher = hashlib.blake2b(self.language.encode(), digest_size=12)
        for msgid, (text, _) in sorted(self._table.items()):
            hasher.update(repr((msgid, text)).encode())
        return hasher.hexdigest()


@functools.cache
def _plural(expression: str) -> Callable[[int], int]:
    choose: Callable[[int], int] = _gettext.c2py(expression)
    return choose


ENGLISH = Translations(SOURCE_LANGUAGE)


def translations_for(language: str, own: Messages | None = None) -> Translations:
    """The translations for ``language``: ``own`` (the site's catalog) over the theme's."""
    layers = tuple(m for m in (own, shipped_for(language)) if m is not None)
    if not layers and codes(language)[-1] == SOURCE_LANGUAGE:
        return ENGLISH
    return Translations(language, layers)
