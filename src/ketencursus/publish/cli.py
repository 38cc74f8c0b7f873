"""``ketencursus student-release -o DIR``: write the tree a learner may see;
``ketencursus scorm -o FILE.zip``: the built book as a SCORM 1.2 package for an LMS."""

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

    scorm = subparsers.add_parser(
        "scorm",
        help="maak een SCORM 1.2-pakket (zip) van het gebouwde boek voor Moodle, Brightspace, ...",
        description=(
            "Maakt van het gebouwde boek (_build/html, eerst `make book`) één SCORM 1.2-pakket "
            "dat volledig uit de zip draait. De leeromgeving krijgt de voortgang (status, "
            "score van de zelftoetsen, sessietijd, plaats om verder te gaan) en elk antwoord op "
            "een zelftoets als interactie."
        ),
    )
    scorm.add_argument("-o", "--output", required=True, type=Path, metavar="BESTAND.zip",
                       help="het pakket dat je in de leeromgeving uploadt")
    scorm.add_argument("--html", type=Path, default=None, metavar="MAP",
                       help="het gebouwde boek (standaard: _build/html in de cursusrepository)")
    scorm.add_argument("--course-root", type=Path, default=None, metavar="MAP",
                       help="de docentenrepository (standaard: gevonden vanaf de werkmap)")
    scorm.add_argument("--versie", default="1.0", metavar="VERSIE",
                       help="versienummer van het pakket in het manifest (standaard 1.0)")
    scorm.set_defaults(func=run_scorm)


def run_scorm(args: argparse.Namespace) -> int:
    from .scorm import build_scorm_package, read_book_info

    layout = ProjectLayout.discover(args.course_root)
    html = args.html or layout.root / "_build" / "html"
    book = read_book_info(layout.config, layout.toc)
    package = build_scorm_package(html, args.output, book, version=args.versie)
    print(package.summary())
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    layout = ProjectLayout.discover(args.course_root)
    report = build_student_release(layout, args.output, regenerate=args.regenerate)
    print(report.summary())
    return EXIT_OK
