"""Runs INSIDE the sandbox: execute a learner's code cells and report, cell by cell.

Started by :mod:`ketencursus.grading.steps.execute` in the sandbox: its ``main()`` in a child
forked by the zygote (``_zygote.py``), or as ``python _learner_runner.py`` without one. It
reads one JSON job from stdin and writes JSON lines on its original stdout (the protocol
channel); both are defined once, in ``protocol.py`` (copied next to this file).

Nothing here is trusted by the grader: the learner's code runs in this process and can
rewrite any of it. That is harmless by design — everything the learner can influence is
their own answer values and outputs; hidden tests never reach this process, and the grader
parses every line defensively.

Standard library, IPython and ``protocol.py`` only; no ketencursus imports.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from typing import cast

try:  # in the sandbox: the copy next to this file; on the host (tests): the package's
    import protocol  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - exercised on the host only
    from ketencursus.grading import protocol

PLAIN_SCALARS = (int, float, str, bool, type(None))
MAX_DEPTH = protocol.MAX_DEPTH
MAX_ITEMS = protocol.MAX_ITEMS
MAX_VALUE_CHARS = protocol.MAX_VALUE_CHARS


class NotPlain(Exception):
    """A value that is not plain data (int, float, str, bool, None, list, dict)."""


def type_name(value: object) -> str:
    kind = type(value)
    module = getattr(kind, "__module__", "builtins")
    name = getattr(kind, "__qualname__", "?")
    return name if module == "builtins" else f"{module}.{name}"


_HEAPTYPE = 1 << 9  # Py_TPFLAGS_HEAPTYPE: every class defined in Python code has it
NUMPY_PLAIN = {
    **{name: float for name in ("float64", "float32", "float16")},
    **{name: int for name in ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
                              "uint64", "intc", "uintc", "longlong", "ulonglong")},
    "bool": bool, "bool_": bool, "str_": str,
}


def numpy_plain(value: object) -> object:
    """The plain value of a scalar of an EXACT numpy type (what pandas computes), else
    ``value`` unchanged; the same rule as ``ketencursus.checks.plain_scalar``: a C type
    exported by numpy under its own name; any class written in Python is not one."""
    kind = type(value)
    if kind.__flags__ & _HEAPTYPE or getattr(kind, "__module__", None) != "numpy":
        return value
    numpy = sys.modules.get("numpy")
    target = NUMPY_PLAIN.get(getattr(kind, "__name__", ""))
    if numpy is None or target is None or getattr(numpy, kind.__name__, None) is not kind:
        return value
    item = kind.item(value)
    return item if type(item) is target else value


def to_plain(value: object, depth: int = 0, counter: list[int] | None = None) -> object:
    """``value`` as plain data, checking EXACT types (no subclasses; a scalar of an exact
    numpy type becomes its plain value)."""
    counter = counter if counter is not None else [0]
    counter[0] += 1
    if counter[0] > MAX_ITEMS or depth > MAX_DEPTH:
        raise NotPlain("te groot of te diep genest")
    value = numpy_plain(value)
    kind = type(value)
    if kind in PLAIN_SCALARS:
        return value
    if kind is list:
        return [to_plain(item, depth + 1, counter) for item in list.__iter__(cast(list, value))]
    if kind is dict:
        result: dict[str, object] = {}
        for key, item in dict.items(cast(dict, value)):
            if type(key) is not str:
                raise NotPlain(f"een woordenboek met een sleutel van type {type_name(key)}")
            result[key] = to_plain(item, depth + 1, counter)
        return result
    raise NotPlain(f"type {type_name(value)}")


class Capture:
    """Outputs of the current cell, capped in size."""

    def __init__(self, text_limit: int, image_limit: int) -> None:
        self.text_limit = text_limit
        self.image_limit = image_limit
        self.reset()

    def reset(self) -> None:
        self.outputs: list[dict] = []
        self.text_used = 0
        self.truncated = False

    def _cap(self, text: str) -> str:
        room = self.text_limit - self.text_used
        if room <= 0:
            self.truncated = True
            return ""
        if len(text) > room:
            self.truncated = True
            text = text[:room]
        self.text_used += len(text)
        return text

    def stream(self, name: str, text: str) -> None:
        text = self._cap(text)
        if not text:
            return
        last = self.outputs[-1] if self.outputs else None
        if last and last.get("output_type") == "stream" and last.get("name") == name:
            last["text"] += text
        else:
            self.outputs.append({"output_type": "stream", "name": name, "text": text})

    def _bundle(self, data: dict) -> dict:
        bundle = {}
        for mime, content in (data or {}).items():
            if not isinstance(mime, str):
                continue
            # only what the grader lets through (it checks again: this process is the
            # learner's); HTML, Markdown, JavaScript, SVG and widget views never
            if mime in ("image/png", "image/jpeg"):
                if isinstance(content, str) and len(content) <= self.image_limit:
                    bundle[mime] = content
                else:
                    self.truncated = True
            elif mime == "text/plain":
                text = self._cap(content if isinstance(content, str) else str(content))
                if text:
                    bundle[mime] = text
        return bundle

    def display(self, data: dict) -> None:
        bundle = self._bundle(data)
        if bundle:
            self.outputs.append({"output_type": "display_data", "data": bundle, "metadata": {}})

    def result(self, data: dict, count: int) -> None:
        bundle = self._bundle(data)
        if bundle:
            self.outputs.append(
                {"output_type": "execute_result", "data": bundle, "metadata": {},
                 "execution_count": count}
            )

    def error(self, ename: str, evalue: str, traceback: list[str]) -> None:
        self.outputs.append(
            {"output_type": "error", "ename": self._cap(ename) or "Error",
             "evalue": self._cap(evalue), "traceback": [self._cap(line) for line in traceback]}
        )

    def finish(self) -> list[dict]:
        if self.truncated:
            self.outputs.append(
                {"output_type": "stream", "name": "stderr",
                 "text": "\n[uitvoer ingekort door de nakijkomgeving]\n"}
            )
        return self.outputs


class CappedStream:
    """A text stream that feeds :class:`Capture` (learner code may replace it: harmless)."""

    def __init__(self, capture: Capture, name: str) -> None:
        self.capture = capture
        self.name = name
        self.encoding = "utf-8"

    def write(self, text: object) -> int:
        text = str(text)
        if self.capture.text_used >= self.capture.text_limit:  # full: cheap from here on
            self.capture.truncated = True
            return len(text)
        self.capture.stream(self.name, text)
        return len(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        raise OSError("geen bestandsdescriptor in de nakijkomgeving")


def make_shell(capture: Capture):
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets import Type
    from traitlets.config import Config

    class CapturePublisher(DisplayPublisher):
        def publish(self, data, metadata=None, source=None, *, transient=None, update=False,
                    **kwargs):
            capture.display(data)

        def clear_output(self, wait=False):
            capture.outputs = [o for o in capture.outputs if o.get("output_type") == "error"]

    class CaptureHook(DisplayHook):
        def write_output_prompt(self):
            pass

        def write_format_data(self, format_dict, md_dict=None):
            capture.result(format_dict, self.prompt_count)

        def finish_displayhook(self):
            pass

    class GradingShell(InteractiveShell):
        displayhook_class = Type(CaptureHook)
        display_pub_class = Type(CapturePublisher)

        def _showtraceback(self, etype, evalue, stb):
            name = getattr(etype, "__name__", "Error")
            try:
                text = str(evalue)
            except Exception:
                text = ""
            capture.error(name, text, [str(line) for line in stb][-20:])

        def enable_gui(self, gui=None):
            pass

    config = Config()
    config.HistoryManager.enabled = False
    config.InteractiveShell.colors = "nocolor"
    config.InteractiveShell.autocall = 0
    config.InteractiveShell.cache_size = 0
    return GradingShell.instance(config=config)


def warm_up() -> None:
    """Import what the grading shell needs (in the zygote, before any learner exists): a
    shell is made and thrown away, so no instance and no namespace is kept."""
    shell = make_shell(Capture(1, 1))
    type(shell).clear_instance()


def main() -> None:
    job = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    # Keep the protocol channel private: fds 1 and 2 (and the learner's subprocesses) go
    # to /dev/null; the shell's output is captured in Python.
    channel = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    stdin_null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(stdin_null, 0)

    def send(message: dict) -> None:
        try:
            channel.write(protocol.dumps(message) + "\n")
            channel.flush()
        except Exception as exc:  # an unserialisable output: report that instead
            channel.write(protocol.dumps({"t": "protocol-error", "error": str(exc)[:200]})
                          + "\n")

    capture = Capture(int(job["output_limit"]), int(job["image_limit"]))
    sys.stdout = CappedStream(capture, "stdout")
    sys.stderr = CappedStream(capture, "stderr")
    shell = make_shell(capture)
    timeout = float(job["cell_timeout"])
    send({protocol.KIND: protocol.READY})  # before any learner code: the sandbox works

    def on_alarm(signum, frame):
        raise KeyboardInterrupt("tijdslimiet van de cel overschreden")

    for step in job["steps"]:
        if step["kind"] == protocol.STEP_CODE:
            capture.reset()
            send({protocol.KIND: protocol.START, "cell": step["cell"]})
            signal.signal(signal.SIGALRM, on_alarm)
            signal.setitimer(signal.ITIMER_REAL, timeout)
            status = "ok"
            try:
                result = shell.run_cell(step["source"], store_history=True)
                if not result.success:
                    status = "error"
            except BaseException as exc:  # noqa: BLE001 - a learner's escape from run_cell
                status = "error"
                capture.error(type(exc).__name__, str(exc)[:500], [])
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            sys.stdout = CappedStream(capture, "stdout")
            sys.stderr = CappedStream(capture, "stderr")
            send({protocol.KIND: protocol.DONE, "cell": step["cell"], "status": status,
                  "outputs": capture.finish()})
        elif step["kind"] == protocol.STEP_SNAPSHOT:
            values: dict = {}
            problems: dict = {}
            namespace = shell.user_ns
            for name in step["names"]:
                if name not in namespace:
                    problems[name] = protocol.MISSING
                    continue
                try:
                    value = to_plain(namespace[name])
                    if len(json.dumps(value, allow_nan=True)) > MAX_VALUE_CHARS:
                        raise NotPlain("te groot")
                    values[name] = value
                except NotPlain as exc:
                    problems[name] = f"not-plain: {exc}"
                except Exception as exc:  # noqa: BLE001 - e.g. an int too long to print
                    problems[name] = f"not-plain: {type(exc).__name__}"
            send({protocol.KIND: protocol.SNAPSHOT, "test": step["test"], "values": values,
                  "problems": problems})
    send({protocol.KIND: protocol.END})
    channel.close()
    os._exit(0)


if __name__ == "__main__":
    main()
