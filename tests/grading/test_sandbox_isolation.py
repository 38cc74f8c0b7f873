"""The sandbox itself: what learner code can see and do (measured from inside)."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest

from ketencursus.cli import main
from ketencursus.grading import sandbox as sb
from ketencursus.grading.pipeline import run_learner_code
from tests.grading.grading_helpers import ASSIGNMENT, CORRECT, auto_scores, course_copy, submit

pytestmark = pytest.mark.timeout(300)
LIMITS = sb.Limits(cell_timeout=10.0, grace=2.0)


def run_cells(*cells, files=None, protections=None):
    steps = [{"kind": "code", "cell": i, "source": src} for i, src in enumerate(cells)]
    with sb.session(files=files, limits=LIMITS, protections=protections) as session:
        execution = run_learner_code(session, steps, LIMITS)
        uid = session.uid
    texts = ["".join(o.get("text", "") for o in execution.outputs.get(i, [])
                     if o.get("output_type") == "stream") for i in range(len(cells))]
    return execution, texts, uid


PROBE = """
import json, os, resource, socket
try:
    socket.create_connection(("1.1.1.1", 53), timeout=2).close()
    network = "open"
except OSError as error:
    network = type(error).__name__
print(json.dumps({
    "uid": os.getuid(),
    "root": sorted(os.listdir("/")),
    "cwd": os.getcwd(),
    "files": sorted(os.listdir(".")),
    "course_visible": os.path.exists(COURSE),
    "repo_visible": [p for p in ("pyproject.toml", "src", "exercises", "grader")
                     if os.path.exists(os.path.join(REPO, p))],
    "network": network,
    "limits": {n: resource.getrlimit(getattr(resource, n))[0]
               for n in ("RLIMIT_AS", "RLIMIT_CPU", "RLIMIT_NPROC", "RLIMIT_FSIZE")},
}))
"""


def test_learner_code_runs_as_a_slot_user_without_course_network_or_high_limits(tmp_path):
    protections = sb.detect_protections()
    assert protections.complete, protections.warning()
    course = course_copy(tmp_path)
    data = course.release(ASSIGNMENT) / "zaken.csv"
    code = f"COURSE = {str(course.root)!r}\nREPO = {str(Path(__file__).parents[2])!r}\n" + PROBE
    execution, texts, uid = run_cells(code, files={"zaken.csv": data})
    probe = json.loads(texts[0])
    assert probe["uid"] == uid and uid >= sb.UID_BASE and probe["uid"] != 0
    # the repository is not there: only the Python environment is bound (read-only)
    assert probe["course_visible"] is False and probe["repo_visible"] == []
    assert probe["cwd"] == sb.SANDBOX_HOME and probe["files"] == ["zaken.csv"]
    assert probe["network"] != "open"
    assert probe["limits"] == {"RLIMIT_AS": LIMITS.address_space,
                               "RLIMIT_CPU": LIMITS.cpu_seconds,
                               "RLIMIT_NPROC": LIMITS.processes,
                               "RLIMIT_FSIZE": LIMITS.file_size}


def test_data_files_are_read_only_and_big_files_are_refused():
    data = Path(__file__).parent / "fixtures" / "source" / ASSIGNMENT / "zaken.csv"
    code = """
try:
    open("zaken.csv", "a").write("Z999,nep,1,ja")
    print("data: beschreven")
except OSError as error:
    print("data:", type(error).__name__)
try:
    with open("/tmp/groot.bin", "wb") as f:
        f.write(b"0" * (40 * 1024 * 1024))
    print("groot: geschreven")
except OSError as error:
    print("groot:", error.errno)
"""
    _, texts, _ = run_cells(code, files={"zaken.csv": data})
    assert "data: OSError" in texts[0] or "data: PermissionError" in texts[0]
    assert "groot: geschreven" not in texts[0]
    assert data.read_text().count("Z999") == 0


def test_no_process_of_the_learner_survives_the_sandbox():
    code = """
import os, time
for _ in range(5):
    if os.fork() == 0:
        os.setsid()
        time.sleep(300)
        os._exit(0)
print("klaar")
"""
    execution, texts, uid = run_cells(code)
    assert texts[0].strip() == "klaar"
    time.sleep(0.5)
    owners = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                owners.append(entry.stat().st_uid)
            except FileNotFoundError:
                pass
    assert uid not in owners


def test_parallel_sessions_get_different_users():
    seen: list[int | None] = []

    def hold():
        with sb.session(limits=LIMITS) as session:
            seen.append(session.uid)
            time.sleep(1.0)

    threads = [threading.Thread(target=hold) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(seen)) == 3


def test_a_cell_that_ignores_interrupts_is_killed_and_reported():
    limits = sb.Limits(cell_timeout=2.0, grace=1.0)
    steps = [
        {"kind": "code", "cell": 0, "source": "x = 1"},
        {"kind": "code", "cell": 1, "source":
            "import signal\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)\nwhile True: pass"},
        {"kind": "code", "cell": 2, "source": "y = 2"},
    ]
    started = time.monotonic()
    with sb.session(limits=limits) as session:
        execution = run_learner_code(session, steps, limits)
    assert time.monotonic() - started < 30
    assert execution.status == {0: "ok", 1: "timeout", 2: "not-run"}
    assert any("niet onderbreken" in note for note in execution.notes)


def test_without_root_grading_warns_in_dutch_which_protections_are_missing(
        tmp_path, capsys, monkeypatch):
    weak = sb.detect_protections(force_unprivileged=True)
    assert not weak.user_switch and not weak.process_limit
    warning = weak.warning()
    assert warning.startswith("WAARSCHUWING")
    assert "onbevoegde gebruiker" in warning and "aantal processen" in warning
    course = course_copy(tmp_path)
    submit(course, "anna", CORRECT)
    monkeypatch.setenv("KETENCURSUS_SANDBOX", "unprivileged")
    assert main(["grade", ASSIGNMENT, "--course", str(course.root), "--no-progress"]) == 0
    assert "WAARSCHUWING" in capsys.readouterr().err
    assert auto_scores(course, "anna")["test_doorlooptijd"] == 2.0


def test_a_machine_without_anything_lists_every_missing_protection():
    nothing = sb.Protections(False, False, False, False, False)
    assert len(nothing.missing()) == 5
    assert "netwerktoegang" in nothing.warning()
    assert sb.Protections(True, True, True, True, True).warning() is None


def test_the_sandbox_python_is_reachable_for_the_slot_user():
    execution, texts, _ = run_cells("import sys, pandas\nprint(sys.prefix, pandas.__name__)")
    assert execution.status[0] == "ok", execution.outputs
    assert texts[0].split()[1] == "pandas"
    assert os.path.normpath(texts[0].split()[0]) == os.path.normpath(os.sys.prefix)


KEYRING = """
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
ADD_KEY, KEYCTL, KEY_SPEC_USER_KEYRING, KEYCTL_SEARCH, KEYCTL_READ = 248, 250, -4, 10, 11
if MODE == "schrijf":
    key = libc.syscall(ADD_KEY, b"user", b"kc-geheim", b"antwoord_partner=b", 18,
                       KEY_SPEC_USER_KEYRING)
    print("geschreven" if key > 0 else f"schrijven mislukt {ctypes.get_errno()}")
else:
    key = libc.syscall(KEYCTL, KEYCTL_SEARCH, KEY_SPEC_USER_KEYRING, b"user", b"kc-geheim", 0)
    if key > 0:
        buffer = ctypes.create_string_buffer(100)
        size = libc.syscall(KEYCTL, KEYCTL_READ, key, buffer, 100)
        print("gevonden", buffer.raw[:max(size, 0)])
    else:
        print("niets gevonden")
"""


def test_one_learner_never_reads_what_an_earlier_learner_left_in_the_users_keyring():
    """Per-user state (the kernel keyring of a uid outlives its processes): each submission
    runs under a fresh uid, so what one learner stores is never there for the next."""
    first, first_texts, first_uid = run_cells('MODE = "schrijf"\n' + KEYRING)
    assert first_texts[0].strip() == "geschreven"
    second, second_texts, second_uid = run_cells('MODE = "lees"\n' + KEYRING)
    assert second_uid != first_uid
    assert second_texts[0].strip() == "niets gevonden"


def test_uids_are_fresh_for_every_session_and_never_handed_out_twice_in_a_row():
    uids = []
    for _ in range(4):
        with sb.session(limits=LIMITS) as session:
            uids.append(session.uid)
    assert len(set(uids)) == 4
    assert all(sb.UID_BASE <= uid < sb.UID_BASE + sb.UID_RANGE for uid in uids)


def test_a_grader_failure_mid_run_still_kills_every_process_of_the_learner():
    """An exception inside the grader (here: while the learner's code still runs) must not
    leave the sandbox behind: the session kills the whole uid on every path."""
    steps = [{"kind": "code", "cell": 0, "source":
              "import os, time\nif os.fork() == 0:\n    os.setsid()\n    time.sleep(300)\n"
              "print('gestart')\ntime.sleep(300)"}]

    class GraderBug(Exception):
        pass

    uid = None
    with pytest.raises(GraderBug):
        with sb.session(limits=LIMITS) as session:
            uid = session.uid
            proc = session.spawn(sb.LEARNER_RUNNER.name, ["-E", "-s"])
            proc.stdin.write(json.dumps({"steps": steps, "cell_timeout": 60,
                                         "output_limit": 1000, "image_limit": 1000}).encode())
            proc.stdin.close()
            proc.stdout.readline()  # ready / start: the learner's code runs now
            time.sleep(2)
            raise GraderBug
    assert uid is not None
    time.sleep(0.5)
    assert processes_of(uid) == []


def processes_of(uid: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    pids.append(int(entry.name))
            except FileNotFoundError:
                pass
    return pids
