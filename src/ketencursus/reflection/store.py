"""Persist a learner's workbook to one JSON file, safely.

- Location: ``$KETENCURSUS_ANSWERS`` if set, else ``~/ketencursus-reflecties/antwoorden.json``
  (on Binder ``~`` is the checkout the learner sees in the file browser). Independent of the
  notebook that writes it, so all exercises share one file.
- Every change is a read-modify-write under a file lock (``antwoorden.json.lock``), so two
  notebooks writing at once lose nothing.
- Writes are atomic: a temporary file in the same directory, flushed and fsynced, then
  renamed over the old one. A crash before the rename leaves the previous file intact.
- A corrupt or unreadable file is never silently replaced: it is moved aside to
  ``antwoorden.beschadigd-<tijd>.json`` and a Dutch notice tells the learner where it is.
- Nothing is written until the learner changes an answer (loading never creates files), so
  executing a reflection notebook in the book build writes nothing.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from ketencursus.errors import UserError

from .model import Exercise, SchemaError, Workbook

ENV_VAR = "KETENCURSUS_ANSWERS"
DEFAULT_DIR_NAME = "ketencursus-reflecties"
DEFAULT_FILE_NAME = "antwoorden.json"

# Indirection so tests can simulate a crash between writing the temporary file and renaming it.
_replace = os.replace


def default_answers_path() -> Path:
    """Where the answers live: ``$KETENCURSUS_ANSWERS``, else
    ``~/ketencursus-reflecties/antwoorden.json``."""
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return Path(env).expanduser().resolve()
    return Path.home() / DEFAULT_DIR_NAME / DEFAULT_FILE_NAME


class StoreError(UserError, RuntimeError):
    """Saving or reading failed in a way the learner must act on; ``str()`` is Dutch."""


@dataclass(frozen=True)
class RecoveryNotice:
    """A corrupt/unreadable answers file was moved aside; tell the learner."""

    original: Path
    backup: Path
    reason: str

    def message(self) -> str:
        return (
            f"Je antwoordenbestand {self.original} kon niet gelezen worden ({self.reason}). "
            f"Het is niet weggegooid: het staat nu als reservekopie in {self.backup}. "
            "Je begint met een leeg antwoordenbestand. Heb je een gedownload portfolio? "
            "Importeer dat dan om je antwoorden terug te zetten, of vraag je docent om hulp "
            "bij het herstellen van de reservekopie."
        )


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically (temporary file + fsync + rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        _replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    try:
        dir_fd = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


class AnswerStore:
    """The learner's answers file. Each operation takes the lock, so instances in different
    processes (two notebooks) can safely share one file."""

    def __init__(self, path: Path | str | None = None, *, lock_timeout: float = 15.0) -> None:
        self.path = Path(path) if path is not None else default_answers_path()
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self.lock_timeout = lock_timeout
        self.notices: list[RecoveryNotice] = []

    # -- locking
    def _lock(self) -> FileLock:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"De map {self.path.parent} kan niet worden gemaakt ({exc.strerror}). "
                f"Zet de omgevingsvariabele {ENV_VAR} op een bestand in een map waar je mag "
                "schrijven."
            ) from exc
        return FileLock(self.lock_path, timeout=self.lock_timeout)

    def _locked(self, action: Callable[[], Any]) -> Any:
        try:
            with self._lock():
                return action()
        except Timeout:
            raise StoreError(
                f"Het antwoordenbestand {self.path} is al {self.lock_timeout:.0f} seconden "
                "bezet door een ander notebook. Probeer het zo nog eens; je invoer staat nog in "
                "het invulveld."
            ) from None
        except OSError as exc:  # e.g. the lock file cannot be created in a read-only folder
            raise StoreError(
                f"Het antwoordenbestand {self.path} kan niet worden vergrendeld "
                f"({exc.strerror or exc}). Zet {ENV_VAR} op een bestand in een map waar je mag "
                "schrijven; je invoer staat nog in het invulveld."
            ) from exc

    # -- reading
    def _backup_path(self) -> Path:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        candidate = self.path.with_name(f"{self.path.stem}.beschadigd-{stamp}{self.path.suffix}")
        number = 1
        while candidate.exists():
            number += 1
            candidate = self.path.with_name(
                f"{self.path.stem}.beschadigd-{stamp}-{number}{self.path.suffix}"
            )
        return candidate

    def _read_recovering(self) -> Workbook:
        """Read the workbook; call with the lock held. Moves a bad file aside (with notice)."""
        if not self.path.exists():
            return Workbook()
        try:
            raw = self.path.read_bytes()
            data = json.loads(raw.decode("utf-8"))
            return Workbook.from_dict(data)
        except OSError as exc:
            reason = f"het bestand is niet leesbaar: {exc.strerror or exc}"
        except UnicodeDecodeError:
            reason = "het bestand is geen UTF-8-tekst"
        except json.JSONDecodeError as exc:
            reason = f"het bestand is geen geldige JSON (regel {exc.lineno}, kolom {exc.colno})"
        except SchemaError as exc:
            reason = str(exc).rstrip(".")
        backup = self._backup_path()
        try:
            os.replace(self.path, backup)
        except OSError as exc:
            raise StoreError(
                f"Je antwoordenbestand {self.path} is onleesbaar ({reason}) en kon niet opzij "
                f"worden gezet ({exc.strerror}). Er is niets overschreven. Verplaats het bestand "
                "zelf of zet KETENCURSUS_ANSWERS op een ander bestand."
            ) from exc
        self.notices.append(RecoveryNotice(self.path, backup, reason))
        return Workbook()

    def load(self) -> Workbook:
        """The current workbook. Does not create the file; a bad file is moved aside."""
        if not self.path.exists():
            return Workbook()
        return self._locked(self._read_recovering)

    # -- writing
    def _write(self, workbook: Workbook) -> None:
        text = json.dumps(workbook.to_dict(), ensure_ascii=False, indent=2, sort_keys=True)
        try:
            atomic_write_text(self.path, text + "\n")
        except OSError as exc:
            raise StoreError(
                f"Opslaan in {self.path} is mislukt ({exc.strerror or exc}). Je invoer staat nog "
                "in het invulveld; download je portfolio als reserve en controleer of de schijf "
                "vol is of de map schrijfbaar."
            ) from exc

    def update(self, mutate: Callable[[Workbook], Any]) -> Workbook:
        """Read, apply ``mutate`` (changes the workbook in place), write; all under the lock."""

        def action() -> Workbook:
            workbook = self._read_recovering()
            mutate(workbook)
            self._write(workbook)
            return workbook

        return self._locked(action)

    def set_answer(self, exercise: Exercise, prompt_id: str, value: Any) -> Workbook:
        """Validate and save one answer (``ValidationError`` leaves the file untouched)."""
        exercise.prompt(prompt_id).validate(value)
        return self.update(lambda wb: wb.set(exercise, prompt_id, value))

    def replace_all(self, workbook: Workbook) -> None:
        """Write ``workbook`` as the whole file (used after an import merged into it)."""
        self._locked(lambda: self._write(workbook))

    def backup_copy(self, label: str) -> Path | None:
        """Copy the current file to ``antwoorden.<label>-<tijd>.json`` (e.g. before an import)."""

        def action() -> Path | None:
            if not self.path.exists():
                return None
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            target = self.path.with_name(f"{self.path.stem}.{label}-{stamp}{self.path.suffix}")
            atomic_write_text(target, self.path.read_text(encoding="utf-8"))
            return target

        return self._locked(action)

    def write_side_file(self, name: str, text: str) -> Path:
        """Write a file next to the answers (the portfolio copies), atomically."""
        target = self.path.with_name(name)
        atomic_write_text(target, text)
        return target
