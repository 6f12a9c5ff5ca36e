"""New speakers appended to ``content/speakers.yaml``, as ``rgsite new speaker`` does.

Each speaker is appended by :func:`rgsite.authoring.speakers_yaml.append_speaker`, which
keeps the file's comments, order and indentation and refuses a file it cannot append to
safely. A person from a people file may bring a bio, links, a position and a role:
those replace the commented-out lines of the appended block, and the file is read back
to make sure every speaker before is unchanged and the new ones hold what was meant.
"""

from __future__ import annotations

from rgsite.authoring.speakers_yaml import append_speaker, quote, speaker_block
from rgsite.errors import RgsiteError
from rgsite.importing.roster import NewSpeaker
from rgsite.read.decode import ParseError, decode, load_yaml

PATH = "content/speakers.yaml"


def add_speakers(before: bytes, speakers: list[NewSpeaker]) -> str:
    """The text of speakers.yaml with ``speakers`` appended."""
    try:
        text = decode(PATH, before)
    except ParseError as exc:
        raise RgsiteError(f"{exc.problem}; fix it before importing") from None
    original = text
    for speaker in speakers:
        appended = append_speaker(text, speaker.id, speaker.name, speaker.affiliation, path=PATH)
        if speaker.bio or speaker.links or speaker.position or speaker.role:
            appended = _with_extras(appended, speaker)
        text = appended
    _verify(original, text, speakers)
    return text


def _with_extras(text: str, speaker: NewSpeaker) -> str:
    indent = _indent_of(text, speaker.id)
    block = speaker_block(speaker.id, speaker.name, speaker.affiliation, indent)
    if not text.endswith(block):  # pragma: no cover - append_speaker ends with this block
        return text
    lines = block.rstrip("\n").split("\n")
    kept = [line for line in lines if not line.lstrip().startswith("#")]
    if speaker.position:
        kept.append(f"{indent}position: {quote(speaker.position)}")
    if speaker.role:
        kept.append(f"{indent}role: {speaker.role}")
    if speaker.bio:
        kept.append(f"{indent}bio: |")
        kept += [
            f"{indent}{indent}{line}" if line.strip() else "" for line in speaker.bio.split("\n")
        ]
    if speaker.links:
        inner = ", ".join(f"{label}: {quote(url)}" for label, url in speaker.links)
        kept.append(f"{indent}links: {{{inner}}}")
    return text[: len(text) - len(block)] + "\n".join(kept) + "\n"


def _indent_of(text: str, ident: str) -> str:
    tail = text[text.rindex(f"\n{ident}:") + len(ident) + 3 :] if f"\n{ident}:" in text else ""
    first = tail.split("\n", 1)[0]
    return first[: len(first) - len(first.lstrip(" "))] or "  "


def _verify(original: str, text: str, speakers: list[NewSpeaker]) -> None:
    try:
        before = load_yaml(PATH, original).data or {}
        after = load_yaml(PATH, text).data or {}
    except ParseError as exc:  # pragma: no cover - append_speaker checked each step
        raise RgsiteError(f"{exc.problem}; rgsite import could not add the speakers") from None
    for ident, value in before.items():
        if after.get(ident) != value:  # pragma: no cover - only ever appended
            raise RgsiteError(f"adding speakers would change '{ident}' in {PATH}; nothing written")
    for speaker in speakers:
        new = after.get(speaker.id)
        expected_bio = speaker.bio.strip()
        if (
            not isinstance(new, dict)
            or new.get("name") != speaker.name
            or str(new.get("bio") or "").strip() != expected_bio
            or dict(new.get("links") or {}) != dict(speaker.links)
            or str(new.get("position") or "") != speaker.position
            or str(new.get("role") or "") != speaker.role
        ):
            raise RgsiteError(
                f"rgsite import cannot add '{speaker.id}' to {PATH} safely; add the speaker "
                "by hand and import again:\n\n" + speaker_block(speaker.id, speaker.name)
            )
