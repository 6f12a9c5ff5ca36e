"""``rgsite check``: every build validation plus every internal link, anchor and asset of
the rendered pages — reported as ``path:line: message`` — and nothing written."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from rgsite.build.builder import build
from rgsite.check.links import LinkChecker, scan_html
from rgsite.cli import main
from rgsite.commands.check import _made_when_written
from rgsite.errors import Location, Problems
from rgsite.options import Options
from rgsite.output.safety import MARKER
from rgsite.progress import silent
from rgsite.read.archive import read_site
from rgsite.render.pages import render_site
from sitekit import SPEAKERS_YAML, write_site

ABOUT = """\
---
title: About
---
We meet online.

## Where we meet

See [the place](#where-we-meet), [nowhere](#nope) and
[the proposal](../proposals/more-tickets.md#nowhere).

<img src="/club/figures/missing.svg" alt="A missing figure">

[elsewhere](/other/place/) and [the host's home](https://example.org/) are different.
"""


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def check(site: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["check", str(site), "--now", "2023-01-01T00:00Z", *extra])
    captured = capsys.readouterr()
    return code, captured.err + captured.out


def test_a_good_site_checks_clean_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = write_site(tmp_path / "site")
    before = snapshot(site)
    code, out = check(site, capsys)
    assert code == 0, out
    assert "all good" in out and "pages" in out
    assert snapshot(site) == before
    assert not (site / "_site").exists()


def test_broken_anchors_missing_assets_and_links_out_of_the_base_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = write_site(tmp_path / "site", changes={"content/pages/about.md": ABOUT})
    before = snapshot(site)
    code, out = check(site, capsys)
    assert code == 1
    lines = out.splitlines()
    assert any(
        line.startswith("content/pages/about.md:8: broken anchor '#nope': this page has no ")
        for line in lines
    ), out
    assert any(
        line.startswith("content/pages/about.md:9: broken anchor '/club/proposals/more-tickets/")
        and "has no element with id 'nowhere'" in line
        for line in lines
    ), out
    assert any(
        line.startswith("content/pages/about.md:11: missing file '/club/figures/missing.svg'")
        for line in lines
    ), out
    assert any(
        line.startswith("content/pages/about.md:13: link '/other/place/' leaves the site's base")
        for line in lines
    ), out
    assert "#where-we-meet" not in out  # a good anchor
    assert "https://example.org/" not in out  # an absolute link elsewhere on the host is fine
    assert "4 error(s)" in out
    assert snapshot(site) == before


def test_a_did_you_mean_for_a_near_miss(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    about = "---\ntitle: About\n---\n## Where we meet\n\nSee [it](#where-we-mete).\n"
    site = write_site(tmp_path / "site", changes={"content/pages/about.md": about})
    code, out = check(site, capsys)
    assert code == 1
    assert "content/pages/about.md:6: broken anchor '#where-we-mete'" in out
    assert "(did you mean 'where-we-meet'?)" in out


def test_an_unknown_speaker_is_reported_like_a_build_would(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    session = "---\ntitle: Engines\nspeakers: [alann]\n---\nText.\n"
    site = write_site(
        tmp_path / "site", changes={"content/sessions/2023-02-04-engines.md": session}
    )
    code, out = check(site, capsys)
    assert code == 1
    assert (
        "content/sessions/2023-02-04-engines.md:3: unknown speaker 'alann' "
        "(did you mean 'alan'?)" in out
    )
    assert "Traceback" not in out


def test_a_stylesheet_pointing_at_a_missing_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    css = "body {\n  background: url(../img/none.png);\n}\n"
    site = write_site(tmp_path / "site", changes={"static/css/extra.css": css})
    code, out = check(site, capsys)
    assert code == 1
    assert "static/css/extra.css:2: missing file '../img/none.png'" in out


def test_bundle_attachments_and_static_files_are_assets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = "content/sessions/2023-03-04-figures"
    session = (
        "---\ntitle: Figures\n---\n![A figure](figure.svg)\n\n"
        '<img src="/club/img/logo.svg" alt="Logo">\n'
    )
    svg = '<svg xmlns="http://www.w3.org/2000/svg" id="fig"><title>f</title></svg>\n'
    site = write_site(
        tmp_path / "site",
        changes={
            f"{bundle}/index.md": session,
            f"{bundle}/figure.svg": svg,
            "static/img/logo.svg": svg,
        },
    )
    code, out = check(site, capsys)
    assert code == 0, out


MOVED_FROM_JEKYLL = """\
---
title: Moved from Jekyll
---
{% include toc.html %}

Slides by [Ada]() and a [recording]({{ site.baseurl }}/video/).

{{< figure src="board.jpg" >}} A photo <img src="board.jpg" alt="board"></img>.

</div>

<div class="notes">
Notes, never closed.
"""


def test_check_reports_what_a_moved_archive_left_behind_at_its_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bio = "  bio: Author of {% cite lovelace1843 %}.\n"
    speakers = SPEAKERS_YAML.replace("  bio: Writes *notes* on engines.\n", bio)
    site = write_site(
        tmp_path / "site",
        changes={
            "content/sessions/2023-03-04-moved.md": MOVED_FROM_JEKYLL,
            "content/speakers.yaml": speakers,
        },
    )
    code, out = check(site, capsys)
    assert code == 1
    moved = "content/sessions/2023-03-04-moved.md"
    lines = out.splitlines()
    for expected in [
        f"{moved}:4: warning: Liquid tag '{{% include toc.html %}}' left in the text",
        f"{moved}:6: the link [Ada]() has no address, so it goes nowhere",
        f"{moved}:6: Liquid '{{{{ site.baseurl }}}}' left in a link's address",
        f"{moved}:8: warning: Hugo shortcode '{{{{< figure src=\"board.jpg\" >}}}}' left",
        f"{moved}:8: warning: stray </img>: <img> has no closing tag; delete it",
        f"{moved}:10: stray </div>: no <div> is open here",
        f"{moved}:12: <div> is never closed",
        "content/speakers.yaml:4: warning: Liquid tag '{% cite lovelace1843 %}' left",
    ]:
        assert any(line.startswith(expected) for line in lines), (expected, out)
    assert "4 error(s), 4 warning(s)" in out


def test_a_template_problem_is_reported_once_for_all_its_pages() -> None:
    page = '<nav><a href="/club/missing/">Missing</a></nav><h1 id="t">{}</h1>'
    data = {f"p{i}/index.html": page.format(i).encode() for i in range(6)}
    data["index.html"] = b'<a href="/club/p1/#t">ok</a>'
    checker = LinkChecker(
        base_url="https://example.org/club/",
        base_path="/club/",
        data=data,
        shown=lambda r: "_site/" + r,
    )
    report = checker.run()
    assert len(report.problems) == 1
    problem = report.problems[0]
    assert str(problem.location) == "_site/p0/index.html:1"
    assert "nothing is published at /club/missing/" in problem.message
    assert "on 5 other pages" in problem.message and "template" in problem.message


def test_an_empty_address_from_a_template_is_an_error() -> None:
    data = {"index.html": b'<p>ok</p>\n<a href="">Join</a> <a href>x</a> <img src="" alt="">'}
    checker = LinkChecker(base_url="/", base_path="/", data=data, shown=lambda r: "_site/" + r)
    messages = [str(p) for p in checker.run().problems]
    assert messages == [
        '_site/index.html:2: <a href=""> has an empty address, so it goes nowhere; give it one, '
        "or leave the element out when there is none",
    ] * 2 + [
        '_site/index.html:2: <img src=""> has an empty address, so it goes nowhere; give it '
        "one, or leave the element out when there is none"
    ]


def test_links_are_found_with_their_lines_and_srcsets() -> None:
    scan = scan_html(
        '<p id="a">\n<img src="x.png" srcset="x-1.png 1x, x-2.png 2x" alt="">\n'
        '<a name="old"></a><meta property="og:image" content="https://e.org/i.png">\n'
    )
    assert set(scan.ids) == {"a", "old"}
    assert [(f.line, f.url) for f in scan.links] == [
        (2, "x.png"),
        (2, "x-1.png"),
        (2, "x-2.png"),
        (3, "https://e.org/i.png"),
    ]


def test_pretty_urls_without_a_slash_and_the_top_anchor() -> None:
    data = {
        "index.html": b'<a href="/a">a</a> <a href="#top">top</a> <a href="a/#x">x</a>',
        "a/index.html": b'<h2 id="x">x</h2>',
    }
    checker = LinkChecker(base_url="/", base_path="/", data=data)
    assert checker.run().problems == []


def test_external_links_are_collected_with_their_content_lines() -> None:
    data = {"s/index.html": b'<p>\n<a href="https://other.org/paper">p</a></p>'}
    texts = {"content/s.md": "---\ntitle: S\n---\nRead [p](https://other.org/paper).\n"}
    checker = LinkChecker(
        base_url="/",
        base_path="/",
        data=data,
        sources={"s/index.html": (Location("content/s.md", 1),)},
        read=texts.get,
    )
    report = checker.run()
    (place,) = report.external["https://other.org/paper"]
    assert place.in_content and str(place.location) == "content/s.md:4"


def test_check_outside_a_site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = check(tmp_path, capsys)
    assert code == 2 and "rgsite init" in out  # the same answer as every command
    code, out = check(tmp_path / "nope", capsys)
    assert code == 2 and "is not a folder" in out


def test_check_under_a_subpath_and_at_the_root(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = write_site(tmp_path / "site")
    for base in ("https://example.org/deep/sub/", "/", "https://example.org/"):
        code, out = check(site, capsys, "--base-url", base)
        assert code == 0, (base, out)
    # At the host's root, https://example.org/join (the join link) is inside the site's
    # address but not one of its pages: probably served by something else, so a warning.
    assert "warning: broken link 'https://example.org/join'" in out
    assert "fine if something else serves it there" in out


def test_verbose_shows_the_stages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = write_site(tmp_path / "site")
    code, out = check(site, capsys, "-v")
    assert code == 0
    for stage in ("read", "render", "links", "total"):
        assert f"  {stage}" in out


def readme_site() -> dict[str, str]:
    """The files of the README's guide to the format: a path in backticks, then its block."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    guide = readme.split("## The format, by example", 1)[1].split("\n## Publishing", 1)[0]
    files: dict[str, str] = {}
    path = None
    lines = iter(guide.splitlines())
    for line in lines:
        if line.startswith("`content/"):
            path = line.split("`")[1]
        elif line.startswith("```") and path is not None:
            fence = line[: len(line) - len(line.lstrip("`"))]
            body = []
            for inner in lines:
                if inner == fence:
                    break
                body.append(inner)
            files[path] = "\n".join(body) + "\n"
            path = None
    return files


def test_the_readme_format_guide_is_a_site_that_checks_clean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = readme_site()
    assert set(files) == {
        "content/site.yaml",
        "content/speakers.yaml",
        "content/reading-lists/mlss-africa.yaml",
        "content/sessions/2023-01-21-generating-functions/index.md",
        "content/proposals/adam-alternatives.md",
    }
    site = write_site(tmp_path / "site", files)
    (site / "content/sessions/2023-01-21-generating-functions/slides.pdf").write_bytes(
        b"%PDF-1.4\n"
    )
    code, out = check(site, capsys)
    assert code == 0, out
    assert "all good" in out, out


def test_check_sees_exactly_what_a_build_writes(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site")
    options = Options(site=site, now=datetime(2023, 1, 1, tzinfo=UTC), cache=False)
    problems = Problems()
    outputs, pages = render_site(site, read_site(site, problems, options), problems, 1, silent)
    assert not problems.errors and pages
    build(options)
    later = _made_when_written()
    written = {
        p.relative_to(site / "_site").as_posix() for p in (site / "_site").rglob("*") if p.is_file()
    }
    written = {rel for rel in written if not rel.startswith(later) and rel != MARKER}
    assert set(outputs.data) | set(outputs.copies) == written
