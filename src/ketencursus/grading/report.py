"""Item analysis of an assignment, computed as Moodle's quiz statistics report does.

Three layers, each usable alone:

* pure computation on a score matrix – :func:`item_statistics`, :func:`quiz_statistics`,
  :func:`objective_mastery` and the rule-of-thumb labels; no I/O, tested against a
  hand-computed example;
* :func:`load_item_scores` – the score matrix from the nbgrader gradebook (items = grade
  cells and task cells of the assignment, item score = the learner's score for that cell,
  manual grades included once graded) with each item's learning objective from the source
  notebook's test-cell metadata ``ketencursus.objective``;
* :func:`render_report` – a Dutch HTML page with PNG figures (matplotlib, Agg).

Definitions follow Moodle (``question/classes/statistics/questions/calculator.php`` and
``mod/quiz/report/statistics/classes/calculator.php``): sample variances divide by
``s - 1``; the "rest of the test" is the total minus the item; the maximum possible
covariance pairs the sorted item marks with the sorted rest marks; CIC, error ratio and
standard error need at least three learners and two items, as in Moodle.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from ketencursus._util import nl
from ketencursus.grading.course import Course, CourseError
from ketencursus.grading.html import render

SMALL_COHORT = 30  # below this, item statistics are too unstable to judge items by
DEFAULT_MASTERY_THRESHOLD = 0.7


# ---------------------------------------------------------------------------------------
# pure computation
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemStatistics:
    """Moodle's per-question statistics for one item. Percentages are 0–100; ``None``
    where Moodle shows nothing (too few learners, no variance)."""

    name: str
    max_mark: float
    s: int
    mean: float
    facility: float | None  # 100 * mean / max
    sd: float | None  # 100 * sample SD / max (as Moodle displays it)
    mark_variance: float | None
    rest_variance: float | None
    covariance: float | None
    covariance_max: float | None
    discrimination_index: float | None  # 100 * corr(item, rest)
    discriminative_efficiency: float | None  # 100 * cov / max cov
    covariance_with_total: float | None
    effective_weight: float | None = None  # filled in by quiz_statistics
    intended_weight: float | None = None


@dataclass(frozen=True)
class QuizStatistics:
    """Moodle's quiz-level statistics (marks in points; percentages 0–100)."""

    s: int
    p: int
    max_total: float
    mean: float
    median: float
    sd: float | None
    skewness: float | None
    kurtosis: float | None
    cic: float | None
    error_ratio: float | None
    standard_error: float | None
    items: list[ItemStatistics] = field(default_factory=list)

    @property
    def mean_percent(self) -> float | None:
        return 100 * self.mean / self.max_total if self.max_total else None


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def _finite(value: float) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


def item_statistics(name: str, marks: Sequence[float], totals: Sequence[float],
                    max_mark: float) -> ItemStatistics:
    """Statistics of one item from the item marks and the learners' test totals (same
    order). Variances and covariances are pandas' sample statistics (``ddof=1``, as
    Moodle); the maximum possible covariance pairs the sorted marks with the sorted rest
    marks (Moodle's definition, not a pandas one)."""
    import pandas as pd

    if len(marks) != len(totals):
        raise ValueError("marks and totals differ in length")
    s = len(marks)
    item = pd.Series(list(marks), dtype="float64")
    total = pd.Series(list(totals), dtype="float64")
    rest = total - item
    mean = float(item.mean()) if s else 0.0
    facility = 100 * mean / max_mark if max_mark else None
    if s < 2:
        return ItemStatistics(name, max_mark, s, mean, facility, None, None, None, None, None,
                              None, None, None)
    variance = float(item.var())
    rest_variance = float(rest.var())
    covariance = float(item.cov(rest))
    covariance_max = float(pd.Series(sorted(item)).cov(pd.Series(sorted(rest))))
    with_total = float(item.cov(total))
    product = variance * rest_variance
    discrimination = 100 * float(item.corr(rest)) if product > 1e-15 else None
    efficiency = 100 * covariance / covariance_max if abs(covariance_max) > 1e-15 else None
    sd = 100 * math.sqrt(variance) / max_mark if max_mark else None
    return ItemStatistics(name, max_mark, s, mean, facility, sd, variance, rest_variance,
                          covariance, covariance_max, discrimination, efficiency, with_total)


def quiz_statistics(names: Sequence[str], max_marks: Sequence[float],
                    matrix: Sequence[Sequence[float]]) -> QuizStatistics:
    """Quiz and item statistics of a score matrix: one row per learner, one column per
    item (``names``, ``max_marks``). Moments by pandas: ``std`` (``ddof=1``), ``skew`` and
    ``kurt`` are the bias-corrected k-statistic ratios Moodle uses (k3 / k2^1.5 and
    k4 / k2^2)."""
    import pandas as pd

    p, s = len(names), len(matrix)
    if any(len(row) != p for row in matrix):
        raise ValueError("every row of the matrix needs one score per item")
    frame = pd.DataFrame([list(row) for row in matrix], columns=range(p), dtype="float64")
    total = frame.sum(axis=1) if p else pd.Series([0.0] * s, dtype="float64")
    totals = [float(t) for t in total]
    max_total = float(sum(max_marks))
    items = [item_statistics(names[j], list(frame[j]), totals, max_marks[j]) for j in range(p)]
    # Effective weight (Moodle): 100 * sqrt(cov with total) / sum of those, per item.
    roots = [math.sqrt(i.covariance_with_total) for i in items
             if i.covariance_with_total is not None and i.covariance_with_total >= 0]
    root_sum = sum(roots)
    weighted = []
    for item in items:
        cwt = item.covariance_with_total
        effective = (100 * math.sqrt(cwt) / root_sum
                     if root_sum and cwt is not None and cwt >= 0 else None)
        intended = 100 * item.max_mark / max_total if max_total else None
        weighted.append(ItemStatistics(**{**item.__dict__, "effective_weight": effective,
                                          "intended_weight": intended}))
    mean = float(total.mean()) if s else 0.0
    median = float(total.median()) if s else 0.0
    sd = skewness = kurtosis = cic = error_ratio = standard_error = None
    if s > 1:
        sd = float(total.std())
        k2 = sd * sd
        if s > 2 and k2 > 1e-15:
            skewness = _finite(float(cast(float, total.skew())))
            if s > 3:
                kurtosis = _finite(float(cast(float, total.kurt())))
            if p > 1:
                variance_sum = sum(i.mark_variance or 0.0 for i in items)
                cic = 100 * p / (p - 1) * (1 - variance_sum / k2)
                error_ratio = 100 * math.sqrt(max(0.0, 1 - cic / 100))
                standard_error = error_ratio * sd / 100
    return QuizStatistics(s, p, max_total, mean, median, sd, skewness, kurtosis, cic,
                          error_ratio, standard_error, weighted)


@dataclass(frozen=True)
class ObjectiveMastery:
    objective: str
    text: str
    items: list[str]
    max_points: float
    mean_percent: float  # mean over learners of their percentage on these items
    mastered_percent: float  # share of learners at or above the threshold
    threshold: float


def objective_mastery(objectives: Sequence[str | None], names: Sequence[str],
                      max_marks: Sequence[float], matrix: Sequence[Sequence[float]],
                      texts: dict[str, str] | None = None,
                      threshold: float = DEFAULT_MASTERY_THRESHOLD) -> list[ObjectiveMastery]:
    """Mastery per learning objective: per learner the share of the objective's points
    earned; reported as the mean share and the share of learners reaching ``threshold``.
    Items without an objective are grouped under ``"(geen leerdoel)"``."""
    groups: dict[str, list[int]] = {}
    for j, objective in enumerate(objectives):
        groups.setdefault(objective or "(geen leerdoel)", []).append(j)
    result = []
    for objective in sorted(groups, key=_objective_sort_key):
        columns = groups[objective]
        top = sum(max_marks[j] for j in columns)
        shares = [sum(row[j] for j in columns) / top if top else 0.0 for row in matrix]
        result.append(ObjectiveMastery(
            objective,
            (texts or {}).get(objective, ""),
            [names[j] for j in columns],
            top,
            100 * _mean(shares),
            100 * (sum(1 for x in shares if x >= threshold - 1e-9) / len(shares)
                   if shares else 0.0),
            threshold,
        ))
    return result


def _objective_sort_key(objective: str) -> tuple:
    if objective.startswith("h") and objective[1:].replace(".", "").isdigit():
        return (0, *(int(x) for x in objective[1:].split(".")))
    return (1, objective)


# Moodle's rules of thumb (docs: "Quiz statistics calculations"), in Dutch.
FACILITY_BANDS = [
    (5, "extreem moeilijk of er is iets mis met de vraag"),
    (10, "zeer moeilijk"),
    (20, "moeilijk"),
    (34, "tamelijk moeilijk"),
    (64, "ongeveer goed voor de gemiddelde cursist"),
    (80, "tamelijk makkelijk"),
    (89, "makkelijk"),
    (94, "zeer makkelijk"),
    (100, "extreem makkelijk"),
]


def facility_label(facility: float | None) -> str:
    if facility is None:
        return "niet te berekenen"
    for upper, label in FACILITY_BANDS:
        if facility <= upper + 0.5:
            return label
    return FACILITY_BANDS[-1][1]


def discrimination_label(index: float | None) -> str:
    if index is None:
        return "niet te berekenen (geen spreiding)"
    if index < 0:
        return "negatief: vraag waarschijnlijk ongeldig, controleer sleutel en tekst"
    if index < 20:
        return "zeer zwak"
    if index < 30:
        return "zwak"
    if index < 50:
        return "voldoende"
    return "zeer goed"


def cic_label(cic: float | None) -> str:
    if cic is None:
        return "niet te berekenen (minstens 3 cursisten en 2 onderdelen nodig)"
    if cic > 75:
        return "voldoende betrouwbaar (boven 75%)"
    if cic < 64:
        return "onvoldoende betrouwbaar (onder 64%)"
    return "twijfelachtig (tussen 64% en 75%)"


LABEL_ALL_ITEMS = 12


def needs_attention(item: ItemStatistics) -> bool:
    """An item outside Moodle's comfortable zone: facility outside 35–64 % or
    discrimination below 30 (or not computable)."""
    return (item.facility is None or not 35 <= item.facility <= 64.5
            or item.discrimination_index is None or item.discrimination_index < 30)


def cohort_warning(s: int) -> str | None:
    """A Dutch warning when the cohort is too small for the figures to mean much."""
    if s < 3:
        return (f"Slechts {s} volledig nagekeken inzending(en): de meeste cijfers zijn niet te "
                "berekenen en zeggen niets over de kwaliteit van de vragen.")
    if s < SMALL_COHORT:
        return (f"Let op: met {s} cursisten (minder dan {SMALL_COHORT}) schommelen deze cijfers "
                "sterk door toeval. Trek geen conclusies over een vraag op grond van alleen "
                "deze groep; vergelijk met eerdere groepen.")
    return None


# ---------------------------------------------------------------------------------------
# the score matrix from the gradebook
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    notebook: str
    name: str
    max_score: float
    objective: str | None
    manual: bool

    @property
    def label(self) -> str:
        return self.name


@dataclass
class ItemScores:
    assignment: str
    items: list[Item]
    students: list[str]
    matrix: list[list[float]]
    pending_students: list[str] = field(default_factory=list)  # manual grading not done
    dropped_items: list[str] = field(default_factory=list)  # nobody graded yet

    @property
    def names(self) -> list[str]:
        return [i.label for i in self.items]

    @property
    def max_marks(self) -> list[float]:
        return [i.max_score for i in self.items]


def source_metadata(course: Course, assignment: str) -> dict[tuple[str, str], tuple[int, dict]]:
    """``(notebook, grade_id) -> (cell position, ketencursus metadata)`` from the source
    notebooks; empty when the assignment has no source folder."""
    found: dict[tuple[str, str], tuple[int, dict]] = {}
    try:
        notebooks = course.source_notebooks(assignment)
    except CourseError:
        return found
    for path in notebooks:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for position, cell in enumerate(data.get("cells", [])):
            meta = cell.get("metadata", {}) or {}
            grade_id = (meta.get("nbgrader") or {}).get("grade_id")
            if grade_id:
                found[(path.stem, grade_id)] = (position, meta.get("ketencursus") or {})
    return found


def load_item_scores(course: Course, assignment: str) -> ItemScores:
    """The assignment's score matrix from the gradebook (see module docstring).

    Items nobody has been graded on yet (manual items before grading) are left out;
    submissions still waiting for a manual grade on a remaining item are left out too,
    as Moodle leaves out attempts that still need grading."""
    from ketencursus.grading import gradebook

    metadata = source_metadata(course, assignment)
    try:
        record = gradebook.read_assignment(course, assignment)
    except gradebook.AssignmentNotInGradebook:
        raise CourseError(
            f"Opdracht {assignment!r} staat niet in het cijferbestand "
            f"{course.gradebook_path}. Kijk de inzendingen eerst na "
            "(ketencursus grade)."
        ) from None
    items: list[Item] = []
    for notebook in sorted({info.notebook for info in record.items}):
        keyed = []
        for info in (i for i in record.items if i.notebook == notebook):
            position, meta = metadata.get((notebook, info.name), (10**9, {}))
            manual = info.is_task or info.cell_type == "markdown" or bool(meta.get("manual"))
            keyed.append(((position, info.name), Item(
                notebook, info.name, info.max_score, meta.get("objective"), manual,
            )))
        items += [item for _, item in sorted(keyed, key=lambda k: k[0])]
    if len({i.name for i in items}) != len(items):  # same cell name in two notebooks
        items = [Item(i.notebook, f"{i.notebook}/{i.name}", i.max_score, i.objective,
                      i.manual) for i in items]
    index = {}
    for j, item in enumerate(items):
        index[(item.notebook, item.name.rsplit("/", 1)[-1])] = j
    rows: dict[str, list[float | None]] = {}
    for student, submission in record.submissions.items():
        row: list[float | None] = [0.0] * len(items)
        for key, score in submission.items.items():
            column = index.get(key)
            if column is not None:
                row[column] = score  # None: waits for a human (the gradebook facade decides)
        rows[student] = row
    graded_items = [j for j in range(len(items)) if any(r[j] is not None for r in rows.values())]
    dropped = [items[j].label for j in range(len(items)) if j not in graded_items]
    keep_items = [items[j] for j in graded_items]
    students, matrix, pending = [], [], []
    for student in sorted(rows):
        values = [rows[student][j] for j in graded_items]
        if any(v is None for v in values):
            pending.append(student)
            continue
        students.append(student)
        matrix.append([float(v) for v in values])  # type: ignore[arg-type]
    return ItemScores(assignment, keep_items, students, matrix, pending, dropped)


# ---------------------------------------------------------------------------------------
# analysis + rendering
# ---------------------------------------------------------------------------------------


@dataclass
class Analysis:
    scores: ItemScores
    test: QuizStatistics
    mastery: list[ObjectiveMastery]
    warning: str | None


def analyse(scores: ItemScores, objective_texts: dict[str, str] | None = None,
            threshold: float = DEFAULT_MASTERY_THRESHOLD) -> Analysis:
    test = quiz_statistics(scores.names, scores.max_marks, scores.matrix)
    mastery = objective_mastery([i.objective for i in scores.items], scores.names,
                                scores.max_marks, scores.matrix, objective_texts, threshold)
    return Analysis(scores, test, mastery, cohort_warning(test.s))


def _fmt(value: float | None, digits: int = 1, suffix: str = "") -> str:
    if value is None:
        return "–"
    return nl.number(value, digits) + suffix


def render_figures(analysis: Analysis, out_dir: Path) -> dict[str, Path]:
    """Write the PNG figures; return name -> path."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out_dir.mkdir(parents=True, exist_ok=True)
    figures: dict[str, Path] = {}
    test, scores = analysis.test, analysis.scores

    fig, ax = plt.subplots(figsize=(7, 4))
    totals = [sum(row) for row in scores.matrix]
    if totals:
        top = max(test.max_total, max(totals), 1.0)
        if top <= 40:  # one bar per point, centred on whole scores
            bins: int | list[float] = [x - 0.5 for x in range(int(math.ceil(top)) + 2)]
        else:
            bins = 20
        ax.hist(totals, bins=bins, color="#2b6cb0", edgecolor="white")
    ax.set_xlabel(f"Totaalscore (maximaal {_fmt(test.max_total, 1)} punten)")
    ax.set_ylabel("Aantal cursisten")
    ax.set_title("Verdeling van de totaalscores")
    fig.tight_layout()
    figures["totals"] = out_dir / "verdeling-totaalscores.png"
    fig.savefig(figures["totals"], dpi=110)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(7, 5))
    ax.axvspan(35, 64, color="#c6f6d5", label="faciliteit 35–64% (ongeveer goed)")
    ax.axhline(30, color="#718096", linestyle="--", label="discriminatie 30 (voldoende)")
    ax.axhline(0, color="#c53030", linewidth=1)
    plotted = [i for i in test.items
               if i.facility is not None and i.discrimination_index is not None]
    for item in plotted:
        ax.scatter(float(item.facility or 0.0), float(item.discrimination_index or 0.0),
                   color="#2b6cb0")  # both known: plotted holds no None
        # With many items only the ones to look at get a label (see needs_attention).
        if len(plotted) <= LABEL_ALL_ITEMS or needs_attention(item):
            ax.annotate(item.name, (item.facility, item.discrimination_index), fontsize=8,
                        xytext=(4, 4), textcoords="offset points")
    ax.set_xlim(0, 100)
    ax.set_ylim(-100, 100)
    ax.set_xlabel("Faciliteitsindex (%)")
    ax.set_ylabel("Discriminatie-index")
    ax.set_title("Onderdelen: moeilijkheid en onderscheidend vermogen")
    ax.legend(loc="lower left", fontsize=8)
    fig.tight_layout()
    figures["items"] = out_dir / "onderdelen-faciliteit-discriminatie.png"
    fig.savefig(figures["items"], dpi=110)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(7, max(2.5, 0.5 * len(analysis.mastery) + 1.5)))
    labels = [m.objective for m in analysis.mastery]
    ypos = list(range(len(labels)))
    ax.barh([y + 0.2 for y in ypos], [m.mean_percent for m in analysis.mastery], height=0.4,
            color="#2b6cb0", label="gemiddelde score (%)")
    ax.barh([y - 0.2 for y in ypos], [m.mastered_percent for m in analysis.mastery],
            height=0.4, color="#dd6b20", label="cursisten die het beheersen (%)")
    ax.set_yticks(ypos, labels)
    ax.set_xlim(0, 100)
    ax.invert_yaxis()
    ax.set_xlabel("Percentage")
    ax.set_title("Beheersing per leerdoel")
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    figures["mastery"] = out_dir / "beheersing-leerdoelen.png"
    fig.savefig(figures["mastery"], dpi=110)
    plt.close(fig)
    return figures


def render_html(analysis: Analysis, figures: dict[str, Path]) -> str:
    """The Dutch HTML report (template ``templates/report.html``, Jinja2 with autoescape;
    figures referenced by file name, next to the page)."""
    test, scores = analysis.test, analysis.scores
    summary = [
        ("Aantal cursisten (volledig nagekeken)", str(test.s)),
        ("Aantal onderdelen", str(test.p)),
        ("Maximale score", _fmt(test.max_total, 2)),
        ("Gemiddelde score", f"{_fmt(test.mean, 2)} ({_fmt(test.mean_percent, 1, '%')})"),
        ("Mediaan", _fmt(test.median, 2)),
        ("Standaarddeviatie", _fmt(test.sd, 2)),
        ("Scheefheid", _fmt(test.skewness, 3)),
        ("Kurtosis", _fmt(test.kurtosis, 3)),
        ("Interne consistentie (CIC, Cronbachs alfa)",
         f"{_fmt(test.cic, 2, '%')}: {cic_label(test.cic)}"),
        ("Foutratio", _fmt(test.error_ratio, 2, "%")),
        ("Standaardfout", _fmt(test.standard_error, 2)),
    ]
    verdicts = [f"{facility_label(i.facility)}; {discrimination_label(i.discrimination_index)}"
                for i in test.items]
    threshold = _fmt(100 * (analysis.mastery[0].threshold if analysis.mastery
                            else DEFAULT_MASTERY_THRESHOLD), 0, "%")
    return render(
        "report.html", title=f"Itemanalyse {scores.assignment}",
        assignment=scores.assignment, warning=analysis.warning,
        pending=scores.pending_students, dropped=scores.dropped_items, summary=summary,
        test=test, figures={k: v.name for k, v in figures.items()},
        objectives={i.label: i.objective or "–" for i in scores.items}, verdicts=verdicts,
        many_items=len(test.items) > LABEL_ALL_ITEMS, threshold=threshold,
        mastery=analysis.mastery,
    )


def render_report(analysis: Analysis, out_dir: Path) -> Path:
    """Write ``index.html`` and the PNG figures into ``out_dir``; return the HTML path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    figures = render_figures(analysis, out_dir)
    page = out_dir / "index.html"
    tmp = page.with_suffix(".html.tmp")
    tmp.write_text(render_html(analysis, figures), encoding="utf-8")
    tmp.replace(page)
    return page


def objective_texts_for(course: Course, book_dir: Path | None = None) -> dict[str, str]:
    """Objective texts from ``book_dir``, else from the chapters of the repository around the
    course (its ``book/``, next to ``grader/``), if any. The one lookup of objective texts
    for the grading pages (report and feedback)."""
    from ketencursus.objectives import ObjectiveError, read_objectives
    from ketencursus.paths import ProjectLayout, ProjectNotFoundError

    if book_dir is not None:
        book = Path(book_dir)
    else:
        try:
            book = ProjectLayout.discover(course.root).book
        except ProjectNotFoundError:
            book = ProjectLayout(course.root.parent).book  # a course copied with its book
    if not book.is_dir():
        return {}
    try:
        return {oid: o.text for oid, o in read_objectives(book).items()}
    except ObjectiveError:
        return {}


def build_report(course: Course, assignment: str, out_dir: Path | None = None,
                 threshold: float = DEFAULT_MASTERY_THRESHOLD,
                 objective_texts: dict[str, str] | None = None) -> tuple[Path, Analysis]:
    """Load, analyse and render the report of ``assignment``; return (HTML path, analysis)."""
    scores = load_item_scores(course, assignment)
    if not scores.items:
        raise CourseError(
            f"Opdracht {assignment!r} heeft nog geen beoordeelde onderdelen in het "
            "cijferbestand. Kijk eerst na (ketencursus grade)."
        )
    texts = objective_texts if objective_texts is not None else objective_texts_for(course)
    analysis = analyse(scores, texts, threshold)
    page = render_report(analysis, Path(out_dir) if out_dir else course.report_dir(assignment))
    return page, analysis
