"""Benchmark: stock ``nbgrader autograde`` versus ``ketencursus grade`` (sandboxed, parallel).

Both grade the same 60 correct submissions of the fixture assignment
(``tests/grading/fixtures/source/ketenmeting``: pandas, a data file, three autograded items
and one written answer), each in its own copy of the course, started as a command line
(as an instructor would), in the same run. Then ``ketencursus grade`` grades 240 submissions
to show whether the cost per submission stays flat. It also prints where the time of one
submission goes (sandbox start, learner code, hidden tests, the rest of the pipeline,
gradebook write; from the journals' ``timings``) and the floor: an empty submission (no
learner code), graded alone. Prints plain figures; no pass/fail.

    python benchmarks/bench_grading.py [--small N] [--large N]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "grading" / "fixtures"
ASSIGNMENT = "ketenmeting"
STAGES = ("sandbox_start", "learner_code", "hidden_tests", "rest", "gradebook_write")


def build_course(template: Path, target: Path, submissions: int, answers=None):
    from ketencursus.grading.course import Course
    from tests.grading.grading_helpers import CORRECT
    from tests.support.grading import make_submission

    shutil.copytree(template, target)
    course = Course(target / "grader")
    for n in range(1, submissions + 1):
        make_submission(course, ASSIGNMENT, f"cursist{n:04d}",
                        CORRECT if answers is None else answers)
    return course


def stage_means(course) -> dict[str, float]:
    """Mean seconds per stage over the course's journals (each submission's own clock)."""
    from ketencursus.grading.runner import load_result

    totals = dict.fromkeys((*STAGES, "duration"), 0.0)
    students = course.submitted_students(ASSIGNMENT)
    for student in students:
        result = load_result(course, ASSIGNMENT, student)
        for stage in STAGES:
            totals[stage] += result.timings.get(stage, 0.0)
        totals["duration"] += result.duration + result.timings.get("gradebook_write", 0.0)
    return {k: v / max(len(students), 1) for k, v in totals.items()}


def print_stages(title: str, means: dict[str, float]) -> None:
    parts = ", ".join(f"{stage.replace('_', ' ')} {means[stage]:.2f} s" for stage in STAGES)
    print(f"  {title}: {means['duration']:.2f} s per submission ({parts})")


def timed(command: list[str], cwd: Path) -> float:
    from tests.support.grading import nbgrader_env

    started = time.perf_counter()
    proc = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=nbgrader_env())
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"{' '.join(command)} mislukte:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return elapsed


def auto_total(course) -> tuple[int, float]:
    """(number of submissions, their summed auto scores) from the gradebook."""
    with course.gradebook() as gb:
        subs = gb.find_assignment(ASSIGNMENT).submissions
        return len(subs), sum(g.auto_score or 0 for s in subs for nb in s.notebooks
                              for g in nb.grades)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=60)
    parser.add_argument("--large", type=int, default=240)
    args = parser.parse_args()

    from ketencursus.grading import sandbox as sb
    from ketencursus.grading.runner import default_workers
    from tests.support.grading import make_course

    protections = sb.detect_protections()
    bin_dir = Path(sys.executable).parent
    work = Path(tempfile.mkdtemp(prefix="bench-grading-"))
    try:
        template = work / "template"
        make_course(template, FIXTURE / "source" / ASSIGNMENT, FIXTURE / "book")

        stock = build_course(template, work / "stock", args.small)
        ours = build_course(template, work / "ours", args.small)
        large = build_course(template, work / "large", args.large)
        empty = build_course(template, work / "empty", 3, answers={
            "antwoord_aantal_cel": "", "antwoord_doorlooptijd_cel": "",
            "antwoord_partner_cel": "", "reflectie_gemiddelde": ""})

        t_stock = timed([str(bin_dir / "nbgrader"), "autograde", ASSIGNMENT, "--force"],
                        stock.root)
        t_ours = timed([str(bin_dir / "ketencursus"), "grade", ASSIGNMENT, "--course",
                        str(ours.root), "--no-progress"], ours.root)
        t_large = timed([str(bin_dir / "ketencursus"), "grade", ASSIGNMENT, "--course",
                         str(large.root), "--no-progress"], large.root)
        t_empty = timed([str(bin_dir / "ketencursus"), "grade", ASSIGNMENT, "--course",
                         str(empty.root), "--no-progress", "--workers", "1"], empty.root)

        n_stock, s_stock = auto_total(stock)
        n_ours, s_ours = auto_total(ours)
        n_large, s_large = auto_total(large)
        expected = 4.0  # auto points of one correct submission
        print(f"Grading benchmark ({default_workers()} workers on this machine; "
              f"protections {'all on' if protections.complete else 'INCOMPLETE'})")
        if not protections.complete:
            print("  missing: " + "; ".join(protections.missing()))
        print(f"  stock nbgrader autograde, {args.small} submissions: {t_stock:8.1f} s "
              f"({t_stock / args.small:.2f} s/submission; {n_stock} graded, "
              f"auto points {s_stock:g} of {expected * args.small:g})")
        print(f"  ketencursus grade,        {args.small} submissions: {t_ours:8.1f} s "
              f"({t_ours / args.small:.2f} s/submission; {n_ours} graded, "
              f"auto points {s_ours:g} of {expected * args.small:g})")
        print(f"  ratio stock / ketencursus: {t_stock / t_ours:.2f}x (goal: at least 8x)")
        print(f"  ketencursus grade,       {args.large} submissions: {t_large:8.1f} s "
              f"({t_large / args.large:.2f} s/submission; {n_large} graded, "
              f"auto points {s_large:g} of {expected * args.large:g})")
        print(f"  seconds per submission at {args.small}: {t_ours / args.small:.3f}; at "
              f"{args.large}: {t_large / args.large:.3f} (ratio "
              f"{(t_large / args.large) / (t_ours / args.small):.2f}; 1.0 = linear)")
        print("Where the time of one submission goes (its own clock, in a worker):")
        print_stages(f"correct submission (mean of {args.small})", stage_means(ours))
        print_stages("floor: an empty submission, graded alone", stage_means(empty))
        print(f"  (3 empty submissions with 1 worker, whole command: {t_empty:.1f} s)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
