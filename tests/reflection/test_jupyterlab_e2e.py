"""End to end in a real JupyterLab with Chromium: open the cultuurscan notebook, run all, fill in
answers through the widgets, restart the kernel and run all again, find the answers restored,
then download the portfolio with one click and find the answers in it."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from ketencursus.reflection.export import import_portfolio
from ketencursus.reflection.model import Workbook

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

VENV_BIN = Path(sys.executable).parent
FIRST_STATEMENT = "Collega's in mijn organisatie vragen zich bij een besluit af"
TRUST_STATEMENT = "Ik vertrouw erop dat de ketenpartners doen wat ze hebben toegezegd."
LAST_STATEMENT = "Het ketendoel motiveert mensen in hun dagelijkse werk"
CHAIN_QUESTION = "Over welke keten gaat jouw scan?"
CHAIN_ANSWER = "De keten van aanvraag tot uitkering – getest in Chromium"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition, timeout: float, what: str, interval: float = 0.2):
    """Poll ``condition`` until it returns something truthy; fail with ``what`` on timeout."""
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            result = condition()
            if result:
                return result
        except Exception as exc:  # the file may be mid-replace or the server not up yet
            last_error = exc
        time.sleep(interval)
    pytest.fail(f"Timed out after {timeout:.0f}s waiting for {what} (last error: {last_error})")


@pytest.fixture
def jupyterlab(tmp_path, layout):
    """A JupyterLab server on a random port with token auth, serving a temp copy of the
    notebook, with all Jupyter state and the answers file in the temp dir."""
    root = tmp_path / "werkmap"
    root.mkdir()
    shutil.copy2(layout.book / "reflectie" / "cultuurscan.ipynb", root / "cultuurscan.ipynb")
    answers = tmp_path / "antwoorden" / "antwoorden.json"
    settings = tmp_path / "lab-settings"
    notification = settings / "@jupyterlab" / "apputils-extension"
    notification.mkdir(parents=True)
    (notification / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )
    port, token = free_port(), secrets.token_hex(16)
    env = dict(os.environ)
    env.update(
        KETENCURSUS_ANSWERS=str(answers),
        JUPYTER_CONFIG_DIR=str(tmp_path / "jupyter-config"),
        JUPYTER_RUNTIME_DIR=str(tmp_path / "jupyter-runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(settings),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "lab-workspaces"),
        MPLBACKEND="Agg",
        PATH=f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}",
    )
    log = (tmp_path / "jupyterlab.log").open("w")
    proc = subprocess.Popen(
        [
            str(VENV_BIN / "jupyter-lab"), "--no-browser",
            "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={root}", "--ServerApp.allow_root=True",
        ],
        cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(
            lambda: proc.poll() is None and urllib.request.urlopen(
                f"{base}/api/status?token={token}", timeout=2).status == 200
            or (proc.poll() is not None and pytest.fail(
                "JupyterLab stopped:\n" + (tmp_path / "jupyterlab.log").read_text())),
            timeout=60, what="the JupyterLab server",
        )
        yield {"base": base, "token": token, "answers": answers, "root": root}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def stored_answers(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))["answers"].get("cultuurscan", {})


def accept_dialog_if_shown(page, timeout_ms: int) -> None:
    try:
        page.locator(".jp-Dialog .jp-mod-accept").click(timeout=timeout_ms)
    except Exception:  # noqa: BLE001 - no dialog this time
        return


def run_menu(page, menu: str, item: str) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=menu).first.click()
    page.locator(".lm-Menu-itemLabel", has_text=item).first.click()


def wait_for_exercise(page) -> None:
    """The live exercise has rendered (a fresh view: nothing changed yet in this session)."""
    page.get_by_role("combobox", name=FIRST_STATEMENT).wait_for(state="visible", timeout=90_000)
    page.locator(".kc-reflectie", has_text="Nog niets gewijzigd in deze sessie").wait_for(
        timeout=30_000
    )


def test_answers_survive_kernel_restart_and_reach_the_downloaded_portfolio(
    jupyterlab, browser, tmp_path
):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(
            f"{jupyterlab['base']}/lab/tree/cultuurscan.ipynb?reset&token={jupyterlab['token']}"
        )
        page.locator(".jp-NotebookPanel:visible").first.wait_for(timeout=90_000)
        accept_dialog_if_shown(page, 3_000)  # "Select Kernel" on a cold server
        # the kernel is connected and idle (the status bar shows it only once it is)
        page.locator(".jp-StatusBar-TextItem", has_text="| Idle").first.wait_for(timeout=90_000)

        # Run all: the live exercise appears; the book page's form stays hidden here and
        # says where it works.
        run_menu(page, "Run", "Run All Cells")
        wait_for_exercise(page)
        assert page.locator(".jp-OutputArea-output", has_text="werkt in het online boek"
                            ).count() >= 1

        # Fill in answers through the widgets, found by their accessible names.
        page.get_by_role("combobox", name=FIRST_STATEMENT).select_option(index=4)  # 4 – eens
        page.get_by_role("combobox", name=TRUST_STATEMENT).select_option(index=2)  # 2 – oneens
        # keyboard only: Tab from the last statement reaches the text field; type the answer
        page.get_by_role("combobox", name=LAST_STATEMENT).focus()
        page.keyboard.press("Tab")
        chain = page.get_by_role("textbox", name=CHAIN_QUESTION)
        assert chain.evaluate("field => field === document.activeElement")
        page.keyboard.type(CHAIN_ANSWER)
        page.keyboard.press("Tab")
        answers_file = jupyterlab["answers"]
        wait_until(
            lambda: (a := stored_answers(answers_file)).get("c01", {}).get("value") == 4
            and a.get("c05", {}).get("value") == 2
            and a.get("keten", {}).get("value") == CHAIN_ANSWER,
            timeout=30, what="the answers in the answers file",
        )
        page.locator(".kc-reflectie", has_text="Opgeslagen om").wait_for(timeout=10_000)

        # Restart the kernel and run all again: the answers come back in the widgets.
        run_menu(page, "Kernel", "Restart Kernel and Run All Cells")
        page.locator(".jp-Dialog .jp-mod-accept").click(timeout=15_000)
        wait_for_exercise(page)
        assert page.locator(".kc-reflectie").count() == 1
        first = page.get_by_role("combobox", name=FIRST_STATEMENT)
        assert first.evaluate("select => select.selectedIndex") == 4
        trust = page.get_by_role("combobox", name=TRUST_STATEMENT)
        assert trust.evaluate("select => select.selectedIndex") == 2
        assert page.get_by_role("textbox", name=CHAIN_QUESTION).input_value() == CHAIN_ANSWER
        page.get_by_role("combobox", name=TRUST_STATEMENT).scroll_into_view_if_needed()
        page.screenshot(path=str(tmp_path / "na-herstart.png"))  # kept for inspection
        page.get_by_role("textbox", name=CHAIN_QUESTION).scroll_into_view_if_needed()
        page.screenshot(path=str(tmp_path / "na-herstart-tekst.png"))

        # Download the portfolio with one click, in both formats.
        downloads = {}
        for name in ("Download portfolio (HTML)", "Download portfolio (Markdown)"):
            with page.expect_download(timeout=15_000) as info:
                page.get_by_role("link", name=name).click()
            download = info.value
            target = tmp_path / download.suggested_filename
            download.save_as(target)
            downloads[download.suggested_filename] = target.read_text(encoding="utf-8")
        assert set(downloads) == {"ketencursus-portfolio.html", "ketencursus-portfolio.md"}
        on_disk = Workbook.from_dict(json.loads(answers_file.read_text(encoding="utf-8")))
        for text in downloads.values():
            assert CHAIN_ANSWER in text and "4 – eens" in text and "2 – oneens" in text
            assert import_portfolio(text) == on_disk
    except Exception:
        page.screenshot(path=str(tmp_path / "failure.png"), full_page=True)
        raise
    finally:
        context.close()
