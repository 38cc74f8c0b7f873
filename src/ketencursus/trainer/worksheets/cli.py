"""``ketencursus werkbladen -o DIR [--alleen ID ...]``: the printable A4 worksheets as PDF
(tagged, PDF/UA-1) and HTML, one pair per sheet, and an overview page ``overzicht.html``."""

from __future__ import annotations

import argparse
from pathlib import Path

from ketencursus.errors import EXIT_ATTENTION, EXIT_OK
from ketencursus.paths import ProjectLayout


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "werkbladen",
        help="maak de A4-werkbladen voor de bijeenkomsten (PDF en HTML) in een map",
        description=(
            "Schrijft de werkbladen voor de klassikale bijeenkomsten naar DIR: per werkblad een "
            "PDF (A4, getagd voor schermlezers) en een HTML-bestand, en een overzicht "
            "(overzicht.html). De werkbladen komen uit dezelfde definities als de online "
            "oefeningen (cultuurscan, actieplan, kleuren, dimensies). Naam en licentie van de "
            "cursus en de bronnen komen uit _config.yml en book/references.bib van de "
            "cursusrepository. Bestaande werkbladen in DIR worden overschreven."
        ),
    )
    parser.add_argument("-o", "--output", type=Path, metavar="DIR",
                        help="doelmap (wordt gemaakt als hij niet bestaat)")
    parser.add_argument("--alleen", nargs="+", metavar="ID", default=None,
                        help="alleen deze werkbladen (zie --lijst voor de namen)")
    parser.add_argument("--lijst", action="store_true",
                        help="toon de namen en titels van de werkbladen en stop")
    parser.add_argument("--course-root", type=Path, default=None, metavar="MAP",
                        help="de cursusrepository (standaard: gevonden vanaf de werkmap)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ketencursus.errors import UserError

    from .output import OVERVIEW, write_all
    from .registry import all_sheets, select
    from .render import Imprint

    if args.lijst:
        for sheet in all_sheets():
            print(f"{sheet.id:22} {sheet.title}")
        return EXIT_OK
    if args.output is None:
        raise UserError("geef met -o DIR de map op waarin de werkbladen komen "
                        "(bijvoorbeeld: ketencursus werkbladen -o werkbladen).")
    sheets = select(args.alleen)
    imprint = Imprint.from_repository(ProjectLayout.discover(args.course_root).root)
    written = write_all(sheets, imprint, args.output)
    too_long = [w for w in written if w.pages > w.sheet.max_pages]
    for w in written:
        pages = "1 pagina" if w.pages == 1 else f"{w.pages} pagina's"
        print(f"{w.sheet.id}: {w.pdf.name} ({pages}) en {w.html.name}")
    count = "1 werkblad" if len(written) == 1 else f"{len(written)} werkbladen"
    print(f"{count} geschreven naar {args.output}; overzicht: {Path(args.output) / OVERVIEW}")
    if too_long:
        for w in too_long:
            print(f"Let op: werkblad {w.sheet.id} heeft {w.pages} pagina's; het mag er "
                  f"{w.sheet.max_pages} hebben. Kort de tekst in of verdeel het blad.")
        return EXIT_ATTENTION
    return EXIT_OK
