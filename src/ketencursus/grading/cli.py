"""Commands of the grading pipeline: ``grade`` and ``feedback`` (part A) and ``collect``,
``export`` and ``report`` (part B). Thin: each parses arguments, calls the library and
turns a :class:`~ketencursus.grading.course.CourseError` into a Dutch message and exit code 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from ketencursus.grading.course import Course, CourseError


def add_course_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--course",
        metavar="MAP",
        default=None,
        help="nbgrader-cursusmap (standaard: grader/ in de cursusrepository)",
    )


def _guarded(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Run a command; a CourseError becomes a Dutch message on stderr and exit code 2."""

    def wrapper(args: argparse.Namespace) -> int:
        try:
            return run(args)
        except CourseError as exc:
            print(f"Fout: {exc}", file=sys.stderr)
            return 2

    return wrapper


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

    course = Course.from_arg(args.course)
    summary = grade_assignment(
        course,
        args.assignment,
        workers=args.workers,
        force=args.force,
        scheduler=args.scheduler,
        progress=not args.no_progress,
    )
    print(summary.to_text())
    return 0


def _run_feedback(args: argparse.Namespace) -> int:
    from ketencursus.grading.feedback import generate_feedback

    course = Course.from_arg(args.course)
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
            "overgeslagen, tenzij --force."
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
    grade.set_defaults(func=_guarded(_run_grade))

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
    feedback.set_defaults(func=_guarded(_run_feedback))
