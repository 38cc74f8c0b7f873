"""Step 6: the hidden tests, in a fresh sandbox (a new child of the zygote, or a new
interpreter without one), against plain answer values only.
"""

from __future__ import annotations

import json
import time

from ketencursus.grading import protocol
from ketencursus.grading import sandbox as sb
from ketencursus.grading.steps.execute import (
    _read_protocol,
)


def run_hidden_tests(session: sb.Session, tests: list[dict], limits: sb.Limits,
                     log: list[str]) -> dict[str, dict]:
    """``tests``: [{"test", "code", "values"}] -> {test: outcome (protocol.TestOutcome)}.

    No learner code runs here (the values are plain data), so a test runner that does not
    finish (crash, timeout, no ``end``) is the grader's failure: it raises
    :class:`ketencursus.grading.sandbox.SandboxError` (retried, then an internal error),
    never a learner's zero."""
    if not tests:
        return {}
    results: dict[str, dict] = {}
    names = {t["test"] for t in tests}
    proc = session.spawn(sb.TEST_RUNNER.name, ["-E", "-s", "-S"])
    deadline = time.monotonic() + 30 + limits.test_timeout * len(tests)
    try:
        try:
            assert proc.stdin is not None  # spawned with stdin=PIPE
            proc.stdin.write(json.dumps({"tests": tests, "timeout": limits.test_timeout},
                                        allow_nan=True).encode())
            proc.stdin.close()
        except (BrokenPipeError, OSError):
            pass

        def on_message(message: dict) -> bool:
            if message.get(protocol.KIND) == protocol.END:
                return True
            outcome = protocol.parse_outcome(message)
            if outcome is not None and outcome["test"] in names:
                results[outcome["test"]] = dict(outcome)
            return False

        ended = _read_protocol(proc, lambda: deadline, limits, on_message, log)
    finally:
        session.kill(proc)
    if ended != "end" or set(results) != names:
        raise sb.SandboxError(
            f"testproces eindigde onverwacht ({ended}, {len(results)}/{len(names)} tests) "
            f"{session.launcher_errors(sb.TEST_RUNNER.name)}"
        )
    return results
