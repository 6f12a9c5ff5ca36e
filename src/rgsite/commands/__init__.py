"""The subcommands. Each module defines ``register(subparsers)`` and ``run(args, console)``.

Modules here import only the standard library at the top; the pipeline is imported
inside ``run`` so that ``rgsite --help`` and light commands start fast.
"""

COMMANDS = ("build", "serve", "check", "new", "init", "papers", "announce")
