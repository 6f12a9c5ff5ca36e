"""Calls from templates into Python, without Jinja's inspection of every callee.

Jinja compiles each call in a template (``link('speaker', id)``, a macro, ``_("…")``)
to ``context.call(f, …)``, which asks the callee, and its ``__call__``, whether it
wants the context passed in, then strips Jinja's own keyword arguments. A page makes
about 140 such calls, so this is a tenth of rendering. :class:`DirectContext` answers
the question with one attribute lookup for plain functions, methods and macros, and
hands every other callee to Jinja as before; the same arguments reach the same callee.
"""

from __future__ import annotations

import types
from typing import Any

import jinja2.runtime
from jinja2.utils import _PassArg

_DIRECT = (types.FunctionType, types.MethodType, jinja2.runtime.Macro)
"""Callees whose ``__call__`` Jinja's check cannot find marked: only the callee itself
may carry ``pass_context`` and its kin."""


class DirectContext(jinja2.runtime.Context):
    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        if type(__obj) not in _DIRECT:
            return super().call(__obj, *args, **kwargs)
        passed = getattr(__obj, "jinja_pass_arg", None)
        if passed is _PassArg.context:  # needs the loop's and block's variables
            return super().call(__obj, *args, **kwargs)
        if passed is _PassArg.eval_context:
            args = (__self.eval_ctx, *args)
        elif passed is _PassArg.environment:
            args = (__self.environment, *args)
        if kwargs:
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception"
            )
