"""Step 7: points for passed tests (from the source) and learner-safe Dutch explanations."""

from __future__ import annotations

from ketencursus.grading.results import ItemResult, Reason, Role
from ketencursus.grading.spec import NotebookSpec, _nbgrader, _source
from ketencursus.grading.steps.execute import (
    Execution,
)
from ketencursus.grading.steps.rebuild import (
    RebuiltCell,
)
from ketencursus.grading.steps.text_answers import (
    GARBLED,
)

REASON_TEXT = {
    "missing": "De variabele {names} bestaat niet (nog) op het moment van de test. Controleer "
               "de naam en voer je notebook van boven naar beneden uit.",
    "not-plain": "{names} is geen gewone Python-waarde ({why}). Gebruik een int, float, str, "
                 "bool, list of dict, bijvoorbeeld float(...) of int(...).",
    "not-run": "De cel met {names} is niet uitgevoerd omdat je notebook eerder vastliep of "
               "stopte.",
    "error": "Dit onderdeel is niet goed.",
}


def score_items(spec: NotebookSpec, rebuilt: list[RebuiltCell], execution: Execution,
                test_results: dict[str, dict]) -> list[ItemResult]:
    from nbformat import from_dict
    from nbgrader.utils import compute_checksum

    items = []
    for rc in rebuilt:
        if rc.grade_id is None:
            continue  # only graded cells (tests, manual answers) carry a grade_id
        gid = rc.grade_id
        if rc.role == Role.TEST:
            test = spec.tests[gid]
            item = ItemResult(gid, "auto", test.points, 0.0, answers=list(test.answers),
                              objective=test.objective, hint=test.hint)
            snapshot = execution.snapshots.get(gid)
            if snapshot is None:
                item.reason = Reason.NOT_RUN
                item.detail = REASON_TEXT["not-run"].format(names=", ".join(test.answers))
            else:
                problems = {k: str(v) for k, v in snapshot["problems"].items()}
                missing = [n for n in test.answers if problems.get(n) == "missing"]
                typed = {variable for variable, _ in spec.text_answers.values()}
                garbled = [n for n in test.answers if n in typed
                           and problems.get(n, "").startswith(f"{GARBLED}: ")]
                not_plain = [n for n in test.answers if n in problems
                             and n not in missing and n not in garbled]
                if garbled:
                    item.reason = Reason.GARBLED
                    item.detail = problems[garbled[0]].removeprefix(f"{GARBLED}: ")
                elif missing:
                    item.reason = Reason.MISSING
                    item.detail = REASON_TEXT["missing"].format(names=", ".join(missing))
                elif not_plain:
                    why = problems[not_plain[0]].removeprefix("not-plain: ")
                    item.reason = Reason.NOT_PLAIN
                    item.detail = REASON_TEXT["not-plain"].format(
                        names=", ".join(not_plain), why=why[:80])
                else:
                    outcome = test_results.get(gid)
                    if outcome and outcome.get("passed") is True:
                        item.score = test.points
                    elif outcome and outcome.get("from_checks"):
                        item.reason = Reason.CHECK
                        item.detail = str(outcome.get("message", ""))[:500]
                    else:
                        item.reason = Reason.ERROR
                        item.detail = REASON_TEXT["error"]
            items.append(item)
        elif rc.role in (Role.MANUAL, Role.MANUAL_CODE):
            points = spec.manual.get(gid, 0.0)
            item = ItemResult(gid, "manual", points, None)
            checksum = spec.release_checksums.get(gid)
            meta = _nbgrader(rc.cell)
            if checksum and meta.get("solution") and not meta.get("task"):
                try:
                    if compute_checksum(from_dict(rc.cell)) == checksum:
                        item.score, item.reason = 0.0, Reason.NO_RESPONSE
                        item.detail = "Je hebt hier nog geen antwoord ingevuld."
                except Exception:  # noqa: BLE001 - no checksum, no automatic zero
                    pass
            if not _source(rc.cell).strip() and meta.get("solution"):
                item.score, item.reason = 0.0, Reason.NO_RESPONSE
                item.detail = "Je hebt hier nog geen antwoord ingevuld."
            items.append(item)
    return items
