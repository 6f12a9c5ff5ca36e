"""Template code left in bodies: Jekyll's Liquid tags and Hugo's shortcodes.

What has a plain meaning is converted: ``{% highlight %}`` and ``{{< highlight >}}``
become fenced code, ``{{ site.baseurl }}`` and ``| relative_url`` become plain paths,
``{% post_url %}`` and ``{{< ref >}}`` become links that :mod:`.write` points at the
imported session, a YouTube include or shortcode becomes a resource, ``{{< figure >}}`` an
image, ``{{ page.key }}`` the entry's value. Comments are dropped. Everything else is a
*leftover*: reported with its line, and — when it stands on a line of its own — put in an
HTML comment, so that a reader never sees template code and the organiser finds it in
the file.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field

POST_URL = "post_url:"
DOC_LINK = "link:"
HUGO_REF = "ref:"
"""Prefixes of links to other pages of the old site, resolved when files are named."""


@dataclass(slots=True)
class Cleaned:
    text: str
    resources: list[tuple[str, str, str]] = field(default_factory=list)
    """``(kind, url, title)`` of players and decks the template code embedded."""
    leftovers: list[tuple[str, int]] = field(default_factory=list)
    """Template code that was not converted, with the body line (0 first) it is on."""


_RAW = re.compile(r"{%-?\s*raw\s*-?%}(.*?){%-?\s*endraw\s*-?%}", re.DOTALL)
_COMMENT = re.compile(r"{%-?\s*comment\s*-?%}.*?{%-?\s*endcomment\s*-?%}", re.DOTALL)
_HIGHLIGHT = re.compile(
    r"{%-?\s*highlight\s+([\w+#-]+)[^%]*-?%}\n?(.*?)\n?{%-?\s*endhighlight\s*-?%}", re.DOTALL
)
_BASEURL = re.compile(
    r"{{-?\s*site\.(?:url\s*}}\s*{{-?\s*site\.)?baseurl\s*-?}}|{{-?\s*site\.url\s*-?}}"
)
_URL_FILTER = re.compile(
    r"{{-?\s*['\"]([^'\"]*)['\"]\s*\|\s*(?:relative_url|absolute_url|prepend:\s*site\.baseurl)"
    r"\s*-?}}"
)
_POST_URL = re.compile(r"{%-?\s*post_url\s+([^\s%]+)\s*-?%}")
_LINK = re.compile(r"{%-?\s*link\s+([^\s%]+)\s*-?%}")
_INCLUDE = re.compile(r"{%-?\s*include\s+([^\s%]+)([^%]*)-?%}")
_PAGE_VAR = re.compile(r"{{-?\s*page\.([A-Za-z_][\w]*)\s*-?}}")
_LIQUID = re.compile(r"{%.*?%}|{{.*?}}", re.DOTALL)

_SHORTCODE = re.compile(r"{{([<%])\s*(/?)\s*([\w./-]+)(.*?)\s*[>%]}}", re.DOTALL)
_HUGO_HIGHLIGHT = re.compile(
    r"{{[<%]\s*highlight\s+([\w+#-]+)[^}]*[>%]}}\n?(.*?)\n?{{[<%]\s*/highlight\s*[>%]}}",
    re.DOTALL,
)
_HUGO_COMMENT = re.compile(r"{{/\*.*?\*/}}", re.DOTALL)


def liquid(body: str, page: Callable[[str], str | None]) -> Cleaned:
    """A Jekyll body with its Liquid converted; ``page(key)`` answers ``{{ page.key }}``."""
    raws: list[str] = []

    def keep_raw(m: re.Match[str]) -> str:
        raws.append(m[1])
        return f"\x00{len(raws) - 1}\x00"

    result = Cleaned(_RAW.sub(keep_raw, body))
    text = _COMMENT.sub("", result.text)
    text = _HIGHLIGHT.sub(lambda m: f"```{m[1]}\n{m[2]}\n```", text)
    text = _BASEURL.sub("", text)
    text = _URL_FILTER.sub(lambda m: m[1], text)
    text = _POST_URL.sub(lambda m: POST_URL + m[1], text)
    text = _LINK.sub(lambda m: DOC_LINK + m[1], text)

    def include(m: re.Match[str]) -> str:
        params = _params(m[2])
        name, ident = m[1].lower(), params.get("id") or params.get("video_id")
        provider = params.get("provider", "").lower()
        if ident and ("youtube" in name or provider == "youtube"):
            result.resources.append(("video", f"https://www.youtube.com/watch?v={ident}", ""))
            return ""
        if ident and ("vimeo" in name or provider == "vimeo"):
            result.resources.append(("video", f"https://vimeo.com/{ident}", ""))
            return ""
        return m[0]

    text = _INCLUDE.sub(include, text)
    text = _PAGE_VAR.sub(lambda m: v if (v := page(m[1])) is not None else m[0], text)
    text = _leftovers(text, _LIQUID, result, body)
    result.text = re.sub("\x00(\\d+)\x00", lambda m: raws[int(m[1])], text)
    return result


def hugo(body: str) -> Cleaned:
    """A Hugo body with its shortcodes converted."""
    result = Cleaned(body)
    text = _HUGO_COMMENT.sub("", body)
    text = _HUGO_HIGHLIGHT.sub(lambda m: f"```{m[1]}\n{m[2]}\n```", text)

    def shortcode(m: re.Match[str]) -> str:
        closing, name = m[2], m[3].lower()
        params = _params(m[4])
        positional = params.get("0", "")
        if closing:
            return m[0]
        if name in ("youtube", "vimeo") and (ident := params.get("id") or positional):
            url = (
                f"https://www.youtube.com/watch?v={ident}"
                if name == "youtube"
                else f"https://vimeo.com/{ident}"
            )
            result.resources.append(("video", url, ""))
            return ""
        if name == "speakerdeck" and positional:
            result.resources.append(("slides", f"https://speakerdeck.com/player/{positional}", ""))
            return ""
        if name == "gist" and positional and params.get("1"):
            result.resources.append(
                ("code", f"https://gist.github.com/{positional}/{params['1']}", "")
            )
            return ""
        if name == "figure" and params.get("src"):
            alt = params.get("alt") or params.get("caption") or params.get("title") or ""
            return f"![{alt}]({params['src']})"
        if name in ("ref", "relref") and (target := params.get("path") or positional):
            return HUGO_REF + target
        return m[0]

    text = _SHORTCODE.sub(shortcode, text)
    result.text = _leftovers(text, _SHORTCODE, result, body)
    return result


def _params(text: str) -> dict[str, str]:
    """``id="x" provider=youtube`` and positional ``"a" b`` (as "0", "1") parameters."""
    try:
        words = shlex.split(text.strip().strip("-").strip())
    except ValueError:
        words = text.split()
    params, position = {}, 0
    for word in words:
        if "=" in word:
            key, _, value = word.partition("=")
            params[key.strip().lower()] = value.strip().strip("\"'")
        else:
            params[str(position)] = word.strip("\"'")
            position += 1
    return params


def _leftovers(text: str, pattern: re.Pattern[str], result: Cleaned, original: str) -> str:
    """Report each piece of template code left, at its line in ``original``; comment out
    those on a line of their own."""
    lines = text.split("\n")
    searched = 0
    fence = False
    for number, line in enumerate(lines):
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
            continue
        if fence:
            continue
        found = list(pattern.finditer(line))
        for match in found:
            at = original.find(match[0], searched)
            if at == -1:
                at = original.find(match[0])
            else:
                searched = at + len(match[0])
            where = original.count("\n", 0, at) if at != -1 else number
            result.leftovers.append((" ".join(match[0].split()), where))
        if found and pattern.sub("", line).strip() == "":
            safe = line.strip().replace("--", "- -")
            lines[number] = f"<!-- not converted by rgsite import: {safe} -->"
    return "\n".join(lines)
