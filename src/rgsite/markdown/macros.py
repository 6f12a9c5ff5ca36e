"""Site-wide LaTeX macros (``math.macros`` in site.yaml), expanded before MathML is made.

Owns :class:`Macros`: the definitions, the digest a rendering records so that changing a
macro renders again every text with math (and no other), checking a definition when the
site is read, and :meth:`Macros.expand`, which replaces whole control words only: ``\\R``
never touches ``\\Rightarrow``. latex2mathml knows no ``\\newcommand``, so expansion is
plain substitution, with ``#1``..``#9`` for arguments.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from rgsite.markdown.mathml import MathError

__all__ = ["MAX_ARGS", "NAME_RE", "Macro", "Macros", "cycle", "definition_problem", "parameters"]

MAX_ARGS = 9
NAME_RE = re.compile(r"[A-Za-z]+")
_PARAM_RE = re.compile(r"#(\d)")
# A control word, or a control symbol such as \\ or \{ that must not start one.
_CONTROL_RE = re.compile(r"\\(?:([A-Za-z]+)|.)", re.DOTALL)
MAX_EXPANSIONS = 1000
"""A formula needing more substitutions than this expands itself forever."""


@dataclass(frozen=True, slots=True)
class Macro:
    body: str
    args: int = 0


@dataclass(frozen=True, slots=True)
class Macros:
    """The site's macros by name, without the backslash."""

    definitions: tuple[tuple[str, Macro], ...] = ()
    digest: str = field(init=False, compare=False, repr=False)
    _by_name: dict[str, Macro] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        hasher = hashlib.blake2b(b"macros", digest_size=12)
        for name, macro in self.definitions:
            hasher.update(f"\0{name}\0{macro.args}\0{macro.body}".encode())
        # Never empty: a rendering with math records it, and "" means "has no math".
        object.__setattr__(self, "digest", hasher.hexdigest())
        object.__setattr__(self, "_by_name", dict(self.definitions))

    @classmethod
    def of(cls, definitions: Iterable[tuple[str, Macro]]) -> Macros:
        return cls(tuple(sorted(definitions)))

    def expand(self, latex: str) -> str:
        """``latex`` with every macro replaced by its body; raises :class:`MathError`
        when a macro lacks an argument or expands forever."""
        if not self._by_name or "\\" not in latex:
            return latex
        budget = [MAX_EXPANSIONS]
        return self._expand(latex, budget)

    def _expand(self, latex: str, budget: list[int]) -> str:
        out: list[str] = []
        pos = 0
        while True:
            m = _CONTROL_RE.search(latex, pos)
            if m is None:
                out.append(latex[pos:])
                return "".join(out)
            macro = self._by_name.get(m.group(1) or "")
            if macro is None:
                out.append(latex[pos : m.end()])
                pos = m.end()
                continue
            budget[0] -= 1
            if budget[0] < 0:
                raise MathError(f"the macro \\{m.group(1)} expands forever; check math.macros")
            out.append(latex[pos : m.start()])
            args, pos = _arguments(latex, m.end(), macro.args, m.group(1))
            body = _substitute(macro.body, args)
            # A body ending in a control word must not run into the letters after it.
            if re.search(r"\\[A-Za-z]+$", body) and latex[pos : pos + 1].isalpha():
                body += " "
            out.append(self._expand(body, budget))


def _substitute(body: str, args: list[str]) -> str:
    return _PARAM_RE.sub(lambda p: args[int(p.group(1)) - 1], body)


def _arguments(latex: str, pos: int, count: int, name: str) -> tuple[list[str], int]:
    """``count`` arguments from ``pos``, as TeX reads them: a braced group (without its
    braces) or a single token, spaces before each skipped."""
    args: list[str] = []
    for _ in range(count):
        while pos < len(latex) and latex[pos].isspace():
            pos += 1
        if pos >= len(latex) or latex[pos] == "}":
            example = "".join(f"{{{chr(ord('a') + n)}}}" for n in range(count))
            plural = "s" if count > 1 else ""
            raise MathError(
                f"the macro \\{name} takes {count} argument{plural}, e.g. \\{name}{example}"
            )
        if latex[pos] == "{":
            end = _group_end(latex, pos)
            if end < 0:
                raise MathError(f"an argument of \\{name} has an unclosed brace")
            args.append(latex[pos + 1 : end])
            pos = end + 1
        elif latex[pos] == "\\":
            token = _CONTROL_RE.match(latex, pos)
            assert token is not None
            args.append(token.group(0))
            pos = token.end()
        else:
            args.append(latex[pos])
            pos += 1
    return args, pos


def _group_end(latex: str, start: int) -> int:
    """The index of the brace closing the one at ``start``, or -1."""
    depth = 0
    pos = start
    while pos < len(latex):
        char = latex[pos]
        if char == "\\":
            pos += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return pos
        pos += 1
    return -1


def definition_problem(name: str, body: str, args: int) -> str | None:
    """What is wrong with the body of one definition, for site.yaml's reader, or None."""
    if not body.strip():
        return f"the macro \\{name} is empty; write the LaTeX it stands for"
    used = [int(n) for n in _PARAM_RE.findall(body)]
    if 0 in used:
        return f"the macro \\{name} uses #0; arguments are numbered from #1"
    if used and max(used) > args:
        return (
            f"the macro \\{name} uses #{max(used)} but takes {args} argument(s); "
            f"set args: {max(used)}"
        )
    if _group_end("{" + body + "}", 0) != len(body) + 1:
        return f"the braces in the macro \\{name} do not match"
    return None


def parameters(body: str) -> int:
    """How many arguments a body written with ``#1``..``#9`` takes."""
    return max((int(n) for n in _PARAM_RE.findall(body)), default=0)


def cycle(definitions: dict[str, Macro]) -> list[str] | None:
    """Names of macros that expand into each other forever, or None."""
    uses = {
        name: {w for w in re.findall(r"\\([A-Za-z]+)", m.body) if w in definitions}
        for name, m in definitions.items()
    }
    done: set[str] = set()

    def visit(name: str, path: list[str]) -> list[str] | None:
        if name in path:
            return path[path.index(name) :]
        if name in done:
            return None
        for used in sorted(uses[name]):
            found = visit(used, [*path, name])
            if found:
                return found
        done.add(name)
        return None

    for name in sorted(definitions):
        found = visit(name, [])
        if found:
            return found
    return None
