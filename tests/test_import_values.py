"""The messy values real archives hold, read by ``rgsite import`` — or reported, never guessed.

Each table is what an organiser's old site or spreadsheet actually says, and what the
import makes of it.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from rgsite.errors import Location
from rgsite.importing.entry import Person
from rgsite.importing.fields import Mapping
from rgsite.importing.report import Report
from rgsite.importing.roster import Roster
from rgsite.importing.values.body import hugo, liquid
from rgsite.importing.values.dates import (
    TBA,
    Clock,
    Unreadable,
    When,
    read_clock,
    read_minutes,
    read_when,
)
from rgsite.importing.values.htmltext import to_markdown
from rgsite.importing.values.links import body_links, kind_of, paper_ref
from rgsite.importing.values.people import named

EDMONTON = ZoneInfo("America/Edmonton")
HERE = Location("talks.csv", 7)


@pytest.mark.parametrize(
    ("written", "day", "start"),
    [
        ("2019-09-04", date(2019, 9, 4), None),
        ("2019-9-4", date(2019, 9, 4), None),
        ("2019/09/04", date(2019, 9, 4), None),
        ("Sept. 4, 2019", date(2019, 9, 4), None),
        ("Sep 4 2019", date(2019, 9, 4), None),
        ("September 4th, 2019", date(2019, 9, 4), None),
        ("4 September 2019", date(2019, 9, 4), None),
        ("4th of Sept 2019", date(2019, 9, 4), None),
        ("Wednesday, September 4, 2019", date(2019, 9, 4), None),
        ("Wed 4 Sep 2019", date(2019, 9, 4), None),
        ("25/09/2019", date(2019, 9, 25), None),
        ("09/25/2019", date(2019, 9, 25), None),
        ("04/04/2019", date(2019, 4, 4), None),
        ("2019-09-04 00:00:00", date(2019, 9, 4), None),
        ("2019-09-04 16:00", date(2019, 9, 4), "16:00"),
        ("2019-09-04 16:00:00 -0600", date(2019, 9, 4), "16:00"),
        ("2019-09-04T22:00:00Z", date(2019, 9, 4), "16:00"),
        ("2019-09-04 4pm", date(2019, 9, 4), "16:00"),
        ("Sept. 4, 2019, 4:00 pm", date(2019, 9, 4), "16:00"),
        ("Sept. 4, 2019 at 16h30", date(2019, 9, 4), "16:30"),
    ],
)
def test_dates_real_archives_write_are_read(written: str, day: date, start: str | None) -> None:
    when = read_when(written, EDMONTON)
    assert isinstance(when, When), when
    assert when.day == day
    assert (when.clock.start if when.clock else None) == start


def test_a_date_written_in_another_offset_is_moved_into_the_groups_zone_and_said() -> None:
    when = read_when("2019-09-04T22:00:00Z", EDMONTON)
    assert isinstance(when, When)
    assert when.converted == "Z"
    same = read_when("2019-09-04 16:00:00 -0600", EDMONTON)
    assert isinstance(same, When) and same.converted == ""


@pytest.mark.parametrize(
    ("written", "why"),
    [
        ("09/04/2019", "could be 4 September or 9 April"),
        ("9/4/19", "could be 4 September or 9 April"),
        ("Sept. 4", "has no year"),
        ("Tuesday, September 4, 2019", "2019-09-04 is a Wednesday"),
        ("2019-02-30", "not a real date"),
        ("31/31/2019", "neither of its first two numbers is a month"),
        (43712, "spreadsheet's day number"),
        ("TBA", "not known yet"),
        ("next week", "not a date rgsite can read"),
        ("Sept. 4, 2019, 4:00", "in the morning or the afternoon"),
    ],
)
def test_dates_that_could_mean_two_things_are_reported(written: object, why: str) -> None:
    found = read_when(written, EDMONTON)
    assert isinstance(found, Unreadable), found
    assert why in found.why


@pytest.mark.parametrize(
    ("written", "start", "end"),
    [
        ("16:00", "16:00", None),
        ("16.30", "16:30", None),
        ("16h", "16:00", None),
        ("16h30", "16:30", None),
        ("3:30pm", "15:30", None),
        ("4 p.m.", "16:00", None),
        ("4PM", "16:00", None),
        ("12pm", "12:00", None),
        ("12am", "00:00", None),
        ("noon", "12:00", None),
        ("9:30", "09:30", None),
        (1600, "16:00", None),
        ("4:00:00 PM", "16:00", None),
        ("4:00-5:15 pm", "16:00", "17:15"),
        ("4-5pm", "16:00", "17:00"),
        ("11-12:30pm", "11:00", "12:30"),
        ("4pm-5:30", "16:00", "17:30"),
        ("16:00–17:30", "16:00", "17:30"),
        ("16h-17h30", "16:00", "17:30"),
        ("4:00 pm to 5:15 pm", "16:00", "17:15"),
    ],
)
def test_times_and_ranges_are_read(written: object, start: str, end: str | None) -> None:
    clock = read_clock(written)
    assert clock == Clock(start, end), clock


def test_a_range_gives_the_sessions_length() -> None:
    clock = read_clock("4:00-5:15 pm")
    assert isinstance(clock, Clock) and clock.minutes() == 75
    late = read_clock("23:00-00:30")
    assert isinstance(late, Clock) and late.minutes() == 90


def test_a_time_zone_after_the_time_is_kept_apart_to_be_reported() -> None:
    assert read_clock("4pm EST") == Clock("16:00", zone="EST")
    assert read_clock("16:00 (UTC+1)") == Clock("16:00", zone="UTC+1")


@pytest.mark.parametrize(
    ("written", "why"),
    [
        ("4", "in the morning or the afternoon"),
        ("4:00", "in the morning or the afternoon"),
        ("4-5", "in the morning or the afternoon"),
        ("25:00", "not a time of day"),
        ("13pm", "not a time of day"),
        ("16:75", "an hour has 60"),
        (0.6666, "fraction of a day"),
        ("after lunch", "not a time rgsite can read"),
    ],
)
def test_times_that_could_mean_two_things_are_reported(written: object, why: str) -> None:
    found = read_clock(written)
    assert isinstance(found, Unreadable), found
    assert why in found.why


@pytest.mark.parametrize("written", ["TBA", "tbd", "TBC", "To be announced", "?"])
def test_a_time_not_known_yet_is_tba(written: str) -> None:
    assert read_clock(written) == TBA


@pytest.mark.parametrize(
    ("written", "minutes"),
    [(90, 90), ("90", 90), ("90 min", 90), ("1.5h", 90), ("1h30", 90), ("2 hours", 120)],
)
def test_durations_are_read_in_minutes(written: object, minutes: int) -> None:
    assert read_minutes(written) == minutes


@pytest.mark.parametrize("written", ["long", 0, "-5", True])
def test_durations_that_are_not_are_reported(written: object) -> None:
    assert isinstance(read_minutes(written), Unreadable)


# -- speakers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "names", "ids"),
    [
        ("Ada Lovelace", ["Ada Lovelace"], []),
        ("Ada Lovelace and Alan Turing", ["Ada Lovelace", "Alan Turing"], []),
        ("Ada Lovelace & Alan Turing", ["Ada Lovelace", "Alan Turing"], []),
        ("A. Lovelace, A. Turing & G. Hopper", ["A. Lovelace", "A. Turing", "G. Hopper"], []),
        (
            "Ada Lovelace, Alan Turing, and Grace Hopper",
            ["Ada Lovelace", "Alan Turing", "Grace Hopper"],
            [],
        ),
        ("Ada Lovelace; Alan Turing", ["Ada Lovelace", "Alan Turing"], []),
        ("Dr. Ada Lovelace", ["Ada Lovelace"], []),
        ("Prof Alan Turing, PhD", ["Alan Turing"], []),
        ("Martin Luther King, Jr.", ["Martin Luther King, Jr."], []),
        ("Sandra Anderson", ["Sandra Anderson"], []),
        ("ada", [], ["ada"]),
        ("jane-doe and alan", [], ["jane-doe", "alan"]),
        (["Ada Lovelace", "alan"], ["Ada Lovelace"], ["alan"]),
        ({"name": "Ada Lovelace", "affiliation": "Cambridge"}, ["Ada Lovelace"], []),
        ({"id": "ada"}, [], ["ada"]),
        ("TBA", [], []),
    ],
)
def test_speaker_fields_name_each_speaker(
    written: object, names: list[str], ids: list[str]
) -> None:
    report = Report()
    found = named(written, HERE, report, "speaker")
    assert [w.name for w in found if w.name] == names
    assert [w.key for w in found if not w.name] == ids
    assert report.unused == []


def test_an_affiliation_in_parentheses_stays_with_its_speaker() -> None:
    report = Report()
    found = named(
        "Jane Doe (University of California, Berkeley) and John Roe (MIT)", HERE, report, "speaker"
    )
    assert [(w.name, w.affiliation) for w in found] == [
        ("Jane Doe", "University of California, Berkeley"),
        ("John Roe", "MIT"),
    ]


def test_last_first_could_be_two_people_and_is_reported() -> None:
    report = Report()
    assert named("Lovelace, Ada", HERE, report, "speaker") == []
    assert "Last, First" in report.unused[0].why
    assert report.unused[0].where == HERE


def test_a_speaker_mapping_brings_its_links() -> None:
    report = Report()
    (who,) = named(
        {"name": "Ada", "twitter": "@ada", "url": "https://example.org/ada"},
        HERE,
        report,
        "speaker",
    )
    assert dict(who.links) == {
        "homepage": "https://example.org/ada",
        "twitter": "https://twitter.com/ada",
    }


# -- HTML, template code, links -------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "markdown"),
    [
        ("<p>One.</p><p>Two.</p>", "One.\n\nTwo."),
        ("Line one<br>line two", "Line one\nline two"),
        ("<p>An <em>odd</em> and <strong>bold</strong> claim.</p>", "An *odd* and **bold** claim."),
        ('<a href="https://example.org/x">the paper</a>', "[the paper](https://example.org/x)"),
        ("<ul><li>one</li><li>two</li></ul>", "- one\n- two"),
        ("<ol><li>one</li><li>two</li></ol>", "1. one\n2. two"),
        ("<ul><li>a<ul><li>b</li></ul></li></ul>", "- a\n    - b"),
        ("<h3>Plan</h3><p>Read.</p>", "### Plan\n\nRead."),
        ("<p>Cost is <code>O(n*m)</code>.</p>", "Cost is `O(n*m)`."),
        ("<p>Loss $\\ell_2$ and x_1 * 2</p>", "Loss $\\ell_2$ and x\\_1 \\* 2"),
        ("<p>a &lt;b&gt; &amp; c</p>", "a &lt;b> & c"),
        ("<p>E = mc<sup>2</sup></p>", "E = mc<sup>2</sup>"),
        (
            '<img src="https://example.org/a.png" alt="A plot">',
            "![A plot](https://example.org/a.png)",
        ),
        ("<blockquote>Quoted.</blockquote>", "> Quoted."),
        ('<pre><code class="language-python">x = 1\n</code></pre>', "```python\nx = 1\n```"),
    ],
)
def test_html_abstracts_become_markdown(html: str, markdown: str) -> None:
    converted = to_markdown(html)
    assert converted.markdown == markdown
    assert converted.dropped == []


def test_html_that_runs_or_embeds_is_dropped_and_said_and_a_player_becomes_its_address() -> None:
    converted = to_markdown(
        '<p>Hi</p><script>alert(1)</script><iframe src="https://www.youtube.com/embed/abc_1"></iframe>'
        "<form><input></form><marquee>x</marquee>"
    )
    assert converted.markdown == "Hi\n\nx"
    assert converted.dropped == ["<script>", "<form>", "<marquee>"]
    assert converted.embeds == ["https://www.youtube.com/watch?v=abc_1"]


def test_liquid_with_a_plain_meaning_is_converted() -> None:
    body = (
        "See [slides]({{ site.baseurl }}/assets/s.pdf) and "
        "![x]({{ '/img/x.png' | relative_url }}).\n"
        "Next: [ntk]({% post_url 2019-09-18-ntk %}); by {{ page.speaker }}.\n"
        "{% highlight python %}\nx = 1\n{% endhighlight %}\n"
        "{% comment %}organisers only{% endcomment %}\n"
        '{% include youtube.html id="dQw4w9WgXcQ" %}\n'
        "{% raw %}{{ kept }}{% endraw %}\n"
    )
    cleaned = liquid(body, lambda key: "Ada" if key == "speaker" else None)
    assert cleaned.text.split("\n")[:6] == [
        "See [slides](/assets/s.pdf) and ![x](/img/x.png).",
        "Next: [ntk](post_url:2019-09-18-ntk); by Ada.",
        "```python",
        "x = 1",
        "```",
        "",
    ]
    assert "{{ kept }}" in cleaned.text
    assert cleaned.resources == [("video", "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "")]
    assert cleaned.leftovers == []


def test_liquid_left_over_is_reported_at_its_line_and_never_shown_to_readers() -> None:
    body = "Intro.\n\n{% include announcement.html %}\n\nSee {{ site.title }} today.\n"
    cleaned = liquid(body, lambda key: None)
    assert cleaned.leftovers == [("{% include announcement.html %}", 2), ("{{ site.title }}", 4)]
    assert (
        "<!-- not converted by rgsite import: {% include announcement.html %} -->" in cleaned.text
    )
    assert "See {{ site.title }} today." in cleaned.text


def test_hugo_shortcodes_are_converted_or_reported() -> None:
    body = (
        "{{< youtube w7Ft2ymGmfc >}}\n"
        '{{< figure src="/img/a.png" caption="A figure" >}}\n'
        '[prev]({{< ref "talk/x.md" >}})\n'
        "{{< speakerdeck abc123 >}}\n"
        '{{< tweet user="x" id="1" >}}\n'
        "{{/* an organiser's comment */}}\n"
    )
    cleaned = hugo(body)
    assert "![A figure](/img/a.png)" in cleaned.text
    assert "[prev](ref:talk/x.md)" in cleaned.text
    assert cleaned.resources == [
        ("video", "https://www.youtube.com/watch?v=w7Ft2ymGmfc", ""),
        ("slides", "https://speakerdeck.com/player/abc123", ""),
    ]
    assert cleaned.leftovers == [('{{< tweet user="x" id="1" >}}', 4)]
    assert "organiser's comment" not in cleaned.text


@pytest.mark.parametrize(
    ("written", "ref"),
    [
        ("https://arxiv.org/abs/1803.03635v5", "arxiv:1803.03635"),
        ("https://arxiv.org/pdf/1803.03635.pdf", "arxiv:1803.03635"),
        ("arXiv:1706.03762", "arxiv:1706.03762"),
        ("1706.03762", "arxiv:1706.03762"),
        ("https://doi.org/10.1145/3446776", "doi:10.1145/3446776"),
        ("10.1145/3446776", "doi:10.1145/3446776"),
        ("https://openreview.net/forum?id=abc", "https://openreview.net/forum?id=abc"),
    ],
)
def test_paper_fields_become_references(written: str, ref: str) -> None:
    assert paper_ref(written) == ref


def test_a_paper_title_without_an_address_is_reported() -> None:
    found = paper_ref("Attention is all you need")
    assert isinstance(found, Unreadable) and "not an address" in found.why


@pytest.mark.parametrize(
    ("url", "text", "kind"),
    [
        ("https://example.org/talk.pdf", "Slides", "slides"),
        ("https://speakerdeck.com/x/y", "", "slides"),
        ("https://youtu.be/abc", "", "video"),
        ("https://example.org/v", "Recording of the talk", "video"),
        ("https://github.com/x/y", "Code", "code"),
        ("https://arxiv.org/abs/1706.03762", "paper", "paper"),
        ("https://example.org/blog", "a nice blog", None),
        ("https://arxiv.org/abs/1706.03762", "a related result", None),
    ],
)
def test_links_say_what_they_are_by_their_words_or_their_host(
    url: str, text: str, kind: str | None
) -> None:
    assert kind_of(url, text) == kind


def test_links_in_a_body_that_say_what_they_are_are_found() -> None:
    body = (
        "We met.\n"
        "Slides: https://example.org/s.pdf\n"
        "- **Recording:** [on YouTube](https://youtu.be/abc)\n"
        "The [code](https://github.com/x/y) and a [related post](https://example.org/p).\n"
    )
    assert [(link.kind, link.url, link.line) for link in body_links(body)] == [
        ("slides", "https://example.org/s.pdf", 1),
        ("video", "https://youtu.be/abc", 2),
        ("code", "https://github.com/x/y", 3),
    ]


# -- who is who -----------------------------------------------------------------------


def roster(people: dict[str, Person] | None = None, **speakers: dict[str, str]) -> Roster:
    site = {"ada": "Ada Lovelace", "alan": "Alan Turing"}
    return Roster(site, people or {}, Mapping(speakers=speakers.get("mapped", {})), Report())


def resolve(found: Roster, written: object) -> list[str | None]:
    return [found.resolve(who, "speaker") for who in named(written, HERE, found.report, "speaker")]


def test_a_speaker_already_in_the_site_is_found_by_id_or_by_name() -> None:
    found = roster()
    assert resolve(found, "ada, Alan TURING and Dr. Ádá Lovelace") == ["ada", "alan", "ada"]
    assert found.new == {}


def test_a_new_speaker_gets_an_id_from_the_name_and_keeps_it_across_talks() -> None:
    found = roster()
    assert resolve(found, "Grace Hopper (US Navy)") == ["grace-hopper"]
    assert resolve(found, "grace hopper") == ["grace-hopper"]
    assert found.new["grace-hopper"].name == "Grace Hopper"
    assert found.new["grace-hopper"].affiliation == "US Navy"


def test_two_people_with_one_id_are_told_apart_and_said() -> None:
    found = Roster({"ada-lovelace": "Ada Lovelace"}, {}, Mapping(), Report())
    assert resolve(found, "Ada-Lovelace Smith") == ["ada-lovelace-smith"]
    found = Roster({"grace": "Grace Kelly"}, {}, Mapping(), Report())
    ((who,),) = [named("Grace", HERE, found.report, "speaker")]
    assert found.resolve(who, "speaker") == "grace-2"
    assert "is a new speaker, 'grace-2'" in found.report.notes[0][1]


def test_a_name_without_latin_letters_gets_an_id_all_the_same() -> None:
    found = roster()
    (ident,) = resolve(found, "张伟")
    assert ident is not None and ident.startswith("speaker-") and found.new[ident].name == "张伟"


def test_an_id_from_a_people_file_brings_the_person() -> None:
    person = Person(key="jdoe", name="Jane Doe", where=HERE, affiliation="MIT")
    found = roster({"jdoe": person})
    assert resolve(found, "jdoe") == ["jdoe"]
    assert found.new["jdoe"].name == "Jane Doe" and found.new["jdoe"].affiliation == "MIT"


def test_an_id_nobody_knows_is_reported_not_made_a_person() -> None:
    found = roster()
    assert resolve(found, "jdoe") == [None]
    assert found.new == {}
    assert "looks like an id" in found.report.unused[0].why


def test_the_map_says_who_someone_is() -> None:
    found = roster(mapped={"a. lovelace": "ada", "jdoe": "jane-doe"})
    assert resolve(found, "A. Lovelace and jdoe") == ["ada", "jane-doe"]
    assert found.new["jane-doe"].name == "Jane Doe"  # from the id, and said
    assert "named 'Jane Doe' from the id" in found.report.notes[0][1]
