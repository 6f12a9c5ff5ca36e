"""Make the theme's math font: Latin Modern Math, subset to what MathML on our pages uses.

    pip install fonttools brotli          # tools for this script only, not for rgsite
    apt-get install fonts-lmodern         # Debian's Latin Modern Math (GUST Font License)
    python scripts/subset_math_font.py [--source PATH]

Writes three WOFF2 files to ``static/fonts/``, the font's licence beside them, and
``static/css/math.css``, whose ``@font-face`` rules give each file its ``unicode-range``:
a browser downloads a file only when a page shows one of its characters. The first file
holds what nearly every formula uses (Latin, Greek, accents, punctuation, letterlike
symbols, arrows, operators, delimiters and the italic letters MathML sets identifiers in);
the second the common alphabets (bold, script, fraktur, double-struck); the third the rest.
Each keeps every OpenType layout feature and the MATH table, whose size variants and
stretchy parts (big sums, tall brackets, wide hats and arrows) come along with the
characters that use them. Only pages with math link ``math.css`` (see base.html).
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

REPO = Path(__file__).resolve().parents[1]
SOURCE = Path("/usr/share/texmf/fonts/opentype/public/lm-math/latinmodern-math.otf")
LICENCE = Path("/usr/share/texmf/doc/fonts/lm-math/GUST-FONT-LICENSE.txt")
FONTS = REPO / "static" / "fonts"
CSS = REPO / "static" / "css" / "math.css"
FAMILY = "Latin Modern Math"

Ranges = list[tuple[int, int]]
CORE: Ranges = [
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x00BF),  # Latin-1 symbols: ¬ ± · ¹ ½
    (0x00D7, 0x00D7),  # ×
    (0x00F7, 0x00F7),  # ÷
    (0x02B0, 0x02FF),  # spacing modifiers: ˆ ˇ ˜ as accents
    (0x0300, 0x036F),  # combining accents: \hat, \bar, \vec, \tilde, \dot
    (0x0391, 0x03A9),  # Greek capitals
    (0x03B1, 0x03C9),  # Greek small letters
    (0x03D0, 0x03D6),  # ϑ ϕ ϖ
    (0x03F0, 0x03F5),  # ϰ ϱ ϵ
    (0x2000, 0x206F),  # general punctuation: primes, thin spaces, invisible operators
    (0x20D0, 0x20FF),  # combining marks for symbols: vector arrows
    (0x2100, 0x214F),  # letterlike: ℝ ℕ ℤ ℓ ℏ ℘ ℵ
    (0x2190, 0x21FF),  # arrows
    (0x2200, 0x22FF),  # mathematical operators
    (0x2300, 0x23FF),  # technical: ⌈ ⌉ ⌊ ⌋, bracket pieces, over- and underbraces
    (0x27C0, 0x27FF),  # misc. mathematical symbols A: ⟨ ⟩ ⟦ ⟧, long arrows
    (0x1D434, 0x1D467),  # mathematical italic: every single-letter identifier
    (0x1D6A4, 0x1D6A5),  # dotless italic i and j
    (0x1D6E2, 0x1D71B),  # italic Greek
]
ALPHABETS: Ranges = [
    (0x1D400, 0x1D433),  # bold
    (0x1D49C, 0x1D4CF),  # script
    (0x1D504, 0x1D537),  # fraktur
    (0x1D538, 0x1D56B),  # double-struck
    (0x1D6A8, 0x1D6E1),  # bold Greek
    (0x1D7CE, 0x1D7E1),  # bold and double-struck digits
]
MORE: Ranges = [
    (0x00C0, 0x00D6),  # accented Latin letters
    (0x00D8, 0x00F6),
    (0x00F8, 0x017F),
    (0x2150, 0x218F),  # number forms
    (0x25A0, 0x25FF),  # geometric shapes: □ △ ◦
    (0x2600, 0x26FF),  # ♠ ♡ ♢ ♣
    (0x2900, 0x2AFF),  # supplemental arrows B, misc. symbols B, supplemental operators
    (0x1D468, 0x1D49B),  # bold italic
    (0x1D4D0, 0x1D503),  # bold script
    (0x1D56C, 0x1D6A3),  # bold fraktur, sans-serif, monospace
    (0x1D71C, 0x1D7CD),  # bold italic and sans-serif Greek
    (0x1D7E2, 0x1D7FF),  # sans-serif and monospace digits
]
FILES: dict[str, Ranges] = {
    "latinmodern-math.woff2": CORE,
    "latinmodern-math-alphabets.woff2": ALPHABETS,
    "latinmodern-math-more.woff2": MORE,
}


def make(source: Path, out: Path, ranges: Ranges) -> int:
    options = subset.Options()
    options.layout_features = ["*"]  # ssty (script-size glyphs), flac, dtls, ...
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False  # screens render this font unhinted in every browser we target
    options.desubroutinize = True  # compresses better under WOFF2
    options.flavor = "woff2"
    options.ignore_missing_unicodes = True
    font = TTFont(source)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[c for lo, hi in ranges for c in range(lo, hi + 1)])
    subsetter.subset(font)
    if "MATH" not in font:
        raise SystemExit(f"{out.name}: the subset lost the MATH table")
    font.flavor = "woff2"
    font.save(out)
    return out.stat().st_size


def unicode_range(ranges: Ranges) -> str:
    return ", ".join(f"U+{lo:X}" if lo == hi else f"U+{lo:X}-{hi:X}" for lo, hi in ranges)


def stylesheet() -> str:
    faces = "".join(
        "@font-face {\n"
        f'  font-family: "{FAMILY}";\n'
        f'  src: url("../fonts/{name}") format("woff2");\n'
        "  font-display: swap;\n"
        f"  unicode-range: {unicode_range(ranges)};\n"
        "}\n"
        for name, ranges in FILES.items()
    )
    return (
        "/* Latin Modern Math (GUST Font License, fonts/GUST-FONT-LICENSE.txt), made by\n"
        "   scripts/subset_math_font.py; linked only by pages that show math. */\n"
        + faces
        # Latin Modern's letters are smaller than the text serif's at one size; this evens them.
        + f'math {{ font-family: "{FAMILY}", math; font-size: 1.12em; }}\n'
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--licence", type=Path, default=LICENCE)
    args = parser.parse_args()
    FONTS.mkdir(parents=True, exist_ok=True)
    for name, ranges in FILES.items():
        size = make(args.source, FONTS / name, ranges)
        print(f"static/fonts/{name}: {size:,} bytes")
    shutil.copyfile(args.licence, FONTS / "GUST-FONT-LICENSE.txt")
    CSS.write_text(stylesheet(), encoding="utf-8")
    print(f"static/css/math.css: {len(FILES)} faces")


if __name__ == "__main__":
    main()
