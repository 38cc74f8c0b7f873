"""Step 5: run the learner's code in the sandbox; every line back is parsed defensively and
every output sanitised.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
import select
import time
from dataclasses import dataclass, field
from typing import Any, cast

from ketencursus.grading import protocol
from ketencursus.grading import sandbox as sb
from ketencursus.grading.results import CellStatus


@dataclass
class Execution:
    outputs: dict[int, list[dict]] = field(default_factory=dict)
    status: dict[int, str] = field(default_factory=dict)  # ok|error|timeout|crashed|not-run
    snapshots: dict[str, dict] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # Dutch, learner-safe
    log: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


EXIT_GRACE = 2.0  # seconds the channel may stay open after the child's process ended


def _read_protocol(proc, deadline_for, limits: sb.Limits, on_message, log) -> str:
    """Read protocol lines from ``proc.stdout`` until EOF/end; return how it ended:
    "end", "eof", "timeout", "flood" or "lost" (a child forked by the zygote whose zygote
    or keeper died: the sandbox's failure). Every line is hostile: too long, not UTF-8, not
    JSON, not an object, or a message ``on_message`` cannot use is logged and skipped;
    nothing in here raises because of what the sandbox sent."""
    fd = proc.stdout.fileno()
    forked = isinstance(proc, sb.ForkedProcess)
    exited_at: float | None = None  # when the keeper reported the child's end
    buffer = bytearray()
    total = 0
    skipped = 0
    dropping = False  # inside a line longer than protocol.MAX_LINE_BYTES
    try:
        while True:
            now = time.monotonic()
            remaining = deadline_for() - now
            if remaining <= 0:
                return "timeout"
            if exited_at is not None:
                if now - exited_at > EXIT_GRACE:
                    return "eof"  # the child is gone; whatever still holds the pipe is not it
                remaining = min(remaining, EXIT_GRACE)
            watch = [fd]
            if forked and exited_at is None and proc.status_fd >= 0:
                watch.append(proc.status_fd)
            ready, _, _ = select.select(watch, [], [], min(remaining, 0.5))
            if forked and exited_at is None and (fd not in ready or len(ready) > 1):
                if proc.sandbox_lost():
                    return "lost"
                if proc.returncode is not None:
                    exited_at = time.monotonic()
            if fd not in ready:
                continue
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return "eof"
            total += len(chunk)
            if total > limits.protocol_limit:
                return "flood"
            start = 0
            while True:
                newline = chunk.find(b"\n", start)
                if newline < 0:
                    if not dropping:
                        buffer += chunk[start:]
                        if len(buffer) > protocol.MAX_LINE_BYTES:
                            buffer.clear()
                            dropping = True
                            skipped += 1
                    break
                if dropping:
                    dropping = False
                else:
                    buffer += chunk[start:newline]
                    message = protocol.loads(bytes(buffer))
                    buffer.clear()
                    if type(message) is not dict:
                        skipped += 1
                    else:
                        try:
                            if on_message(message):
                                return "end"
                        except Exception as exc:  # noqa: BLE001 - a message we cannot use
                            skipped += 1
                            log.append(f"onbruikbaar bericht genegeerd ({type(exc).__name__})")
                start = newline + 1
    finally:
        if skipped:
            log.append(f"{skipped} onleesbare regel(s) van de sandbox genegeerd")


_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?")
IMAGE_MAGIC = {"image/png": b"\x89PNG\r\n\x1a\n", "image/jpeg": b"\xff\xd8\xff"}
OUTPUT_TEXT_LIMIT = 100_000  # characters of learner text per cell the grader keeps at most


def output_text(value: object, limit: int = OUTPUT_TEXT_LIMIT) -> str:
    """Learner text for an output: terminal escapes removed, then :func:`protocol.clean_text`
    (no lone surrogates, NUL or control characters; long lines and the whole cut)."""
    if type(value) is not str:
        return ""
    return protocol.clean_text(_ANSI.sub("", value[: limit * 2]), limit)


def valid_image(mime: str, content: object, limit: int) -> str | None:
    """``content`` if it is base64 of a real PNG/JPEG of at most ``limit`` characters."""
    if type(content) is not str or len(content) > limit or mime not in IMAGE_MAGIC:
        return None
    compact = "".join(content.split())
    try:
        data = base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        return None
    return compact if data.startswith(IMAGE_MAGIC[mime]) else None


def sanitize_outputs(outputs: object, limit: int = 200, image_limit: int = 400_000
                     ) -> list[dict]:
    """Learner-controlled output dicts (from the sandbox, possibly forged), rebuilt as valid
    nbformat v4 outputs that hold ONLY plain text (streams, ``text/plain``, error text) and
    validated PNG/JPEG images: HTML, Markdown, JavaScript, SVG, LaTeX, widget views and any
    metadata are dropped, so nothing of the learner's runs in the instructor's formgrader.
    Unknown kinds and fields are dropped; the result always validates."""
    clean: list[dict] = []
    if type(outputs) is not list:
        return clean
    budget = OUTPUT_TEXT_LIMIT
    for out in outputs[:limit]:
        if type(out) is not dict:
            continue
        kind = out.get("output_type")
        if kind == "stream":
            name = "stderr" if out.get("name") == "stderr" else "stdout"
            text = output_text(out.get("text"), budget)
            budget -= len(text)
            clean.append({"output_type": "stream", "name": name, "text": text})
        elif kind in ("display_data", "execute_result"):
            data: Any = out.get("data") if type(out.get("data")) is dict else {}
            bundle: dict[str, str] = {}
            if "text/plain" in data:
                bundle["text/plain"] = output_text(data["text/plain"], budget)
                budget -= len(bundle["text/plain"])
            for mime in IMAGE_MAGIC:
                image = valid_image(mime, data.get(mime), image_limit)
                if image is not None:
                    bundle[mime] = image
            item: dict = {"output_type": kind, "data": bundle, "metadata": {}}
            if kind == "execute_result":
                count = out.get("execution_count")
                item["execution_count"] = count if protocol.safe_int(count) is not None \
                    else None
            clean.append(item)
        elif kind == "error":
            trace: Any = out.get("traceback") if type(out.get("traceback")) is list else []
            clean.append({"output_type": "error",
                          "ename": output_text(out.get("ename"), 200) or "Error",
                          "evalue": output_text(out.get("evalue"), 2000),
                          "traceback": [output_text(line, 2000) for line in trace[:50]]})
        budget = max(budget, 0)
    return clean


def run_learner_code(session: sb.Session, steps: list[dict], limits: sb.Limits,
                     deadline: float | None = None) -> Execution:
    """Run the learner's cells in the sandbox; ``deadline`` (``time.monotonic()``) ends the
    whole submission's run (the per-submission wall-clock limit) whatever each cell does.
    Raises :class:`ketencursus.grading.sandbox.SandboxError` when the sandbox did not start
    (no ``ready`` message): that is the grader's failure, never the learner's."""
    result = Execution()
    code_cells = [s["cell"] for s in steps if s["kind"] == protocol.STEP_CODE]
    job = {"steps": steps, "cell_timeout": limits.cell_timeout,
           "output_limit": limits.output_limit, "image_limit": limits.image_limit}
    started = time.monotonic()
    if deadline is None:
        deadline = started + limits.submission_timeout
    proc = session.spawn(sb.LEARNER_RUNNER.name, ["-E", "-s"])
    state: dict = {"cell": None, "since": started, "ready": False, "ready_at": started}
    valid_cells = set(code_cells)
    snapshot_ids = {s["test"] for s in steps if s["kind"] == protocol.STEP_SNAPSHOT}
    try:
        try:
            assert proc.stdin is not None  # spawned with stdin=PIPE
            proc.stdin.write(json.dumps(job).encode("utf-8"))
            proc.stdin.close()
        except (BrokenPipeError, OSError):
            pass

        def on_message(message: dict) -> bool:
            kind = message.get(protocol.KIND)
            if kind == protocol.READY:
                state["ready"] = True
                state["since"] = state["ready_at"] = time.monotonic()
                return False
            if not state["ready"]:
                return False
            cell = protocol.safe_int(message.get("cell"))
            if kind == protocol.START and cell in valid_cells:
                state["cell"], state["since"] = cell, time.monotonic()
            elif kind == protocol.DONE and cell is not None and cell in valid_cells:
                result.outputs[cell] = sanitize_outputs(message.get("outputs"),
                                                        image_limit=limits.image_limit)
                status = message.get("status")
                if status not in (protocol.STATUS_OK, protocol.STATUS_ERROR):
                    status = protocol.STATUS_ERROR
                if status == protocol.STATUS_ERROR \
                        and time.monotonic() - state["since"] >= limits.cell_timeout:
                    status = CellStatus.TIMEOUT
                result.status[cell] = status
                state["cell"], state["since"] = None, time.monotonic()
            elif kind == protocol.SNAPSHOT:
                parsed = protocol.parse_snapshot(message)
                if parsed is not None and parsed[0] in snapshot_ids:
                    result.snapshots[parsed[0]] = cast(dict, parsed[1])
            elif kind == protocol.END:
                return True
            return False

        def cell_deadline() -> float:
            # Start-up (interpreter, IPython) and between cells: generous; within a cell: the
            # cell timeout plus a grace period for the in-sandbox interrupt to work; never
            # past the submission's deadline.
            if state["cell"] is None:
                own = state["since"] + max(60.0, limits.cell_timeout)
            else:
                own = state["since"] + limits.cell_timeout + limits.grace
            return min(own, deadline)

        ended = _read_protocol(proc, cell_deadline, limits, on_message, result.log)
        running = state["cell"]
        if ended == "end":
            try:
                proc.wait(timeout=5)
            except Exception:  # noqa: BLE001
                pass
    finally:
        session.kill(proc)
    if ended == "lost" or (ended != "end" and getattr(proc, "lost", False)):
        # the zygote or the child's keeper died (never the learner's doing: neither is
        # reachable from the sandbox): the grader's failure, graded again
        raise sb.SandboxError(f"de sandbox viel weg ({ended}) tijdens cel {state['cell']}")
    if not state["ready"]:
        raise sb.SandboxError(
            f"de sandbox startte niet ({ended}): "
            f"{session.launcher_errors(sb.LEARNER_RUNNER.name)}"
        )
    over_total = ended == "timeout" and time.monotonic() >= deadline - 0.01
    if over_total:
        result.log.append(f"tijdslimiet per inzending: cel {running} gestopt, sandbox beëindigd")
        if running is not None:
            result.status[running] = CellStatus.TIMEOUT
        result.notes.append(
            f"Je notebook deed er in totaal langer over dan {limits.submission_timeout:.0f} "
            "seconden; de nakijkomgeving is gestopt. Latere cellen zijn niet uitgevoerd."
        )
    elif ended == "timeout":
        result.log.append(f"tijdslimiet: cel {running} gestopt, sandbox beëindigd")
        if running is not None:
            result.status[running] = CellStatus.TIMEOUT
        result.notes.append(
            f"Een cel liep langer dan {limits.cell_timeout:.0f} seconden en liet zich niet "
            "onderbreken; de nakijkomgeving is gestopt. Latere cellen zijn niet uitgevoerd."
        )
    elif ended == "flood":
        result.log.append("te veel uitvoer: sandbox beëindigd")
        result.notes.append(
            "Je code gaf zo veel uitvoer dat de nakijkomgeving is gestopt. Latere cellen zijn "
            "niet uitgevoerd."
        )
    elif ended == "eof":
        result.log.append(f"leerlingproces stopte tijdens cel {running} (code {proc.returncode})")
        errors = session.launcher_errors(sb.LEARNER_RUNNER.name)
        if errors:
            result.log.append(f"stderr bij het starten: {protocol.clean_text(errors, 600)}")
        if running is not None:
            result.status[running] = CellStatus.CRASHED
        result.notes.append(
            "Het Python-proces van je notebook stopte voortijdig (bijvoorbeeld door os._exit, "
            "een crash of te veel geheugengebruik). Latere cellen zijn niet uitgevoerd."
        )
    for cell in code_cells:
        result.status.setdefault(cell, CellStatus.NOT_RUN)
    now = time.monotonic()
    result.timings = {"sandbox_start": state["ready_at"] - started,
                      "learner_code": now - state["ready_at"]}
    result.log.append(f"leerlingcode: {now - started:.2f} s, einde: {ended}")
    return result
