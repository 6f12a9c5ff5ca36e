"""Speakers' ``role`` and ``position``: the People page, and a Speakers page of who spoke."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from rgsite.build.builder import build
from rgsite.options import Options
from sitekit import SPEAKERS_YAML, write_site

ROSTER = """\
ada:
  name: Ada Lovelace
  affiliation: Analytical Engines
  position: Research fellow
  role: organizer
alan:
  name: Alan Turing
grace:
  name: Grace Hopper
  position: PhD student
  affiliation: Yale
  role: member
kurt:
  name: Kurt Gödel
  role: alumni
emmy:
  name: Emmy Noether
  role: member
"""
CANCELLED = "---\ntitle: Called off\nspeakers: [emmy]\nstatus: cancelled\n---\n"


def built(tmp_path: Path, speakers: str = ROSTER, **extra: str | None) -> Path:
    site = write_site(
        tmp_path / "site",
        changes={
            "content/speakers.yaml": speakers,
            "content/sessions/2023-02-18-off.md": CANCELLED,
            **extra,
        },
    )
    build(Options(site=site, now=datetime(2023, 3, 1, tzinfo=UTC), cache=False))
    return site / "_site"


def test_the_people_page_lists_organizers_members_and_alumni(tmp_path: Path) -> None:
    out = built(tmp_path)
    html = (out / "people/index.html").read_text()
    groups = re.findall(r'<h2 id="role-(\w+)">(\w+)</h2>', html)
    assert groups == [("organizer", "Organizers"), ("member", "Members"), ("alumni", "Alumni")]
    members = html.split('id="role-member"')[1].split("</section>")[0]
    assert members.index("Emmy Noether") < members.index("Grace Hopper")
    assert '<span class="meta person-position">PhD student</span>' in members
    assert '<span class="meta person-affiliation">Yale</span>' in members
    assert "Alan Turing" not in html  # a guest
    assert "session" not in html.split("<main", 1)[1].split("</main>")[0]
    assert '<a href="/club/people/">People</a>' in (out / "index.html").read_text()


def test_the_speakers_page_lists_only_who_gave_a_session(tmp_path: Path) -> None:
    out = built(tmp_path)
    html = (out / "speakers/index.html").read_text()
    listed = re.findall(r'class="person-name" href="/club/speakers/([\w-]+)/"', html)
    assert listed == ["ada", "alan"]  # Emmy's only session was cancelled
    for page in out.rglob("*.html"):
        assert "0 sessions" not in page.read_text(), page


def test_a_member_who_never_spoke_has_a_profile(tmp_path: Path) -> None:
    out = built(tmp_path)
    html = (out / "speakers/grace/index.html").read_text()
    assert '<p class="lede">PhD student, Yale</p>' in html
    assert '<a class="badge badge-role" href="/club/people/">Member</a>' in html
    assert "Sessions</h2>" not in html and "No sessions" not in html
    kurt = (out / "speakers/kurt/index.html").read_text()
    assert ">Former member</a>" in kurt
    alan = (out / "speakers/alan/index.html").read_text()
    assert "badge-role" not in alan and "Sessions</h2>" in alan


def test_without_roles_there_is_no_people_page(tmp_path: Path) -> None:
    out = built(tmp_path, SPEAKERS_YAML + "emmy:\n  name: Emmy Noether\n")
    assert not (out / "people").exists()
    assert "/club/people/" not in (out / "index.html").read_text()
