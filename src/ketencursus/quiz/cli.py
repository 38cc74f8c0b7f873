"""Commands of the assessment part: ``ketencursus assignments`` and ``ketencursus bank``.

- ``ketencursus assignments [NAAM ...] [--course MAP] [--force]``: generate the nbgrader
  source notebooks ``<course>/source/<naam>/<notebook>.ipynb`` from ``exercises/assignments``;
- ``ketencursus bank validate``: check every bank file against the schema and the
  objectives, and report coverage;
- ``ketencursus bank export --format moodle-xml -o BESTAND [--use selfcheck|graded]``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ketencursus.errors import EXIT_ATTENTION, EXIT_OK, EXIT_USER_ERROR, UserError
from ketencursus.objectives import read_objectives
from ketencursus.paths import ProjectLayout
from ketencursus.quiz.assignments import generate_assignments
from ketencursus.quiz.bank import BankError, coverage_problems, load_bank
from ketencursus.quiz.itemrules import check_bank, format_report
from ketencursus.quiz.moodle import USE_CATEGORY, bank_version, chapter_titles, export_moodle_xml


def _layout() -> ProjectLayout:
    return ProjectLayout.discover()


def _load(layout: ProjectLayout):
    objectives = read_objectives(layout.book)
    bank = load_bank(layout.exercises / "bank", objectives or None)
    return bank, objectives


def run_assignments(args: argparse.Namespace) -> int:
    layout = _layout()
    bank, objectives = _load(layout)
    course = Path(args.course) if args.course else layout.grader
    if not (course / "nbgrader_config.py").is_file():
        raise UserError(f"{course} is geen nbgrader-cursusmap (nbgrader_config.py ontbreekt). "
                        "Geef de juiste map met --course.")
    written = generate_assignments(layout.exercises / "assignments", course, bank,
                                   objectives or None, names=args.names or None, force=args.force)
    for path in written:
        print(f"Geschreven: {path}")
    print("Maak nu de versie voor cursisten, in de cursusmap: "
          f"cd {course} && nbgrader generate_assignment <naam>")
    return 0


def run_validate(args: argparse.Namespace) -> int:
    layout = _layout()
    bank, objectives = _load(layout)
    graded = len(bank.graded())
    print(f"Vragenbank volgens het schema in orde: {len(bank)} vragen ({graded} beoordeeld, "
          f"{len(bank.selfcheck())} zelftoets) in {len(bank.files)} bestanden.")
    problems = coverage_problems(bank, objectives)
    for problem in problems:
        print(f"Let op: {problem}")
    report = check_bank(bank)
    print()
    print(format_report(report))
    if args.strict and (problems or not report.ok):
        print()
        print("Niet in orde (--strict): pas de vragen hierboven aan.")
        return EXIT_ATTENTION
    return EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    layout = _layout()
    bank, _ = _load(layout)
    uses = (args.use,) if args.use else ("selfcheck", "graded")
    version = args.versie or bank_version(bank, uses)
    try:
        target = export_moodle_xml(bank, Path(args.output), titles=chapter_titles(layout.book),
                                   uses=uses, version=version)
    except ValueError as exc:
        raise BankError([str(exc)]) from exc
    count = sum(1 for q in bank if q.use in uses)
    print(f"{count} vragen geschreven naar {target} (Moodle XML).")
    print(f"Importeer in Moodle via Vragenbank > Importeren > Moodle XML-formaat. De vragen "
          f"komen in de categorie 'ketencursus {version}', per hoofdstuk gesplitst in "
          f"'{USE_CATEGORY['selfcheck']}' en '{USE_CATEGORY['graded']}'. Trek willekeurige "
          "vragen voor een toets alleen uit de categorie met beoordeelde vragen.")
    print("Een gewijzigde vragenbank krijgt een nieuwe versie en dus nieuwe categorieën; "
          "importeer je hetzelfde bestand twee keer, dan maakt Moodle dubbele vragen zonder "
          "idnumber (zie README, 'De vragenbank opnieuw importeren').")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    assignments = subparsers.add_parser(
        "assignments",
        help="nbgrader-bronnotebooks maken uit exercises/assignments",
        description="Maakt <cursusmap>/source/<opdracht>/<notebook>.ipynb uit "
                    "exercises/assignments/<opdracht>/assignment.yml.",
    )
    assignments.add_argument("names", nargs="*", metavar="OPDRACHT",
                             help="alleen deze opdrachten (standaard: alle)")
    assignments.add_argument("--course", metavar="MAP", default=None,
                             help="nbgrader-cursusmap (standaard: grader/)")
    assignments.add_argument("--force", action="store_true",
                             help="ook een met de hand aangepast bronnotebook overschrijven")
    assignments.set_defaults(func=run_assignments)

    bank = subparsers.add_parser("bank", help="de vragenbank controleren of exporteren")
    bank_sub = bank.add_subparsers(dest="bank_command", metavar="ACTIE")
    bank.set_defaults(func=lambda args: (bank.print_help(), EXIT_USER_ERROR)[1])
    validate = bank_sub.add_parser("validate", help="alle vraagbestanden controleren")
    validate.add_argument("--strict", action="store_true",
                          help="exitcode 1 als een leerdoel of hoofdstuk geen vraag heeft of "
                               "een vraag de schrijfregels breekt (Haladyna e.a. 2002)")
    validate.set_defaults(func=run_validate)
    export = bank_sub.add_parser("export", help="de vragenbank exporteren (Moodle XML)")
    export.add_argument("--format", required=True, choices=["moodle-xml"],
                        help="uitvoerformaat")
    export.add_argument("-o", "--output", required=True, metavar="BESTAND",
                        help="doelbestand, bijvoorbeeld vragenbank.xml")
    export.add_argument("--use", choices=["selfcheck", "graded"], default=None,
                        help="alleen zelftoets- of alleen beoordeelde vragen")
    export.add_argument("--versie", default=None, metavar="NAAM",
                        help="naam van de versie in de categorie (standaard: een vingerafdruk "
                             "van de vragen, bijvoorbeeld 'versie 3fa2c1d9')")
    export.set_defaults(func=run_export)
