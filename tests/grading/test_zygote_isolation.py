"""The warm zygote (one fork server per grading process): what one learner's child can see
of another learner and of the zygote, and what happens when the zygote or a child's keeper
dies. Measured from inside the sandbox, with every protection on."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from pathlib import Path

import pytest

from ketencursus.grading import sandbox as sb
from ketencursus.grading.gradebook import final_score
from ketencursus.grading.pipeline import run_learner_code
from ketencursus.grading.runner import grade_assignment, read_journal
from tests.grading.grading_helpers import (
    ASSIGNMENT,
    CORRECT,
    FAST_LIMITS,
    auto_scores,
    course_copy,
    submit,
)

pytestmark = pytest.mark.timeout(600)
LIMITS = sb.Limits(cell_timeout=20.0, grace=2.0, submission_timeout=60.0)
DATA = Path(__file__).parent / "fixtures" / "source" / ASSIGNMENT / "zaken.csv"


@pytest.fixture(autouse=True)
def _every_protection():
    protections = sb.detect_protections()
    assert protections.complete, protections.warning()


def warm_zygote() -> sb.Zygote:
    zygote = sb.zygote_for(sb.detect_protections())
    assert zygote is not None
    return zygote


def run_cells(*cells: str, files=None) -> tuple[list[str], int]:
    steps = [{"kind": "code", "cell": i, "source": src} for i, src in enumerate(cells)]
    with sb.session(files=files, limits=LIMITS) as session:
        assert session.zygote is not None  # the warm path
        execution = run_learner_code(session, steps, LIMITS)
        uid = session.uid
    texts = ["".join(o.get("text", "") for o in execution.outputs.get(i, [])
                     if o.get("output_type") == "stream") for i in range(len(cells))]
    assert all(execution.status[i] == "ok" for i in range(len(cells))), execution.outputs
    return texts, uid


# Learner A leaves a marker wherever it can write, in its environment and in a process
# that tries to outlive it, then waits; learner B, graded by the same warm zygote while A
# still runs, looks everywhere for any trace of A.
LEAVE_TRACES = """
import os, subprocess, time
written = []
for root, dirs, files in os.walk("/"):
    if root.startswith(("/proc", "/sys")) or os.statvfs(root).f_flag & os.ST_RDONLY:
        dirs[:] = []  # a read-only mount: nobody writes there
        continue
    if os.access(root, os.W_OK):
        try:
            with open(os.path.join(root, "merkteken-A.txt"), "w") as f:
                f.write("geheim van A")
            written.append(root)
        except OSError:
            pass
os.environ["MERKTEKEN_A"] = "geheim van A"
subprocess.Popen(["sleep", "300"], start_new_session=True)
print("geschreven in", sorted(written))
open("/tmp/a-klaar", "w").close()
time.sleep(12)
"""

LOOK_FOR_TRACES = """
import json, os
found = []
for root, dirs, files in os.walk("/"):
    if root.startswith(("/proc", "/sys")) or os.statvfs(root).f_flag & os.ST_RDONLY:
        dirs[:] = []  # nobody could have written below a read-only mount
        continue
    found += [os.path.join(root, f) for f in files if "merkteken" in f]
processes = []
for entry in os.listdir("/proc"):
    if entry.isdigit():
        try:
            status = open(f"/proc/{entry}/status").read()
            cmdline = open(f"/proc/{entry}/cmdline", "rb").read()
        except OSError:
            continue
        uid = [line.split()[1] for line in status.splitlines() if line.startswith("Uid:")][0]
        processes.append([int(entry), int(uid), cmdline.decode(errors="replace")])
print(json.dumps({"found": found, "env": [k for k in os.environ if "MERKTEKEN" in k],
                  "processes": processes, "uid": os.getuid()}))
"""


def test_two_learners_of_one_warm_zygote_share_no_file_process_or_environment():
    zygote = warm_zygote()
    first: dict = {}

    def learner_a():
        first["texts"], first["uid"] = run_cells(LEAVE_TRACES, files={"zaken.csv": DATA})

    thread = threading.Thread(target=learner_a)
    thread.start()
    deadline = time.monotonic() + 60
    while not any(comm == "sleep" for _, _, _, comm in _descendants(zygote.proc.pid)):
        assert time.monotonic() < deadline, "learner A did not get going"
        time.sleep(0.1)
    # A has left its markers and its process, and still runs while B looks
    texts, uid = run_cells(LOOK_FOR_TRACES, files={"zaken.csv": DATA})
    thread.join()
    seen = json.loads(texts[0])
    written = json.loads(first["texts"][0].split("geschreven in ", 1)[1].replace("'", '"'))
    # the only writable places: the child's own fresh tmpfs mounts
    assert {"/home/cursist", "/tmp"} <= set(written)
    assert all(d.startswith(("/home/cursist", "/tmp")) for d in written), written
    assert seen["found"] == [] and seen["env"] == []
    # B's /proc shows B's own processes only: none of A's, no zygote, no keeper (uid 0)
    assert {p[1] for p in seen["processes"]} == {uid}, seen["processes"]
    assert uid != first["uid"] and seen["uid"] == uid
    assert sb.zygote_for(sb.detect_protections()) is zygote and zygote.alive()
    assert sb.processes_of(first["uid"]) == [] and sb.processes_of(uid) == []


REACH_FOR_THE_ZYGOTE = """
import ctypes, json, os, signal
libc = ctypes.CDLL(None, use_errno=True)
fds = {}
for fd in os.listdir("/proc/self/fd"):
    try:
        fds[fd] = os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        pass
status = dict(line.split(":", 1) for line in open("/proc/self/status").read().splitlines())
attempts = {}
attempts["unshare"] = libc.unshare(0x00020000) == 0
attempts["mount"] = libc.mount(b"tmpfs", b"/mnt", b"tmpfs", 0, None) == 0
attempts["setuid0"] = libc.setuid(0) == 0
try:
    os.kill(-1, signal.SIGKILL)  # every process this learner may signal
    attempts["kill-all"] = "gestuurd"
except OSError as error:
    attempts["kill-all"] = type(error).__name__
print(json.dumps({
    "sockets": sorted(target for target in fds.values() if target.startswith("socket:")),
    "caps": {k: status[k].strip() for k in ("CapInh", "CapPrm", "CapEff", "CapBnd",
                                            "CapAmb")},
    "no_new_privs": status["NoNewPrivs"].strip(), "pid": os.getpid(), "ppid": os.getppid(),
    "uids": sorted({int(open(f"/proc/{p}/status").read().split("Uid:")[1].split()[0])
                    for p in os.listdir("/proc") if p.isdigit()}),
    "attempts": attempts,
}))
"""


def test_a_learner_cannot_reach_the_zygote_or_regain_a_privilege():
    zygote = warm_zygote()
    zygote_pid = zygote.proc.pid
    texts, uid = run_cells(REACH_FOR_THE_ZYGOTE)
    seen = json.loads(texts[0])
    assert seen["sockets"] == []  # the zygote's socket was closed before any learner code
    assert set(seen["caps"].values()) == {"0000000000000000"}
    assert seen["no_new_privs"] == "1"
    assert seen["pid"] == 1 and seen["ppid"] == 0  # PID 1 of its own namespace
    assert seen["uids"] == [uid]  # no process of the zygote (root) is even visible
    # kill(-1): not a single process the learner may signal (ESRCH), the zygote included
    assert seen["attempts"] == {"unshare": False, "mount": False, "setuid0": False,
                                "kill-all": "ProcessLookupError"}
    # the zygote is untouched and serves the next learner
    assert zygote.alive() and zygote.proc.pid == zygote_pid
    again, _ = run_cells("print('volgende')")
    assert again[0].strip() == "volgende"
    assert sb.zygote_for(sb.detect_protections()) is zygote


def test_the_data_files_are_fresh_read_only_copies_for_every_learner():
    texts, _ = run_cells(
        "import os\n"
        "try:\n    open('zaken.csv', 'a').write('vervalst')\nexcept OSError as e:\n"
        "    print('schrijven:', type(e).__name__)\n"
        "try:\n    os.remove('zaken.csv')\nexcept OSError as e:\n"
        "    print('wissen:', type(e).__name__)\n"
        "print(os.stat('zaken.csv').st_uid, open('zaken.csv').read()[:10])",
        files={"zaken.csv": DATA})
    lines = texts[0].splitlines()
    assert lines[0] == "schrijven: PermissionError" and lines[1] == "wissen: PermissionError"
    assert lines[2] == f"0 {DATA.read_text()[:10]}"


# ---- a zygote or a keeper that dies ---------------------------------------------------
def _descendants(pid: int) -> list[tuple[int, int, int, str]]:
    """(pid, parent pid, uid, comm) of every descendant of ``pid``."""
    children: dict[int, list[tuple[int, int, int, str]]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = open(f"/proc/{entry}/stat").read()
            status = open(f"/proc/{entry}/status").read()
        except OSError:
            continue
        comm = stat.split("(", 1)[1].rsplit(")", 1)[0]
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        uid = int(status.split("Uid:")[1].split()[0])
        children.setdefault(ppid, []).append((int(entry), ppid, uid, comm))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child[0])
    return out


def _kill_when_learner_runs(kills: int, target: str, done: threading.Event) -> list[int]:
    """Kill the zygote's Python process (``target="zygote"``) or the keeper of the running
    learner's child (``"keeper"``) once learner code runs, ``kills`` times (once per zygote);
    returns the pids of the zygotes' bubblewraps."""
    killed: list[int] = []

    def watch():
        while len(killed) < kills and not done.is_set():
            zygote = next(iter(sb._ZYGOTES.values()), None)
            if zygote and zygote.proc is not None and zygote.proc.pid not in killed:
                tree = _descendants(zygote.proc.pid)
                uids = {pid: uid for pid, _, uid, _ in tree}
                learners = [(pid, ppid) for pid, ppid, uid, _ in tree
                            if uid >= sb.UID_BASE and uids.get(ppid) == 0]
                if learners:
                    time.sleep(0.5)  # well inside the learner's cell
                    if target == "zygote":
                        victim = [pid for pid, _, uid, comm in tree
                                  if uid == 0 and comm.startswith("python")][0]
                    else:
                        victim = learners[0][1]
                    os.kill(victim, signal.SIGKILL)
                    killed.append(zygote.proc.pid)
            time.sleep(0.05)

    threading.Thread(target=watch, daemon=True).start()
    return killed


SLOW_CORRECT = dict(CORRECT, antwoord_aantal_cel="import time\ntime.sleep(4)\n"
                    "antwoord_aantal = int(len(zaken))")


@pytest.mark.parametrize("target", ["zygote", "keeper"])
def test_a_dead_zygote_or_keeper_is_retried_in_a_restarted_zygote_never_scored(tmp_path,
                                                                               target):
    course = course_copy(tmp_path)
    submit(course, "anna", SLOW_CORRECT)
    done = threading.Event()
    killed = _kill_when_learner_runs(1, target, done)
    summary = grade_assignment(course, ASSIGNMENT, workers=1, limits=FAST_LIMITS,
                               progress=False, echo=lambda _: None)
    done.set()
    assert len(killed) == 1
    assert summary.internal_errors == 0  # the second attempt, in a fresh sandbox, counts
    assert auto_scores(course, "anna") == {"test_aantal": 1.0, "test_doorlooptijd": 2.0,
                                           "test_partner": 1.0, "reflectie_gemiddelde": None}
    log = course.log_file(ASSIGNMENT, "anna").read_text("utf-8")
    assert "poging 1 van 2" in log and "viel weg" in log, log
    zygote = sb.zygote_for(sb.detect_protections())
    if target == "zygote":
        assert zygote.proc.pid != killed[0]  # restarted
    else:
        assert zygote.proc.pid == killed[0]  # only the keeper died: the zygote serves on
    assert zygote.alive()


def test_a_zygote_that_dies_in_every_attempt_is_an_internal_error_never_a_zero(tmp_path):
    course = course_copy(tmp_path)
    submit(course, "anna", SLOW_CORRECT)
    done = threading.Event()
    killed = _kill_when_learner_runs(2, "zygote", done)
    summary = grade_assignment(course, ASSIGNMENT, workers=1, limits=FAST_LIMITS,
                               progress=False, echo=lambda _: None)
    done.set()
    assert len(killed) == 2 and summary.internal_errors == 1
    with course.gradebook() as gb:
        grades = [g for nb in gb.find_submission(ASSIGNMENT, "anna").notebooks
                  for g in nb.grades]
        assert all(g.auto_score is None and final_score(g) is None for g in grades)
    assert read_journal(course, ASSIGNMENT, "anna")["status"] == "internal-error"
    # the next run, with a zygote that lives, grades it without --force
    again = grade_assignment(course, ASSIGNMENT, workers=1, limits=FAST_LIMITS,
                             progress=False, echo=lambda _: None)
    assert again.graded == 1 and again.internal_errors == 0
    assert auto_scores(course, "anna")["test_doorlooptijd"] == 2.0


def test_a_learner_who_ends_its_own_process_is_the_learners_crash_not_the_graders():
    steps = [{"kind": "code", "cell": 0, "source": "import os\nos._exit(3)"},
             {"kind": "code", "cell": 1, "source": "x = 1"}]
    with sb.session(limits=LIMITS) as session:
        execution = run_learner_code(session, steps, LIMITS)
        process = session.procs[0]
    assert execution.status == {0: "crashed", 1: "not-run"}
    assert isinstance(process, sb.ForkedProcess) and process.returncode == 3
    assert not process.lost


HIDE_AND_STAY = """
import ctypes, os, time
libc = ctypes.CDLL(None)
for _ in range(3):
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            libc.prctl(4, 0, 0, 0, 0)  # not dumpable: /proc/<pid> then shows root as owner
            time.sleep(300)
        os._exit(0)
time.sleep(0.5)
print("verstopt")
"""


def test_leftover_processes_are_killed_and_confirmed_gone_by_the_zygote(monkeypatch):
    """Processes that left the process group and hide their owner in /proc: the zygote's
    killer (the uid's own kill(-1)) ends them all and confirms it, without the host's
    fallback."""
    def no_fallback(self):
        raise AssertionError("the host's kill was needed")

    monkeypatch.setattr(sb.Session, "kill_leftovers", no_fallback)
    steps = [{"kind": "code", "cell": 0, "source": HIDE_AND_STAY}]
    with sb.session(limits=LIMITS) as session:
        execution = run_learner_code(session, steps, LIMITS)
        uid = session.uid
        assert session.clean
    assert "verstopt" in execution.outputs[0][0]["text"]
    assert sb.processes_of(uid) == []  # read from every /proc/<pid>/status on the host
