"""Runs INSIDE the zygote's bubblewrap: a warm fork server for one grading worker.

Started by :class:`ketencursus.grading.sandbox.Zygote` as ``python -E -s _zygote.py FD
PRELOAD`` in a bubblewrap root that holds only ``/usr``, the Python installation, the runners
and the ``ketencursus`` package (no course, no learner's file), as root with only the
capabilities it needs to build a sandbox (``CAP_SYS_ADMIN`` for namespaces and mounts,
``CAP_SETUID``/``CAP_SETGID``, ``CAP_SETPCAP`` for the bounding set).

It imports the heavy modules once (IPython, pandas, numpy, ..., named in ``PRELOAD``: the
course's public stack and the imports of the instructor's non-solution cells, never anything a
learner chose) and then only forks. It NEVER runs learner code and never reads a learner's
byte: a request (on the socket ``FD``, shared with the grading worker only) carries a uid,
the limits, the runner to start and open file descriptors (the job and channel pipes, the
data files); the job itself is read by the child from its own pipe after it dropped every
privilege.

Each request makes two processes (threat model: ``docs/threat-model.md``, "The zygote"):

* ``keeper`` (root, the zygote's PID namespace): a new session; new mount, network, IPC, UTS
  and PID namespaces; fresh tmpfs ``/tmp`` and home, the data files bound read-only, its
  own ``/etc/passwd``; then it forks the learner's process and waits for it, and writes its
  exit status on the status pipe (only it holds that pipe: a status that never comes means
  the keeper itself died, which is the grader's failure, never the learner's);
* ``child`` (PID 1 of the new PID namespace): a fresh ``/proc``; the resource limits; a
  fresh session keyring; no supplementary groups; the fresh uid and gid; an empty capability
  bounding set, no capabilities, ``no_new_privs``; every other file descriptor closed; then
  the runner's ``main()``.

Standard library, the runners and ``protocol.py`` only (copied next to this file).
"""

from __future__ import annotations

import ctypes
import importlib
import json
import os
import resource
import signal
import socket
import sys
import time
from pathlib import Path

CLONE_NEWNS = 0x00020000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_CAPBSET_DROP = 1, 4, 24
PR_SET_NO_NEW_PRIVS, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 38, 47, 4
SYS_KEYCTL = {"x86_64": 250, "aarch64": 219}.get(os.uname().machine, 250)
SYS_CAPSET = {"x86_64": 126, "aarch64": 91}.get(os.uname().machine, 126)
CAP_VERSION_3 = 0x20080522
KEYCTL_JOIN_SESSION_KEYRING = 1

HOME = "/home/cursist"
IDENTITY = "/run/kc"  # the tmpfs with this child's passwd and group
RUNNERS = ("learner", "tests")
MAX_REQUEST = 1 << 16

_libc = ctypes.CDLL(None, use_errno=True)
_libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong,
                        ctypes.c_char_p]
_libc.syscall.restype = ctypes.c_long


class SetupError(Exception):
    """Building the child's sandbox failed (the grader's failure: reported, never run)."""


def _check(result: int, what: str) -> None:
    if result != 0:
        error = ctypes.get_errno()
        raise SetupError(f"{what}: {os.strerror(error)}")


def _mount(source: str | None, target: str, fstype: str | None, flags: int,
           data: str | None = None) -> None:
    _check(_libc.mount(source.encode() if source else None, target.encode(),
                       fstype.encode() if fstype else None, flags,
                       data.encode() if data else None), f"mount {target}")


def _prctl(option: int, arg: int, arg3: int = 0) -> None:
    _check(_libc.prctl(option, ctypes.c_ulong(arg), ctypes.c_ulong(arg3), ctypes.c_ulong(0),
                       ctypes.c_ulong(0)), f"prctl {option}")


def _clear_capabilities() -> None:
    """Effective, permitted AND inheritable sets empty (capset, version 3)."""
    header = (ctypes.c_uint32 * 2)(CAP_VERSION_3, 0)
    data = (ctypes.c_uint32 * 6)()
    if _libc.syscall(SYS_CAPSET, header, data) < 0:
        raise SetupError(f"capset: {os.strerror(ctypes.get_errno())}")


def _write_file(path: str, data: bytes) -> None:
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o444)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)


def _python_dirs() -> list[Path]:
    """The interpreter's installation (venv and base), as the sandbox bound it."""
    return sorted({Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve()})


def build_sandbox(request: dict, files: list[int]) -> None:
    """In the keeper: the child's own namespaces, file system and identity files."""
    uid = int(request["uid"])
    _check(_libc.unshare(CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS
                         | CLONE_NEWPID), "unshare")
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    _check(_libc.sethostname(b"nakijken", 8), "sethostname")
    size = int(request["tmpfs_size"])
    # The Python installation may live under /tmp or the home (a checkout in /tmp, as CI
    # makes them): the fresh tmpfs would hide it, and every later import would fail. The old
    # directory stays reachable through a descriptor opened before, and its Python parts are
    # bound back read-only at the same place.
    under = {target: [p for p in _python_dirs() if Path(target) in p.parents]
             for target in ("/tmp", HOME)}
    for target in ("/tmp", HOME):
        old = os.open(target, os.O_PATH | os.O_DIRECTORY) if under[target] else None
        _mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV, f"size={size},mode=1777")
        if old is None:
            continue
        for prefix in under[target]:
            rel = prefix.relative_to(target)
            place = Path(target) / rel
            place.mkdir(mode=0o755, parents=True)
            _mount(f"/proc/self/fd/{old}/{rel}", str(place), None, MS_BIND | MS_REC)
            _mount(None, str(place), None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID
                   | MS_NODEV)
        os.close(old)
    # passwd and group that name the fresh uid: files on a tmpfs of the child's own
    _mount("tmpfs", IDENTITY, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=65536,mode=755")
    for name, text in (("passwd", f"cursist:x:{uid}:{uid}:cursist:{HOME}:/bin/false\n"),
                       ("group", f"cursist:x:{uid}:\n")):
        _write_file(f"{IDENTITY}/{name}", text.encode())
        _mount(f"{IDENTITY}/{name}", f"/etc/{name}", None, MS_BIND)
        _mount(None, f"/etc/{name}", None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID
               | MS_NODEV)
    _mount(None, IDENTITY, None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC)
    # the data files: copies owned by root, read-only for everyone, in the sticky home (a
    # bind of a host file cannot cross into this mount namespace)
    names = request["files"]
    for fd, name in zip(files, names, strict=True):
        if "/" in name or name in ("", ".", ".."):
            raise SetupError(f"ongeldige bestandsnaam {name!r}")
        copy = os.open(f"{HOME}/{name}", os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o444)
        try:
            while True:
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    break
                os.write(copy, chunk)
        finally:
            os.close(copy)
        os.close(fd)
    os.chdir(HOME)


def drop_privileges(request: dict) -> None:
    """In the child (PID 1 of its namespace), still root: a fresh /proc, the limits, the
    fresh uid, no capabilities at all, no_new_privs."""
    uid = int(request["uid"])
    _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    for name, value in request["rlimits"].items():
        limit = getattr(resource, name)
        resource.setrlimit(limit, (int(value), int(value)))
    last_cap = int(open("/proc/sys/kernel/cap_last_cap").read())
    for cap in range(last_cap + 1):
        _prctl(PR_CAPBSET_DROP, cap)
    _prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL)
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)  # from root to a non-root uid: every capability is gone
    _clear_capabilities()  # ... but the inheritable set, which is emptied here
    # a session keyring of the new uid's own: none is shared with another learner
    if _libc.syscall(SYS_KEYCTL, KEYCTL_JOIN_SESSION_KEYRING, None) < 0:
        raise SetupError(f"keyctl: {os.strerror(ctypes.get_errno())}")
    _prctl(PR_SET_NO_NEW_PRIVS, 1)
    _prctl(PR_SET_DUMPABLE, 1)  # as after an exec: /proc/self belongs to the learner's uid
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getuid() != uid or os.geteuid() != uid:
        raise SetupError("uid niet gewisseld")
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(("CapPrm:", "CapEff:", "CapBnd:", "CapAmb:", "CapInh:")):
                if int(line.split()[1], 16) != 0:
                    raise SetupError(f"capabilities over: {line.strip()}")


def _close_fds_from(low: int) -> None:
    os.closerange(low, 1 << 16)


def run_child(request: dict) -> None:
    """PID 1 of the new namespace: drop everything, then the runner (learner or tests)."""
    code = 0
    try:
        _close_fds_from(3)  # the status pipe of the keeper, nothing else is open
        drop_privileges(request)
        if "numpy" in sys.modules:  # not the zygote's random state (random reseeds itself)
            sys.modules["numpy"].random.seed()
        runner = "_learner_runner" if request["runner"] == "learner" else "_test_runner"
        sys.argv = [f"/sandbox/{runner}.py"]
        importlib.import_module(runner).main()
    except SetupError as exc:
        os.write(2, f"sandbox: {exc}\n".encode())
        code = 70
    except BaseException:  # noqa: BLE001 - a runner's failure, the grader sees no 'end'
        code = 71
    os._exit(code)


def keeper(request: dict, fds: list[int]) -> None:
    """The forked keeper: fds = [job (read), channel (write), stderr, status, files...]."""
    status_fd = 3
    try:
        os.setsid()
        high = [os.dup(fd) for fd in fds]  # out of the way of 0..n-1
        high = [os.dup2(fd, 1000 + index) for index, fd in enumerate(high)]
        for index, fd in enumerate(high):
            os.dup2(fd, index, inheritable=True)
        os.closerange(len(fds), 1 << 16)  # the zygote's socket, the copies: nothing else
        files = list(range(4, len(fds)))
        build_sandbox(request, files)
        pid = os.fork()
        if pid == 0:
            run_child(request)
        os.close(0)
        os.close(1)
        _, wait_status = os.waitpid(pid, 0)
        if os.WIFSIGNALED(wait_status):
            record = f"signal {os.WTERMSIG(wait_status)}\n"
        else:
            record = f"exit {os.waitstatus_to_exitcode(wait_status)}\n"
        os.write(status_fd, record.encode())
    except BaseException as exc:  # noqa: BLE001 - reported to the grader, never hidden
        try:
            os.write(2, f"sandbox: {type(exc).__name__}: {exc}\n".encode())
            os.write(status_fd, b"setup-error\n")
        except OSError:
            pass
    os._exit(0)


def _pids_of(uid: int) -> list[int]:
    """Pids (in this PID namespace) of the processes whose real, effective or saved uid is
    ``uid``, read from this namespace's /proc (a few entries: the zygote's tree only)."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status", "rb") as status:
                for line in status:
                    if line.startswith(b"Uid:"):
                        if str(uid).encode() in line.split()[1:4]:
                            pids.append(int(entry))
                        break
        except OSError:
            continue
    return pids


def kill_uid(uid: int) -> None:
    """A forked killer: become ``uid`` (no capability left), SIGKILL every process of it,
    and exit 0 only when none is left. Every process of a child lives in this zygote's PID
    namespace (no process can leave its namespace), so this namespace's /proc lists them
    all, whether they left their process group or hide their owner (not dumpable)."""
    code = 1
    try:
        os.closerange(3, 1 << 16)
        os.setgroups([])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)
        me = os.getpid()
        for _ in range(500):  # at most about 5 s: killed processes must still be reaped
            try:
                os.kill(-1, signal.SIGKILL)  # everything of the uid, in one sweep
            except OSError:
                pass
            left = [pid for pid in _pids_of(uid) if pid != me]
            if not left:
                code = 0
                break
            for pid in left:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            time.sleep(0.01)
    except BaseException:  # noqa: BLE001 - the grader falls back to its own kill
        code = 1
    os._exit(code)


def preload(names: list[str]) -> None:
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - a module that is not installed stays cold
            pass
    try:  # the modules the grading shell needs (no instance is kept)
        importlib.import_module("_test_runner")
        importlib.import_module("_learner_runner").warm_up()
    except Exception:  # noqa: BLE001
        pass


def main() -> None:
    sock = socket.socket(fileno=int(sys.argv[1]))
    preload(json.loads(sys.argv[2]))
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    sock.send(json.dumps({"t": "ready", "pid": os.getpid()}).encode())
    while True:
        while True:  # reap finished keepers
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
        try:
            message, fds, _, _ = socket.recv_fds(sock, MAX_REQUEST, 64)
        except OSError:
            break
        if not message:
            break  # the grading worker is gone
        try:
            request = json.loads(message)
            if request.get("op") == "kill":
                uid = int(request["uid"])
                if uid <= 0:
                    raise ValueError("geen sandbox-gebruiker")
                pid = os.fork()
                if pid == 0:
                    kill_uid(uid)
                _, status = os.waitpid(pid, 0)
                reply: dict[str, object] = {"killed": os.waitstatus_to_exitcode(status) == 0}
            else:
                if request.get("runner") not in RUNNERS or len(fds) < 4:
                    raise ValueError("onbekend verzoek")
                pid = os.fork()
                if pid == 0:
                    sock.close()
                    keeper(request, fds)
                reply = {"pid": pid}
        except Exception as exc:  # noqa: BLE001 - the worker reports it as internal
            reply = {"error": f"{type(exc).__name__}: {exc}"}
        finally:
            for fd in fds:
                os.close(fd)
        sock.send(json.dumps(reply).encode())
    os._exit(0)


if __name__ == "__main__":
    main()
