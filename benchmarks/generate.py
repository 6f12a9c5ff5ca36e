"""Generate a synthetic reading-group archive for benchmarks.

``generate(root, sessions, seed=0)`` writes a complete site under ``root``: site.yaml,
speakers.yaml, one reading list and ``sessions`` session files of about 2.5 KB each, with
headings, lists, links, a code block in a third of them, math in a quarter, 1–2 speakers,
1–3 topics and 1–2 papers. The same arguments always give the same bytes.

    python -m benchmarks.generate /tmp/site-1k 1000
"""

from __future__ import annotations

import argparse
import random
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
)
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


def _sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng, rng.randint(8, 16)) for _ in range(rng.randint(3, 5)))


def _body(rng: random.Random, index: int, papers: list[str]) -> str:
    parts = [_paragraph(rng), "", "## Discussion", "", _paragraph(rng), "", _paragraph(rng), ""]
    parts += [f"- {_sentence(rng, 6)}" for _ in range(rng.randint(3, 5))]
    link = f"[the notes](https://example.org/notes/{index})"
    parts += ["", f"See [[paper:{papers[0]}]] and {link}.", ""]
    if index % 3 == 0:
        parts += ["```python", "def step(w, g, lr=0.1):", "    return w - lr * g", "```", ""]
    if index % 4 == 0:
        parts += ["The update is $w_{t+1} = w_t - \\eta \\nabla L(w_t)$ and", ""]
        parts += ["$$\\sum_{t=0}^{T} \\eta_t = \\infty$$", ""]
    parts += ["## Open questions", "", _paragraph(rng), "", _paragraph(rng), ""]
    parts += [f"1. {_sentence(rng, 7)}"]
    parts += [f"2. {_sentence(rng, 9)}", "", _paragraph(rng), ""]
    return "\n".join(parts)


def generate(root: Path, sessions: int, seed: int = 0) -> Path:
    """Write a site with ``sessions`` sessions under ``root``; return ``root``."""
    rng = random.Random(seed)
    content = root / "content"
    (content / "sessions").mkdir(parents=True, exist_ok=True)
    (content / "reading-lists").mkdir(parents=True, exist_ok=True)
    (content / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    speaker_count = max(5, sessions // 10)
    speakers = [f"speaker-{i}" for i in range(speaker_count)]
    (content / "speakers.yaml").write_text(
        "".join(
            f"{s}:\n  name: Speaker {i}\n  affiliation: Lab {i % 17}\n"
            for i, s in enumerate(speakers)
        ),
        encoding="utf-8",
    )
    paper_count = max(10, sessions // 5)
    papers = [f"paper-{i}" for i in range(paper_count)]
    items = "".join(
        f'      - id: {p}\n        title: "Paper number {i}"\n'
        "        authors: [A. Author, B. Author]\n"
        f"        year: {2000 + i % 24}\n        tldr: {_sentence(rng, 8)}\n"
        for i, p in enumerate(papers)
    )
    (content / "reading-lists/papers.yaml").write_text(
        f"title: Papers\nsections:\n  - title: All\n    items:\n{items}", encoding="utf-8"
    )
    day = date(2000, 1, 1)
    for index in range(sessions):
        day += timedelta(days=1 if sessions > 3000 else 7)
        chosen = rng.sample(papers, rng.randint(1, 2))
        front = [
            "---",
            f"title: Session {index} on {rng.choice(TOPICS)}",
            f"speakers: [{', '.join(rng.sample(speakers, rng.randint(1, 2)))}]",
            f"topics: [{', '.join(rng.sample(TOPICS, rng.randint(1, 3)))}]",
            f"papers: [{', '.join(chosen)}]",
            "---",
        ]
        text = "\n".join(front) + "\n" + _body(rng, index, chosen)
        name = f"{day.isoformat()}-session-{index}.md"
        (content / "sessions" / name).write_text(text, encoding="utf-8")
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
