"""``content/speakers.yaml``: every speaker (and proposer) by id."""

from __future__ import annotations

from rgsite.errors import Location
from rgsite.model import ROLES, Kind, Link, Speaker
from rgsite.read.decode import Record
from rgsite.read.fields import Fields, slugify, valid_id
from rgsite.read.loaded import Context, Loading

SPEAKER_KEYS = ("name", "affiliation", "position", "role", "bio", "links", "avatar")


def load_speakers(record: Record, context: Context) -> Loading:
    """Every speaker of ``speakers.yaml``."""
    loading = Loading(record.path)
    problems = loading.problems
    if record.data is None:
        return loading
    if not isinstance(record.data, dict):
        problems.error(
            record.at(), "speakers.yaml must map each speaker id to its details, e.g. 'harsha:'"
        )
        return loading
    for speaker_id, value in record.data.items():
        where = Location(record.path, record.key_line(speaker_id))
        if not valid_id(speaker_id):
            problems.error(
                where,
                f"speaker id '{speaker_id}' must be lowercase letters, digits and hyphens, "
                f"e.g. '{slugify(speaker_id)}'",
            )
            continue
        if isinstance(value, str):
            value = {"name": value}
        if not isinstance(value, dict):
            problems.error(where, f"speaker '{speaker_id}' must be a mapping with at least 'name:'")
            continue
        fields = Fields(record, problems, (speaker_id,), value, what=f"speaker '{speaker_id}'")
        fields.check_keys(SPEAKER_KEYS)
        bio = fields.text("bio")
        bio_html = ""
        if bio:
            owner = (Kind.SPEAKER, speaker_id)
            bio_html = loading.render_value(context, owner, bio, record, speaker_id, "bio").html
        loading.speakers[speaker_id] = Speaker(
            id=speaker_id,
            name=fields.text("name", speaker_id, required=True),
            affiliation=fields.text("affiliation"),
            bio_html=bio_html,
            links=_links(fields),
            avatar=_avatar(fields, context),
            role=fields.choice("role", ROLES, "guest"),
            position=fields.text("position"),
            source=where,
        )
    return loading


def _avatar(fields: Fields, context: Context) -> str | None:
    """A picture in static/, by its path there; anything else would be a broken image."""
    avatar = fields.text("avatar")
    if not avatar:
        return None
    if f"static/{avatar}" not in context.assets:
        fields.error(
            "avatar",
            f"'avatar' is '{avatar}', which is not a file in static/; put the picture at "
            "static/speakers/<id>.jpg and write 'avatar: speakers/<id>.jpg'",
        )
        return None
    return avatar


def _links(fields: Fields) -> tuple[Link, ...]:
    links = fields.mapping("links")
    if links is None:
        return ()
    result = []
    for label in links.data:
        url = links.url(label)
        if url:
            result.append(Link(label=label, url=url))
    return tuple(result)
