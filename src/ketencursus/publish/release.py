"""The learner-facing tree: everything a learner may see, and nothing else.

``build_student_release(layout, out)`` writes::

    README.md            for learners (Dutch): how to open the notebooks, where answers live
    pyproject.toml       the package metadata (Binder installs ``.[notebooks]`` from it)
    binder/              the learner runtime (requirements.txt, runtime.txt, postBuild, ...)
    book/                chapters, case and reflection notebooks, images (not book/docent/)
    opdrachten/<naam>/   the released assignments (nbgrader ``release``: no solutions, no
                         hidden tests)
    src/ketencursus/     the package without instructor parts (grading, quiz, publish, book
                         extensions)
    .ketencursus-release.json   what was written, from which commit (used on the next release)

The tree is assembled in a staging directory next to ``out`` and scanned for every solution,
hidden test and graded answer of the instructor sources, and for every sentence of the
instructor edition (``docent/``) and the trainer's data (:mod:`ketencursus.publish.secrets`);
only a clean tree replaces the previous release. Files in ``out`` that an earlier release did
not write (``.git``, a licence someone added) are left alone.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import yaml

from ketencursus.errors import UserError
from ketencursus.paths import ProjectLayout

from . import secrets as secretslib

MANIFEST = ".ketencursus-release.json"
# Parts of the package that only instructors and the book build use.
INSTRUCTOR_PACKAGES = ("grading", "quiz", "publish", "sphinxext", "trainer")
# Book folders that are for instructors only.
INSTRUCTOR_BOOK_DIRS = ("docent",)
# The instructor edition (its own book, `make docent`): never copied; its text is refused.
INSTRUCTOR_EDITION = "docent"
SKIP_NAMES = {
    "__pycache__", ".ipynb_checkpoints", ".jupyter_cache", "_build", ".pytest_cache",
    ".DS_Store", ".git",
}
SKIP_SUFFIXES = {".pyc", ".pyo"}
LEARNER_DIR = "opdrachten"


class ReleaseError(UserError, RuntimeError):
    """The release cannot be written; the message (Dutch) says what to do."""


@dataclass
class ReleaseReport:
    out: Path
    files: list[str] = field(default_factory=list)
    assignments: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lines = [
            f"Leerlingenversie geschreven naar {self.out} ({len(self.files)} bestanden).",
            "Opdrachten: " + (", ".join(self.assignments) if self.assignments else "geen"),
        ]
        if self.kept:
            lines.append(
                "Niet door de release gemaakt en daarom blijven staan: " + ", ".join(self.kept)
            )
        lines.extend(self.notes)
        return "\n".join(lines)


def _skip(path: Path) -> bool:
    return any(part in SKIP_NAMES for part in path.parts) or path.suffix in SKIP_SUFFIXES or (
        path.name.endswith(".egg-info")
    )


def _git_files(directory: Path) -> set[Path] | None:
    """Files git would commit under ``directory`` (tracked, or untracked but not ignored),
    so ignored material (answers, caches, builds) never reaches the release; None outside
    a git work tree."""
    try:
        proc = subprocess.run(
            ["git", "ls-files", "-co", "--exclude-standard", "-z", "--", "."],
            cwd=directory, capture_output=True, check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return {directory / p for p in proc.stdout.decode().split("\0") if p}


def _copy_tree(src: Path, dst: Path, *, exclude_top: tuple[str, ...] = ()) -> None:
    if not src.is_dir():
        return
    allowed = _git_files(src)
    for path in sorted(src.rglob("*")):
        rel = path.relative_to(src)
        if _skip(rel) or (rel.parts and rel.parts[0] in exclude_top):
            continue
        if not path.is_file() or (allowed is not None and path not in allowed):
            continue
        target = dst / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)


def tool_env() -> dict[str, str]:
    """Environment for nbgrader and the course CLI: this interpreter's bin first on PATH
    (nbgrader shells out to ``alembic``)."""
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.setdefault("MPLBACKEND", "Agg")
    return env


def _run(cmd: list[str], cwd: Path, what: str) -> None:
    proc = subprocess.run(cmd, cwd=cwd, env=tool_env(), capture_output=True, text=True)
    if proc.returncode != 0:
        # A failing `ketencursus` subcommand already says "Fout: ...": keep its message, not
        # the prefix, so the user sees one "Fout:" line.
        lines = (proc.stdout + proc.stderr).strip().splitlines()[-15:]
        tail = "\n".join(line.removeprefix("Fout: ") for line in lines)
        raise ReleaseError(f"{what} is mislukt (exitcode {proc.returncode}):\n{tail}")


def generate_course(layout: ProjectLayout, workdir: Path, *, release: bool) -> Path:
    """Generate the nbgrader source notebooks (and with ``release`` the release notebooks)
    into a temporary course in ``workdir``; the instructor's ``grader/`` is not touched."""
    config = layout.grader / "nbgrader_config.py"
    if not config.is_file():
        raise ReleaseError(
            f"{config} ontbreekt: zonder nbgrader-configuratie kunnen de opdrachten niet "
            "worden gemaakt."
        )
    course = workdir / "cursus"
    course.mkdir(parents=True)
    shutil.copy2(config, course / "nbgrader_config.py")
    _run(
        [sys.executable, "-m", "ketencursus.cli", "assignments", "--course", str(course)],
        layout.root, "`ketencursus assignments` (opdrachten uit exercises/ maken)",
    )
    if release:
        try:
            import nbgrader  # noqa: F401
        except ImportError as exc:
            raise ReleaseError(
                "nbgrader is niet geïnstalleerd, dus de opdrachten kunnen niet worden "
                "vrijgegeven. Installeer de docentenomgeving (`make test` of "
                "`pip install -e '.[grading]'`) of maak grader/release/ eerst met "
                "`nbgrader generate_assignment`."
            ) from exc
        for source in sorted(p for p in (course / "source").iterdir() if p.is_dir()):
            _run(
                [sys.executable, "-m", "nbgrader", "generate_assignment", source.name,
                 "--force", "--log-level=WARN"],
                course, f"nbgrader generate_assignment {source.name}",
            )
    return course


def _has_assignments(directory: Path) -> bool:
    return directory.is_dir() and any(p.is_dir() for p in directory.iterdir())


def collect_secrets(layout: ProjectLayout, course: Path | None) -> list[secretslib.Secret]:
    dirs = [layout.exercises / "assignments"]
    if course is not None:
        dirs.append(course / "source")
    if (layout.grader / "source").is_dir():
        dirs.append(layout.grader / "source")
    return secretslib.assignment_secrets(*dirs) + secretslib.bank_secrets(
        layout.exercises / "bank"
    ) + secretslib.instructor_text_secrets(
        layout.root / INSTRUCTOR_EDITION, layout.root / "src" / "ketencursus" / "trainer",
        layout.exercises / "bank",
    ) + secretslib.roleplay_secrets(layout.exercises / "rollenspel", layout.book)


def _normalise_repo_url(url: str) -> str:
    url = url.strip().removesuffix("/").removesuffix(".git")
    if url.startswith("git@") and ":" in url:
        host, path = url[4:].split(":", 1)
        url = f"https://{host}/{path}"
    return url.lower()


def launch_repository(layout: ProjectLayout) -> tuple[str, str]:
    """The repository URL and branch the book's launch buttons use (``_config.yml``)."""
    config = yaml.safe_load(layout.config.read_text(encoding="utf-8")) or {}
    repo = config.get("repository") or {}
    return str(repo.get("url", "")), str(repo.get("branch", "main"))


def launch_target_warning(layout: ProjectLayout) -> str | None:
    """A Dutch warning when the launch buttons point at this (instructor) repository."""
    url, _ = launch_repository(layout)
    try:
        proc = subprocess.run(["git", "remote", "-v"], cwd=layout.root, capture_output=True,
                              text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    remotes = {_normalise_repo_url(line.split()[1]) for line in proc.stdout.splitlines()
               if len(line.split()) >= 2}
    if url and _normalise_repo_url(url) in remotes:
        return (
            f"LET OP: repository.url in _config.yml ({url}) is deze docentenrepository. De "
            "Binder-knoppen moeten naar de leerlingenrepository wijzen; pas _config.yml aan."
        )
    return None


def _git_commit(root: Path) -> str | None:
    try:
        proc = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return proc.stdout.strip() or None


LEARNER_README = """\
# Ketens de baas in de praktijk — werkomgeving voor cursisten

Dit is de werkomgeving bij de cursus over **ketensturing** en **weerbarstige
cultuurinvloeden**. Je vindt hier de casusnotebooks, de reflectie-oefeningen en de opdrachten.
Antwoorden en uitwerkingen staan hier niet in.

## Openen

- **Binder**: klik in het online boek op de raketknop (*Launch* → *Binder*) bovenaan een
  notebookpagina. Het notebook opent in JupyterLab. Een Binder-sessie verdwijnt als je hem
  een tijd niet gebruikt: **download je werk** (rechtermuisknop op het bestand →
  *Download*, en in de reflectie-oefeningen de knop voor je portfolio).
- **JupyterHub van je organisatie**: kopieer deze map naar je omgeving en installeer de
  werkomgeving zoals hieronder.
- **Op je eigen computer** (Python 3.11 of nieuwer):

  ```bash
  python3 -m venv .venv
  .venv/bin/pip install -r binder/requirements.txt
  .venv/bin/jupyter lab
  ```

## Wat staat waar

| map | inhoud |
| --- | --- |
| `book/casussen/` | casusnotebooks: de loonaangifteketen en de werkpleinen |
| `book/reflectie/` | reflectie-oefeningen: cultuurscan, logboek, interventiekiezer, actieplan |
| `book/` | de hoofdstukken van het boek (ook online te lezen) |
| `opdrachten/` | de opdrachten die je inlevert; vul je antwoorden in op de aangegeven plaatsen |
| `binder/` | beschrijving van de werkomgeving |
| `src/ketencursus/` | de Python-code die de notebooks gebruiken |

Je antwoorden bij de reflectie-oefeningen worden bewaard in
`~/ketencursus-reflecties/antwoorden.json` (of in de map die `KETENCURSUS_ANSWERS` aangeeft).

## Licentie

De cursus is gebaseerd op *Ketens de baas* (NORA Online, © Staat der Nederlanden,
CC BY-ND 3.0). De cursustekst valt onder CC BY 4.0, de code onder de MIT-licentie.
"""


LEARNER_GITIGNORE = """\
.venv/
__pycache__/
.ipynb_checkpoints/
*.egg-info/
build/
"""


def _assemble(layout: ProjectLayout, stage: Path, release_dir: Path | None) -> list[str]:
    root = layout.root
    _copy_tree(layout.book, stage / "book", exclude_top=INSTRUCTOR_BOOK_DIRS)
    _copy_tree(layout.binder, stage / "binder")
    _copy_tree(root / "src" / "ketencursus", stage / "src" / "ketencursus",
               exclude_top=INSTRUCTOR_PACKAGES)
    shutil.copy2(root / "pyproject.toml", stage / "pyproject.toml")
    (stage / "README.md").write_text(LEARNER_README, encoding="utf-8")
    (stage / ".gitignore").write_text(LEARNER_GITIGNORE, encoding="utf-8")
    assignments: list[str] = []
    if release_dir is not None:
        for assignment in sorted(p for p in release_dir.iterdir() if p.is_dir()):
            _copy_tree(assignment, stage / LEARNER_DIR / assignment.name)
            assignments.append(assignment.name)
    return assignments


def _prepare_out(out: Path) -> dict:
    """Check that ``out`` may be written; return the previous manifest (or {})."""
    if out.exists() and not out.is_dir():
        raise ReleaseError(f"{out} is een bestand, geen map. Kies een map voor de release.")
    if not out.exists():
        # Check now that it can be made, before the (slow) release is built.
        parent = next(p for p in out.parents if p.exists())
        if not parent.is_dir():
            raise ReleaseError(
                f"{out} kan niet worden gemaakt: {parent} is een bestand, geen map. Kies een "
                "andere doelmap."
            )
        if not os.access(parent, os.W_OK | os.X_OK):
            raise ReleaseError(
                f"{out} kan niet worden gemaakt: in {parent} mag je niet schrijven. Kies een "
                "doelmap waarin je mag schrijven."
            )
        return {}
    manifest = out / MANIFEST
    if manifest.is_file():
        try:
            return json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise ReleaseError(
                f"{manifest} is onleesbaar ({exc}). Herstel of verwijder het bestand met de "
                "hand, of kies een lege map; er is niets overschreven."
            ) from exc
    others = sorted(p.name for p in out.iterdir() if p.name != ".git")
    if others:
        raise ReleaseError(
            f"De map {out} is niet leeg en bevat geen eerdere leerlingenversie "
            f"(geen {MANIFEST}); er is niets overschreven. Kies een lege of nieuwe map, of een "
            "kloon van de leerlingenrepository. Gevonden: " + ", ".join(others[:8])
        )
    return {}


def _install(stage: Path, out: Path, previous: dict, files: list[str]) -> list[str]:
    """Replace the files of the previous release by the staged ones; return the paths in
    ``out`` that no release wrote (left alone)."""
    out.mkdir(parents=True, exist_ok=True)
    for rel in previous.get("files", []):
        target = out / rel
        if target.is_file() and ".git" not in Path(rel).parts:
            target.unlink()
    # remove directories the previous release left empty
    for rel in sorted({str(Path(r).parent) for r in previous.get("files", [])}, key=len,
                      reverse=True):
        directory = out / rel
        while directory != out and directory.is_dir() and not any(directory.iterdir()):
            directory.rmdir()
            directory = directory.parent
    for rel in files:
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(stage / rel, target)
    written = set(files)
    kept = []
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out)
        if path.is_file() and rel.parts[0] != ".git" and rel.as_posix() not in written:
            kept.append(rel.as_posix())
    return kept


def build_student_release(
    layout: ProjectLayout, out: Path, *, regenerate: bool = False
) -> ReleaseReport:
    """Write the learner-facing tree to ``out`` (see the module docstring)."""
    out = out.resolve()
    root = layout.root.resolve()
    if out == root or root in out.parents:
        raise ReleaseError(
            f"De release kan niet in de docentenrepository zelf ({root}) staan: kies een map "
            "daarbuiten, bijvoorbeeld een kloon van de leerlingenrepository."
        )
    previous = _prepare_out(out)
    report = ReleaseReport(out)
    with tempfile.TemporaryDirectory(prefix="ketencursus-release-") as tmp:
        work = Path(tmp)
        has_sources = _has_assignments(layout.exercises / "assignments")
        course: Path | None = None
        release_dir: Path | None = None
        if has_sources:
            use_existing = not regenerate and _has_assignments(layout.grader / "release")
            course = generate_course(layout, work, release=not use_existing)
            release_dir = layout.grader / "release" if use_existing else course / "release"
            report.notes.append(
                "Opdrachten uit grader/release/ (zoals vrijgegeven)." if use_existing
                else "Opdrachten vers gemaakt uit exercises/assignments/ met nbgrader."
            )
        elif _has_assignments(layout.grader / "release"):
            release_dir = layout.grader / "release"
        else:
            report.notes.append("Geen opdrachten gevonden in exercises/assignments/.")
        stage = work / "stage"
        stage.mkdir()
        report.assignments = _assemble(layout, stage, release_dir)
        files = sorted(
            p.relative_to(stage).as_posix() for p in stage.rglob("*") if p.is_file()
        )
        leaks = secretslib.scan_tree(stage, collect_secrets(layout, course))
        if leaks:
            shown = "\n".join(leak.message() for leak in leaks[:20])
            raise ReleaseError(
                f"De leerlingenversie zou {len(leaks)} geheime tekst(en) bevatten; er is niets "
                f"geschreven. Verwijder ze uit de genoemde bestanden:\n{shown}"
            )
        manifest = {
            "made_by": "ketencursus student-release",
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "source_commit": _git_commit(root),
            "files": files,
        }
        (stage / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        files.append(MANIFEST)
        url, branch = launch_repository(layout)
        report.notes.append(
            f"De Binder-knoppen van het boek openen {url} (branch {branch}): publiceer deze "
            "map daar."
        )
        warning = launch_target_warning(layout)
        if warning:
            report.notes.append(warning)
        report.kept = _install(stage, out, previous, files)
        report.files = files
    return report
