"""Python-Markdown's inline pass, trying only the patterns a text could match.

Python-Markdown runs every inline pattern's regular expression over every run of text, in
order, though most runs of prose hold none of the characters those patterns start with: a
link needs ``[``, code a backtick, emphasis ``*``. :class:`TriggeredInline` checks for
that character first, so a run of plain prose costs a few substring tests instead of a
dozen regular-expression searches. A pattern whose character is not in the text cannot
match it, so the output is the same as Python-Markdown's own pass, byte for byte.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import util
from markdown.treeprocessors import InlineProcessor

TRIGGERS: dict[str, str | tuple[str, ...]] = {
    "backtick": "`",
    "escape": "\\",
    "reference": "[",
    "link": "[",
    "image_link": "![",
    "image_reference": "![",
    "short_reference": "[",
    "short_image_ref": "![",
    "autolink": "<",
    "automail": "<",
    "linebreak": "  \n",
    "html": "<",
    "entity": "&",
    "em_strong": ("*", "_"),  # one pattern for both since Python-Markdown 3.10
    "em_strong2": "_",
    "footnote": "[^",
}
"""For each of Python-Markdown's inline patterns (by its registered name), text that
every match contains (or texts, one of which it contains). A pattern not named here is
always tried."""


class TriggeredInline(InlineProcessor):
    """Python-Markdown's inline processor, skipping patterns that cannot match."""

    triggers: tuple[str | tuple[str, ...] | None, ...] = ()

    def run(self, tree: etree.Element, ancestors: list[str] | None = None) -> etree.Element:
        patterns = self.inlinePatterns
        patterns._sort()  # the order __handleInline indexes them in
        self.triggers = tuple(TRIGGERS.get(item.name) for item in patterns._priority)
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        # The name is Python-Markdown's own private method, which every inline pattern's
        # nested text is handed back to; overriding it keeps that recursion.
        if isinstance(data, util.AtomicString):
            return data
        patterns, triggers = self.inlinePatterns, self.triggers
        apply = self._InlineProcessor__applyPattern  # type: ignore[attr-defined]
        start = 0
        count = len(patterns)
        while patternIndex < count:
            needed = triggers[patternIndex]
            if needed is not None and (
                needed not in data
                if isinstance(needed, str)
                else not any(text in data for text in needed)
            ):
                patternIndex += 1
                start = 0
                continue
            data, matched, start = apply(patterns[patternIndex], data, patternIndex, start)
            if not matched:
                patternIndex += 1
        return data
