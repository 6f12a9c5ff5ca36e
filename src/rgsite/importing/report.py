"""The report at the end of an import: what was written, and everything to fix or map.

Values that could not be used are grouped by the source's key, each with its
``file:line``, so the organiser sees at once which column or field needs a ``--map``
entry and which cells need fixing. Notes are for values that were used but are worth a
look (a time zone that was left out, two entries merged into one session).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from rgsite.errors import Location, Problem

SHOWN = 60
"""Characters of a value shown in the report."""


@dataclass(frozen=True, slots=True)
class Unused:
    key: str
    value: str
    where: Location
    why: str


@dataclass(slots=True)
class Report:
    unused: list[Unused] = field(default_factory=list)
    notes: list[tuple[Location, str]] = field(default_factory=list)
    left_out: Counter[str] = field(default_factory=Counter)
    """Keys of the old site's machinery (``layout``, ``comments``) that mean nothing here."""
    skipped: list[tuple[Location, str]] = field(default_factory=list)
    talks: int = 0
    sessions: list[str] = field(default_factory=list)
    """Session files written (or that would be, with --dry-run)."""
    present: list[tuple[Location, str]] = field(default_factory=list)
    """Entries already in the site, with the file that holds each."""
    speakers: list[tuple[str, str, Location]] = field(default_factory=list)
    papers: set[str] = field(default_factory=set)
    files: int = 0
    """Attachments (slides, images) copied into session folders."""
    usual_time: int = 0
    """Sessions whose source gave no time, which take ``meeting.time`` from site.yaml."""
    failing: list[Problem] = field(default_factory=list)
    """Problems ``rgsite check`` would report in what the import writes."""

    def cannot_use(self, key: str, value: object, where: Location, why: str) -> None:
        self.unused.append(Unused(key, shown(value), where, why))

    def note(self, where: Location, message: str) -> None:
        self.notes.append((where, message))

    @property
    def imported(self) -> bool:
        """Something of the sources is in the site: written now, or by an earlier import."""
        return bool(self.sessions or self.present)

    def text(self, *, dry_run: bool) -> str:
        would = "would write" if dry_run else "wrote"
        lines = [
            f"read {self.talks} talk(s); {would} {len(self.sessions)} session(s), "
            f"{len(self.speakers)} new speaker(s), {len(self.papers)} paper(s)"
            + (f", {self.files} attached file(s)" if self.files else "")
        ]
        if self.present:
            lines.append(
                f"already in the site: {len(self.present)} session(s) (rgsite never "
                "overwrites; edit those files by hand)"
            )
        if self.usual_time:
            lines.append(
                f"{self.usual_time} session(s) had no time in the source and take meeting.time "
                "from content/site.yaml"
            )
        if self.speakers:
            lines += ["", f"speakers added to content/speakers.yaml ({len(self.speakers)}):"]
            lines += [
                f"  {ident:<24} {name}   (from {where})" for ident, name, where in self.speakers
            ]
        if self.unused:
            lines += ["", f"could not use ({len(self.unused)}), by key:"]
            groups: dict[str, list[Unused]] = defaultdict(list)
            for item in self.unused:
                groups[item.key].append(item)
            for key in sorted(groups, key=lambda k: (-len(groups[k]), k.lower())):
                items = sorted(groups[key], key=lambda i: (i.where.path, i.where.line or 0))
                whys = {item.why for item in items}
                shared = len(items) > 1 and len(whys) == 1
                lines.append(f"  {key} ({len(items)})" + (f": {items[0].why}" if shared else ""))
                for item in items:
                    value = f" '{item.value}'" if item.value else ""
                    lines.append(f"    {item.where}:{value}" + ("" if shared else f" {item.why}"))
        if self.notes:
            lines += ["", f"check ({len(self.notes)}):"]
            for where, message in sorted(self.notes, key=lambda n: (n[0].path, n[0].line or 0)):
                lines.append(f"  {where}: {message}")
        if self.left_out:
            keys = ", ".join(f"{k} ({n})" for k, n in sorted(self.left_out.items()))
            lines += ["", f"left out, as the old site's machinery: {keys}"]
        if self.skipped:
            lines += ["", f"not imported ({len(self.skipped)} file(s)):"]
            for where, why in sorted(self.skipped):
                lines.append(f"  {where}: {why}")
        if self.failing:
            lines += [
                "",
                f"rgsite check would find {len(self.failing)} problem(s) in what this import "
                + ("would write:" if dry_run else "wrote:"),
            ]
            lines += [f"  {problem}" for problem in self.failing]
        return "\n".join(lines) + "\n"


def shown(value: object) -> str:
    """A value as the report shows it: one line, at most :data:`SHOWN` characters."""
    if value is None:
        return ""
    text = " ".join(str(value).split())
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"
