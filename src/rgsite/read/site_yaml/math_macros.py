"""``math:`` in site.yaml: the site-wide LaTeX macros, each definition checked.

A macro is written as its body (``R: "\\\\mathbb{R}"``, arguments as ``#1``..``#9``) or as
``{body: ..., args: N}``. Names are letters only, as LaTeX reads a control word; a body
must balance its braces, and macros must not expand into each other forever.
"""

from __future__ import annotations

from rgsite.errors import Location
from rgsite.markdown.macros import (
    MAX_ARGS,
    NAME_RE,
    Macro,
    Macros,
    cycle,
    definition_problem,
    parameters,
)
from rgsite.read.fields import Fields

MATH_KEYS = ("macros",)
MACRO_KEYS = ("body", "args")
_EXAMPLE = 'e.g. R: "\\\\mathbb{R}" or norm: {body: "\\\\lVert #1 \\\\rVert", args: 1}'


def load_math(site: Fields) -> Macros:
    fields = site.mapping("math")
    if fields is None:
        return Macros()
    fields.check_keys(MATH_KEYS)
    macros = fields.mapping("macros")
    if macros is None:
        return Macros()
    found: dict[str, Macro] = {}
    for name, value in macros.data.items():
        macro = _macro(macros, str(name), value)
        if macro is not None:
            found[str(name)] = macro
    loop = cycle(found)
    if loop:
        names = " -> ".join(f"\\{n}" for n in [*loop, loop[0]])
        macros.error(loop[0], f"macros expand into each other forever ({names}); break the loop")
        found = {n: m for n, m in found.items() if n not in loop}
    return Macros.of(found.items())


def _macro(macros: Fields, name: str, value: object) -> Macro | None:
    where = f"the macro '{name}'"
    if not NAME_RE.fullmatch(name):
        line = macros.record.key_line(*macros.at, name)
        macros.problems.error(
            Location(macros.record.path, line),
            f"macro name '{name}' must be letters only, as in \\R (LaTeX reads \\{name} as a "
            "shorter command followed by the rest); rename it",
        )
        return None
    if isinstance(value, dict):
        fields = Fields(macros.record, macros.problems, (*macros.at, name), value, what=where)
        fields.check_keys(MACRO_KEYS)
        body = value.get("body")
        args = fields.integer("args", None, minimum=0, maximum=MAX_ARGS)
        if not isinstance(body, str):
            fields.error("body" if "body" in value else None, f"{where} needs 'body:', {_EXAMPLE}")
            return None
        if args is None:
            args = parameters(body)
        holder, key = fields, "body"
    elif isinstance(value, str):
        body, args, holder, key = value, parameters(value), macros, name
    else:
        macros.error(name, f"{where} must be LaTeX text in quotes, {_EXAMPLE}")
        return None
    problem = definition_problem(name, body, args)
    if problem is not None:
        holder.error(key, problem)
        return None
    return Macro(body.strip(), args)
