"""Benchmark: stock ``nbgrader autograde`` versus ``ketencursus grade`` (sandboxed, parallel).

Both grade the same 60 correct submissions of the fixture assignment
(``tests/grading/fixtures/source/ketenmeting``: pandas, a data file, three autograded items
and one written answer), each in its own copy of the course, started as a command line
(as an instructor would), in the same run. Then ``ketencursus grade`` grades 240 submissions
to show whether the cost per submission stays flat. It also prints where the time of one
submission goes (sandbox start, learner code, hidden tests, the rest of the pipeline,
gradebook write; from the journals' ``timings``), the floor: an empty submission (no
learner code), graded alone, and what starting the warm zygote costs (once per run).
``--repeat N`` measures the three runs N times (fresh courses each time) and prints the
spread. Prints plain figures; no pass/fail.

    python benchmarks/bench_grading.py [--small N] [--large N] [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
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


def measure(work: Path, template: Path, small: int, large: int, bin_dir: Path, round_: int
            ) -> dict:
    """One round: stock and ours at ``small``, ours at ``large`` (fresh courses)."""
    stock = build_course(template, work / f"stock-{round_}", small)
    ours = build_course(template, work / f"ours-{round_}", small)
    big = build_course(template, work / f"large-{round_}", large)
    grade = [str(bin_dir / "ketencursus"), "grade", ASSIGNMENT, "--no-progress", "--course"]
    t_stock = timed([str(bin_dir / "nbgrader"), "autograde", ASSIGNMENT, "--force"],
                    stock.root)
    t_ours = timed([*grade, str(ours.root)], ours.root)
    t_large = timed([*grade, str(big.root)], big.root)
    figures = {"stock": t_stock, "ours": t_ours, "large": t_large,
               "n_stock": auto_total(stock), "n_ours": auto_total(ours),
               "n_large": auto_total(big), "stages": stage_means(ours)}
    for course in (stock, ours, big):
        shutil.rmtree(course.root.parent, ignore_errors=True)
    return figures


def spread(values: list[float]) -> str:
    if len(values) == 1:
        return f"{values[0]:.2f}"
    return (f"median {statistics.median(values):.2f} (min {min(values):.2f}, "
            f"max {max(values):.2f}; {', '.join(f'{v:.2f}' for v in values)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=60)
    parser.add_argument("--large", type=int, default=240)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()

    from ketencursus.grading import sandbox as sb
    from ketencursus.grading.runner import default_workers
    from tests.support.grading import make_course

    protections = sb.detect_protections()
    bin_dir = Path(sys.executable).parent
    work = Path(tempfile.mkdtemp(prefix="bench-grading-"))
    expected = 4.0  # auto points of one correct submission
    try:
        template = work / "template"
        make_course(template, FIXTURE / "source" / ASSIGNMENT, FIXTURE / "book")
        print(f"Grading benchmark ({default_workers()} workers on this machine; "
              f"protections {'all on' if protections.complete else 'INCOMPLETE'}; "
              f"load before: {os.getloadavg()[0]:.2f})")
        if not protections.complete:
            print("  missing: " + "; ".join(protections.missing()))
        rounds = []
        for round_ in range(args.repeat):
            r = measure(work, template, args.small, args.large, bin_dir, round_)
            rounds.append(r)
            (n_stock, s_stock), (n_ours, s_ours) = r["n_stock"], r["n_ours"]
            n_large, s_large = r["n_large"]
            print(f" round {round_ + 1} (load {os.getloadavg()[0]:.2f}):")
            print(f"  stock nbgrader autograde, {args.small} submissions: {r['stock']:8.1f} s "
                  f"({r['stock'] / args.small:.2f} s/submission; {n_stock} graded, "
                  f"auto points {s_stock:g} of {expected * args.small:g})")
            print(f"  ketencursus grade,        {args.small} submissions: {r['ours']:8.1f} s "
                  f"({r['ours'] / args.small:.3f} s/submission; {n_ours} graded, "
                  f"auto points {s_ours:g} of {expected * args.small:g})")
            print(f"  ketencursus grade,       {args.large} submissions: {r['large']:8.1f} s "
                  f"({r['large'] / args.large:.3f} s/submission; {n_large} graded, "
                  f"auto points {s_large:g} of {expected * args.large:g})")
            print(f"  ratio stock / ketencursus at {args.small}: "
                  f"{r['stock'] / r['ours']:.2f}x (goal: at least 8x)")
        ratios = [r["stock"] / r["ours"] for r in rounds]
        small = [r["ours"] / args.small for r in rounds]
        large = [r["large"] / args.large for r in rounds]
        print("Summary over the rounds:")
        print(f"  ratio stock / ketencursus at {args.small}: {spread(ratios)} (goal: >= 8x)")
        print(f"  seconds per submission at {args.small}: {spread(small)}")
        print(f"  seconds per submission at {args.large}: {spread(large)}")
        print(f"  per-submission cost {args.large} vs {args.small} (1.0 = linear): "
              f"{spread([b / a for a, b in zip(small, large, strict=True)])}")
        # total = fixed + marginal * N, from the two sizes of each round
        marginal = [(r["large"] - r["ours"]) / (args.large - args.small) for r in rounds]
        fixed = [r["ours"] - args.small * m for r, m in zip(rounds, marginal, strict=True)]
        print(f"  as fixed + marginal * N: marginal {spread(marginal)} s per submission, "
              f"fixed {spread(fixed)} s per run")
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import nbgrader.api"], check=True)
        print(f"  of the fixed part, 'import nbgrader.api' alone (both tools pay it once): "
              f"{time.perf_counter() - started:.2f} s")

        empty = build_course(template, work / "empty", 3, answers={
            "antwoord_aantal_cel": "", "antwoord_doorlooptijd_cel": "",
            "antwoord_partner_cel": "", "reflectie_gemiddelde": ""})
        t_empty = timed([str(bin_dir / "ketencursus"), "grade", ASSIGNMENT, "--course",
                         str(empty.root), "--no-progress", "--workers", "1"], empty.root)
        starts = []
        for _ in range(3):
            zygote = sb.Zygote(protections, sb.PRELOAD + ("pandas", "ketencursus.checks"))
            starts.append(zygote.start_seconds)
            zygote.close()
        print("Where the time of one submission goes (its own clock, in a worker):")
        print_stages(f"correct submission (mean of {args.small}, last round)",
                     rounds[-1]["stages"])
        print_stages("floor: an empty submission, graded alone", stage_means(empty))
        print(f"  (3 empty submissions with 1 worker, whole command: {t_empty:.1f} s)")
        print(f"  starting the warm zygote (once per grading run, not in the figures "
              f"above): {spread(starts)} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
