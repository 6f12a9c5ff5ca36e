"""Generated input thrown at the loader and the build: a site, or located errors, never worse.

Hypothesis writes front matter (well-formed and not), YAML files and Markdown, and checks
the promises of SPEC §4 on each:

* reading never raises anything but a located :class:`~rgsite.parse.ParseError`;
* Markdown always renders, and every problem it reports lies inside the text it was given;
* a whole build either succeeds or raises :class:`~rgsite.errors.SiteError` whose every
  problem names a file under ``content/`` and, where a line is given, a line of that file;
  and a failed build leaves the previous output byte-for-byte as it was.

Example counts are moderate so the suite stays quick on two cores; run with
``--hypothesis-show-statistics`` to see how many examples each property ran.
"""

from __future__ import annotations

import contextlib
import shutil
import string
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path

import markupsafe
import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from rgsite.build.builder import build
from rgsite.errors import Problem, SiteError
from rgsite.markdown.render import render_markdown
from rgsite.options import Options
from rgsite.read.decode import ParseError, decode, load_yaml, split_front_matter
from rgsite.read.session import SESSION_KEYS
from rgsite.render.formats import search
from sitekit import MINIMAL, write_site

with warnings.catch_warnings():
    # On a failure Hypothesis imports libcst to explain it, and libcst's import warns
    # (mypy_extensions.TypedDict). Under filterwarnings=error that warning would replace
    # the failure report with an INTERNALERROR, so import it now, quietly, if present.
    warnings.simplefilter("ignore", DeprecationWarning)
    with contextlib.suppress(ImportError):
        import hypothesis.extra._patching  # noqa: F401

SETTINGS = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=False,
)
FAST = settings(SETTINGS, max_examples=300)
BUILDS = settings(SETTINGS, max_examples=200)
VALID = settings(SETTINGS, max_examples=100)

S = "content/sessions/2023-03-04-x.md"

# An unknown code language makes Pygments load its plugins; IPython's imports jedi, which
# raises the recursion limit as it loads. Let that happen now, not inside a Hypothesis run.
render_markdown("```no-such-language\nx\n```\n", path="warm-up.md")

# -- text that looks like what organisers type, and what they paste ----------------------

NASTY = [
    "---",
    "...",
    ":",
    ": ",
    "- ",
    "#",
    "&a",
    "*a",
    "!!python/object:os.system",
    "!x",
    "|",
    ">",
    "'",
    '"',
    "[",
    "]",
    "{",
    "}",
    ",",
    "\t",
    "\r",
    "\r\n",
    "\ufeff",
    "\x85",
    "\u2028",
    "\ue000",
    "\ue001",
    "\ue003",
    "\ue005",
    "<script>",
    "</div>",
    "javascript:",
    "&amp;",
    "$",
    "$$",
    "\\",
    "`",
    "```",
    "[[",
    "]]",
    "%",
    "@",
    "~",
    "null",
    "true",
    "no",
    "14:00",
    "2023-02-30",
    "2023-03-12 02:30",
    "9" * 40,
    "1e400",
    ".inf",
    "0x1F",
    "<<",
]
SNIPPETS = st.sampled_from(NASTY)
WORDS = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="\x00"),
    max_size=12,
)
TEXTY = st.lists(
    st.one_of(SNIPPETS, WORDS, st.sampled_from(string.ascii_lowercase)), max_size=30
).map("".join)
LINES = st.lists(TEXTY, max_size=12).map("\n".join)

IDS = [
    "ada",
    "alan",
    "adaa",
    "grace",
    "lottery-ticket",
    "lotery-ticket",
    "more-tickets",
    "2023-01-21-tickets",
    "2023-01-21-ticket",
    "about",
    "foundations",
    "foundation",
    "x",
]
KINDS = ["speaker", "session", "paper", "proposal", "list", "page", "spaker", ""]


def yaml_scalar() -> st.SearchStrategy[object]:
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**12), max_value=10**12),
        st.floats(allow_nan=True, allow_infinity=True),
        st.sampled_from(IDS + NASTY),
        WORDS,
    )


YAML_VALUES = st.recursive(
    yaml_scalar(),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(SESSION_KEYS), WORDS), inner, max_size=4),
    ),
    max_leaves=12,
)


@st.composite
def front_matter_yaml(draw: st.DrawFn) -> str:
    """Front matter as text: dumped from values rgsite knows, then maybe corrupted."""
    fields: dict[str, object] = {}
    for key in draw(st.lists(st.sampled_from(SESSION_KEYS), max_size=8, unique=True)):
        fields[key] = draw(
            {
                "title": st.one_of(WORDS, st.sampled_from(["", " ", "<b>x</b>"]), YAML_VALUES),
                "date": st.one_of(
                    st.sampled_from(
                        [
                            "2023-03-04",
                            "2023-03-04 15:00",
                            "2023-02-30",
                            "2023-03-12 02:30",
                            "0001-01-01",
                            "9999-12-31 23:59",
                            "2023-3-4",
                            "tomorrow",
                        ]
                    ),
                    YAML_VALUES,
                ),
                "duration": st.one_of(st.integers(min_value=-5, max_value=10**7), YAML_VALUES),
                "speakers": st.one_of(st.lists(st.sampled_from(IDS), max_size=3), YAML_VALUES),
                "papers": st.one_of(
                    st.lists(
                        st.sampled_from(
                            [*IDS, "arxiv:2206.11124", "arxiv:12", "doi:10.1/x", "doi:x"]
                        ),
                        max_size=3,
                    ),
                    YAML_VALUES,
                ),
                "resources": st.one_of(
                    st.lists(
                        st.fixed_dictionaries(
                            {"title": WORDS},
                            optional={
                                "url": st.sampled_from(
                                    [
                                        "slides.pdf",
                                        "https://example.org/v",
                                        "javascript:x()",
                                        "//evil",
                                        "a b",
                                        "mailto:a@b.c",
                                        "../../etc/passwd",
                                    ]
                                ),
                                "kind": st.sampled_from(["slides", "slide", "video", ""]),
                            },
                        ),
                        max_size=3,
                    ),
                    YAML_VALUES,
                ),
                "proposal": st.one_of(st.sampled_from(IDS), YAML_VALUES),
                "status": st.one_of(
                    st.sampled_from(["cancelled", "canceled", "done"]), YAML_VALUES
                ),
                "draft": st.one_of(st.booleans(), YAML_VALUES),
                "join_url": st.one_of(
                    st.sampled_from(["https://x.org/j", "javascript:x"]), YAML_VALUES
                ),
            }.get(key, YAML_VALUES)
        )
    extra = draw(st.dictionaries(WORDS, YAML_VALUES, max_size=2))
    text = yaml.safe_dump({**fields, **extra}, allow_unicode=True, sort_keys=False)
    if draw(st.booleans()):  # corrupt it: insert nasty text at a random place
        at = draw(st.integers(min_value=0, max_value=len(text)))
        text = text[:at] + draw(TEXTY) + text[at:]
    return text


NAME = st.text(
    # No backtick: one beside "`[[speaker:x]]`" would end that code span early and turn
    # its reference to an unknown speaker into a real link.
    alphabet=st.characters(
        codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp"), exclude_characters="`"
    ),
    min_size=1,
    max_size=12,
).filter(lambda text: text.strip() != "")
GOOD_REFS = [
    "[[speaker:ada]]",
    "[[speaker:alan|Turing]]",
    "[[session:2023-01-21-tickets]]",
    "[[paper:lottery-ticket]]",
    "[[paper:arxiv:2206.11124]]",
    "[[proposal:more-tickets]]",
    "[[list:foundations]]",
    "[[page:about]]",
    "[about](../pages/about.md)",
    "[more](../proposals/more-tickets.md#top)",
    "$x^2$",
    "$$\\sum_i x_i$$",
    "`[[speaker:x]]`",
    "<b>bold</b>",
    "<img src=x onerror=alert(1)>",
    "[j](javascript:alert(1))",
]


@st.composite
def valid_session(draw: st.DrawFn) -> str:
    """A session that should build: real ids, real dates, odd but valid text everywhere."""
    fields: dict[str, object] = {"title": draw(NAME)}
    optional = {
        "date": st.sampled_from(["2023-03-04", "2023-03-04 09:30", "2023-11-05 01:30"]),
        "duration": st.integers(min_value=1, max_value=600),
        "speakers": st.lists(st.sampled_from(["ada", "alan"]), max_size=2, unique=True),
        "topics": st.lists(NAME, max_size=3),
        "series": NAME,
        "papers": st.lists(
            st.sampled_from(["lottery-ticket", "arxiv:2206.11124", "doi:10.1000/x1"]), max_size=2
        ),
        "resources": st.lists(
            st.fixed_dictionaries(
                {"title": NAME},
                optional={
                    "url": st.sampled_from(["https://example.org/v?a=1&b=<2>", "mailto:a@b.org"]),
                    "kind": st.sampled_from(["slides", "video", "notes"]),
                },
            ),
            max_size=3,
        ),
        "status": st.just("cancelled"),
        "tldr": WORDS,
        "location": NAME,
        "join_url": st.just('https://example.org/join?x="y"'),
    }
    for key in draw(st.lists(st.sampled_from(sorted(optional)), max_size=6, unique=True)):
        fields[key] = draw(optional[key])
    front = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False)
    inline = st.one_of(NAME, st.sampled_from(GOOD_REFS))
    blocks = st.one_of(
        st.lists(inline, min_size=1, max_size=6).map(" ".join),
        st.builds(lambda n, t: "#" * n + " " + t, st.integers(1, 6), NAME),
        st.lists(inline, min_size=1, max_size=3).map(
            lambda items: "\n".join(f"- {i}" for i in items)
        ),
    )
    body = "\n\n".join(draw(st.lists(blocks, max_size=6)))
    return f"---\n{front}---\n{body}\n"


@st.composite
def markdown_text(draw: st.DrawFn) -> str:
    inline = st.one_of(
        WORDS,
        SNIPPETS,
        st.builds(
            lambda k, t: f"[[{k}:{t}]]", st.sampled_from(KINDS), st.sampled_from([*IDS, "", " "])
        ),
        st.sampled_from(
            [
                "[about](../pages/about.md)",
                "[nope](../pages/nope.md)",
                "[x](slides.pdf)",
                "![i](board.png)",
                "[j](javascript:alert(1))",
                "<a href='javascript:x'>a</a>",
                "$x^2$",
                "$$\\frac{1}{$$",
                "$\\notacommand{x}$",
                "`code`",
                "[^1]",
                "**b**",
                "<img src=x onerror=alert(1)>",
                "[[paper:arxiv:2206.11124]]",
                "{: #id .c}",
                "https://example.org",
                "&#0;",
                "&#xD800;",
                "\\[[speaker:ada]]",
            ]
        ),
    )
    block = st.one_of(
        st.lists(inline, max_size=8).map(" ".join),
        st.builds(lambda n, t: "#" * n + " " + t, st.integers(1, 7), WORDS),
        st.lists(inline, max_size=3).map(lambda items: "\n".join(f"- {i}" for i in items)),
        st.builds(
            lambda lang, code: f"```{lang}\n{code}\n```",
            st.sampled_from(["", "python", "nope", "{"]),
            LINES,
        ),
        st.just("| a | b |\n|---|---|\n| 1 | 2 |"),
        st.just("[^1]: A footnote with [[speaker:ada]]."),
        st.builds(lambda d, t: ">" * d + " " + t, st.integers(1, 30), WORDS),
        st.builds(lambda d: "".join("  " * i + "- a\n" for i in range(d)), st.integers(1, 40)),
    )
    return "\n\n".join(draw(st.lists(block, max_size=8))) + draw(st.sampled_from(["", "\n"]))


# -- the checks --------------------------------------------------------------------------


def check_located(problem: Problem, files: dict[str, str]) -> None:
    """A problem names a content file of the site and, if it gives a line, a line in it."""
    path, line = problem.location.path, problem.location.line
    assert path.startswith("content/"), problem
    if line is not None:
        text = files.get(path)
        assert text is not None, f"{problem} names a file the test did not write"
        assert 1 <= line <= lines_of(text), problem


def lines_of(text: str) -> int:
    return decode("f", text.encode()).count("\n") + 1


@pytest.mark.slow
@FAST
@given(text=st.one_of(LINES, front_matter_yaml().map(lambda y: f"---\n{y}---\n"), TEXTY))
def test_front_matter_reads_or_fails_on_one_of_its_lines(text: str) -> None:
    try:
        raw = text.encode("utf-8")
        record = split_front_matter("s.md", decode("s.md", raw))
    except ParseError as exc:
        assert exc.problem.location.path == "s.md"
        assert 1 <= (exc.problem.location.line or 0) <= lines_of(text), exc.problem
        return
    assert isinstance(record.data, dict)
    assert 1 <= record.body_line <= lines_of(text) + 1
    for line in record.lines.values():
        assert 1 <= line <= lines_of(text)


@pytest.mark.slow
@FAST
@given(text=st.one_of(LINES, YAML_VALUES.map(lambda v: yaml.safe_dump(v, allow_unicode=True))))
def test_yaml_files_read_or_fail_on_one_of_their_lines(text: str) -> None:
    try:
        record = load_yaml("f.yaml", decode("f.yaml", text.encode("utf-8")))
    except ParseError as exc:
        assert exc.problem.location.path == "f.yaml"
        assert 1 <= (exc.problem.location.line or 0) <= lines_of(text), exc.problem
        return
    for line in record.lines.values():
        assert 1 <= line <= lines_of(text)


@pytest.mark.slow
@FAST
@given(text=markdown_text(), first=st.integers(min_value=1, max_value=40))
def test_markdown_always_renders_and_its_problems_lie_in_the_text(text: str, first: int) -> None:
    rendered = render_markdown(text, path="p.md", first_line=first)
    last = first + text.count("\n")
    for problem in rendered.problems:
        assert problem.location.path == "p.md"
        assert first <= (problem.location.line or 0) <= last, problem
    for ref in rendered.refs:
        assert first <= ref.line <= last, ref
    assert "<script" not in rendered.html.lower()


# -- whole builds --------------------------------------------------------------------------

NOW = "2023-02-10T00:00-07:00"


@pytest.fixture(scope="module")
def published() -> Iterator[Path]:
    """The small site built once; every failed build must leave a copy of it untouched."""
    with tempfile.TemporaryDirectory() as folder:
        site = write_site(Path(folder) / "site")
        build(Options(site=site, out=Path(folder) / "out", cache=False, jobs=1))
        yield Path(folder) / "out"


@pytest.fixture(autouse=True, scope="module")
def _no_search_index() -> Iterator[None]:
    """Pagefind takes most of a small build and reads only pages that already rendered."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "executable", lambda: None)
        yield


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def site_or_located_errors(published: Path, changes: dict[str, str]) -> None:
    files = {**MINIMAL, **changes}
    with tempfile.TemporaryDirectory() as folder:
        site = write_site(Path(folder) / "site", files)
        out = Path(folder) / "out"
        shutil.copytree(published, out)
        before = snapshot(out)
        try:
            result = build(Options(site=site, out=out, cache=False, jobs=1))
        except SiteError as exc:
            event("the build failed with located errors")
            assert exc.problems
            for problem in exc.problems:
                check_located(problem, files)
            assert snapshot(out) == before, "a failed build changed the output"
            assert sorted(p.name for p in Path(folder).iterdir()) == ["out", "site"]
            return
        event("the site built")
        for problem in result.warnings:
            check_located(problem, files)
        assert (out / "index.html").is_file() and (out / ".rgsite-output").is_file()
        assert sorted(p.name for p in Path(folder).iterdir()) == ["out", "site"]


@pytest.mark.slow
@BUILDS
@given(
    text=st.one_of(
        valid_session(),
        st.builds(
            lambda front, body: f"---\n{front}---\n{body}", front_matter_yaml(), markdown_text()
        ),
    )
)
def test_generated_sessions_build_or_fail_with_located_errors(published: Path, text: str) -> None:
    site_or_located_errors(published, {S: text})


@st.composite
def yaml_files(draw: st.DrawFn) -> dict[str, str]:
    """A speakers.yaml, a reading list or a proposal, from generated values."""
    which = draw(st.sampled_from(["speakers", "list", "proposal", "raw"]))
    if which == "speakers":
        value = draw(
            st.dictionaries(
                st.sampled_from([*IDS, "Ada Two", ""]),
                st.one_of(
                    st.fixed_dictionaries(
                        {"name": WORDS},
                        optional={
                            "bio": markdown_text(),
                            "links": st.dictionaries(
                                WORDS,
                                st.sampled_from(["https://x.org", "javascript:x"]),
                                max_size=2,
                            ),
                            "avatar": st.sampled_from(["speakers/x.jpg", "", "../x"]),
                        },
                    ),
                    YAML_VALUES,
                ),
                max_size=4,
            )
        )
        return {"content/speakers.yaml": yaml.safe_dump(value, allow_unicode=True)}
    if which == "list":
        item = st.one_of(
            st.sampled_from([*IDS, "arxiv:2206.11124", "arxiv:1"]),
            st.fixed_dictionaries(
                {"title": WORDS},
                optional={
                    "id": st.sampled_from([*IDS, "Bad Id"]),
                    "arxiv": st.sampled_from(["1803.03635", "2206.11124v2", "x"]),
                    "year": st.integers(min_value=-1, max_value=10**6),
                    "notes": markdown_text(),
                    "tldr": WORDS,
                    "kind": st.sampled_from(["paper", "papr"]),
                },
            ),
            YAML_VALUES,
        )
        value = {
            "title": draw(WORDS),
            "sections": draw(
                st.lists(
                    st.fixed_dictionaries({"title": WORDS, "items": st.lists(item, max_size=4)}),
                    max_size=3,
                )
            ),
        }
        return {"content/reading-lists/more.yaml": yaml.safe_dump(value, allow_unicode=True)}
    if which == "proposal":
        value = draw(
            st.fixed_dictionaries(
                {"title": WORDS},
                optional={
                    "proposed_by": st.lists(st.sampled_from(IDS), max_size=3),
                    "status": st.sampled_from(["open", "scheduled", "presented", "won"]),
                    "session": st.sampled_from([*IDS, "2023-02-04-engines"]),
                    "date": st.sampled_from(["2023-01-10", "2023-02-30", "x"]),
                    "votes": st.integers(min_value=-3, max_value=10**10),
                },
            )
        )
        front = yaml.safe_dump(value, allow_unicode=True)
        return {"content/proposals/more-tickets.md": f"---\n{front}---\n{draw(markdown_text())}"}
    return {
        draw(
            st.sampled_from(
                ["content/speakers.yaml", "content/site.yaml", "content/reading-lists/more.yaml"]
            )
        ): draw(LINES)
    }


@pytest.mark.slow
@BUILDS
@given(files=yaml_files())
def test_generated_yaml_files_build_or_fail_with_located_errors(
    published: Path, files: dict[str, str]
) -> None:
    site_or_located_errors(published, files)


@pytest.mark.slow
@VALID
@given(text=valid_session())
def test_generated_valid_sessions_always_build(published: Path, text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        site = write_site(Path(folder) / "site", changes={S: text})
        out = Path(folder) / "out"
        try:
            build(Options(site=site, out=out, cache=False, jobs=1))
        except SiteError as exc:
            raise AssertionError(f"a valid session did not build:\n{exc}\n{text}") from None
        page = (out / "sessions/2023-03-04-x/index.html").read_text()
        title = " ".join(yaml.safe_load(text.split("---\n")[1])["title"].split())
        assert str(markupsafe.escape(title)) in " ".join(page.split())  # as Jinja escapes
