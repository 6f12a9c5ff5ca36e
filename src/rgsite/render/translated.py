"""Theme strings translated once, when a template is compiled, not on every page.

A theme string is written ``{{ _("Speakers") }}``; a page has about fifty, a listing one
per row, and each was a call through Jinja into the catalog on every page. The build's
language is known before any template is compiled, so :class:`TranslatingEnvironment`
replaces each ``_("literal")`` (and ``gettext("literal")``) by its translation in the
template's syntax tree, as Jinja's newstyle gettext would give it: markup under
autoescape, and a format string (``%%`` is ``%``; ``name=value`` arguments are filled
in, escaped, when the page renders). Compiled templates are kept per catalog, so a
template compiled in one language is never used in another.

A template that binds ``_`` or ``gettext`` itself (a loop variable, an import) is left
to call whatever it bound.
"""

from __future__ import annotations

import jinja2
from jinja2 import nodes
from markupsafe import Markup

from rgsite.i18n.translations import Translations

_NAMES = frozenset({"_", "gettext"})


class TranslatingEnvironment(jinja2.Environment):
    """A Jinja environment that translates literal theme strings as it compiles."""

    translations: Translations | None = None
    catalog_key: str = ""
    """A digest of the catalog, which compiled templates are kept under."""

    def translate_with(self, translations: Translations) -> None:
        self.translations = translations
        self.catalog_key = translations.digest

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        if self.translations is not None and self.autoescape is True and _foldable(tree):
            _translate(tree, self.translations)
            tree.set_environment(self)
        return tree


def bucket_key(environment: jinja2.Environment, key: str) -> str:
    """The compiled-template cache's key for a template in ``environment``'s language."""
    return f"{key}-{getattr(environment, 'catalog_key', '')}"


def _foldable(tree: nodes.Template) -> bool:
    """Whether ``_`` and ``gettext`` in ``tree`` are the build's, and autoescape is on
    throughout (``{% autoescape %}`` changes what a translation is)."""
    kinds = (nodes.Name, nodes.FromImport, nodes.Import, nodes.Macro, nodes.EvalContextModifier)
    for node in tree.find_all(kinds):
        if isinstance(node, nodes.EvalContextModifier):
            return False
        if isinstance(node, nodes.Name):
            bound = {node.name} if node.ctx != "load" else set()
        elif isinstance(node, nodes.Macro):
            bound = {node.name}
        elif isinstance(node, nodes.Import):
            bound = {node.target}
        else:
            bound = {n if isinstance(n, str) else n[1] for n in node.names}
        if bound & _NAMES:
            return False
    return True


def _translate(node: nodes.Node, translations: Translations) -> None:
    for field, value in node.iter_fields():
        if isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, nodes.Node):
                    value[index] = _folded(item, translations)
                    _translate(value[index], translations)
        elif isinstance(value, nodes.Node):
            folded = _folded(value, translations)
            setattr(node, field, folded)
            _translate(folded, translations)


def _folded(node: nodes.Node, translations: Translations) -> nodes.Node:
    """``node`` if it is not a translatable call, else its translation."""
    if not (
        isinstance(node, nodes.Call)
        and isinstance(node.node, nodes.Name)
        and node.node.name in _NAMES
        and len(node.args) == 1
        and isinstance(node.args[0], nodes.Const)
        and isinstance(node.args[0].value, str)
        and node.dyn_args is None
        and node.dyn_kwargs is None
        and all(not k.key.startswith("_") for k in node.kwargs)
    ):
        return node
    text = Markup(translations.gettext(node.args[0].value))
    lineno = node.lineno
    if not node.kwargs:
        try:
            return nodes.Const(text % {}, lineno=lineno)
        except (ValueError, TypeError):  # a stray %: let the page's render report it
            return node
    pairs = [
        nodes.Pair(nodes.Const(k.key, lineno=lineno), k.value, lineno=lineno) for k in node.kwargs
    ]
    return nodes.Mod(nodes.Const(text, lineno=lineno), nodes.Dict(pairs, lineno=lineno))
