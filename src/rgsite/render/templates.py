"""Jinja: a site's own templates over the theme's, strict and autoescaped.

Which templates a page reads is worked out from the templates themselves (``extends``,
``include``, ``import``), so a rebuild knows every page a template edit touches. A
template error is reported as ``templates/x.html:line: message``.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
import jinja2.nodes
import markupsafe

from rgsite import __version__
from rgsite.errors import Location, Problem, SiteError
from rgsite.i18n.translations import ENGLISH, Translations
from rgsite.read.discover import theme_dir
from rgsite.render.calls import DirectContext
from rgsite.render.translated import TranslatingEnvironment, bucket_key

_REFERENCE = re.compile(r"""\{%-?\s*(?:extends|include|import|from)\s+["']([^"']+)["']""")


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in memory, and on disk in Jinja's per-user cache folder.

    Each build makes a new Environment (its globals hold the build's site), so without
    this every build would compile every template it renders again. Jinja checks each
    entry against a checksum of the template's source, so an edited template is compiled
    afresh. The disk cache is Jinja's own (a folder only this user can write, checked by
    Jinja), never the site's ``.rgsite-cache/``, which may come from anywhere.
    """

    def __init__(self, *, disk: bool) -> None:
        self.memory: dict[str, bytes] = {}
        self.disk: jinja2.FileSystemBytecodeCache | None = None
        if disk:
            try:
                self.disk = jinja2.FileSystemBytecodeCache(
                    pattern=f"__rgsite_{__version__}_%s.cache"
                )
            except RuntimeError:  # no private temporary folder to be had
                self.disk = None

    def get_bucket(
        self, environment: jinja2.Environment, name: str, filename: str | None, source: str
    ) -> jinja2.bccache.Bucket:
        # Kept per catalog: theme strings are translated into the compiled template.
        key = bucket_key(environment, self.get_cache_key(name, filename))
        bucket = jinja2.bccache.Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.memory.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)
        elif self.disk is not None:
            self.disk.load_bytecode(bucket)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.memory[bucket.key] = bucket.bytecode_to_string()
        if self.disk is not None:
            try:
                self.disk.dump_bytecode(bucket)
            except OSError:
                self.disk = None  # a full or read-only disk: memory is enough


class Templates:
    def __init__(
        self,
        site_root: Path,
        globals_: dict[str, Any],
        filters: dict[str, Callable[..., Any]],
        compiled: CompiledTemplates | None = None,
        translations: Translations = ENGLISH,
    ) -> None:
        self.folders = [site_root / "templates", theme_dir() / "templates"]
        self.env = TranslatingEnvironment(
            bytecode_cache=compiled,
            loader=jinja2.FileSystemLoader([str(f) for f in self.folders if f.is_dir()]),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,
            extensions=["jinja2.ext.i18n"],
        )
        self.env.context_class = DirectContext
        # Theme strings are written as _("...") and ngettext(...), in the site's language.
        self.env.install_gettext_translations(  # type: ignore[attr-defined]
            translations, newstyle=True
        )
        self.env.globals["_"] = self.env.globals["gettext"] = _remembered_gettext(translations)
        self.env.translate_with(translations)
        self.env.globals.update(globals_)
        self.env.filters.update(filters)
        self._closure: dict[str, frozenset[str]] = {}
        self._digests: dict[str, str] = {}
        self._sources: dict[str, str] = {}

    def origin(self, name: str) -> str:
        """``templates/name`` for a site's own template, ``theme:name`` for the theme's."""
        for folder in self.folders:
            if (folder / name).is_file():
                return f"templates/{name}" if folder == self.folders[0] else f"theme:{name}"
        return name

    def reads(self, name: str) -> frozenset[str]:
        """``name`` and every template it extends, includes or imports, transitively."""
        if name in self._closure:
            return self._closure[name]
        seen: set[str] = set()
        todo = [name]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            source = self._source(current)
            # A regular expression, not a Jinja parse: parsing every template on every
            # build costs more than rendering the pages that did not change.
            todo.extend(match[1] for match in _REFERENCE.finditer(source))
        self._closure[name] = frozenset(seen)
        return self._closure[name]

    def _source(self, name: str) -> str:
        if name not in self._sources:
            try:
                source, _, _ = self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]
            except jinja2.TemplateNotFound:
                source = ""
            self._sources[name] = source
        return self._sources[name]

    def mention(self, names: frozenset[str], text: str) -> bool:
        """Whether any of the templates ``names`` has ``text`` in its source."""
        return any(text in self._source(name) for name in names)

    def digest(self, name: str) -> str:
        """A digest of one template's source, so a page knows when a template it reads changed."""
        if name not in self._digests:
            source = self._source(name).encode()
            digest = hashlib.blake2b(source, digest_size=16).hexdigest()
            self._digests[name] = f"{self.origin(name)}:{digest}"
        return self._digests[name]

    def load(self, names: Iterable[str]) -> None:
        """Load these templates now, so processes forked to render pages share them
        instead of each loading its own; an error waits for the render that meets it."""
        for name in sorted(names):
            with contextlib.suppress(jinja2.TemplateError):
                self.env.get_template(name)

    def render(self, name: str, context: dict[str, Any], *, page: str) -> str:
        try:
            return self.env.get_template(name).render(context)
        except jinja2.TemplateSyntaxError as exc:
            where = Location(self.origin(exc.name or name), exc.lineno)
            raise SiteError([Problem(where, f"template syntax error: {exc.message}")]) from None
        except jinja2.TemplateNotFound as exc:
            raise SiteError(
                [Problem(Location(self.origin(name)), f"template '{exc.name}' not found")]
            ) from None
        except (jinja2.UndefinedError, TypeError, ValueError, AttributeError, KeyError) as exc:
            raise SiteError(
                [Problem(_template_location(self, exc, name), f"{exc} (rendering /{page})")]
            ) from None


def _remembered_gettext(translations: Translations) -> Callable[..., str]:
    """Jinja's newstyle ``gettext``, translating each string once per build: a theme
    string is on every page, often on every row of a listing.

    As Jinja's, the translation is escaped-safe markup under autoescape, and always a
    format string (``%%`` is ``%`` even with no placeholders)."""
    translated: dict[tuple[str, bool], str] = {}
    whole: dict[tuple[str, bool], str] = {}

    @jinja2.pass_eval_context
    def gettext(eval_ctx: jinja2.nodes.EvalContext, __string: str, **variables: Any) -> str:
        key = (__string, eval_ctx.autoescape)
        if not variables:
            done = whole.get(key)
            if done is None:
                done = whole[key] = _translated(key) % variables
            return done
        return _translated(key) % variables

    def _translated(key: tuple[str, bool]) -> str:
        rv = translated.get(key)
        if rv is None:
            rv = translations.gettext(key[0])
            if key[1]:
                rv = markupsafe.Markup(rv)
            translated[key] = rv
        return rv

    return gettext


def _template_location(templates: Templates, exc: BaseException, fallback: str) -> Location:
    """The template file and line of the innermost Jinja frame of a render error."""
    tb = exc.__traceback__
    found = Location(templates.origin(fallback))
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        for folder in templates.folders:
            try:
                rel = Path(filename).relative_to(folder)
            except ValueError:
                continue
            found = Location(templates.origin(rel.as_posix()), _template_line(tb))
        tb = tb.tb_next
    return found


def _template_line(tb: Any) -> int | None:
    debug_info = tb.tb_frame.f_globals.get("__jinja_template__")
    if debug_info is not None:
        return int(debug_info.get_corresponding_lineno(tb.tb_lineno))
    return None
