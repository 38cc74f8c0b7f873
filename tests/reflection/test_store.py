"""The answers file: location, atomic writes, locking between processes, and recovery from a
corrupt file (backed up and reported, never silently emptied)."""

from __future__ import annotations

import json
import multiprocessing
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from filelock import FileLock

from ketencursus.reflection import store as store_module
from ketencursus.reflection.exercises import EXERCISES
from ketencursus.reflection.model import ValidationError
from ketencursus.reflection.store import (
    ENV_VAR,
    AnswerStore,
    StoreError,
    default_answers_path,
)

ACTIEPLAN = EXERCISES["actieplan"]
CULTUURSCAN = EXERCISES["cultuurscan"]
OLIFANTENPAADJES = EXERCISES["olifantenpaadjes"]


def test_default_location_is_env_var_else_home(monkeypatch, tmp_path):
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "x.json"))
    assert default_answers_path() == (tmp_path / "x.json").resolve()
    monkeypatch.delenv(ENV_VAR)
    monkeypatch.setenv("HOME", str(tmp_path / "thuis"))
    expected = tmp_path / "thuis" / "ketencursus-reflecties" / "antwoorden.json"
    assert default_answers_path() == expected


def test_loading_a_missing_file_creates_nothing(tmp_path):
    path = tmp_path / "leeg" / "antwoorden.json"
    wb = AnswerStore(path).load()
    assert wb.count() == 0
    assert not path.parent.exists()


def test_every_change_is_saved_and_read_back(store, answers_path):
    store.set_answer(CULTUURSCAN, "c01", 4)
    store.set_answer(ACTIEPLAN, "ketendoel", "Samen zaken volgen")
    fresh = AnswerStore(answers_path).load()
    assert fresh.get("cultuurscan", "c01") == 4
    assert fresh.get("actieplan", "ketendoel") == "Samen zaken volgen"
    on_disk = json.loads(answers_path.read_text(encoding="utf-8"))
    assert on_disk["answers"]["actieplan"]["ketendoel"]["value"] == "Samen zaken volgen"


def test_invalid_answer_leaves_file_untouched(store, answers_path):
    store.set_answer(CULTUURSCAN, "c01", 4)
    before = answers_path.read_bytes()
    with pytest.raises(ValidationError):
        store.set_answer(CULTUURSCAN, "c01", 7)
    assert answers_path.read_bytes() == before


def test_crash_between_write_and_rename_keeps_previous_file(store, answers_path, monkeypatch):
    store.set_answer(ACTIEPLAN, "ketendoel", "eerste versie")
    before = answers_path.read_bytes()

    def crash(src, dst):
        raise OSError(5, "Simulated crash before rename")

    monkeypatch.setattr(store_module, "_replace", crash)
    with pytest.raises(StoreError, match="Opslaan .* mislukt"):
        store.set_answer(ACTIEPLAN, "ketendoel", "tweede versie")
    assert answers_path.read_bytes() == before
    assert [p.name for p in answers_path.parent.iterdir() if p.suffix == ".tmp"] == []
    monkeypatch.undo()
    assert AnswerStore(answers_path).load().get("actieplan", "ketendoel") == "eerste versie"


def test_process_killed_between_write_and_rename_keeps_previous_file(store, answers_path):
    """A real crash: the writing process dies (os._exit) after the temporary file is written
    and fsynced, before the rename. The previous file must be intact and loadable."""
    store.set_answer(ACTIEPLAN, "ketendoel", "veilig opgeslagen")
    before = answers_path.read_bytes()
    script = textwrap.dedent(
        f"""
        import os
        from ketencursus.reflection import store
        from ketencursus.reflection.exercises import EXERCISES
        ACTIEPLAN = EXERCISES["actieplan"]
        store._replace = lambda src, dst: os._exit(9)
        store.AnswerStore({str(answers_path)!r}).set_answer(ACTIEPLAN, "ketendoel", "verloren")
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert proc.returncode == 9, proc.stderr
    assert answers_path.read_bytes() == before
    leftovers = [p for p in answers_path.parent.iterdir() if p.suffix == ".tmp"]
    assert len(leftovers) == 1  # the half-finished write, ignored by readers
    assert AnswerStore(answers_path).load().get("actieplan", "ketendoel") == "veilig opgeslagen"
    # the next normal save still works with the leftover present
    AnswerStore(answers_path).set_answer(ACTIEPLAN, "ketendoel", "daarna")
    assert AnswerStore(answers_path).load().get("actieplan", "ketendoel") == "daarna"


def _writer(path: str, prefix: str, count: int, barrier) -> None:
    from ketencursus.reflection.exercises.olifantenpaadjes import EXERCISE as ex
    from ketencursus.reflection.model import TextPrompt
    from ketencursus.reflection.store import AnswerStore as Store

    # Write many distinct answers: each must survive the other process's writes.
    barrier.wait()
    store = Store(path)
    for number in range(count):
        prompt = TextPrompt(f"{prefix}{number}", "x", "x")
        store.update(
            lambda wb, prompt=prompt, number=number: wb.answers.setdefault(ex.id, {}).__setitem__(
                prompt.id, store_module_answer(f"{prefix}-{number}")
            )
        )


def store_module_answer(value):
    from ketencursus.reflection.model import Answer, now_iso

    return Answer(value, now_iso())


def test_two_concurrent_writers_lose_nothing(answers_path):
    answers_path.parent.mkdir(parents=True)
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(2)
    count = 40
    procs = [
        ctx.Process(target=_writer, args=(str(answers_path), prefix, count, barrier))
        for prefix in ("a", "b")
    ]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(timeout=120)
        assert proc.exitcode == 0
    stored = AnswerStore(answers_path).load().answers[OLIFANTENPAADJES.id]
    assert len(stored) == 2 * count
    assert {a.value for a in stored.values()} == {
        f"{p}-{n}" for p in ("a", "b") for n in range(count)
    }


def test_two_notebooks_saving_different_exercises_keep_each_others_answers(answers_path):
    notebook_a, notebook_b = AnswerStore(answers_path), AnswerStore(answers_path)
    notebook_a.load()
    notebook_b.load()
    notebook_a.set_answer(CULTUURSCAN, "c01", 2)
    notebook_b.set_answer(ACTIEPLAN, "ketendoel", "x")  # b read before a's write: must not undo it
    final = AnswerStore(answers_path).load()
    assert final.get("cultuurscan", "c01") == 2 and final.get("actieplan", "ketendoel") == "x"


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"{ dit is geen json", "geen geldige JSON"),
        (b"\xff\xfe\x00kapot", "geen UTF-8"),
        (b'{"format": "iets", "answers": {}}', "geen antwoordenbestand"),
        (b'{"format": "ketencursus-reflecties", "schema_version": 99, "answers": {}}',
         "nieuwer"),
        (b"", "geen geldige JSON"),
    ],
)
def test_corrupt_file_is_backed_up_and_reported(answers_path, content, reason):
    answers_path.parent.mkdir(parents=True)
    answers_path.write_bytes(content)
    store = AnswerStore(answers_path)
    wb = store.load()
    assert wb.count() == 0
    assert len(store.notices) == 1
    notice = store.notices[0]
    assert notice.backup.read_bytes() == content  # the learner's bytes, untouched
    assert notice.backup.name.startswith("antwoorden.beschadigd-")
    assert reason in notice.reason
    message = notice.message()
    assert str(notice.backup) in message and "niet weggegooid" in message
    # a new answer is then saved normally, and the backup is still there
    store.set_answer(CULTUURSCAN, "c01", 3)
    assert AnswerStore(answers_path).load().get("cultuurscan", "c01") == 3
    assert notice.backup.read_bytes() == content


def test_corrupt_file_found_during_a_save_is_backed_up_before_writing(store, answers_path):
    answers_path.parent.mkdir(parents=True)
    answers_path.write_text("[1, 2", encoding="utf-8")
    store.set_answer(CULTUURSCAN, "c02", 5)
    backups = list(answers_path.parent.glob("antwoorden.beschadigd-*.json"))
    assert len(backups) == 1 and backups[0].read_text(encoding="utf-8") == "[1, 2"
    assert store.notices and store.notices[0].backup == backups[0]


def test_two_corruptions_in_the_same_second_get_distinct_backups(answers_path):
    answers_path.parent.mkdir(parents=True)
    store = AnswerStore(answers_path)
    for content in ("eerste", "tweede"):
        answers_path.write_text(content, encoding="utf-8")
        store.load()
    backups = sorted(p.read_text() for p in answers_path.parent.glob("*.beschadigd-*"))
    assert backups == ["eerste", "tweede"]


def test_lock_held_elsewhere_gives_dutch_timeout_message(answers_path):
    answers_path.parent.mkdir(parents=True)
    store = AnswerStore(answers_path, lock_timeout=0.2)
    with FileLock(store.lock_path):
        proc = subprocess.run(
            [sys.executable, "-c", textwrap.dedent(f"""
                from ketencursus.reflection.store import AnswerStore, StoreError
                from ketencursus.reflection.exercises import EXERCISES
                CULTUURSCAN = EXERCISES["cultuurscan"]
                try:
                    AnswerStore({str(answers_path)!r}, lock_timeout=0.2).set_answer(
                        CULTUURSCAN, "c01", 1)
                except StoreError as exc:
                    print(exc)
            """)],
            capture_output=True, text=True,
        )
    assert "bezet door een ander notebook" in proc.stdout
    assert not answers_path.exists()


def test_unwritable_location_gives_dutch_advice(tmp_path):
    blocker = tmp_path / "bestand"
    blocker.write_text("geen map")
    store = AnswerStore(blocker / "antwoorden.json")
    with pytest.raises(StoreError, match="KETENCURSUS_ANSWERS"):
        store.set_answer(CULTUURSCAN, "c01", 1)


def test_backup_copy_and_side_files_are_written_next_to_answers(store, answers_path):
    assert store.backup_copy("voor-import") is None
    store.set_answer(CULTUURSCAN, "c01", 1)
    backup = store.backup_copy("voor-import")
    assert backup.parent == answers_path.parent
    assert backup.read_text(encoding="utf-8") == answers_path.read_text(encoding="utf-8")
    side = store.write_side_file("portfolio.md", "# x\n")
    assert side == answers_path.parent / "portfolio.md"
    assert Path(side).read_text() == "# x\n"


def test_unreadable_file_is_moved_aside_and_reported(answers_path, monkeypatch):
    answers_path.parent.mkdir(parents=True)
    answers_path.write_text('{"format": "ketencursus-reflecties"}', encoding="utf-8")
    real_read_bytes = Path.read_bytes

    def read_bytes(self):
        if self == answers_path:
            raise PermissionError(13, "Permission denied")
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    store = AnswerStore(answers_path)
    assert store.load().count() == 0
    monkeypatch.undo()
    notice = store.notices[0]
    assert "niet leesbaar" in notice.reason and "Permission denied" in notice.reason
    assert notice.backup.read_text(encoding="utf-8") == '{"format": "ketencursus-reflecties"}'
    assert not answers_path.exists()


def test_lock_that_cannot_be_created_gives_dutch_advice(answers_path, monkeypatch):
    answers_path.parent.mkdir(parents=True)
    store = AnswerStore(answers_path)

    class BrokenLock:
        def __init__(self, *args, **kwargs):
            pass

        def __enter__(self):
            raise PermissionError(13, "Permission denied")

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(store_module, "FileLock", BrokenLock)
    with pytest.raises(StoreError, match="kan niet worden vergrendeld.*KETENCURSUS_ANSWERS"):
        store.set_answer(CULTUURSCAN, "c01", 1)
