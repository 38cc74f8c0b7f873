"""Commands of the grading pipeline: ``grade`` and ``feedback`` (part A) and ``collect``,
``export`` and ``report`` (part B). Thin: each parses arguments, calls the library and
returns an exit code; errors are raised and reported by :func:`ketencursus.cli.main`.
"""

from __future__ import annotations

import argparse

from ketencursus.errors import EXIT_ATTENTION, EXIT_OK, UserError
from ketencursus.grading.course import Course, CourseError


def add_course_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--course",
        metavar="MAP",
        default=None,
        help="nbgrader-cursusmap (standaard: grader/ in de cursusrepository)",
    )


def open_course(arg: str | None) -> Course:
    """The course of ``--course`` (or the default), refused with a Dutch message when it is
    not an nbgrader course directory, before any command writes into it."""
    course = Course.from_arg(arg)
    markers = ("nbgrader_config.py", "gradebook.db", "roster.csv", "source", "release",
               "submitted")
    if not any((course.root / name).exists() for name in markers):
        where = "--course" if arg else "de standaardmap grader/"
        raise UserError(
            f"{course.root} is geen nbgrader-cursusmap (geen nbgrader_config.py, gradebook.db, "
            f"roster.csv of source/; gekozen via {where}). Geef de juiste map met --course."
        )
    return course


def require_writable(course: Course, *names: str) -> None:
    """Refuse to start when a directory the command writes into (``names`` below the course)
    is a file or not writable: better one clear message before the work than one failure per
    submission after it."""
    import os

    for name in names:
        path = course.root / name
        if path.exists() and not path.is_dir():
            raise UserError(
                f"{path} is een bestand, maar moet een map zijn (hier schrijft dit commando). "
                "Verplaats of verwijder het bestand en probeer opnieuw."
            )
        existing = path if path.exists() else course.root
        if not os.access(existing, os.W_OK | os.X_OK):
            raise UserError(
                f"In {existing} mag je niet schrijven. Geef jezelf schrijfrechten op de "
                "cursusmap of werk in een kopie ervan."
            )


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is geen geheel getal") from None
    if value < 1:
        raise argparse.ArgumentTypeError("het aantal workers moet minstens 1 zijn")
    return value


def _run_grade(args: argparse.Namespace) -> int:
    from ketencursus.grading.runner import grade_assignment

    course = open_course(args.course)
    require_writable(course, "autograded", "logs")
    summary = grade_assignment(
        course,
        args.assignment,
        workers=args.workers,
        force=args.force,
        scheduler=args.scheduler,
        progress=not args.no_progress,
    )
    print(summary.to_text())
    return EXIT_ATTENTION if summary.internal_errors else EXIT_OK


def _run_feedback(args: argparse.Namespace) -> int:
    from ketencursus.grading.feedback import generate_feedback

    course = open_course(args.course)
    require_writable(course, "feedback")
    written = generate_feedback(course, args.assignment, students=args.student or None)
    print(f"Feedback geschreven voor {len(written)} cursist(en) in {course.root / 'feedback'}.")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    grade = subparsers.add_parser(
        "grade",
        help="alle inzendingen van een opdracht automatisch nakijken (sandbox, parallel)",
        description=(
            "Kijk alle inzendingen van OPDRACHT na: elke inzending draait in een afgeschermde "
            "omgeving (eigen gebruiker, geen netwerk, geen zicht op de cursusmap, limieten op "
            "rekentijd, geheugen, processen en bestandsgrootte); verborgen tests draaien in een "
            "vers Python-proces tegen de antwoordwaarden. Al nagekeken inzendingen worden "
            "overgeslagen, tenzij --force. Exitcode 1 als bij een inzending iets misging in "
            "de nakijkomgeving (zie logs/)."
        ),
    )
    grade.add_argument("assignment", metavar="OPDRACHT", help="naam van de opdracht")
    add_course_argument(grade)
    grade.add_argument(
        "--workers", type=_positive_int, default=None, metavar="N",
        help="aantal parallelle workers (standaard: één per processorkern)",
    )
    grade.add_argument(
        "--force", action="store_true", help="ook al nagekeken inzendingen opnieuw nakijken"
    )
    grade.add_argument(
        "--scheduler", metavar="ADRES", default=None,
        help="voer het werk uit op een Dask distributed-cluster (bijv. tcp://host:8786)",
    )
    grade.add_argument(
        "--no-progress", action="store_true", help="geen voortgangsbalk tonen"
    )
    grade.set_defaults(func=_run_grade)

    feedback = subparsers.add_parser(
        "feedback",
        help="Nederlandstalige feedback per cursist maken (zonder verborgen tests)",
        description=(
            "Maak per cursist een HTML-feedbackbestand in feedback/<cursist>/<opdracht>/: "
            "score per onderdeel, en bij een fout het leerdoel en een hint. Verborgen tests, "
            "verwachte waarden en uitwerkingen komen er nooit in."
        ),
    )
    feedback.add_argument("assignment", metavar="OPDRACHT", help="naam van de opdracht")
    add_course_argument(feedback)
    feedback.add_argument(
        "--student", action="append", metavar="CURSIST",
        help="alleen voor deze cursist (mag vaker)",
    )
    feedback.set_defaults(func=_run_feedback)

    register_part_b(subparsers)


# ---- part B: collect, export, report ------------------------------------------------------


def _run_collect(args: argparse.Namespace) -> int:
    from ketencursus.grading.collect import collect_zip

    course = open_course(args.course)
    require_writable(course, "submitted")
    report = collect_zip(course, args.assignment, args.zip, roster=args.roster)
    print(report.to_text())
    return EXIT_ATTENTION if report.needs_attention else EXIT_OK


def _run_export(args: argparse.Namespace) -> int:
    from ketencursus.grading.export import export_grades, parse_maxima

    course = open_course(args.course)
    result = export_grades(
        course, args.format, roster=args.roster, assignments=args.assignment or None,
        output=args.output, missing_zero=args.missing_zero,
        include_incomplete=args.include_incomplete, maxima=parse_maxima(args.max),
    )
    print(result.to_text())
    return 1 if result.needs_attention else 0


def _run_report(args: argparse.Namespace) -> int:
    from ketencursus.grading.report import build_report

    if args.scorm is not None:
        return _run_scorm_report(args)
    if args.assignment is None:
        raise CourseError("noem de opdracht (ketencursus report OPDRACHT), of geef met "
                          "--scorm BESTAND het interactierapport van de SCORM-activiteit op.")
    course = open_course(args.course)
    page, analysis = build_report(
        course, args.assignment, args.output, threshold=args.mastery / 100
    )
    print(f"Itemanalyse van {args.assignment} ({analysis.test.s} cursisten, "
          f"{analysis.test.p} onderdelen): {page}")
    if analysis.warning:
        print(f"Let op: {analysis.warning}")
    return 0


def _run_scorm_report(args: argparse.Namespace) -> int:
    """Item analysis of the book's self-checks from an LMS's SCORM interactions report."""
    from ketencursus.grading.report import analyse, objective_texts_for, render_report
    from ketencursus.grading.scorm_interactions import SelfCheck, load_interactions
    from ketencursus.paths import ProjectLayout
    from ketencursus.quiz.bank import load_bank

    course = Course.from_arg(args.course)
    bank = load_bank(ProjectLayout.discover().exercises / "bank")
    selfchecks = [SelfCheck(q.id, q.objective, float(q.points)) for q in bank.selfcheck()]
    found = load_interactions(args.scorm, selfchecks)
    analysis = analyse(found.scores, objective_texts_for(course), args.mastery / 100)
    out = args.output or course.root / "reports" / "zelftoetsen-scorm"
    page = render_report(analysis, out)
    print(f"Itemanalyse van de zelftoetsen uit {args.scorm} ({analysis.test.s} cursisten, "
          f"{analysis.test.p} zelftoetsen): {page}")
    for qid, count in sorted(found.untried.items()):
        print(f"  {qid}: {count} cursist(en) probeerden deze zelftoets niet (telt als 0)")
    if found.unknown_ids:
        print("Let op: interacties met ids die niet in de vragenbank staan (overgeslagen): "
              + ", ".join(found.unknown_ids))
    if analysis.warning:
        print(f"Let op: {analysis.warning}")
    return 0


def _percentage(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is geen getal") from None
    if not 0 < value <= 100:
        raise argparse.ArgumentTypeError("geef een percentage tussen 0 en 100")
    return value


def register_part_b(subparsers: argparse._SubParsersAction) -> None:
    from pathlib import Path

    from ketencursus.grading.lms import FORMATS, ROSTER_FORMAT

    collect = subparsers.add_parser(
        "collect",
        help="inzendingen uit een zip van Moodle, Canvas of Brightspace importeren",
        description=(
            "Importeer de notebooks uit ZIP ('alle inzendingen downloaden' in Moodle, Canvas "
            "of Brightspace) in submitted/<cursist>/OPDRACHT/. Onbekende cursisten, andere "
            "bestanden, dubbele inzendingen (de nieuwste telt) en onveilige paden worden "
            "gemeld, nooit buiten de cursusmap geschreven. Een bestaande inzending wordt nooit "
            "overschreven. Exitcode 1 als er iets is dat aandacht vraagt."
        ),
        epilog=ROSTER_FORMAT,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    collect.add_argument("assignment", metavar="OPDRACHT", help="naam van de opdracht")
    collect.add_argument("zip", metavar="ZIP", type=Path, help="het zipbestand uit de leeromgeving")
    add_course_argument(collect)
    collect.add_argument(
        "--roster", metavar="BESTAND", type=Path, default=None,
        help="klassenlijst (CSV, zie onder; standaard roster.csv in de cursusmap)",
    )
    collect.set_defaults(func=_run_collect)

    export = subparsers.add_parser(
        "export",
        help="cijfers uit het cijferbestand exporteren voor de leeromgeving",
        description=(
            "Schrijf de definitieve cijfers uit het nbgrader-cijferbestand in een importformaat "
            "van de leeromgeving: "
            + "; ".join(f"{name}: {fmt.description}" for name, fmt in FORMATS.items())
            + ". Punten worden omgerekend naar het maximum van het cijferonderdeel in de "
            "leeromgeving (uit het bestand van de leeromgeving, of --max). Wie geen definitief "
            "cijfer heeft, komt niet als leeg cijfer in een importbestand (dat zou een cijfer "
            "wissen) maar wordt gemeld, tenzij --missing-zero. Exitcode 1 als cursisten met een "
            "cijfer niet in het bestand staan."
        ),
    )
    add_course_argument(export)
    export.add_argument("--format", choices=list(FORMATS), default="csv",
                        help="importformaat")
    export.add_argument(
        "--max", action="append", metavar="PUNTEN",
        help="maximum van het cijferonderdeel in de leeromgeving, voor alle opdrachten (10) of "
             "per opdracht (opdracht1=10; mag vaker); nodig als het bestand van de "
             "leeromgeving het niet noemt",
    )
    export.add_argument("-o", "--output", metavar="BESTAND", type=Path, default=None,
                        help="uitvoerbestand (standaard exports/cijfers-<formaat>.csv)")
    export.add_argument("--roster", metavar="BESTAND", type=Path, default=None,
                        help="klassenlijst (standaard roster.csv in de cursusmap)")
    export.add_argument("--assignment", action="append", metavar="OPDRACHT",
                        help="alleen deze opdracht (mag vaker; standaard alle)")
    export.add_argument("--missing-zero", action="store_true",
                        help="cursisten zonder inzending krijgen 0 in plaats van leeg")
    export.add_argument("--include-incomplete", action="store_true",
                        help="ook inzendingen die nog op handmatige beoordeling wachten")
    export.set_defaults(func=_run_export)

    report = subparsers.add_parser(
        "report",
        help="itemanalyse (zoals Moodle) en beheersing per leerdoel, als HTML met figuren",
        description=(
            "Maak de itemanalyse van OPDRACHT zoals het statistiekrapport van Moodle "
            "(faciliteitsindex, standaarddeviatie, discriminatie-index, discriminerend "
            "vermogen, Cronbachs alfa/CIC, foutratio, standaardfout), de beheersing per "
            "leerdoel en figuren, als HTML-pagina met PNG-figuren."
        ),
    )
    report.add_argument("assignment", metavar="OPDRACHT", nargs="?", default=None,
                        help="naam van de opdracht (niet nodig met --scorm)")
    report.add_argument("--scorm", type=Path, default=None, metavar="BESTAND",
                        help="itemanalyse van de zelftoetsen uit het SCORM-interactierapport "
                             "van Moodle (Rapporten, Interacties, downloaden als tekst)")
    add_course_argument(report)
    report.add_argument("-o", "--output", metavar="MAP", type=Path, default=None,
                        help="uitvoermap (standaard reports/OPDRACHT in de cursusmap)")
    report.add_argument("--mastery", type=_percentage, default=70.0, metavar="PERCENTAGE",
                        help="beheersgrens per leerdoel in procent van de punten (standaard 70)")
    report.set_defaults(func=_run_report)
