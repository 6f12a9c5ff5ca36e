"""The subcommands. Each module defines ``register(subparsers)`` and ``run(args, console)``.

Modules here import only the standard library at the top; the pipeline is imported
inside ``run`` so that ``rgsite --help`` and light commands start fast.
"""

COMMANDS = ("build", "serve", "check", "new", "init", "papers", "announce", "importer")
"""The modules of the commands, in the order ``rgsite --help`` lists them."""

MODULES = {"import": "importer"}
"""Commands whose module has another name: ``import`` is a Python keyword."""


def module_of(command: str) -> str:
    """The module of :mod:`rgsite.commands` that runs ``command``."""
    return MODULES.get(command, command.replace("-", "_"))
