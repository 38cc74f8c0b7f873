"""Runs INSIDE the sandbox, in a process no learner code ever ran in: the hidden tests of one
submission.

Forked by the zygote (``_zygote.py``: a copy of a process that never ran learner code, not
of the learner's child), or, without a zygote, started as ``python -E -s -S _test_runner.py``
next to the ``ketencursus`` package (only the standard library and the pure checks are
needed). Reads one JSON job from stdin and
writes one ``result`` line per test and an ``end`` line (``protocol.py``, copied next to this
file, defines both).

Each test's code runs in its own namespace holding the public check functions and ONLY the
answer values declared for it, deserialised from JSON here (plain data; no learner object
ever exists in this process).

``from_checks`` tells whether the failure was raised inside ``ketencursus.checks`` (whose
messages are written for learners and never reveal an expected value).
"""

from __future__ import annotations

import builtins
import io
import json
import os
import signal
import sys
import traceback

try:  # in the sandbox: the copy next to this file; on the host: the package's
    import protocol  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - on the host only
    from ketencursus.grading import protocol


def main() -> None:
    job = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    channel = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)

    import ketencursus.checks as checks

    checks_file = os.path.realpath(checks.__file__)
    public = {name: getattr(checks, name) for name in checks.__all__}
    timeout = float(job["timeout"])

    def on_alarm(signum, frame):
        raise TimeoutError("de test duurde te lang")

    signal.signal(signal.SIGALRM, on_alarm)
    for test in job["tests"]:
        namespace = {"__name__": "__hidden_test__", "__builtins__": builtins}
        namespace.update(public)
        namespace.update(test["values"])
        sys.stdout = io.StringIO()
        result = {protocol.KIND: protocol.RESULT, "test": test["test"], "passed": True,
                  "error": None, "message": "", "from_checks": False}
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            exec(compile(test["code"], f"<verborgen test {test['test']}>", "exec"), namespace)
        except BaseException as exc:  # noqa: BLE001 - every failure is a failed test
            frames = traceback.extract_tb(exc.__traceback__)
            result.update(
                passed=False,
                error=type(exc).__name__,
                message=str(exc)[:1000],
                from_checks=bool(frames)
                and os.path.realpath(frames[-1].filename) == checks_file
                and isinstance(exc, AssertionError),
            )
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        channel.write(protocol.dumps(result) + "\n")
    channel.write(protocol.dumps({protocol.KIND: protocol.END}) + "\n")
    channel.close()


if __name__ == "__main__":
    main()
