"""Step 2: read the learner's notebook, never through a link (hostile input: a zero and a Dutch
note, never an exception).
"""

from __future__ import annotations

import errno
import json
import os
import stat
from pathlib import Path

from ketencursus.grading import protocol
from ketencursus.grading.course import SUBMITTED, Course

MAX_NOTEBOOK_BYTES = 50 * 1024 * 1024


class NotebookProblem(Exception):
    """The submitted notebook cannot be graded; the message is Dutch, for the learner."""


LINK_PROBLEM = (
    "{what} in je inzending is een koppeling (een symbolische of harde link naar een ander "
    "bestand), geen gewoon bestand. Zo'n inzending wordt niet gelezen en niet nagekeken. "
    "Lever het notebook zelf in (Bestand → Downloaden in Jupyter) en lever opnieuw in."
)


def _open_nofollow(name: str, dir_fd: int | None, directory: bool, what: str) -> int:
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK
    if directory:
        flags |= os.O_DIRECTORY
    try:
        return os.open(name, flags, dir_fd=dir_fd)
    except FileNotFoundError:
        raise
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR, errno.EMLINK):
            raise NotebookProblem(LINK_PROBLEM.format(what=what)) from None
        raise


def read_submission_file(course: Course, student: str, assignment: str, name: str,
                         limit: int = MAX_NOTEBOOK_BYTES, what: str | None = None) -> bytes:
    """The bytes of ``submitted/<student>/<assignment>/<name>``, never read through a link.

    Every component below the course root is opened with ``O_NOFOLLOW`` relative to its
    parent (``openat``), so a symbolic link anywhere in the learner's part of the path (the
    learner's folder, the assignment folder, the file) is refused, as is a hard link
    (``st_nlink > 1``), a FIFO or a device; nothing is read past ``limit``. Raises
    :class:`FileNotFoundError` when it is missing and :class:`NotebookProblem` otherwise."""
    what = what or f"Het bestand {name}"
    parts = [(student, "Je map"), (assignment, "De map van de opdracht")]
    # the course root and submitted/ are the instructor's (may be links, e.g. to a disk)
    root = os.open(course.root / SUBMITTED, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    fds = [root]
    try:
        for part, label in parts:
            fds.append(_open_nofollow(part, fds[-1], True, label))
        fd = _open_nofollow(name, fds[-1], False, what)
        fds.append(fd)
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotebookProblem(
                f"{what} in je inzending is geen gewoon bestand. Lever het notebook zelf in."
            )
        if info.st_nlink != 1:
            raise NotebookProblem(LINK_PROBLEM.format(what=what))
        if info.st_size > limit:
            raise NotebookProblem(
                f"{what} is groter dan {limit // (1024 * 1024)} MB. Wis de uitvoer "
                "(Kernel → Restart & Clear Output), sla op en lever opnieuw in."
            )
        os.set_blocking(fd, True)
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise NotebookProblem(f"{what} is te groot. Wis de uitvoer en lever opnieuw in.")
        return b"".join(chunks)
    finally:
        for fd in reversed(fds):
            os.close(fd)


def parse_learner_notebook(raw: bytes, name: str) -> dict:
    """The learner's notebook as a dict; a broken one raises :class:`NotebookProblem`."""
    try:
        nb = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise NotebookProblem(
            f"Het bestand {name} is geen geldig notebook (geen geldige JSON); het is "
            "waarschijnlijk beschadigd of met een andere editor bewerkt. Open je opdracht "
            "opnieuw in Jupyter, sla op en lever opnieuw in."
        ) from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise NotebookProblem(
            f"Het bestand {name} heeft niet de opbouw van een Jupyter-notebook (geen "
            "lijst met cellen). Lever het notebook in dat je in Jupyter hebt gemaakt."
        )
    major = nb.get("nbformat")
    if major != 4:
        shown = major if type(major) in (int, float, str) else "?"
        raise NotebookProblem(
            f"Het notebook {name} heeft notebookformaat {protocol.clean_text(repr(shown), 40)}; "
            "verwacht is formaat 4. Open het in een recente Jupyter (JupyterLab of Notebook 7), "
            "sla op en lever opnieuw in."
        )
    return nb


def _missing_notebook(name: str) -> NotebookProblem:
    return NotebookProblem(
        f"Het notebook {name} ontbreekt in je inzending. Lever het notebook in met "
        "precies deze naam."
    )


def read_learner_notebook(path: Path) -> dict:
    """Read and parse one notebook file (the file itself never through a link)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        raise _missing_notebook(path.name) from None
    if stat.S_ISLNK(info.st_mode) or (stat.S_ISREG(info.st_mode) and info.st_nlink != 1):
        raise NotebookProblem(LINK_PROBLEM.format(what=f"Het notebook {path.name}"))
    if not stat.S_ISREG(info.st_mode):
        raise _missing_notebook(path.name)
    if info.st_size > MAX_NOTEBOOK_BYTES:
        raise NotebookProblem(
            f"Het notebook {path.name} is groter dan {MAX_NOTEBOOK_BYTES // (1024 * 1024)} MB. "
            "Wis de uitvoer (Kernel → Restart & Clear Output), sla op en lever opnieuw in."
        )
    fd = _open_nofollow(str(path), None, False, f"Het notebook {path.name}")
    with os.fdopen(fd, "rb") as handle:
        raw = handle.read(MAX_NOTEBOOK_BYTES + 1)
    return parse_learner_notebook(raw, path.name)


def read_submitted_notebook(course: Course, student: str, assignment: str, name: str) -> dict:
    """Step 2 as the pipeline runs it: the submitted notebook, read safely and parsed."""
    try:
        raw = read_submission_file(course, student, assignment, name,
                                   what=f"Het notebook {name}")
    except FileNotFoundError:
        raise _missing_notebook(name) from None
    return parse_learner_notebook(raw, name)
