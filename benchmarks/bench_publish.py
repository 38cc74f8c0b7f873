"""Publishing figures (``make bench``):

* size of the Binder environment (built from ``binder/`` of a fresh learner release) against
  the full development environment ``.venv`` (MB);
* bytes a browser transfers for one chapter page and one case page, cold cache (the page and
  every request it makes, measured in Chromium), and the same files gzip-compressed (what a
  web server with compression sends);
* clean build time of the book against a rebuild with nothing changed (execution cache and
  Sphinx environment reused), and their ratio (goal: at least 5x).

Runs on a copy of the tracked tree in a temporary directory; nothing in the repository is
touched.
"""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.support; ketencursus comes from the environment

from ketencursus.paths import ProjectLayout  # noqa: E402
from ketencursus.publish.release import build_student_release  # noqa: E402
from tests.support.binderenv import install_binder_env, size_mb  # noqa: E402
from tests.support.site import serve, visit  # noqa: E402

VENV_BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
CHAPTER_PAGE = "book/h4_de_zaak.html"
CASE_PAGE = "book/casussen/loonaangifteketen.html"


def copy_tracked_tree(dest: Path) -> None:
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT,
                           capture_output=True, check=True).stdout.decode().split("\0")
    for rel in filter(None, files):
        src = ROOT / rel
        if src.is_file():
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target)


def build(tree: Path) -> float:
    env = {**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}",
           "KETENCURSUS_NODE_MODULES": str(ROOT / "node_modules")}
    start = time.perf_counter()
    proc = subprocess.run([str(VENV_BIN / "jupyter-book"), "build", ".", "-n", "--keep-going"],
                          cwd=tree, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0 or not (tree / "_build" / "html" / "index.html").is_file():
        print((proc.stdout + proc.stderr)[-3000:])
        raise SystemExit("boekbouw mislukt")
    return seconds


def local_file(html: Path, url: str, base: str) -> Path | None:
    if not url.startswith(base):
        return None
    path = html / unquote(urlsplit(url).path.lstrip("/"))
    return path if path.is_file() else None


def page_bytes(html: Path, pages: list[str]) -> dict[str, tuple[int, int, int]]:
    """(transferred bytes, gzip bytes of the same files, number of requests) per page."""
    from playwright.sync_api import sync_playwright

    results = {}
    with serve(html) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for rel in pages:
            context = browser.new_context()
            page = context.new_page()
            record = visit(page, base + rel, base)
            context.close()
            files = {local_file(html, u, base) for u in record.requests}
            gz = sum(len(gzip.compress(f.read_bytes(), 6)) for f in files if f is not None)
            results[rel] = (record.transferred, gz, len(record.requests))
        browser.close()
    return results


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-publish-") as tmp:
        tmp = Path(tmp)
        tree = tmp / "boek"
        copy_tracked_tree(tree)
        clean = build(tree)
        rebuild = build(tree)
        html = tree / "_build" / "html"
        transfers = page_bytes(html, [CHAPTER_PAGE, CASE_PAGE])

        release = tmp / "leerling"
        build_student_release(ProjectLayout(ROOT), release)
        venv = tmp / "binder-venv"
        install_seconds = install_binder_env(release, venv)
        binder_mb = size_mb(venv)
        dev_mb = size_mb(ROOT / ".venv")

    print(f"Binder-omgeving:            {binder_mb:8.0f} MB (installatie {install_seconds:.0f} s)")
    print(f"Ontwikkelomgeving (.venv): {dev_mb:8.0f} MB  -> Binder is {binder_mb / dev_mb:.0%}")
    for rel, (transferred, gz, requests) in transfers.items():
        kind = "hoofdstukpagina" if rel == CHAPTER_PAGE else "casuspagina"
        print(f"{kind:16s} {rel}: {transferred / 1000:8.0f} kB overgedragen, koude cache, "
              f"{requests} verzoeken; gzip {gz / 1000:.0f} kB")
    print(f"Schone boekbouw:           {clean:8.1f} s")
    print(f"Herbouw zonder wijziging:  {rebuild:8.1f} s  -> {clean / rebuild:.1f}x sneller "
          f"(doel: minstens 5x)")


if __name__ == "__main__":
    main()
