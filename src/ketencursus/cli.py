"""Command-line interface: ``ketencursus <command>``.

A thin layer: every command lives in the subpackage that owns it, which exposes
``register(subparsers)``; the parser calls ``args.func(args)``, which returns an exit code
(:data:`~ketencursus.errors.EXIT_OK` or :data:`~ketencursus.errors.EXIT_ATTENTION`).

Errors follow one policy (:mod:`ketencursus.errors`): a command raises a
:class:`~ketencursus.errors.UserError` (or lets an ``OSError`` escape), and :func:`main`, the
only handler, prints ``Fout: <Dutch message>`` on stderr and returns exit code 2. Commands
never print ``Fout:`` themselves.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from ketencursus.errors import (
    EXIT_ATTENTION,
    EXIT_OK,
    EXIT_USER_ERROR,
    UserError,
    describe_os_error,
)

# Subpackages that contribute commands, each with a ``register(subparsers)`` function.
COMMAND_MODULES: list[str] = [
    "ketencursus.grading.cli",
    "ketencursus.publish.cli",
    "ketencursus.publish.editions.cli",
    "ketencursus.quiz.cli",
    "ketencursus.trainer.worksheets.cli",
]

EXIT_CODES_HELP = (
    "Exitcodes (voor elk commando gelijk):\n"
    f"  {EXIT_OK}  klaar, niets om na te kijken\n"
    f"  {EXIT_ATTENTION}  klaar, maar de uitvoer meldt iets dat aandacht vraagt "
    "(bijv. onbekende cursisten bij collect, hiaten bij bank validate --strict)\n"
    f"  {EXIT_USER_ERROR}  niet gedaan: een fout in de invoer (bestand, pad, optie); de melding "
    "'Fout: ...' zegt wat je moet doen"
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ketencursus",
        description="Cursus ketensturing: opdrachten, vragenbank, nakijken en publiceren.",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
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
        return EXIT_USER_ERROR
    try:
        return int(args.func(args) or EXIT_OK)
    except UserError as exc:
        print(f"Fout: {exc.user_message()}", file=sys.stderr)
        return exc.exit_code
    except OSError as exc:
        print(f"Fout: {describe_os_error(exc)}", file=sys.stderr)
        return EXIT_USER_ERROR


if __name__ == "__main__":
    sys.exit(main())
