"""An abstract retold for an announcement keeps its text, its structure and every link."""

from __future__ import annotations

from rgsite.authoring.prose import as_html, as_markdown, as_text, first_paragraph, read_prose
from rgsite.markdown.render import render_markdown

PAGE = "https://example.org/club/sessions/2023-03-04-x/"
SOURCE = """\
We read [the paper](https://example.org/p), **with care**, about $O(n \\log n)$ and
$\\frac{a+b}{2}$ — see <https://example.org/raw> and ![the map](https://example.org/map.svg).[^1]

## Plan

1. First [step](https://example.org/step)
2. Second `step_two`

- a
    - nested

```
keep *this* as it is
```

[^1]: A note.
"""


def blocks():  # type: ignore[no-untyped-def]
    rendered = render_markdown(SOURCE, path="content/sessions/x.md", first_line=1)
    return read_prose(rendered.html, PAGE)


def test_plain_text_gives_each_address_after_its_text() -> None:
    assert as_text(blocks()) == (
        "We read the paper (https://example.org/p), with care, about O(n log n) and "
        "(a + b)/2 — see https://example.org/raw and the map (https://example.org/map.svg).[1]\n"
        "\n"
        "Plan\n"
        "\n"
        "1. First step (https://example.org/step)\n"
        "2. Second step_two\n"
        "\n"
        "- a\n"
        "  - nested\n"
        "\n"
        "keep *this* as it is\n"
        "\n"
        "1. A note."
    )


def test_chat_markdown_escapes_text_and_keeps_links_in_angle_brackets() -> None:
    text = as_markdown(blocks())
    assert text.startswith(
        "We read the paper <https://example.org/p>, **with care**, about `O(n log n)` and "
        "`(a + b)/2` — see <https://example.org/raw> and the map <https://example.org/map.svg>."
        "\\[1\\]\n\n**Plan**\n\n1. First step <https://example.org/step>\n2. Second `step_two`\n"
    )
    assert "\n```\nkeep *this* as it is\n```\n" in text


def test_email_html_has_links_lists_and_no_images() -> None:
    html = as_html(blocks())
    assert '<a href="https://example.org/p">the paper</a>, <strong>with care</strong>' in html
    assert '<a href="https://example.org/map.svg">the map</a>' in html
    assert "<img" not in html and "<math" not in html and "headerlink" not in html
    assert "<ol>\n<li>First <a" in html and "<pre>keep *this* as it is</pre>" in html


def test_the_first_paragraph_is_whole() -> None:
    long = "word " * 200
    rendered = render_markdown(f"{long}\n\nSecond.\n", path="x.md", first_line=1)
    (only,) = first_paragraph(read_prose(rendered.html, PAGE))
    assert only.text().strip() == long.strip()


def test_links_within_the_site_are_made_absolute() -> None:
    html = '<p>See <a href="/club/speakers/ada/">Ada</a> and <img alt="" src="map.svg"></p>'
    assert as_text(read_prose(html, PAGE)) == (
        "See Ada (https://example.org/club/speakers/ada/) and image "
        "(https://example.org/club/sessions/2023-03-04-x/map.svg)"
    )
