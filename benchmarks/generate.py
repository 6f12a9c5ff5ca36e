"""Generate a synthetic reading-group archive for benchmarks.

``generate(root, sessions, seed=0)`` writes a complete site under ``root``, the archive
issue 16 measures:

- ``sessions`` session files of about 2.5 KB of Markdown each: headings, lists, links,
  a code block in a third of them, inline and display math in a quarter, 1–2 speakers,
  1–3 topics, 1–2 papers from the reading lists and ``[[speaker:…]]``/``[[paper:…]]``
  links;
- 200 speakers (name, affiliation, role, bio, a homepage), 40 topics;
- 100 proposals of about 1 KB (open, accepted, declined, and presented ones naming
  their session);
- 5 reading lists of 50 items each (2–3 sections, authors, year, arXiv id, TL;DR, notes
  with math on some), and an about page.

Sessions meet weekly and end on 2025-12-27, daily when there are more than 1,200 of them,
so every session is in the past. The same arguments always give the same bytes.

    python -m benchmarks.generate /tmp/site-1k 1000
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import shutil
from datetime import date, timedelta
from pathlib import Path

TEXT = (
    "gradient descent converges when the step size is small relative to the curvature of "
    "the loss landscape and the noise of stochastic estimates averages out over many steps "
    "we discussed whether overparameterised networks generalise because of implicit bias "
    "or because the data lie on a low dimensional manifold that the architecture respects "
    "the speaker walked through the proof sketch and the group argued about the constants"
)
WORDS = tuple(TEXT.split())
TOPICS = (
    "optimization",
    "learning theory",
    "generalization",
    "sparsity",
    "kernels",
    "transformers",
    "diffusion",
    "privacy",
    "meta-learning",
    "information retrieval",
    "probability",
    "geometry",
    "reinforcement learning",
    "causality",
    "graph networks",
    "robustness",
    "interpretability",
    "fairness",
    "bayesian inference",
    "variational methods",
    "sampling",
    "scaling laws",
    "lottery tickets",
    "neural operators",
    "double descent",
    "implicit bias",
    "random features",
    "mean field",
    "information theory",
    "compression",
    "federated learning",
    "contrastive learning",
    "language models",
    "vision",
    "speech",
    "time series",
    "bandits",
    "game theory",
    "statistics",
    "quantum machine learning",
)
FIRST = tuple(
    [
        "Ada",
        "Alan",
        "Bea",
        "Carl",
        "Dana",
        "Emil",
        "Faye",
        "Gus",
        "Hana",
        "Ivan",
        "Jade",
        "Kofi",
        "Lena",
        "Milo",
        "Nia",
        "Omar",
        "Pia",
        "Raj",
        "Sara",
        "Tomas",
    ]
)
LAST = tuple(
    [
        "Abara",
        "Bianchi",
        "Chen",
        "Dubois",
        "Eriksen",
        "Fofana",
        "Garcia",
        "Haddad",
        "Ito",
        "Jensen",
        "Kowalski",
        "Lindqvist",
        "Moreau",
        "Nakamura",
        "Okafor",
        "Petrov",
        "Quinn",
        "Rossi",
        "Silva",
        "Tanaka",
    ]
)
SPEAKERS = 200
PROPOSALS = 100
LISTS = 5
LIST_ITEMS = 50
PROPOSAL_STATUSES = ("open", "open", "accepted", "declined", "presented")
LAST_SESSION = date(2025, 12, 27)
SITE_YAML = """\
title: Benchmark Reading Group
description: A generated archive for timing rgsite.
base_url: https://example.org/bench/
timezone: America/Edmonton
meeting:
  weekday: saturday
  time: "14:00"
  duration: 60
  every_weeks: 1
  location: Online
"""
ABOUT = """\
---
title: About
---
The benchmark reading group meets every week to read papers on the theory of machine
learning. Anyone may propose a topic; the group votes on what to read next.
"""


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng, rng.randint(8, 16)) for _ in range(rng.randint(3, 5)))


def _body(rng: random.Random, index: int, speakers: list[str], papers: list[str]) -> str:
    parts = [_paragraph(rng), "", "## Discussion", "", _paragraph(rng), "", _paragraph(rng), ""]
    parts += [f"- {_sentence(rng, 6)}" for _ in range(rng.randint(3, 5))]
    link = f"[the notes](https://example.org/notes/{index})"
    parts += ["", f"[[speaker:{speakers[0]}]] presented [[paper:{papers[0]}]]; see {link}.", ""]
    if index % 3 == 0:
        parts += ["```python", "def step(w, g, lr=0.1):", "    return w - lr * g", "```", ""]
    if index % 4 == 0:
        parts += ["The update is $w_{t+1} = w_t - \\eta \\nabla L(w_t)$ and", ""]
        parts += ["$$\\sum_{t=0}^{T} \\eta_t = \\infty$$", ""]
    parts += ["## Open questions", "", _paragraph(rng), "", _paragraph(rng), ""]
    parts += [f"1. {_sentence(rng, 7)}"]
    parts += [f"2. {_sentence(rng, 9)}", "", _paragraph(rng), ""]
    return "\n".join(parts)


def _speakers_yaml(rng: random.Random) -> tuple[str, list[str]]:
    ids, blocks = [], []
    roles = ("organizer",) * 4 + ("member",) * 30 + ("guest",) * 166
    for i in range(SPEAKERS):
        name = f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST) + i) % len(LAST)]}"
        ident = f"{slug(name)}-{i}"
        ids.append(ident)
        blocks.append(
            f"{ident}:\n  name: {name}\n  affiliation: Lab {i % 30}\n  role: {roles[i]}\n"
            f"  bio: {_sentence(rng, 14)}\n"
            f"  links: {{homepage: https://example.org/people/{ident}/}}\n"
        )
    return "".join(blocks), ids


def _reading_list(rng: random.Random, number: int) -> tuple[str, list[str]]:
    ids, lines = [], [f"title: Reading list {number + 1}", f"description: {_sentence(rng, 12)}"]
    lines.append("sections:")
    sections = 2 + number % 2
    for item in range(LIST_ITEMS):
        if item % (LIST_ITEMS // sections + 1) == 0:
            lines += [f"  - title: Part {item // (LIST_ITEMS // sections + 1) + 1}", "    items:"]
        ident = f"paper-{number}-{item}"
        ids.append(ident)
        lines += [
            f"      - id: {ident}",
            f'        title: "{_sentence(rng, 7)[:-1]}"',
            f"        authors: [{rng.choice(FIRST)} {rng.choice(LAST)}, "
            f"{rng.choice(FIRST)} {rng.choice(LAST)}]",
            f"        year: {2000 + (number * LIST_ITEMS + item) % 25}",
            f'        arxiv: "{21 + number:02d}{1 + item % 12:02d}.{10000 + item * 7 + number}"',
            f"        tldr: {_sentence(rng, 10)}",
        ]
        if item % 5 == 0:
            lines += [
                "        notes: |",
                f"          {_sentence(rng, 12)} The bound is $O(1/\\sqrt{{T}})$.",
            ]
    return "\n".join(lines) + "\n", ids


def _session_days(sessions: int) -> list[date]:
    step = timedelta(days=7 if sessions <= 1200 else 1)
    return [LAST_SESSION - step * (sessions - 1 - i) for i in range(sessions)]


def generate(root: Path, sessions: int, seed: int = 0) -> Path:
    """Write a site with ``sessions`` sessions under ``root``; return ``root``."""
    rng = random.Random(seed)
    content = root / "content"
    for folder in ("sessions", "reading-lists", "proposals", "pages"):
        (content / folder).mkdir(parents=True, exist_ok=True)
    (content / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    (content / "pages/about.md").write_text(ABOUT, encoding="utf-8")
    speakers_yaml, speakers = _speakers_yaml(rng)
    (content / "speakers.yaml").write_text(speakers_yaml, encoding="utf-8")
    papers: list[str] = []
    for number in range(LISTS):
        text, ids = _reading_list(rng, number)
        papers += ids
        (content / f"reading-lists/list-{number + 1}.yaml").write_text(text, encoding="utf-8")
    days = _session_days(sessions)
    first_day = days[0] if days else LAST_SESSION
    names = []
    for index, day in enumerate(days):
        chosen_speakers = rng.sample(speakers, rng.randint(1, 2))
        chosen_papers = rng.sample(papers, rng.randint(1, 2))
        front = [
            "---",
            f"title: Session {index} on {rng.choice(TOPICS)}",
            f"speakers: [{', '.join(chosen_speakers)}]",
            f"topics: [{', '.join(rng.sample(TOPICS, rng.randint(1, 3)))}]",
            f"papers: [{', '.join(chosen_papers)}]",
            "---",
        ]
        text = "\n".join(front) + "\n" + _body(rng, index, chosen_speakers, chosen_papers)
        name = f"{day.isoformat()}-session-{index}"
        names.append(name)
        (content / "sessions" / f"{name}.md").write_text(text, encoding="utf-8")
    for index in range(PROPOSALS):
        topic = rng.choice(TOPICS)
        status = PROPOSAL_STATUSES[index % len(PROPOSAL_STATUSES)]
        if status == "presented" and not names:
            status = "accepted"
        front = [
            "---",
            f"title: Proposal {index} on {topic}",
            f"proposed_by: [{', '.join(rng.sample(speakers, rng.randint(1, 2)))}]",
            f"date: {first_day + timedelta(days=index * 3)}",
            f"status: {status}",
            f"votes: {rng.randint(0, 12)}",
            f"topics: [{topic}]",
            f"tldr: {_sentence(rng, 12)}",
        ]
        if status == "presented":
            front.append(f"session: {names[(index * 37) % len(names)]}")
        body = ["---", _paragraph(rng), "", "## Why now", "", _paragraph(rng), ""]
        body += [f"- {_sentence(rng, 8)}" for _ in range(3)]
        text = "\n".join(front + body) + "\n"
        (content / f"proposals/proposal-{index}-{slug(topic)}.md").write_text(text, "utf-8")
    return root


def recipe(sessions: int, seed: int = 0) -> str:
    """What an archive was made from: this file's text, the size and the seed."""
    digest = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
    return f"generate.py {digest}, {sessions} sessions, seed {seed}\n"


def prepare(root: Path, sessions: int, seed: int = 0) -> Path:
    """``root`` holding this recipe's archive: reused when it is there, else made afresh."""
    stamp = root / "recipe.txt"
    if stamp.is_file() and stamp.read_text() == recipe(sessions, seed):
        return root
    shutil.rmtree(root, ignore_errors=True)
    generate(root, sessions, seed)
    stamp.write_text(recipe(sessions, seed))
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("sessions", type=int)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    generate(args.root, args.sessions, args.seed)


if __name__ == "__main__":
    main()
