"""``math.macros`` in site.yaml: checked where written, expanded in every formula of the site,
and a changed macro shows on every page with math after the next build."""

from __future__ import annotations

from pathlib import Path

import pytest

from rgsite.build.builder import Builder, build
from rgsite.errors import SiteError
from rgsite.options import Options
from sitekit import LIST_YAML, SITE_YAML, SPEAKERS_YAML, write_site

REALS = "<mi>ℝ</mi>"
EXPECT = "<mi>𝔼</mi>"
MACROS = 'math:\n  macros:\n    R: "\\\\mathbb{R}"\n    E: "\\\\mathbb{E}"\n'


def problems(root: Path) -> list[str]:
    with pytest.raises(SiteError) as caught:
        build(Options(site=root))
    return [str(p) for p in caught.value.problems]


def site_with(root: Path, math: str) -> None:
    write_site(root, changes={"content/site.yaml": SITE_YAML + math})


@pytest.mark.parametrize(
    ("math", "expected"),
    [
        (
            "math:\n  macros:\n    R2: '\\mathbb{R}^2'\n",
            "content/site.yaml:14: macro name 'R2' must be letters only, as in \\R (LaTeX reads "
            "\\R2 as a shorter command followed by the rest); rename it",
        ),
        (
            "math:\n  macros:\n    R: 3\n",
            "content/site.yaml:14: the macro 'R' must be LaTeX text in quotes, e.g. "
            'R: "\\\\mathbb{R}" or norm: {body: "\\\\lVert #1 \\\\rVert", args: 1}',
        ),
        (
            "math:\n  macros:\n    R: ''\n",
            "content/site.yaml:14: the macro \\R is empty; write the LaTeX it stands for",
        ),
        (
            "math:\n  macros:\n    R: '\\mathbb{R'\n",
            "content/site.yaml:14: the braces in the macro \\R do not match",
        ),
        (
            "math:\n  macros:\n    norm:\n      body: '\\lVert #2 \\rVert'\n      args: 1\n",
            "content/site.yaml:15: the macro \\norm uses #2 but takes 1 argument(s); set args: 2",
        ),
        (
            "math:\n  macros:\n    norm: {body: '\\lVert #1 \\rVert', arg: 1}\n",
            "content/site.yaml:14: unknown key 'arg' in the macro 'norm' (did you mean 'args'?)",
        ),
        (
            "math:\n  macros:\n    norm: {args: 1}\n",
            "content/site.yaml:14: the macro 'norm' needs 'body:', e.g. "
            'R: "\\\\mathbb{R}" or norm: {body: "\\\\lVert #1 \\\\rVert", args: 1}',
        ),
        (
            "math:\n  macroes: {R: '\\mathbb{R}'}\n",
            "content/site.yaml:13: unknown key 'macroes' in 'math' (did you mean 'macros'?)",
        ),
        (
            "math:\n  macros:\n    A: '\\B'\n    B: '\\A'\n",
            "content/site.yaml:14: macros expand into each other forever (\\A -> \\B -> \\A); "
            "break the loop",
        ),
    ],
)
def test_each_bad_macro_is_a_located_error(tmp_path: Path, math: str, expected: str) -> None:
    site_with(tmp_path, math)
    assert expected in problems(tmp_path)


def test_macros_expand_in_every_text_with_math(tmp_path: Path) -> None:
    lists = LIST_YAML.replace(
        "        tldr:", "        notes: |\n          Bounds on $\\R^n$.\n        tldr:"
    )
    write_site(
        tmp_path,
        changes={
            "content/site.yaml": SITE_YAML + MACROS,
            "content/speakers.yaml": SPEAKERS_YAML.replace(
                "bio: Writes *notes* on engines.", "bio: 'Works on $\\E[X]$ and $\\R$.'"
            ),
            "content/reading-lists/foundations.yaml": lists,
            "content/sessions/2023-03-04-x.md": "---\ntitle: X\n---\nWe bound $\\E[f(x)]$.\n",
            "content/proposals/norms.md": (
                "---\ntitle: Norms\nproposed_by: [ada]\ndate: 2023-01-10\nstatus: open\n---\n"
                "On $\\R^d$ with $A \\Rightarrow B$.\n"
            ),
            "content/pages/notation.md": "---\ntitle: Notation\n---\n$$\\R_{>0}$$\n",
        },
    )
    build(Options(site=tmp_path))
    out = tmp_path / "_site"
    pages = {
        "sessions/2023-03-04-x/index.html": EXPECT,
        "speakers/ada/index.html": EXPECT,
        "reading/foundations/index.html": REALS,
        "proposals/norms/index.html": REALS,
        "notation/index.html": REALS,
    }
    for rel, symbol in pages.items():
        html = (out / rel).read_text()
        assert symbol in html, rel
        assert "math-error" not in html, rel
    assert "<mo>⇒</mo>" in (out / "proposals/norms/index.html").read_text()


def test_a_changed_macro_renders_the_math_again_in_a_long_lived_build(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        changes={
            "content/site.yaml": SITE_YAML + MACROS,
            "content/sessions/2023-03-04-x.md": "---\ntitle: X\n---\nOver $\\R$.\n",
        },
    )
    for cache in (False, True):
        (tmp_path / "content/site.yaml").write_text(SITE_YAML + MACROS)
        out = tmp_path / f"_site{cache}"
        options = Options(site=tmp_path, out=out, cache=cache)
        builder = Builder(options)
        builder.build()
        page = out / "sessions/2023-03-04-x/index.html"
        assert REALS in page.read_text()
        (tmp_path / "content/site.yaml").write_text(SITE_YAML + MACROS.replace("mathbb", "mathbf"))
        builder.build()
        assert REALS not in page.read_text()
        assert "<mi>𝐑</mi>" in page.read_text()
        builder.close()
        # A new build reading the persistent cache does not take the old rendering either.
        (tmp_path / "content/site.yaml").write_text(SITE_YAML + MACROS)
        fresh = Builder(options)
        fresh.build()
        assert REALS in page.read_text()
        fresh.close()
