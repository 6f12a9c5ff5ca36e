"""The stylesheets for code that Python-Markdown's codehilite highlights with Pygments."""

from __future__ import annotations

from typing import Any

from pygments.formatters import HtmlFormatter

__all__ = ["pygments_css"]

LIGHT_STYLE, DARK_STYLE = "default", "github-dark"


def pygments_css() -> tuple[str, str]:
    """Light and dark stylesheets for highlighted code, every rule under ``.highlight``."""
    return _css(LIGHT_STYLE), _css(DARK_STYLE)


def _css(style: str) -> str:
    # get_style_defs also emits unscoped rules (pre, line numbers) that would leak into the theme.
    formatter: Any = HtmlFormatter(style=style)  # types-Pygments leaves get_style_defs untyped
    rules: list[str] = formatter.get_style_defs(".highlight").splitlines()
    return "\n".join(rule for rule in rules if rule.startswith(".highlight")) + "\n"
