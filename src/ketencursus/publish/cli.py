"""``ketencursus student-release -o DIR``: write the tree a learner may see."""

from __future__ import annotations

import argparse
from pathlib import Path

from ketencursus.errors import EXIT_OK
from ketencursus.paths import ProjectLayout

from .release import build_student_release


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "student-release",
        help="schrijf de leerlingenversie (boeknotebooks, opdrachten, binder/) naar een map",
        description=(
            "Schrijft alles wat een cursist mag zien naar DIR: de notebooks en pagina's van "
            "het boek, de vrijgegeven opdrachten (zonder uitwerkingen en verborgen tests), "
            "binder/ en het pakket zonder docentenonderdelen. Controleert daarna de hele map "
            "op uitwerkingen, verborgen tests en antwoorden van nagekeken vragen; bij een vondst "
            "wordt niets geschreven. DIR is een lege map, een eerdere release of een kloon van "
            "de leerlingenrepository."
        ),
    )
    parser.add_argument("-o", "--output", required=True, type=Path, metavar="DIR",
                        help="doelmap (leeg, een eerdere release, of een kloon)")
    parser.add_argument("--course-root", type=Path, default=None, metavar="MAP",
                        help="de docentenrepository (standaard: gevonden vanaf de werkmap)")
    parser.add_argument("--opnieuw-genereren", dest="regenerate", action="store_true",
                        help="maak de opdrachten vers uit exercises/ in plaats van grader/release/")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    layout = ProjectLayout.discover(args.course_root)
    report = build_student_release(layout, args.output, regenerate=args.regenerate)
    print(report.summary())
    return EXIT_OK
