"""The schedule's keys — status, time, kind, register, abstract and site.yaml's kinds —
are checked like every other: each message names its file and line and what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from rgsite.build.builder import build
from rgsite.cli import main
from rgsite.errors import SiteError
from rgsite.options import Options
from sitekit import SITE_YAML, write_site

KINDS = 'kinds:\n  talk: {name: Talk}\n  tech-coffee: {name: Tech coffee, icon: "☕"}\n'
WITH_KINDS = {"content/site.yaml": SITE_YAML + KINDS}


def problems(root: Path) -> list[str]:
    with pytest.raises(SiteError) as caught:
        build(Options(site=root))
    assert not (root / "_site").exists()
    return [str(p) for p in caught.value.problems if p.severity == "error"]


def warnings(root: Path) -> list[str]:
    return [str(w) for w in build(Options(site=root)).warnings]


def session(front: str, body: str = "Recap.\n") -> dict[str, str | None]:
    return {"content/sessions/2023-03-04-x.md": f"---\n{front}---\n{body}"}


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        (
            "title: X\nstatus: brake\n",
            "content/sessions/2023-03-04-x.md:3: 'status' is 'brake' (did you mean 'break'?); "
            "write 'tba' for an open slot, 'break' for a week with no meeting or 'cancelled' "
            "(upcoming and past follow from the date)",
        ),
        (
            "title: X\ntime: '16:00'\n",
            "content/sessions/2023-03-04-x.md:3: 'time' is '16:00'; write the hour in 'date' "
            "(date: 2024-10-09 16:00), or write 'time: tba' with a bare date when it is not "
            "known yet",
        ),
        (
            "title: X\ndate: 2023-03-04 16:00\ntime: tba\n",
            "content/sessions/2023-03-04-x.md:3: 'date' gives the time 16:00, but 'time: tba' "
            "says it is not known; keep the time and remove 'time: tba', or write the date alone",
        ),
        (
            "title: X\nregister: javascript:alert(1)\n",
            "content/sessions/2023-03-04-x.md:3: 'register' uses the scheme 'javascript:', which "
            "is not allowed; use http, https or mailto",
        ),
        (
            "title: X\nregister: example.org/rsvp\n",
            "content/sessions/2023-03-04-x.md:3: 'register' 'example.org/rsvp' is not an "
            "absolute URL; start it with https://",
        ),
        (
            "title: X\nabstrct: Hello\n",
            "content/sessions/2023-03-04-x.md:3: unknown key 'abstrct' in the session's front "
            "matter (did you mean 'abstract'?)",
        ),
        (
            "status: cancelled\n",
            "content/sessions/2023-03-04-x.md:2: 'title' is required",
        ),
    ],
)
def test_session_keys(tmp_path: Path, front: str, expected: str) -> None:
    write_site(tmp_path, changes=session(front))
    assert expected in problems(tmp_path)


def test_an_open_slot_or_a_break_may_leave_out_its_title(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        changes={
            **session("status: tba\n"),
            "content/sessions/2023-03-11-off.md": "---\nstatus: break\n---\n",
        },
    )
    result = build(Options(site=tmp_path))
    assert result.site is not None
    assert result.site.sessions["2023-03-04-x"].title == "Open slot"
    assert result.site.sessions["2023-03-11-off"].title == "No meeting"


def test_an_unknown_kind_is_an_error_with_the_closest(tmp_path: Path) -> None:
    write_site(tmp_path, changes={**WITH_KINDS, **session("title: X\nkind: tech-cofee\n")})
    assert problems(tmp_path) == [
        "content/sessions/2023-03-04-x.md:3: unknown kind 'tech-cofee' (did you mean "
        "'tech-coffee'?); kinds are defined under 'kinds:' in content/site.yaml: talk, "
        "tech-coffee"
    ]


def test_a_kind_without_kinds_in_site_yaml_is_a_warning(tmp_path: Path) -> None:
    write_site(tmp_path, changes=session("title: X\nkind: talk\n"))
    assert warnings(tmp_path) == [
        "content/sessions/2023-03-04-x.md:3: warning: 'kind' is 'talk', but content/site.yaml "
        "defines no kinds, so it is not shown; define them there, e.g. kinds: {talk: {name: "
        "Talk}}"
    ]
    assert "event-kind" not in (tmp_path / "_site/sessions/2023-03-04-x/index.html").read_text()


def test_a_duration_with_an_unknown_time_is_a_warning(tmp_path: Path) -> None:
    write_site(tmp_path, changes=session("title: X\ntime: tba\nduration: 90\n"))
    assert warnings(tmp_path) == [
        "content/sessions/2023-03-04-x.md:4: warning: 'duration' is not used while the time is "
        "to be announced (time: tba); it counts again once 'date' has a time"
    ]


def test_what_a_break_would_not_show_is_a_warning(tmp_path: Path) -> None:
    write_site(tmp_path, changes=session("title: Reading week\nstatus: break\nspeakers: [ada]\n"))
    assert warnings(tmp_path) == [
        "content/sessions/2023-03-04-x.md:4: warning: a break has no meeting and no page, so "
        "'speakers' is left out; remove it, or change 'status' if the session takes place"
    ]


def test_an_abstracts_problems_are_on_its_lines(tmp_path: Path) -> None:
    front = "title: X\nabstract: |\n  First line.\n\n  See [[speaker:ade]].\n"
    write_site(tmp_path, changes=session(front))
    assert problems(tmp_path) == [
        "content/sessions/2023-03-04-x.md:6: unknown speaker 'ade' (did you mean 'ada'?)"
    ]


def test_nothing_links_to_a_break(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_site(
        tmp_path,
        changes={
            "content/sessions/2023-03-11-off.md": "---\ntitle: Spring break\nstatus: break\n---\n",
            **session("title: X\n", "After [[session:2023-03-11-off]].\n"),
        },
    )
    message = (
        "content/sessions/2023-03-04-x.md:4: session '2023-03-11-off' is a break (status: "
        "break): there is no meeting and no page to link to; name another session"
    )
    assert problems(tmp_path) == [message]
    assert main(["check", str(tmp_path)]) == 1
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    ("kinds", "expected"),
    [
        (
            "kinds:\n  Tech Coffee: {name: Coffee}\n",
            "content/site.yaml:13: kind id 'Tech Coffee' must be lowercase letters, digits and "
            "hyphens, e.g. 'tech-coffee'",
        ),
        (
            "kinds:\n  talk: {icon: x}\n",
            "content/site.yaml:13: 'name' is required",
        ),
        (
            "kinds:\n  talk: {name: Talk, icon: a microphone}\n",
            "content/site.yaml:13: 'icon' is 'a microphone'; an icon is a symbol or two shown "
            'before the name, like "☕" (at most 8 characters)',
        ),
        (
            "kinds:\n  talk: {nmae: Talk}\n",
            "content/site.yaml:13: unknown key 'nmae' in kind 'talk' (did you mean 'name'?)",
        ),
        (
            "kinds:\n  talk: [Talk]\n",
            "content/site.yaml:13: kind 'talk' must be a mapping like '{name: Talk, icon: \"🎤\"}'",
        ),
        (
            "kinds: [talk, seminar]\n",
            "content/site.yaml:12: 'kinds' must map each kind's id to its name, e.g. kinds: "
            "{talk: {name: Talk}}",
        ),
    ],
)
def test_site_yaml_kinds(tmp_path: Path, kinds: str, expected: str) -> None:
    write_site(tmp_path, changes={"content/site.yaml": SITE_YAML + kinds})
    assert expected in problems(tmp_path)


def test_a_kind_may_be_a_name_alone(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        changes={
            "content/site.yaml": SITE_YAML + "kinds:\n  talk: Talk\n",
            **session("title: X\nkind: talk\n"),
        },
    )
    result = build(Options(site=tmp_path))
    assert result.site is not None and not result.warnings
    assert [(k.id, k.name, k.icon) for k in result.site.config.kinds] == [("talk", "Talk", "")]
