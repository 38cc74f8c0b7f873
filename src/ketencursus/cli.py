"""Command-line interface: ``ketencursus <command>``.

A thin layer: every command lives in the subpackage that owns it, which exposes
``register(subparsers)``; the parser calls ``args.func(args)``, which returns an exit code.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# Subpackages that contribute commands, each with a ``register(subparsers)`` function.
COMMAND_MODULES: list[str] = [
    "ketencursus.grading.cli",
    "ketencursus.publish.cli",
    "ketencursus.quiz.cli",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ketencursus",
        description="Cursus ketensturing: opdrachten, vragenbank, nakijken en publiceren.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMANDO")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            # The learner release leaves out the instructor subpackages: skip their commands.
            if exc.name and name.startswith(exc.name + ".") and exc.name.count(".") >= 1:
                continue
            raise
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
