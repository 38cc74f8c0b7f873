"""The sandbox in which learner code (and the hidden tests) run.

What it defends against, how, and which test shows it: ``docs/threat-model.md``. Measured on
this kind of machine:

* As root, with bubblewrap (the warm path): a **zygote** per grading process
  (:class:`Zygote`, ``_zygote.py``) runs in a ``bwrap`` root holding only ``/usr``, the
  Python installation and the runners (no course directory, no other learners), has
  imported IPython, pandas and numpy once, and forks one child per runner process: new
  mount, network, PID, IPC and UTS namespaces, fresh tmpfs ``/tmp`` and home, the resource
  limits, a fresh uid from the reserved range (:func:`allocate_uid`), a fresh session
  keyring, no capabilities and ``no_new_privs``. A child costs a fork instead of a new
  interpreter (about 0.1 s instead of 1.3 s).
* Without a zygote (``session(warm=False)``): ``bwrap`` builds the same root for a new
  interpreter and ``setpriv`` drops to the fresh uid; ``prlimit`` sets the limits.
* The limits: CPU time, address space (1 GiB: pandas needs more than 768 MiB), processes
  (RLIMIT_NPROC counts threads; root is exempt, the sandbox uid is not), file size and
  open files. RLIMIT_CPU counts the process's whole life, so the grader also keeps a
  wall-clock timeout per cell and per submission and kills the sandbox when it is exceeded.
* Without root or without bubblewrap, the strongest available subset is used and
  :meth:`Protections.warning` says, in Dutch, what is missing.
"""

from __future__ import annotations

import fcntl
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
LEARNER_RUNNER = HERE / "_learner_runner.py"
TEST_RUNNER = HERE / "_test_runner.py"
PROTOCOL = HERE / "protocol.py"  # imported by both runners: copied next to them
ZYGOTE = HERE / "_zygote.py"  # the warm fork server (one per grading worker)
RUNNER_FILES = (LEARNER_RUNNER, TEST_RUNNER, PROTOCOL, ZYGOTE)
# What every zygote imports before it forks: the course's public stack (the assignment adds
# the imports of the instructor's non-solution cells; never a name a learner chose).
PRELOAD = ("IPython", "numpy", "pandas", "ketencursus.checks")

SANDBOX_ROOT = "/sandbox"  # the runner scripts and the ketencursus package, read-only
SANDBOX_HOME = "/home/cursist"  # the learner's working directory (a size-limited tmpfs)

# The reserved uid range: one fresh uid per submission, handed out in turn (a counter file
# under SLOT_DIR, shared by parallel workers); a uid that still has a process is skipped.
UID_BASE = int(os.environ.get("KETENCURSUS_SANDBOX_UID_BASE", "1990000"))
UID_RANGE = int(os.environ.get("KETENCURSUS_SANDBOX_UID_RANGE", "1000000"))
SLOTS = 64  # kept for callers that size pools by it
SLOT_DIR = Path(os.environ.get("KETENCURSUS_SANDBOX_SLOTS", "/tmp/ketencursus-sandbox-slots"))


class SandboxError(RuntimeError):
    """The sandbox itself failed (did not start, could not be cleaned up): an internal
    error of the grader, never the learner's fault."""

MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Resource limits for one sandboxed process tree."""

    cpu_seconds: int = 300
    address_space: int = 1024 * MiB
    processes: int = 64
    file_size: int = 16 * MiB
    open_files: int = 256
    tmpfs_size: int = 64 * MiB
    cell_timeout: float = 60.0
    submission_timeout: float = 600.0  # wall clock for all of one submission's code
    test_timeout: float = 10.0
    grace: float = 3.0
    output_limit: int = 20_000
    image_limit: int = 300_000
    protocol_limit: int = 32 * MiB


@dataclass(frozen=True)
class Protections:
    """Which protections this machine allows."""

    user_switch: bool
    filesystem_hidden: bool
    network_off: bool
    process_limit: bool
    kill_all: bool
    notes: tuple[str, ...] = field(default=())

    @property
    def complete(self) -> bool:
        return all(
            (self.user_switch, self.filesystem_hidden, self.network_off, self.process_limit,
             self.kill_all)
        )

    def missing(self) -> list[str]:
        """Dutch descriptions of the protections that are NOT active."""
        out = []
        if not self.user_switch:
            out.append(
                "leerlingcode draait NIET als aparte, onbevoegde gebruiker (start als root)"
            )
        if not self.filesystem_hidden:
            out.append(
                "leerlingcode kan de cursusmap (bronnotebooks, cijferlijst, andere cursisten) "
                "mogelijk LEZEN (bubblewrap ontbreekt of werkt niet)"
            )
        if not self.network_off:
            out.append("leerlingcode heeft mogelijk netwerktoegang")
        if not self.process_limit:
            out.append("er is geen grens op het aantal processen (alleen als root mogelijk)")
        if not self.kill_all:
            out.append(
                "achtergebleven processen van leerlingcode worden mogelijk niet opgeruimd"
            )
        return out

    def warning(self) -> str | None:
        missing = self.missing()
        if not missing:
            return None
        lines = [
            "WAARSCHUWING: de nakijkomgeving is NIET volledig afgeschermd. Ontbrekend:",
            *(f"  - {m}" for m in missing),
            "Wel actief: limieten op rekentijd, geheugen en bestandsgrootte; verborgen tests "
            "draaien in een vers Python-proces tegen de antwoordwaarden.",
            "Kijk bij voorkeur na als root op een machine met bubblewrap "
            "(make system-deps installeert het).",
        ]
        return "\n".join(lines)


def _bwrap_works(as_root: bool) -> bool:
    bwrap = shutil.which("bwrap")
    if not bwrap:
        return False
    try:
        proc = subprocess.run(
            [bwrap, "--ro-bind", "/", "/", "--unshare-net", "--unshare-pid", "--proc", "/proc",
             "--dev", "/dev", "true"],
            capture_output=True, timeout=20,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return proc.returncode == 0


def detect_protections(force_unprivileged: bool = False) -> Protections:
    """What this machine allows. ``force_unprivileged`` (or the environment variable
    ``KETENCURSUS_SANDBOX=unprivileged``) grades as if not root: what a laptop gets."""
    return _detect(
        force_unprivileged or os.environ.get("KETENCURSUS_SANDBOX") == "unprivileged"
    )


@lru_cache(maxsize=2)
def _detect(force_unprivileged: bool) -> Protections:
    root = os.geteuid() == 0 and not force_unprivileged
    have_setpriv = shutil.which("setpriv") is not None
    bwrap = _bwrap_works(root)
    notes = []
    if root and not have_setpriv:
        notes.append("setpriv ontbreekt (pakket util-linux)")
    user_switch = root and have_setpriv
    if root and not bwrap:
        notes.append("bubblewrap ontbreekt of werkt niet")
    network = bwrap or (root and shutil.which("unshare") is not None)
    return Protections(
        user_switch=user_switch,
        filesystem_hidden=bwrap and (user_switch or not root),
        network_off=network,
        process_limit=user_switch,
        kill_all=bwrap or user_switch,
        notes=tuple(notes),
    )


def _prlimit_args(limits: Limits, with_nproc: bool) -> list[str]:
    prlimit = shutil.which("prlimit")
    if not prlimit:
        return []
    args = [
        prlimit,
        f"--cpu={limits.cpu_seconds}",
        f"--as={limits.address_space}",
        f"--fsize={limits.file_size}",
        f"--nofile={limits.open_files}",
        "--core=0",
    ]
    if with_nproc:
        args.append(f"--nproc={limits.processes}")
    return [*args, "--"]


def _python_dirs() -> list[Path]:
    """Directories the sandboxed interpreter needs: the venv and the base installation."""
    dirs = []
    for prefix in {Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve()}:
        if prefix == Path("/usr") or Path("/usr") in prefix.parents:
            continue
        dirs.append(prefix)
    return sorted(dirs)


def package_dir() -> Path:
    """The ``ketencursus`` package: learners have it too (case data generators, checks)."""
    import ketencursus

    return Path(ketencursus.__file__).resolve().parent


def _package_is_bound() -> bool:
    """True when the package lives inside the bound Python installation (non-editable)."""
    package = package_dir()
    return any(prefix in package.parents for prefix in _python_dirs())


def _provide_package(sandbox_dir: Path, bind: bool) -> None:
    """Make ``import ketencursus`` work in the sandbox: an empty mount point for a
    read-only bind (bubblewrap) or a copy (no bubblewrap). Never the repository itself:
    only the package directory (no exercises, no course)."""
    if _package_is_bound():
        return
    target = sandbox_dir / "ketencursus"
    if bind:
        target.mkdir()
    else:
        shutil.copytree(package_dir(), target,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


def processes_of(uid: int) -> list[int]:
    """Pids of every process (in any PID namespace) whose real or effective uid is ``uid``."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status", "rb") as status:
                for line in status:
                    if line.startswith(b"Uid:"):
                        ids = line.split()[1:3]
                        if str(uid).encode() in ids:
                            pids.append(int(entry))
                        break
        except OSError:
            continue
    return pids


def sandbox_env(filesystem_hidden: bool, staging: Path) -> dict[str, str]:
    """The whole environment of a sandboxed process (nothing of the grader's)."""
    home = SANDBOX_HOME if filesystem_hidden else str(staging / "home")
    tmp = "/tmp" if filesystem_hidden else str(staging / "tmp")
    return {
        "HOME": home,
        "TMPDIR": tmp,
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONIOENCODING": "utf-8",
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "MPLCONFIGDIR": f"{tmp}/matplotlib",
        "IPYTHONDIR": f"{tmp}/ipython",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "NUMEXPR_MAX_THREADS": "1",
    }


def _bwrap_args(staging: Path, limits: Limits) -> list[str]:
    """bubblewrap's part of a sandbox: a root with only /usr, the Python installation, the
    runners (``staging/sandbox``) and the package, read-only; fresh tmpfs /tmp and home;
    new network, PID, IPC and UTS namespaces."""
    args = [
        shutil.which("bwrap") or "bwrap",
        "--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
        "--unshare-cgroup-try", "--die-with-parent", "--new-session",
        "--hostname", "nakijken",
        "--ro-bind", "/usr", "/usr",
    ]
    for name in ("bin", "sbin", "lib", "lib64", "lib32", "libx32"):
        path = Path("/") / name
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), f"/{name}"]
        elif path.is_dir():
            args += ["--ro-bind", str(path), f"/{name}"]
    for etc in ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "fonts",
                "mime.types", "ssl/certs"):
        path = Path("/etc") / etc
        if path.exists():
            args += ["--ro-bind", str(path), f"/etc/{etc}"]
    args += ["--ro-bind", str(staging / "etc" / "passwd"), "/etc/passwd",
             "--ro-bind", str(staging / "etc" / "group"), "/etc/group"]
    # The fresh /tmp and home come first: the Python installation may itself live under
    # /tmp (a checkout there), and a tmpfs mounted after its bind would hide it.
    args += [
        "--proc", "/proc", "--dev", "/dev",
        "--perms", "01777", "--size", str(limits.tmpfs_size), "--tmpfs", "/tmp",
        "--perms", "0755", "--dir", "/home",
        "--perms", "01777", "--size", str(limits.tmpfs_size), "--tmpfs", SANDBOX_HOME,
    ]
    mounted = {"/tmp", "/home", SANDBOX_HOME, "/proc", "/dev"}
    for prefix in _python_dirs():
        for parent in reversed(prefix.parents):
            if str(parent) != "/" and str(parent) not in mounted:
                args += ["--perms", "0755", "--dir", str(parent)]
        args += ["--ro-bind", str(prefix), str(prefix)]
    args += ["--ro-bind", str(staging / "sandbox"), SANDBOX_ROOT]
    if not _package_is_bound():
        args += ["--ro-bind", str(package_dir()), f"{SANDBOX_ROOT}/ketencursus"]
    return args


def _stage(staging: Path, protections: Protections, uid: int | None) -> None:
    """The staging directory: the runner scripts, the package (or its mount point) and the
    passwd/group files that name the sandbox user."""
    staging.chmod(0o755)
    sandbox_dir = staging / "sandbox"
    sandbox_dir.mkdir()
    for runner in RUNNER_FILES:
        shutil.copyfile(runner, sandbox_dir / runner.name)
    _provide_package(sandbox_dir, bind=protections.filesystem_hidden)
    etc = staging / "etc"
    etc.mkdir()
    shown_uid = uid if uid is not None else os.getuid()
    (etc / "passwd").write_text(
        f"cursist:x:{shown_uid}:{shown_uid}:cursist:{SANDBOX_HOME}:/bin/false\n", "utf-8")
    (etc / "group").write_text(f"cursist:x:{shown_uid}:\n", "utf-8")
    for root, dirs, names in os.walk(staging):
        for d in dirs:
            os.chmod(os.path.join(root, d), 0o755)
        for name in names:
            os.chmod(os.path.join(root, name), 0o644)


def allocate_uid() -> int:
    """A uid from the reserved range that no earlier submission of this machine used
    (until the range wraps around) and that has no process now."""
    SLOT_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    with open(SLOT_DIR / "next-uid", "a+") as counter:
        fcntl.flock(counter, fcntl.LOCK_EX)
        try:
            counter.seek(0)
            try:
                offset = int(counter.read().strip() or 0) % UID_RANGE
            except ValueError:
                offset = 0
            for _ in range(1000):
                uid = UID_BASE + offset
                offset = (offset + 1) % UID_RANGE
                if not processes_of(uid):
                    break
            else:
                raise SandboxError("geen vrije sandbox-gebruiker gevonden")
            counter.seek(0)
            counter.truncate()
            counter.write(str(offset))
            counter.flush()
        finally:
            fcntl.flock(counter, fcntl.LOCK_UN)
    return uid


# ---------------------------------------------------------------------------------------
# The zygote: a warm fork server per grading worker (threat model: "The zygote")
# ---------------------------------------------------------------------------------------
ZYGOTE_CAPS = ("CAP_SYS_ADMIN", "CAP_SETUID", "CAP_SETGID", "CAP_SETPCAP")
ZYGOTE_START_TIMEOUT = 120.0


def child_rlimits(limits: Limits, with_nproc: bool) -> dict[str, int]:
    """The resource limits of one forked child (the same as ``prlimit`` sets)."""
    rlimits = {"RLIMIT_CPU": limits.cpu_seconds, "RLIMIT_AS": limits.address_space,
               "RLIMIT_FSIZE": limits.file_size, "RLIMIT_NOFILE": limits.open_files,
               "RLIMIT_CORE": 0}
    if with_nproc:
        rlimits["RLIMIT_NPROC"] = limits.processes
    return rlimits


class ForkedProcess:
    """A sandboxed process forked by the zygote, as the grader sees it: the job pipe
    (``stdin``), the protocol channel (``stdout``) and the keeper's status pipe."""

    def __init__(self, stdin, stdout, status_fd: int, pid: int, zygote: Zygote) -> None:
        self.stdin = stdin
        self.stdout = stdout
        self.status_fd = status_fd
        self.pid = pid  # the keeper's pid in the zygote's PID namespace (for the log)
        self.zygote = zygote
        self.returncode: int | None = None
        self.lost = False  # the keeper died without a status: the grader's failure

    def sandbox_lost(self) -> bool:
        """Whether the sandbox itself failed while the child runs: the zygote died, or the
        keeper did (its status pipe closed without a status). Neither is reachable from
        the sandbox, so this is never the learner's doing. Does not block."""
        if self.status_fd >= 0:
            ready, _, _ = select.select([self.status_fd], [], [], 0)
            if ready:
                self.wait(0)
        return self.lost or not self.zygote.alive()

    def wait(self, timeout: float | None = None) -> int | None:
        """Wait for the keeper's status: the child's exit code (negative: the signal)."""
        if self.returncode is not None or self.lost:
            return self.returncode
        ready, _, _ = select.select([self.status_fd], [], [], timeout)
        if not ready:
            raise subprocess.TimeoutExpired("sandbox", timeout or 0)
        record = os.read(self.status_fd, 200).decode("ascii", "replace").split()
        os.close(self.status_fd)
        self.status_fd = -1
        if len(record) == 2 and record[0] in ("exit", "signal") and record[1].isdigit():
            code = int(record[1])
            self.returncode = code if record[0] == "exit" else -code
        else:  # no status (the keeper died) or a failed set-up
            self.lost = True
        return self.returncode

    def poll(self) -> int | None:
        try:
            return self.wait(0)
        except subprocess.TimeoutExpired:
            return None

    def close(self) -> None:
        if self.status_fd >= 0:
            os.close(self.status_fd)
            self.status_fd = -1


class Zygote:
    """One warm fork server (``_zygote.py``) in its own bubblewrap root: it has imported
    ``preload`` and never runs learner code; :meth:`fork` makes one sandboxed child."""

    def __init__(self, protections: Protections, preload: tuple[str, ...],
                 limits: Limits | None = None) -> None:
        self.protections = protections
        self.preload = preload
        self.owner = os.getpid()
        self.lock = threading.Lock()
        self.broken = False
        self.staging = Path(tempfile.mkdtemp(prefix="ketencursus-zygote-"))
        self.proc: subprocess.Popen | None = None
        self.sock: socket.socket | None = None
        self.start_seconds = 0.0
        started = time.monotonic()
        try:
            self._start(limits or Limits())
        except BaseException:
            self.close()
            raise
        self.start_seconds = time.monotonic() - started

    def _start(self, limits: Limits) -> None:
        _stage(self.staging, self.protections, 0)
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.sock = ours
        fd = theirs.fileno()
        # no --die-with-parent: that follows the THREAD that started bwrap; the zygote ends
        # when its socket closes instead (this process gone, or close())
        args = [a for a in _bwrap_args(self.staging, limits) if a != "--die-with-parent"]
        args += ["--dir", "/run/kc", "--chdir", SANDBOX_HOME, "--cap-drop", "ALL"]
        for cap in ZYGOTE_CAPS:
            args += ["--cap-add", cap]
        env = ["env", "-i", *(f"{k}={v}" for k, v in sandbox_env(True, self.staging).items())]
        python = os.path.normpath(os.path.abspath(sys.executable))
        command = [*args, *env, python, "-E", "-s", f"{SANDBOX_ROOT}/{ZYGOTE.name}", str(fd),
                   json.dumps(list(self.preload))]
        with open(self.staging / "zygote.stderr", "wb") as errors:
            self.proc = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errors,
                pass_fds=[fd], process_group=0,
                env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")})
        theirs.close()
        reply = self._receive(ZYGOTE_START_TIMEOUT)
        if reply.get("t") != "ready":
            raise SandboxError(f"de zygote startte niet: {self.errors()}")

    def _receive(self, timeout: float) -> dict:
        assert self.sock is not None
        ready, _, _ = select.select([self.sock], [], [], timeout)
        if not ready:
            raise SandboxError(f"de zygote antwoordt niet: {self.errors()}")
        data = self.sock.recv(1 << 16)
        if not data:
            raise SandboxError(f"de zygote is gestopt: {self.errors()}")
        try:
            reply = json.loads(data)
        except ValueError as exc:
            raise SandboxError("onleesbaar antwoord van de zygote") from exc
        return reply if isinstance(reply, dict) else {}

    def errors(self, limit: int = 600) -> str:
        try:
            with open(self.staging / "zygote.stderr", "rb") as errors:
                return errors.read(limit).decode("utf-8", "replace").strip()
        except OSError:
            return ""

    def alive(self) -> bool:
        return (not self.broken and self.owner == os.getpid() and self.proc is not None
                and self.proc.poll() is None)

    def fork(self, runner: str, uid: int, limits: Limits, files: dict[str, Path],
             stderr_path: Path) -> ForkedProcess:
        """A sandboxed child that runs ``runner`` ("learner" or "tests") under ``uid``."""
        request = {"runner": runner, "uid": uid, "tmpfs_size": limits.tmpfs_size,
                   "rlimits": child_rlimits(limits, self.protections.process_limit),
                   "files": list(files)}
        job_r, job_w = os.pipe()
        chan_r, chan_w = os.pipe()
        status_r, status_w = os.pipe()
        theirs = [job_r, chan_w, status_w]
        try:
            err = os.open(stderr_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            theirs.append(err)
            data = [os.open(path, os.O_RDONLY | os.O_CLOEXEC) for path in files.values()]
            theirs += data
            with self.lock:
                if not self.alive():
                    raise SandboxError("de zygote leeft niet meer")
                assert self.sock is not None
                try:
                    socket.send_fds(self.sock, [json.dumps(request).encode()],
                                    [job_r, chan_w, err, status_w, *data])
                    reply = self._receive(30.0)
                except (OSError, SandboxError) as exc:
                    self.broken = True
                    raise SandboxError(f"de zygote faalde: {exc}") from exc
            if "pid" not in reply:
                raise SandboxError(f"de zygote maakte geen sandbox: {reply.get('error')}")
        except BaseException:
            for fd in (job_w, chan_r, status_r):
                os.close(fd)
            raise
        finally:
            for fd in theirs:
                os.close(fd)
        return ForkedProcess(os.fdopen(job_w, "wb"), os.fdopen(chan_r, "rb", buffering=0),
                             status_r, int(reply["pid"]), self)

    def kill_uid(self, uid: int) -> bool:
        """Kill every process of ``uid`` in the zygote's PID namespace (where every process
        of its children lives) and confirm that none is left; ``False`` when the zygote
        cannot say so (the caller then kills and checks from the host)."""
        with self.lock:
            if not self.alive() or self.sock is None:
                return False
            try:
                self.sock.send(json.dumps({"op": "kill", "uid": uid}).encode())
                reply = self._receive(30.0)
            except (OSError, SandboxError):
                self.broken = True
                return False
        return reply.get("killed") is True

    def close(self) -> None:
        """Stop the zygote (its bubblewrap takes its PID namespace with it)."""
        if self.owner == os.getpid():
            if self.sock is not None:
                self.sock.close()
            if self.proc is not None and self.proc.poll() is None:
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
                try:
                    self.proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    pass
            shutil.rmtree(self.staging, ignore_errors=True)
        elif self.sock is not None:
            self.sock.close()  # an inherited copy: the zygote belongs to the parent
        self.sock = None
        self.broken = True


_ZYGOTES: dict[tuple[str, ...], Zygote] = {}
_ZYGOTES_LOCK = threading.Lock()


def _forget_zygotes() -> None:
    """In a forked child (a pool worker): the parent's zygotes are not ours."""
    for zygote in _ZYGOTES.values():
        if zygote.sock is not None:
            zygote.sock.close()
            zygote.sock = None
        zygote.broken = True
    _ZYGOTES.clear()


os.register_at_fork(after_in_child=_forget_zygotes)


def zygote_for(protections: Protections, preload: tuple[str, ...] = PRELOAD,
               limits: Limits | None = None) -> Zygote | None:
    """This process's warm zygote for ``preload`` (started, or restarted when it died), or
    ``None`` where it cannot give every protection (not root, no bubblewrap)."""
    if not (protections.filesystem_hidden and protections.user_switch
            and protections.process_limit):
        return None
    with _ZYGOTES_LOCK:
        current = _ZYGOTES.get(preload)
        if current is not None and current.alive():
            return current
        for other in list(_ZYGOTES.values()):
            other.close()
        _ZYGOTES.clear()
        _ZYGOTES[preload] = Zygote(protections, preload, limits)
        return _ZYGOTES[preload]


def close_zygotes() -> None:
    with _ZYGOTES_LOCK:
        for zygote in _ZYGOTES.values():
            zygote.close()
        _ZYGOTES.clear()


class Session:
    """One submission's sandbox: a slot (user id), a staging directory, spawned processes."""

    def __init__(self, protections: Protections, limits: Limits, uid: int | None,
                 staging: Path, files: dict[str, Path], zygote: Zygote | None = None) -> None:
        self.protections = protections
        self.limits = limits
        self.uid = uid
        self.staging = staging
        self.files = files
        self.zygote = zygote  # forks the processes when set (the warm path)
        self.procs: list[subprocess.Popen | ForkedProcess] = []
        self.clean = True  # no process of the uid since the last checked kill

    # ---- command construction -----------------------------------------------------------
    def _env(self) -> dict[str, str]:
        return sandbox_env(self.protections.filesystem_hidden, self.staging)

    def _bwrap(self) -> list[str]:
        args = _bwrap_args(self.staging, self.limits)
        for name, source in self.files.items():
            args += ["--ro-bind", str(source), f"{SANDBOX_HOME}/{name}"]
        args += ["--chdir", SANDBOX_HOME]
        if os.geteuid() == 0 and not self.protections.user_switch:
            args += ["--cap-drop", "ALL"]
        return args

    def _setpriv(self) -> list[str]:
        return [
            shutil.which("setpriv") or "setpriv",
            f"--reuid={self.uid}", f"--regid={self.uid}", "--clear-groups",
            "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs",
        ]

    def command(self, script: str, python_flags: list[str]) -> list[str]:
        """The full command line that runs ``script`` (a file in the sandbox root)."""
        p = self.protections
        # normpath, not realpath: a venv's python is a symlink that must stay one
        inside = [os.path.normpath(os.path.abspath(sys.executable)), *python_flags]
        if p.filesystem_hidden:
            script_path = f"{SANDBOX_ROOT}/{script}"
        else:
            script_path = str(self.staging / "sandbox" / script)
        inside.append(script_path)
        env_args = ["env", "-i", *(f"{k}={v}" for k, v in self._env().items())]
        chain: list[str] = _prlimit_args(self.limits, with_nproc=p.process_limit)
        if p.filesystem_hidden:
            chain += self._bwrap()
            if p.user_switch:
                chain += self._setpriv()
        else:
            if p.user_switch and p.network_off:
                chain += [shutil.which("unshare") or "unshare", "--net", "--"]
            if p.user_switch:
                chain += self._setpriv()
        return [*chain, *env_args, *inside]

    def spawn(self, script: str, python_flags: list[str]) -> subprocess.Popen | ForkedProcess:
        """Start ``script`` (a runner) in this session's sandbox: forked by the zygote when
        the session has one (``python_flags`` then do not apply: the zygote's interpreter
        runs with ``-E -s``), else a new interpreter through prlimit, bwrap and setpriv."""
        if self.zygote is not None:
            assert self.uid is not None  # a zygote is only used with a user switch
            runner = "learner" if script == LEARNER_RUNNER.name else "tests"
            files = self.files if runner == "learner" else {}
            self.clean = False
            forked = self.zygote.fork(runner, self.uid, self.limits, files,
                                      self.staging / f"{script}.stderr")
            self.procs.append(forked)
            return forked
        cwd = None if self.protections.filesystem_hidden else self.staging / "home"
        # The runners send their own stderr to /dev/null: what lands here comes from the
        # launchers (bwrap, setpriv, prlimit, the interpreter's start-up).
        with open(self.staging / f"{script}.stderr", "wb") as errors:
            proc = subprocess.Popen(
                self.command(script, python_flags),
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors,
                cwd=cwd, process_group=0,
                env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
            )
        self.procs.append(proc)
        self.clean = False
        return proc

    def launcher_errors(self, script: str, limit: int = 600) -> str:
        """What the launchers of ``script`` wrote on stderr (for the instructor's log)."""
        try:
            with open(self.staging / f"{script}.stderr", "rb") as errors:
                return errors.read(limit).decode("utf-8", "replace").strip()
        except OSError:
            return ""

    def kill(self, proc: subprocess.Popen | ForkedProcess) -> None:
        """Kill ``proc``, everything it started and every process of the session's uid;
        reap it; raise :class:`SandboxError` if a process of the uid survives."""
        if isinstance(proc, ForkedProcess):
            # every process of the uid, killed and confirmed gone by the zygote (in whose
            # PID namespace they all live); from the host when the zygote cannot
            assert self.uid is not None
            if proc.zygote.kill_uid(self.uid):
                self.clean = True
            else:
                self.kill_leftovers()
            for stream in (proc.stdin, proc.stdout):
                try:
                    stream.close()
                except OSError:
                    pass
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.lost = True
            proc.close()
            return
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        for stream in (proc.stdin, proc.stdout):
            try:
                if stream:
                    stream.close()
            except OSError:
                pass
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        self.kill_leftovers()

    def kill_all(self) -> None:
        """Every process this session spawned, and every process of its uid."""
        for proc in self.procs:
            if proc.returncode is None and not getattr(proc, "lost", False):
                self.kill(proc)
        if not self.clean:
            self.kill_leftovers()

    def kill_leftovers(self) -> None:
        """Kill every process of the session's uid (processes that left the process group,
        in any PID namespace) and check that none is left."""
        if self.uid is None:
            return
        for _ in range(50):
            subprocess.run(
                ["kill", "-9", "-1"], user=self.uid, group=self.uid, extra_groups=[],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
            )
            alive = processes_of(self.uid)
            if not alive:
                self.clean = True
                return
            time.sleep(0.05)
        raise SandboxError(f"processen van sandbox-gebruiker {self.uid} overleven: {alive}")


@contextmanager
def session(files: dict[str, Path] | None = None, limits: Limits | None = None,
            protections: Protections | None = None, preload: tuple[str, ...] | None = None,
            warm: bool = True) -> Iterator[Session]:
    """A sandbox session: a fresh user id, a staging directory with the runner scripts, the
    ``ketencursus`` package and ``files`` (name -> host path, shown read-only in the
    learner's working directory). With every protection available and ``warm``, the
    processes are forked by this process's zygote (``preload``: what it imports first)."""
    protections = protections or detect_protections()
    limits = limits or Limits()
    files = dict(files or {})
    zygote = zygote_for(protections, tuple(preload or PRELOAD), limits) if warm else None
    uid = allocate_uid() if protections.user_switch else None
    staging = Path(tempfile.mkdtemp(prefix="ketencursus-sandbox-"))
    current: Session | None = None
    try:
        if zygote is None:
            _stage(staging, protections, uid)
        if not protections.filesystem_hidden:
            # No private tmpfs: a home and tmp directory of the slot user.
            home = staging / "home"
            home.mkdir()
            for name, source in files.items():
                shutil.copyfile(source, home / name)
            tmp = staging / "tmp"
            tmp.mkdir()
            for own in (home, tmp):
                if uid is not None:
                    os.chown(own, uid, uid)
                own.chmod(0o700 if uid is not None else 0o755)
        current = Session(protections, limits, uid, staging, files, zygote)
        yield current
    finally:
        # on EVERY path (a grader exception included): nothing of the learner survives
        try:
            (current or Session(protections, limits, uid, staging, files)).kill_all()
        finally:
            shutil.rmtree(staging, ignore_errors=True)
