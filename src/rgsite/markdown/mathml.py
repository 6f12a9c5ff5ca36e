"""LaTeX to MathML at build time, so readers need no JavaScript to see the math.

Owns the conversion of one formula (without its ``$`` delimiters) into a ``<math>`` element
that is valid HTML5, and the plain-language reason when a formula cannot be converted.
Finding formulas in Markdown is :mod:`rgsite.markup`'s job; this module never sees a document.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from functools import lru_cache

from latex2mathml import exceptions as l2m
from latex2mathml.converter import convert

__all__ = ["MathError", "to_mathml"]


class MathError(ValueError):
    """A formula latex2mathml cannot render; ``str()`` is the reason, for a warning."""


# latex2mathml raises bare exception classes without messages; these say what to fix.
_REASONS: dict[type[Exception], str] = {
    l2m.NoAvailableTokensError: "a command is missing its argument or a brace is unclosed",
    l2m.MissingSuperScriptOrSubscriptError: "'^' or '_' has nothing after it",
    l2m.DoubleSubscriptsError: "double subscript; use braces, e.g. x_{ij}",
    l2m.DoubleSuperscriptsError: "double superscript; use braces, e.g. x^{ab}",
    l2m.ExtraLeftOrMissingRightError: r"\left without a matching \right (or the reverse)",
    l2m.MissingEndError: r"\begin without a matching \end",
    l2m.NumeratorNotFoundError: r"\frac or \over has no numerator",
    l2m.DenominatorNotFoundError: r"\frac or \over has no denominator",
    l2m.InvalidAlignmentError: "invalid column alignment",
    l2m.InvalidStyleForGenfracError: r"invalid style for \genfrac",
    l2m.InvalidWidthError: "invalid width",
    l2m.LimitsMustFollowMathOperatorError: r"\limits must follow an operator such as \sum",
}

# Labels, numbering and spacing switches mean little on a web page, and a few common commands
# are missing from latex2mathml; rewriting them keeps an equation pasted from a paper from
# being rejected as an unknown command.
_REWRITES = {"arg": r"\operatorname{arg}", "textsc": r"\text"}
_REWRITE_RE = re.compile(
    r"\\(?:label\s*\{[^{}]*\}|(?:nonumber|notag|hline|hfill|nolimits)(?![A-Za-z])"
    r"|(?P<cmd>arg|textsc)(?![A-Za-z]))"
)
# latex2mathml renders a command it does not know as its own name in an <mi>.
_UNKNOWN_COMMAND_RE = re.compile(r"<m[io]>(\\[A-Za-z]+)")
_CAMEL_RE = re.compile(r"(?<!^)(?=[A-Z])")
_NS = "{http://www.w3.org/1998/Math/MathML}"
# How many children MathML requires; latex2mathml emits fewer for e.g. \frac{a}.
_ARITY = {"mfrac": 2, "msub": 2, "msup": 2, "mroot": 2, "munder": 2, "mover": 2}
_ARITY |= {"msubsup": 3, "munderover": 3}
_ARITY_REASONS = {
    "mfrac": r"\frac needs two arguments, e.g. \frac{a}{b}",
    "mroot": r"\sqrt[n] needs an argument, e.g. \sqrt[3]{x}",
}
# Token elements hold text only; latex2mathml nests an <mrow> in them for e.g. \mathop{E}.
_TOKENS = frozenset({"mi", "mn", "mo", "mtext", "ms"})
# latex2mathml copies LaTeX into text unescaped and into attributes such as href, so \text{<b>}
# or \href{javascript:…} would inject markup: only presentation attributes survive, colours
# must look like colours, and text is escaped.
_ATTRIBUTES = frozenset(
    {
        *("accent", "accentunder", "align", "class", "close", "columnalign", "columnlines"),
        *("columnspacing", "columnwidth", "depth", "display", "displaystyle", "equalcolumns"),
        *("equalrows", "fence", "form", "frame", "framespacing", "height", "largeop"),
        *("linebreak", "linethickness", "lspace", "mathbackground", "mathcolor", "mathsize"),
        *("mathvariant", "maxsize", "minsize", "movablelimits", "notation", "open", "rowalign"),
        *("rowlines", "rowspacing", "rspace", "scriptlevel", "separator", "separators"),
        *("stretchy", "style", "symmetric", "voffset", "width"),
    }
)
_COLOUR_ATTRIBUTES = frozenset({"mathcolor", "mathbackground"})
_COLOUR_RE = re.compile(r"#?[A-Za-z0-9]+")
_STRAY_RE = re.compile(r"&(?!#?\w+;)|<(?!/?m[a-z]*[\s/>])")


def to_mathml(latex: str, *, display: bool) -> str:
    """``<math>`` for ``latex``; raises :class:`MathError` with a reason when it is bad LaTeX."""
    mathml, reason = _convert(latex, display)
    if reason:
        raise MathError(reason)
    return mathml


@lru_cache(maxsize=2048)
def _convert(latex: str, display: bool) -> tuple[str, str]:
    # Cache (result, reason) pairs rather than raising: lru_cache does not cache exceptions,
    # and the same bad formula is often copied across several pages.
    source = _REWRITE_RE.sub(_rewrite, latex).strip()
    if not source:
        return "", "the formula is empty"
    try:
        mathml = convert(source, display="block" if display else "inline")
    except Exception as exc:  # latex2mathml has no common base class for its errors
        return "", _reason(exc)
    unknown = _UNKNOWN_COMMAND_RE.search(mathml)
    if unknown:
        return "", f"unknown command {unknown.group(1)}"
    return _valid(mathml)


def _rewrite(m: re.Match[str]) -> str:
    return _REWRITES[m.group("cmd")] if m.group("cmd") else ""


def _valid(mathml: str) -> tuple[str, str]:
    """The MathML made safe and valid HTML5, or the reason it cannot be."""
    try:
        root = etree.fromstring(_STRAY_RE.sub(lambda m: html.escape(m.group(0)), mathml))
    except etree.ParseError:
        return "", "latex2mathml made malformed MathML of it"
    for el in list(root.iter()):
        name = el.tag.removeprefix(_NS)
        for key, value in list(el.attrib.items()):
            if key not in _ATTRIBUTES or (
                key in _COLOUR_ATTRIBUTES and not _COLOUR_RE.fullmatch(value)
            ):
                del el.attrib[key]
        if name in _ARITY and len(el) != _ARITY[name]:
            return "", _ARITY_REASONS.get(name, "a command is missing an argument")
        if name in _TOKENS and len(el):
            el.text = "".join(el.itertext())
            el[:] = []
    # Serialised by us, not passed through, so every text and attribute is escaped.
    return _serialise(root), ""


def _serialise(el: etree.Element) -> str:
    name = el.tag.removeprefix(_NS)
    attrs = "".join(f' {k}="{html.escape(v)}"' for k, v in el.attrib.items())
    if name == "math":
        attrs = f' xmlns="{_NS[1:-1]}"{attrs}'
    inner = html.escape(el.text or "", quote=False)
    inner += "".join(_serialise(c) + html.escape(c.tail or "", quote=False) for c in el)
    return f"<{name}{attrs}>{inner}</{name}>"


def _reason(exc: Exception) -> str:
    for cls in type(exc).__mro__:
        if cls in _REASONS:
            return _REASONS[cls]
    if type(exc).__module__.startswith("latex2mathml.exceptions"):
        return _CAMEL_RE.sub(" ", type(exc).__name__.removesuffix("Error")).lower()
    return f"latex2mathml cannot read it ({type(exc).__name__})"
