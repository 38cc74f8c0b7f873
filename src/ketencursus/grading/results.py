"""The results of grading: one model for the grader, the journal, the log and the feedback.

``StrEnum`` classes name every role, reason and cell status (their values are the strings
stored in journals, so old journals still load); :meth:`SubmissionResult.to_dict` /
:meth:`~SubmissionResult.from_dict` are the one serialisation and
:meth:`SubmissionResult.to_report_str` the one text form (the per-submission log).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum


class Role(StrEnum):
    """What a cell of the rebuilt notebook is."""

    SOLUTION = "solution"  # the learner's answer, not graded itself (code runs; text is read)
    TEST = "test"  # an autograder test cell (from the source)
    MANUAL = "manual"  # graded by a human (a written answer or a task)
    MANUAL_CODE = "manual-code"  # a code answer graded by a human: it runs too
    LOCKED = "locked"  # the instructor's cell, as in the source
    EXTRA = "extra"  # a cell the learner added


class Reason(StrEnum):
    """Why an item has the score it has ('' = nothing to explain)."""

    NONE = ""
    MISSING = "missing"  # the answer variable does not exist at the test
    NOT_PLAIN = "not-plain"  # the answer is not plain data
    NOT_RUN = "not-run"  # the notebook stopped before the test
    CHECK = "check"  # a check of ketencursus.checks failed (its message is learner-safe)
    ERROR = "error"  # the test failed otherwise (the message is not shown)
    NO_RESPONSE = "no-response"  # a manual answer left as released
    INVALID = "invalid"  # the notebook could not be read at all
    GARBLED = "garbled"  # a typed (non-Python) answer that cannot be read as its format
    INTERNAL = "internal"  # the grader failed: no score at all, a human looks


class CellStatus(StrEnum):
    """How a learner's code cell ran."""

    OK = "ok"
    ERROR = "error"
    TIMEOUT = "timeout"
    CRASHED = "crashed"
    NOT_RUN = "not-run"


# ---------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------
@dataclass
class ItemResult:
    grade_id: str
    kind: str  # "auto" | "manual"
    max_points: float
    score: float | None  # None: to be graded by hand
    reason: str = Reason.NONE  # a Reason
    detail: str = ""  # learner-safe Dutch text
    answers: list[str] = field(default_factory=list)
    objective: str | None = None
    hint: str | None = None

    @property
    def passed(self) -> bool:
        return self.score is not None and self.score >= self.max_points


@dataclass
class LearnerCell:
    """The learner's own code and (capped) output, for the feedback."""

    grade_id: str | None
    source: str
    output: str
    status: str  # a CellStatus


@dataclass
class NotebookResult:
    name: str
    problem: str | None = None  # Dutch: why the notebook could not be graded at all
    items: list[ItemResult] = field(default_factory=list)
    cells: list[LearnerCell] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # Dutch, learner-safe

    @property
    def score(self) -> float:
        return sum(i.score or 0 for i in self.items)

    @property
    def max_score(self) -> float:
        return sum(i.max_points for i in self.items)


@dataclass
class SubmissionResult:
    assignment: str
    student: str
    notebooks: list[NotebookResult] = field(default_factory=list)
    timestamp: str | None = None
    fingerprint: str = ""
    duration: float = 0.0
    internal_error: str | None = None
    # where the time went (seconds): sandbox_start, learner_code, hidden_tests, rest,
    # gradebook_write (the last one filled in by the runner)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def score(self) -> float:
        return sum(n.score for n in self.notebooks)

    @property
    def max_score(self) -> float:
        return sum(n.max_score for n in self.notebooks)

    def to_dict(self) -> dict:
        return asdict(self)

    def to_report_str(self) -> str:
        """The result as the lines of the submission's log (one per item, then the total)."""
        lines = []
        for nb in self.notebooks:
            for item in nb.items:
                score = "handmatig" if item.score is None else f"{item.score:g}"
                lines.append(f"{nb.name}: {item.grade_id}: {score} / {item.max_points:g} "
                             f"{item.reason}")
        if self.internal_error:
            lines.append(f"INTERNE FOUT, niet als cijfer vastgelegd: {self.internal_error}")
        lines.append(f"totaal {self.score:g} / {self.max_score:g} in {self.duration:.2f} s")
        return "\n".join(lines)

    @classmethod
    def from_dict(cls, data: dict) -> SubmissionResult:
        notebooks = []
        for nb in data.get("notebooks", []):
            items = [ItemResult(**i) for i in nb.get("items", [])]
            for item in items:  # the journal holds the values; known ones become enums
                if item.reason in Reason._value2member_map_:
                    item.reason = Reason(item.reason)
            cells = [LearnerCell(**c) for c in nb.get("cells", [])]
            notebooks.append(NotebookResult(nb["name"], nb.get("problem"), items, cells,
                                            list(nb.get("notes", []))))
        fields = {k: v for k, v in data.items() if k != "notebooks"}
        return cls(notebooks=notebooks, **fields)
