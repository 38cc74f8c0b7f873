"""The sandbox in which learner code (and the hidden tests) run.

What it defends against, how, and which test shows it: ``docs/threat-model.md``. Measured on
this kind of machine:

* As root, with bubblewrap: ``bwrap`` (run as root, so it may bind the interpreter that
  lives under ``/root``) builds a fresh root file system holding only ``/usr``, the Python
  installation, a scratch ``/tmp`` and the job's files -- no course directory, no other
  learners -- with new network, PID, IPC and UTS namespaces; inside, ``setpriv`` drops to an
  unprivileged user id of its own (one per parallel slot, so the process limit of one
  submission never starves another), with no capabilities and ``no_new_privs``.
* ``prlimit`` limits CPU time, address space (1 GiB: pandas needs more than 768 MiB),
  processes (RLIMIT_NPROC counts threads; root is exempt, the slot user is not), file
  size and open files. RLIMIT_CPU counts the process's whole life, so the grader also
  keeps a wall-clock timeout per cell and kills the sandbox when it is exceeded.
* Without root or without bubblewrap, the strongest available subset is used and
  :meth:`Protections.warning` says, in Dutch, what is missing.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import sys
import tempfile
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


class Session:
    """One submission's sandbox: a slot (user id), a staging directory, spawned processes."""

    def __init__(self, protections: Protections, limits: Limits, uid: int | None,
                 staging: Path, files: dict[str, Path]) -> None:
        self.protections = protections
        self.limits = limits
        self.uid = uid
        self.staging = staging
        self.files = files
        self.procs: list[subprocess.Popen] = []

    # ---- command construction -----------------------------------------------------------
    def _env(self) -> dict[str, str]:
        home = SANDBOX_HOME if self.protections.filesystem_hidden else str(self.staging / "home")
        tmp = "/tmp" if self.protections.filesystem_hidden else str(self.staging / "tmp")
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

    def _bwrap(self) -> list[str]:
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
        args += ["--ro-bind", str(self.staging / "etc" / "passwd"), "/etc/passwd",
                 "--ro-bind", str(self.staging / "etc" / "group"), "/etc/group"]
        # The fresh /tmp and home come first: the Python installation may itself live under
        # /tmp (a checkout there), and a tmpfs mounted after its bind would hide it.
        args += [
            "--proc", "/proc", "--dev", "/dev",
            "--perms", "01777", "--size", str(self.limits.tmpfs_size), "--tmpfs", "/tmp",
            "--perms", "0755", "--dir", "/home",
            "--perms", "01777", "--size", str(self.limits.tmpfs_size), "--tmpfs", SANDBOX_HOME,
        ]
        mounted = {"/tmp", "/home", SANDBOX_HOME, "/proc", "/dev"}
        for prefix in _python_dirs():
            for parent in reversed(prefix.parents):
                if str(parent) != "/" and str(parent) not in mounted:
                    args += ["--perms", "0755", "--dir", str(parent)]
            args += ["--ro-bind", str(prefix), str(prefix)]
        args += ["--ro-bind", str(self.staging / "sandbox"), SANDBOX_ROOT]
        if not _package_is_bound():
            args += ["--ro-bind", str(package_dir()), f"{SANDBOX_ROOT}/ketencursus"]
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

    def spawn(self, script: str, python_flags: list[str]) -> subprocess.Popen:
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
        return proc

    def launcher_errors(self, script: str, limit: int = 600) -> str:
        """What the launchers of ``script`` wrote on stderr (for the instructor's log)."""
        try:
            with open(self.staging / f"{script}.stderr", "rb") as errors:
                return errors.read(limit).decode("utf-8", "replace").strip()
        except OSError:
            return ""

    def kill(self, proc: subprocess.Popen) -> None:
        """Kill ``proc``, everything it started and every process of the session's uid;
        reap it; raise :class:`SandboxError` if a process of the uid survives."""
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
            if proc.returncode is None:
                self.kill(proc)
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
                return
            time.sleep(0.05)
        raise SandboxError(f"processen van sandbox-gebruiker {self.uid} overleven: {alive}")


@contextmanager
def session(files: dict[str, Path] | None = None, limits: Limits | None = None,
            protections: Protections | None = None) -> Iterator[Session]:
    """A sandbox session: a fresh user id, a staging directory with the runner scripts, the
    ``ketencursus`` package and ``files`` (name -> host path, shown read-only in the
    learner's working directory)."""
    protections = protections or detect_protections()
    limits = limits or Limits()
    files = dict(files or {})
    uid = allocate_uid() if protections.user_switch else None
    staging = Path(tempfile.mkdtemp(prefix="ketencursus-sandbox-"))
    current: Session | None = None
    try:
        staging.chmod(0o755)
        sandbox_dir = staging / "sandbox"
        sandbox_dir.mkdir()
        shutil.copyfile(LEARNER_RUNNER, sandbox_dir / LEARNER_RUNNER.name)
        shutil.copyfile(TEST_RUNNER, sandbox_dir / TEST_RUNNER.name)
        shutil.copyfile(PROTOCOL, sandbox_dir / PROTOCOL.name)
        _provide_package(sandbox_dir, bind=protections.filesystem_hidden)
        etc = staging / "etc"
        etc.mkdir()
        shown_uid = uid if uid is not None else os.getuid()
        (etc / "passwd").write_text(
            f"cursist:x:{shown_uid}:{shown_uid}:cursist:{SANDBOX_HOME}:/bin/false\n",
            "utf-8",
        )
        (etc / "group").write_text(f"cursist:x:{shown_uid}:\n", "utf-8")
        for root, dirs, names in os.walk(staging):
            for d in dirs:
                os.chmod(os.path.join(root, d), 0o755)
            for name in names:
                os.chmod(os.path.join(root, name), 0o644)
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
        current = Session(protections, limits, uid, staging, files)
        yield current
    finally:
        # on EVERY path (a grader exception included): nothing of the learner survives
        try:
            (current or Session(protections, limits, uid, staging, files)).kill_all()
        finally:
            shutil.rmtree(staging, ignore_errors=True)
