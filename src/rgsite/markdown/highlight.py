"""Code highlighted with Pygments: the settings of Python-Markdown's codehilite, fenced
code it cannot see highlighted the same way, and the stylesheets for both."""

from __future__ import annotations

from typing import Any, ClassVar

from markdown.extensions.codehilite import CodeHilite, CodeHiliteExtension
from pygments.formatters import HtmlFormatter

__all__ = ["CODE_SETTINGS", "highlight", "pygments_css", "pygments_stylesheet"]


class _Formatter(HtmlFormatter):  # type: ignore[type-arg]
    """Pygments' HTML formatter, working out its style's classes once per style rather
    than for every code block (a third of the cost of highlighting a short block)."""

    _sheets: ClassVar[dict[tuple[Any, ...], tuple[Any, Any]]] = {}

    def _create_stylesheet(self) -> None:
        key = (self.style, self.classprefix)
        held = self._sheets.get(key)
        if held is None:
            super()._create_stylesheet()
            # Only read after this, by every formatter of the same style.
            self._sheets[key] = (self.ttype2class, self.class2style)
        else:
            self.ttype2class, self.class2style = held


CODE_SETTINGS: dict[str, Any] = {
    "css_class": "highlight",
    "guess_lang": False,
    "pygments_formatter": _Formatter,
}


def highlight(code: str, lang: str) -> str:
    """``code`` as Python-Markdown's fenced code extension would show it."""
    config = CodeHiliteExtension(**CODE_SETTINGS).getConfigs()
    style = config.pop("pygments_style", "default")
    highlighter = CodeHilite(code, lang=lang or None, style=style, **config)
    result: str = highlighter.hilite(shebang=False)
    return result


LIGHT_STYLE, DARK_STYLE = "default", "github-dark"


def pygments_css() -> tuple[str, str]:
    """Light and dark stylesheets for highlighted code, every rule under ``.highlight``."""
    return _css(LIGHT_STYLE), _css(DARK_STYLE)


def pygments_stylesheet() -> str:
    """The stylesheet pages link: light rules, and dark ones both for a system in dark mode
    (unless the reader chose light) and for a reader who chose dark."""
    light, dark = pygments_css()
    return (
        light
        + "@media (prefers-color-scheme: dark) {\n"
        + _under(':root:not([data-theme="light"])', dark)
        + "}\n"
        + _under(':root[data-theme="dark"]', dark)
    )


def _under(scope: str, rules: str) -> str:
    return "".join(f"{scope} {rule}\n" for rule in rules.splitlines())


def _css(style: str) -> str:
    # get_style_defs also emits unscoped rules (pre, line numbers) that would leak into the theme.
    formatter: Any = HtmlFormatter(style=style)  # types-Pygments leaves get_style_defs untyped
    rules: list[str] = formatter.get_style_defs(".highlight").splitlines()
    return "\n".join(rule for rule in rules if rule.startswith(".highlight")) + "\n"
