"""Images are published in the sizes pages show them, and the originals stay published.

Every image here is made by Pillow in the test: a 4 MB photo of noise (which does not
compress away) as an avatar, diagrams and photos in a session's folder, damaged files.
"""

from __future__ import annotations

import io
import os
import random
import sqlite3
import struct
import subprocess
import sys
import zlib
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PIL import Image

from rgsite.cli import main
from sitekit import SPEAKERS_YAML, write_site

if TYPE_CHECKING:
    from playwright.sync_api import Browser

NOW = "2023-01-25T12:00-07:00"
BUNDLE = "content/sessions/2023-01-21-tickets"
TICKETS = """\
---
title: Lottery tickets
speakers: [ada]
topics: [sparsity]
papers: [lottery-ticket]
---
We read [[paper:lottery-ticket]] with [[speaker:alan]].

{body}
"""


def with_avatar(avatar: str = "speakers/ada.jpg") -> str:
    return SPEAKERS_YAML.replace(
        '  links: {homepage: "https://example.org/ada"}\n',
        f'  links: {{homepage: "https://example.org/ada"}}\n  avatar: {avatar}\n',
    )


def bundle_site(root: Path, body: str, *, avatar: str | None = None) -> Path:
    """The small site with its first session as a folder whose recap is ``body``."""
    changes: dict[str, str | None] = {
        "content/sessions/2023-01-21-tickets.md": None,
        f"{BUNDLE}/index.md": TICKETS.format(body=body),
    }
    if avatar:
        changes["content/speakers.yaml"] = with_avatar(avatar)
    return write_site(root, changes=changes)


def noise_photo(path: Path, width: int = 2400, height: int = 1800, seed: int = 1) -> bytes:
    """A JPEG of random pixels, about 4 MB at this size: a phone photo's weight."""
    pixels = random.Random(seed).randbytes(width * height * 3)
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.frombytes("RGB", (width, height), pixels).save(path, "JPEG", quality=92)
    return path.read_bytes()


def diagram(path: Path, size: tuple[int, int], mode: str = "RGB", **save: object) -> bytes:
    image = Image.new(mode, size, (250, 250, 250, 255) if mode == "RGBA" else "white")
    for x in range(0, size[0], 40):
        for y in range(size[1]):
            image.putpixel((x, y), (20, 60, 160, 200) if mode == "RGBA" else (20, 60, 160))
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, **save)
    return path.read_bytes()


def build(root: Path, *args: str) -> int:
    return main(["build", str(root), "--now", NOW, *args])


class Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[dict[str, str]] = []
        self.links: list[tuple[str, dict[str, str]]] = []
        self._href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "a":
            self._href = values.get("href")
        if tag == "img":
            self.found.append(values)
            if self._href is not None:
                self.links.append((self._href, values))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._href = None


def images(root: Path, rel: str, out: str = "_site") -> Images:
    parser = Images()
    parser.feed((root / out / rel).read_text(encoding="utf-8"))
    return parser


def published(root: Path, url: str, out: str = "_site") -> Path:
    """The output file of a URL under the test site's base path, /club/."""
    assert url.startswith("/club/"), url
    return root / out / url.removeprefix("/club/")


def srcset(value: str) -> list[tuple[str, str]]:
    return [tuple(part.split()) for part in value.split(", ")]  # type: ignore[misc]


def test_a_4_mb_photo_becomes_an_avatar_of_a_few_kb_and_stays_linked(tmp_path: Path) -> None:
    original = noise_photo(tmp_path / "static/speakers/ada.jpg")
    assert len(original) > 3_500_000
    write_site(tmp_path, changes={"content/speakers.yaml": with_avatar()})
    assert build(tmp_path) == 0

    # The speaker page: 88 CSS pixels, 1x and 2x, linking to the photo as it was.
    page = images(tmp_path, "speakers/ada/index.html")
    [(href, img)] = page.links
    assert href == "/club/speakers/ada.jpg"
    assert published(tmp_path, href).read_bytes() == original
    assert (img["width"], img["height"], img["alt"]) == ("88", "88", "Photo of Ada Lovelace")
    candidates = srcset(img["srcset"])
    assert [d for _, d in candidates] == ["1x", "2x"]
    assert img["src"] == candidates[0][0]
    for (url, _), side in zip(candidates, (88, 176), strict=True):
        file = published(tmp_path, url)
        assert file.stat().st_size < 12_000, (url, file.stat().st_size)
        with Image.open(file) as made:
            assert (made.format, made.size) == ("JPEG", (side, side))
            assert not made.info.get("exif")

    # The speakers index shows the same photo at 40 pixels.
    [small] = [i for i in images(tmp_path, "speakers/index.html").found if "avatar" in i["class"]]
    assert (small["width"], small["height"], small["loading"]) == ("40", "40", "lazy")
    for url, _ in srcset(small["srcset"]):
        assert published(tmp_path, url).stat().st_size < 5_000


def test_a_photo_smaller_than_the_avatar_is_never_enlarged(tmp_path: Path) -> None:
    diagram(tmp_path / "static/speakers/ada.png", (60, 50), "RGBA")
    write_site(tmp_path, changes={"content/speakers.yaml": with_avatar("speakers/ada.png")})
    assert build(tmp_path) == 0
    [(_, img)] = images(tmp_path, "speakers/ada/index.html").links
    [(url, density)] = srcset(img["srcset"])
    assert density == "0.568x"  # 50 pixels in an 88-pixel circle
    with Image.open(published(tmp_path, url)) as made:
        # transparency kept: a PNG avatar becomes a WebP with its alpha channel
        assert (made.format, made.size, made.mode) == ("WEBP", (50, 50), "RGBA")


def test_an_image_in_a_session_folder_gets_sizes_srcset_and_lazy_loading(tmp_path: Path) -> None:
    original = diagram(tmp_path / BUNDLE / "board.png", (1600, 900))
    diagram(tmp_path / BUNDLE / "small.png", (500, 300))
    body = "![The board](board.png)\n\n![A small one](small.png)\n\n[The board, whole](board.png)"
    bundle_site(tmp_path, body)
    assert build(tmp_path) == 0

    board, small = images(tmp_path, "sessions/2023-01-21-tickets/index.html").found
    assert (board["width"], board["height"]) == ("640", "360")
    assert board["sizes"] == "(max-width: 672px) calc(100vw - 2rem), 640px"
    assert (board["loading"], board["decoding"], board["alt"]) == ("lazy", "async", "The board")
    candidates = srcset(board["srcset"])
    assert [w for _, w in candidates] == ["640w", "1280w"]
    assert board["src"] == candidates[0][0]
    for url, width in candidates:
        with Image.open(published(tmp_path, url)) as made:
            assert made.format == "PNG"
            assert made.width == int(width.removesuffix("w"))
    sessions = tmp_path / "_site/sessions/2023-01-21-tickets"
    assert (sessions / "board.png").read_bytes() == original  # the link still reaches it

    # Narrower than the column: shown at its own size, never enlarged, the original itself.
    assert (small["width"], small["height"]) == ("500", "300")
    assert small["srcset"] == "/club/sessions/2023-01-21-tickets/small.png 500w"
    assert small["src"] == "/club/sessions/2023-01-21-tickets/small.png"
    assert sorted(p.name for p in sessions.glob("small*")) == ["small.png"]


def test_one_photo_under_two_names_is_two_sets_of_copies(tmp_path: Path) -> None:
    photo = noise_photo(tmp_path / BUNDLE / "board.jpg", 900, 500)
    (tmp_path / BUNDLE / "board.jpeg").write_bytes(photo)
    bundle_site(tmp_path, "![One](board.jpg) ![Two](board.jpeg)")
    assert build(tmp_path) == 0
    one, two = images(tmp_path, "sessions/2023-01-21-tickets/index.html").found
    assert one["src"] != two["src"]
    copies = [published(tmp_path, tag["src"]).read_bytes() for tag in (one, two)]
    assert copies[0] == copies[1]


def test_a_phone_photo_is_shown_upright_and_the_authors_own_sizes_are_kept(
    tmp_path: Path,
) -> None:
    photo = Image.new("RGB", (1200, 800), "navy")
    exif = Image.Exif()
    exif[0x0112] = 6  # stored on its side: shown rotated a quarter turn
    photo.save(tmp_path / "photo.jpg", exif=exif)
    (tmp_path / BUNDLE).mkdir(parents=True)
    (tmp_path / "photo.jpg").rename(tmp_path / BUNDLE / "photo.jpg")
    diagram(tmp_path / BUNDLE / "map.png", (2000, 1000))
    bundle_site(tmp_path, "![Portrait](photo.jpg)\n\n![Map](map.png){width=300}")
    assert build(tmp_path) == 0
    portrait, chosen = images(tmp_path, "sessions/2023-01-21-tickets/index.html").found
    assert (portrait["width"], portrait["height"]) == ("640", "960")
    (copy, shown), (whole, wide) = srcset(portrait["srcset"])
    assert (whole, wide) == ("/club/sessions/2023-01-21-tickets/photo.jpg", "800w")
    with Image.open(published(tmp_path, copy)) as made:
        assert (made.size, shown) == ((640, 960), "640w")
        assert "exif" not in made.info
    assert chosen == {
        "alt": "Map",
        "src": "/club/sessions/2023-01-21-tickets/map.png",
        "width": "300",
    }


def test_svg_and_gif_are_left_as_they_are(tmp_path: Path) -> None:
    (tmp_path / BUNDLE).mkdir(parents=True)
    (tmp_path / BUNDLE / "map.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
    )
    Image.new("P", (900, 600)).save(tmp_path / BUNDLE / "loop.gif")
    bundle_site(tmp_path, "![Map](map.svg) ![Loop](loop.gif)")
    assert build(tmp_path) == 0
    tags = images(tmp_path, "sessions/2023-01-21-tickets/index.html").found
    assert [set(t) for t in tags] == [{"alt", "src"}, {"alt", "src"}]
    folder = tmp_path / "_site/sessions/2023-01-21-tickets"
    assert sorted(p.name for p in folder.iterdir()) == [
        "event.ics",
        "index.html",
        "loop.gif",
        "map.svg",
    ]


def huge_png() -> bytes:
    """A PNG whose header claims 100,000 x 100,000 pixels: a decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        check = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + check

    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


@pytest.mark.parametrize(
    ("name", "make", "reason"),
    [
        ("cut.jpg", None, "image file is truncated"),
        ("empty.jpg", lambda: b"", "not a JPEG, PNG or WebP image"),
        ("text.png", lambda: b"not an image at all\n", "not a JPEG, PNG or WebP image"),
        ("bomb.png", huge_png, "too many pixels to be a picture for a web page"),
    ],
)
def test_a_damaged_image_is_a_warning_at_its_file_and_is_published_as_it_is(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    make: Callable[[], bytes] | None,
    reason: str,
) -> None:
    if make is None:
        whole = io.BytesIO()
        Image.new("RGB", (800, 600), "teal").save(whole, "JPEG")
        data = whole.getvalue()[:-600]
    else:
        data = make()
    (tmp_path / BUNDLE).mkdir(parents=True)
    (tmp_path / BUNDLE / name).write_bytes(data)
    bundle_site(tmp_path, f"![Broken]({name})")
    assert build(tmp_path) == 0
    err = capsys.readouterr().err
    assert f"{BUNDLE}/{name}: warning: this image cannot be read ({reason}" in err
    assert "open it in an image editor and save it again" in err
    [tag] = images(tmp_path, "sessions/2023-01-21-tickets/index.html").found
    assert tag == {"alt": "Broken", "src": f"/club/sessions/2023-01-21-tickets/{name}"}
    assert (tmp_path / "_site/sessions/2023-01-21-tickets" / name).read_bytes() == data


def test_a_damaged_avatar_is_a_warning_and_the_file_is_shown_as_it_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "static/speakers").mkdir(parents=True)
    (tmp_path / "static/speakers/ada.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really")
    write_site(tmp_path, changes={"content/speakers.yaml": with_avatar()})
    assert build(tmp_path) == 0
    assert "static/speakers/ada.jpg: warning: this image cannot be read" in capsys.readouterr().err
    [(href, img)] = images(tmp_path, "speakers/ada/index.html").links
    assert img["src"] == href == "/club/speakers/ada.jpg"
    assert (img["width"], img["height"]) == ("88", "88")
    assert "srcset" not in img


def test_a_new_photo_under_the_same_name_gets_new_copies_and_the_old_ones_go(
    tmp_path: Path,
) -> None:
    noise_photo(tmp_path / "static/speakers/ada.jpg", 600, 400, seed=1)
    write_site(tmp_path, changes={"content/speakers.yaml": with_avatar()})
    assert build(tmp_path) == 0
    before = images(tmp_path, "speakers/ada/index.html").found[0]["srcset"]
    noise_photo(tmp_path / "static/speakers/ada.jpg", 600, 400, seed=2)
    assert build(tmp_path) == 0
    after = images(tmp_path, "speakers/ada/index.html").found[0]["srcset"]
    assert before != after
    assert all(published(tmp_path, url).is_file() for url, _ in srcset(after))
    assert not any(published(tmp_path, url).exists() for url, _ in srcset(before))


def test_a_warm_build_makes_no_image_and_publishes_the_cached_copies(tmp_path: Path) -> None:
    """A second build, into another folder so that it can keep no file, reads what it
    needs of every image from .rgsite-cache: Pillow is not even imported."""
    noise_photo(tmp_path / "static/speakers/ada.jpg")
    diagram(tmp_path / BUNDLE / "board.png", (1600, 900))
    bundle_site(tmp_path, "![The board](board.png)", avatar="speakers/ada.jpg")
    assert build(tmp_path) == 0
    first = {p.name: p.read_bytes() for p in (tmp_path / "_site").rglob("*-*x*.*.*")}
    assert len(first) == 6  # 40, 80, 88 and 176 pixel avatars; the board at 640 and 1280
    with sqlite3.connect(tmp_path / ".rgsite-cache/cache.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM images").fetchone() == (6,)

    second = tmp_path / "second"
    command = [sys.executable, "-X", "importtime", "-m", "rgsite", "build", str(tmp_path)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run(
        [*command, "--now", NOW, "-o", str(second)], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines()}
    assert "rgsite.read.archive" in imported and "PIL.Image" not in imported
    assert {p.name: p.read_bytes() for p in second.rglob("*-*x*.*.*")} == first


def test_two_builds_make_the_same_bytes(tmp_path: Path) -> None:
    noise_photo(tmp_path / "static/speakers/ada.jpg", 900, 700)
    diagram(tmp_path / BUNDLE / "board.png", (1600, 900), "RGBA")
    bundle_site(tmp_path, "![The board](board.png)", avatar="speakers/ada.jpg")
    assert build(tmp_path, "--no-cache", "-o", str(tmp_path / "a")) == 0
    assert build(tmp_path, "--no-cache", "-o", str(tmp_path / "b")) == 0
    a = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in (tmp_path / "a").rglob("*.*g")}
    b = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in (tmp_path / "b").rglob("*.*g")}
    assert len(a) == 9 and a == b, "8 images and their copies, and the theme's favicon.svg"


def test_check_follows_every_srcset_to_a_file_the_build_writes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    noise_photo(tmp_path / "static/speakers/ada.jpg", 900, 700)
    diagram(tmp_path / BUNDLE / "board.png", (1600, 900))
    bundle_site(tmp_path, "![The board](board.png)", avatar="speakers/ada.jpg")
    assert main(["check", str(tmp_path), "--now", NOW]) == 0
    out = capsys.readouterr()
    assert out.out.endswith(": all good\n"), out
    assert not (tmp_path / "_site").exists()


@pytest.mark.browser
def test_the_avatar_loads_at_its_size_and_a_sharp_screen_takes_the_2x_copy(
    browser: Browser, serve_dir: Callable[[Path], str], tmp_path: Path
) -> None:
    noise_photo(tmp_path / "site/static/speakers/ada.jpg")
    write_site(tmp_path / "site", changes={"content/speakers.yaml": with_avatar()})
    out = tmp_path / "www/club"
    assert build(tmp_path / "site", "-o", str(out)) == 0
    base = serve_dir(tmp_path / "www")
    for scale, copy in ((1, "ada-88x88."), (2, "ada-176x176.")):
        context = browser.new_context(device_scale_factor=scale)
        try:
            page = context.new_page()
            page.goto(base + "club/speakers/ada/")
            avatar = page.locator("img.avatar-large")
            avatar.evaluate("img => img.decode()")
            shown = avatar.evaluate(
                "img => [img.naturalWidth, img.getBoundingClientRect().width,"
                " img.getBoundingClientRect().height, img.currentSrc]"
            )
        finally:
            context.close()
        natural, width, height, current = shown
        assert natural > 0
        assert (width, height) == (88, 88)
        assert copy in current
