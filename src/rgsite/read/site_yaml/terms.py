"""``terms:`` of ``site.yaml``: the group's terms, by which the archive is grouped.

Each term is ``{name: Fall 2024, start: 2024-08-26, end: 2024-12-13}``, both days
included. Terms have a page each (``terms/<slug>/``), so their names must differ; and a
session belongs to one term at most, so they must not overlap.
"""

from __future__ import annotations

from rgsite.read.fields import Fields, slugify
from rgsite.settings import AcademicTerm

TERM_KEYS = ("name", "start", "end")


def read_terms(site: Fields) -> tuple[AcademicTerm, ...]:
    """The terms of ``site.yaml``, oldest first; every mistake is a located problem."""
    if site.has("terms") and not isinstance(site.data["terms"], list):
        site.error(
            "terms",
            "'terms' must be a list like '- {name: Fall 2024, start: 2024-08-26, end: 2024-12-13}'",
        )
        return ()
    terms: list[tuple[AcademicTerm, Fields]] = []
    names: dict[str, Fields] = {}
    for fields in site.mappings("terms"):
        fields.check_keys(TERM_KEYS)
        name = fields.text("name", required=True)
        start, end = fields.date("start", required=True), fields.date("end", required=True)
        if not name or start is None or end is None:
            continue
        if end < start:
            fields.error("end", f"term '{name}' ends ({end}) before it starts ({start})")
            continue
        slug = slugify(name)
        twin = names.get(slug)
        if twin is not None:
            fields.error(
                "name",
                f"term '{name}' has the name of the term on line {_line(twin)} (its page "
                f"would be terms/{slug}/); give each term a name of its own",
            )
            continue
        names[slug] = fields
        terms.append((AcademicTerm(name=name, slug=slug, start=start, end=end), fields))
    terms.sort(key=lambda pair: pair[0].start)
    kept: list[AcademicTerm] = []
    for term, fields in terms:
        before = kept[-1] if kept else None
        if before is not None and term.start <= before.end:
            fields.error(
                "start",
                f"term '{term.name}' ({term.start} to {term.end}) overlaps '{before.name}' "
                f"({before.start} to {before.end}) on line {_line(names[before.slug])}; a "
                "session belongs to one term, so make them follow each other",
            )
            continue
        kept.append(term)
    return tuple(kept)


def _line(fields: Fields) -> int:
    return fields.record.line(*fields.at)
