"""Would the site still build and check clean? Asked of a staged copy, before writing.

The site's ``content/``, ``templates/`` and ``static/`` are copied to a temporary folder
(hard links where the disk allows, so a large archive costs little; ``speakers.yaml``,
the one file an import appends to, is always copied), the plan is written into the copy,
and the copy is read, rendered and link-checked in memory as ``rgsite check`` does. The
problems in files the import writes are returned; the real site is not touched.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from rgsite.check.links import LinkChecker
from rgsite.errors import Location, Problem, Problems
from rgsite.importing.write import Plan, apply
from rgsite.options import Options
from rgsite.read.archive import read_site
from rgsite.render.formats import search
from rgsite.render.pages import render_site

COPIED = ("content", "templates", "static")


def verify(root: Path, planned: Plan) -> tuple[list[Problem], int]:
    """Problems ``rgsite check`` would find in what ``planned`` writes, and how many
    errors it would find elsewhere in the site."""
    with tempfile.TemporaryDirectory(prefix="rgsite-import-") as folder:
        stage = Path(folder) / "site"
        stage.mkdir()
        for name in COPIED:
            if (root / name).is_dir():
                shutil.copytree(root / name, stage / name, copy_function=_link_or_copy)
        (stage / "content").mkdir(exist_ok=True)
        appended = stage / "content" / "speakers.yaml"
        if appended.exists():  # appended to below: a copy of its own, never a hard link
            appended.unlink()
            shutil.copy2(root / "content" / "speakers.yaml", appended)
        apply(stage, planned)
        problems = _check(stage)
    written = {s.rel for s in planned.sessions} | {"content/speakers.yaml"}
    folders = tuple(s.rel.rsplit("/", 1)[0] + "/" for s in planned.sessions if s.attachments)
    mine = [
        p
        for p in problems
        if p.location.path in written or p.location.path.startswith(folders or ("\0",))
    ]
    others = sum(1 for p in problems if p not in mine and p.severity == "error")
    return mine, others


def _link_or_copy(source: str, target: str) -> object:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
    return target


def _check(stage: Path) -> list[Problem]:
    problems = Problems()
    options = Options(site=stage, cache=False)
    site = read_site(stage, problems, options)
    if problems.errors:
        return problems.items
    outputs, pages = render_site(stage, site, problems)
    if problems.errors:
        return problems.items
    sources: dict[str, tuple[Location, ...]] = {
        rel: tuple(loc for loc in found if (stage / loc.path).is_file())
        for rel, found in outputs.claims.items()
        if not rel.endswith(".html")
    }
    sources.update({route.output: route.sources for route, _ in pages})
    checker = LinkChecker(
        base_url=site.config.base_url,
        base_path=site.config.base_path,
        data=outputs.data,
        copies=outputs.copies,
        sources=sources,
        read=lambda rel: _text(stage / rel),
        shown=lambda rel: f"_site/{rel}",
        read_copy=lambda rel: outputs.copies[rel].read_bytes(),
        later=(f"{search.OUTPUT}/",),
    )
    problems.extend(checker.run().problems)
    return problems.items


def _text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
