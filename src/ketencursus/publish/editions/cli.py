"""``ketencursus edities -o DIR``: the PDF and ePub editions of the learner book."""

from __future__ import annotations

import argparse
from pathlib import Path

from ketencursus._util import nl
from ketencursus.errors import EXIT_OK
from ketencursus.paths import ProjectLayout

from . import FORMATS, build_editions


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "edities",
        help="maak de PDF- en ePub-uitgave van het boek (om offline of op papier te lezen)",
        description=(
            "Bouwt het hele cursusboek als PDF (A4, inhoudsopgave met paginanummers, "
            "bladwijzers, getagd voor schermlezers) en als ePub 3, uit dezelfde bronnen als "
            "het online boek. Zelftoetsen staan erin met de antwoorden aan het eind van elk "
            "hoofdstuk; voor invulformulieren en wat-als-simulaties verwijst de uitgave naar "
            "het online boek (html.baseurl in _config.yml). Schrijft ketencursus.pdf en "
            "ketencursus.epub in DIR; `make edities` schrijft ze in _build/html/edities/ en "
            "bouwt daarna het online boek met de downloadlinks."
        ),
    )
    parser.add_argument("-o", "--output", required=True, type=Path, metavar="DIR",
                        help="doelmap voor ketencursus.pdf en ketencursus.epub")
    parser.add_argument("--formaat", action="append", choices=FORMATS, default=None,
                        help="alleen deze uitgave (herhaalbaar; standaard pdf en epub)")
    parser.add_argument("--course-root", type=Path, default=None, metavar="MAP",
                        help="de cursusrepository (standaard: gevonden vanaf de werkmap)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    layout = ProjectLayout.discover(args.course_root)
    formats = tuple(args.formaat or FORMATS)
    report = build_editions(layout.root, args.output, formats)
    for fmt, path in report.files.items():
        size = nl.number(path.stat().st_size / 1_000_000, 1)
        print(f"{fmt.upper():5} {path} ({size} MB, {nl.number(report.seconds[fmt], 0)} s)")
    return EXIT_OK
