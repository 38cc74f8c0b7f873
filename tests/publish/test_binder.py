"""What Binder does, recreated: clone the learner tree, build the environment from ``binder/``
alone, start JupyterLab, and in Chromium open every case and reflection notebook, run all,
operate one widget and find no error output anywhere."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.support.binderenv import install_binder_env

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "ketencursus-binder-test"

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def _learner_notebooks(tree: Path) -> list[str]:
    found = sorted((tree / "book" / "casussen").glob("*.ipynb")) + sorted(
        (tree / "book" / "reflectie").glob("*.ipynb")
    )
    return [p.relative_to(tree).as_posix() for p in found]


@pytest.fixture(scope="module")
def learner_tree(learner_release) -> Path:
    return learner_release.out


@pytest.fixture(scope="module")
def binder_venv(learner_tree, tmp_path_factory) -> Path:
    venv = tmp_path_factory.mktemp("venv") / "binder"
    seconds = install_binder_env(learner_tree, venv)
    print(f"binder-omgeving geïnstalleerd in {seconds:.0f} s")
    return venv


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def jupyter_lab(binder_venv, learner_tree, tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    port = _free_port()
    env = dict(os.environ)
    env.update({
        "PATH": f"{binder_venv / 'bin'}{os.pathsep}{env['PATH']}",
        "HOME": str(home),
        "JUPYTER_CONFIG_DIR": str(home / ".jupyter"),
        "JUPYTER_DATA_DIR": str(home / ".local" / "share" / "jupyter"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "KETENCURSUS_ANSWERS": str(home / "reflecties" / "antwoorden.json"),
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
    })
    env.pop("PYTHONPATH", None)
    log = (home / "lab.log").open("w")
    proc = subprocess.Popen(
        [str(binder_venv / "bin" / "jupyter"), "lab", "--no-browser", "--ip=127.0.0.1",
         f"--port={port}", f"--IdentityProvider.token={TOKEN}",
         f"--ServerApp.root_dir={learner_tree}", "--ServerApp.open_browser=False",
         *(["--allow-root"] if os.geteuid() == 0 else [])],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=2):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("JupyterLab start niet:\n" + (home / "lab.log").read_text()[-3000:])
            time.sleep(0.5)
    yield base, home
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


def test_learner_tree_has_the_case_and_reflection_notebooks(learner_tree):
    notebooks = _learner_notebooks(learner_tree)
    assert any(n.startswith("book/casussen/") for n in notebooks)
    assert any(n.startswith("book/reflectie/") for n in notebooks)


def test_binder_environment_has_the_course_but_no_instructor_tools(binder_venv):
    python = str(binder_venv / "bin" / "python")
    probe = (
        "import importlib.util as u, json; print(json.dumps({m: u.find_spec(m) is not None for m "
        "in ['ketencursus.cases', 'ketencursus.reflection', 'ketencursus.checks', 'ipywidgets', "
        "'jupyterlab', 'nbgrader', 'jupyter_book', 'sphinx', 'ketencursus.grading', "
        "'ketencursus.quiz']}))"
    )
    found = json.loads(subprocess.run([python, "-c", probe], capture_output=True, text=True,
                                      check=True).stdout)
    assert found == {
        "ketencursus.cases": True, "ketencursus.reflection": True, "ketencursus.checks": True,
        "ipywidgets": True, "jupyterlab": True, "nbgrader": False, "jupyter_book": False,
        "sphinx": False, "ketencursus.grading": False, "ketencursus.quiz": False,
    }
    extensions = subprocess.run(
        [str(binder_venv / "bin" / "jupyter"), "labextension", "list"],
        capture_output=True, text=True, check=True,
    )
    listing = (extensions.stdout + extensions.stderr).lower()
    assert "nbgrader" not in listing and "formgrader" not in listing
    assert "@jupyter-widgets/jupyterlab-manager" in listing
    # the course CLI still starts: it skips the commands of the absent instructor packages
    cli = subprocess.run([str(binder_venv / "bin" / "ketencursus"), "--help"],
                         capture_output=True, text=True)
    assert cli.returncode == 0, cli.stderr
    assert "student-release" not in cli.stdout and "grade" not in cli.stdout


def _dismiss_dialogs(page) -> None:
    """Accept a 'Select Kernel' dialog (cold server) if one shows."""
    accept = page.locator(".jp-Dialog .jp-mod-accept")
    if accept.count():
        accept.first.click()


def _run_all(page) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()


def _run_all_until_finished(page) -> None:
    """Run all cells and wait until no cell is running and every cell ran, or an error
    stopped the run. A click that lands before the kernel is connected is repeated."""
    for _attempt in range(3):
        _run_all(page)
        try:
            page.wait_for_function(
                f"() => {{ const p = ({PROGRESS_JS})(); return p.busy > 0 || p.done > 0; }}",
                timeout=30_000, polling=250,
            )
            break
        except PlaywrightTimeout:
            _dismiss_dialogs(page)
    page.wait_for_function(
        f"() => {{ const p = ({PROGRESS_JS})(); return p.total > 0 && p.busy === 0 && "
        f"(p.done === p.total || ({ERRORS_JS})().length > 0); }}",
        timeout=300_000, polling=500,
    )


PROGRESS_JS = """() => {
    const prompts = Array.from(document.querySelectorAll(
        '.jp-Notebook .jp-CodeCell .jp-InputArea-prompt'));
    const texts = prompts.map(p => p.textContent.trim());
    return {total: texts.length,
            busy: texts.filter(t => t.includes('*')).length,
            done: texts.filter(t => /\\[\\d+\\]/.test(t)).length};
}"""

ERRORS_JS = """() => Array.from(document.querySelectorAll(
        '.jp-Notebook [data-mime-type="application/vnd.jupyter.error"], '
        + '.jp-Notebook [data-mime-type="application/vnd.jupyter.stderr"]'))
    .map(e => e.textContent.trim().slice(0, 400))"""

KERNEL_OUTPUT_JS = """() => Array.from(document.querySelectorAll(
        '.jp-Notebook .widget-output, .jp-Notebook .widget-html-content'))
    .map(e => e.innerHTML).join('\\n')"""


def _operate_one_widget(page) -> str:
    """Operate the first widget a learner would use; return what was operated."""
    slider = page.locator(".jp-Notebook .widget-slider .noUi-handle, "
                          ".jp-Notebook .widget-slider .ui-slider-handle")
    if slider.count():
        slider.first.focus()
        slider.first.press("ArrowRight")
        slider.first.press("ArrowRight")
        return "schuifregelaar"
    dropdown = page.locator(".jp-Notebook .widget-dropdown select")
    if dropdown.count():
        options = dropdown.first.locator("option")
        values = [options.nth(i).get_attribute("value") for i in range(options.count())]
        current = dropdown.first.input_value()
        choice = next(v for v in reversed(values) if v != current)
        dropdown.first.select_option(choice)
        return "keuzelijst"
    textarea = page.locator(".jp-Notebook .widget-textarea textarea")
    if textarea.count():
        textarea.first.fill("Onze keten: aangifte, controle en terugmelding.")
        textarea.first.press("Tab")
        return "tekstvak"
    button = page.locator(".jp-Notebook .jupyter-button")
    button.first.click()
    return "knop"


def _shutdown_kernels(base: str) -> None:
    """Stop every kernel (a Binder has 1-2 GB; the test opens one notebook at a time)."""
    with urllib.request.urlopen(f"{base}/api/kernels?token={TOKEN}") as response:
        kernels = json.load(response)
    for kernel in kernels:
        request = urllib.request.Request(
            f"{base}/api/kernels/{kernel['id']}?token={TOKEN}", method="DELETE"
        )
        urllib.request.urlopen(request).close()


@pytest.fixture(scope="module")
def lab_page(jupyter_lab, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    yield jupyter_lab[0], page
    context.close()


@pytest.mark.timeout(900)
def test_every_learner_notebook_runs_and_its_widget_responds(learner_tree, lab_page):
    base, page = lab_page
    problems: dict[str, list[str]] = {}
    for number, notebook in enumerate(_learner_notebooks(learner_tree)):
        # a fresh workspace per notebook: only this notebook is open
        page.goto(f"{base}/lab/workspaces/test{number}/tree/{notebook}?reset&token={TOKEN}")
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
        page.wait_for_timeout(500)
        _dismiss_dialogs(page)
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']",
                               timeout=60_000)
        _run_all_until_finished(page)
        errors = page.evaluate(ERRORS_JS)
        if errors:
            problems[notebook] = errors
            _shutdown_kernels(base)
            continue
        page.wait_for_selector(".jp-Notebook .widget-box, .jp-Notebook .jupyter-widgets",
                               timeout=60_000)
        before = page.evaluate(KERNEL_OUTPUT_JS)
        operated = _operate_one_widget(page)
        try:
            page.wait_for_function(
                f"(before) => ({KERNEL_OUTPUT_JS})() !== before", arg=before, timeout=60_000,
                polling=250,
            )
        except PlaywrightTimeout:
            problems.setdefault(notebook, []).append(
                f"de {operated} gaf geen reactie van de kernel"
            )
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']",
                               timeout=60_000)
        errors = page.evaluate(ERRORS_JS)
        if errors:
            problems.setdefault(notebook, []).extend(errors)
        _shutdown_kernels(base)
    assert problems == {}, json.dumps(problems, indent=2, ensure_ascii=False)
