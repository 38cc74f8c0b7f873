"""Serve a built book on 127.0.0.1 and look at it the way a browser does.

Used by the publishing tests (offline check, accessibility, links) and by
``benchmarks/bench_publish.py`` (transferred bytes per page). Playwright is a development
dependency: it is imported by the caller, who passes a Playwright ``Page``.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 - stdlib signature
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` over HTTP on 127.0.0.1 (free port) in a thread; yield the base URL
    (ending in ``/``)."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@dataclass
class Visit:
    """What loading one page cost: every request, the foreign ones, and bytes transferred."""

    url: str
    requests: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    transferred: int = 0


def is_same_origin(url: str, base: str) -> bool:
    """True for requests to ``base``'s host and port, and for ``data:``/``blob:``/``about:``."""
    parts = urlsplit(url)
    if parts.scheme in {"data", "blob", "about"}:
        return True
    base_parts = urlsplit(base)
    return (parts.scheme, parts.netloc) == (base_parts.scheme, base_parts.netloc)


def visit(page, url: str, base: str, *, settle_ms: int = 300) -> Visit:
    """Load ``url`` in the Playwright ``page`` and record every request it makes.

    ``transferred`` is the sum of response body sizes plus headers as the browser received
    them (Resource Timing ``transferSize`` for subresources and the navigation, cache
    disabled by the caller's fresh context)."""
    result = Visit(url)

    def on_request(request) -> None:
        result.requests.append(request.url)
        if not is_same_origin(request.url, base):
            result.foreign.append(request.url)

    def on_failed(request) -> None:
        result.failed.append(f"{request.url} ({request.failure})")

    page.on("request", on_request)
    page.on("requestfailed", on_failed)
    try:
        page.goto(url, wait_until="load")
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(settle_ms)
        result.transferred = int(page.evaluate(
            """() => {
                const entries = performance.getEntriesByType('navigation')
                    .concat(performance.getEntriesByType('resource'));
                return entries.reduce((sum, e) => sum + (e.transferSize || 0), 0);
            }"""
        ))
    finally:
        page.remove_listener("request", on_request)
        page.remove_listener("requestfailed", on_failed)
    return result


AXE_RUN = """async () => {
    const result = await axe.run(document, {resultTypes: ['violations']});
    return result.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5),
    }));
}"""


def axe_violations(page, axe_script: Path, impacts: tuple[str, ...] = ("serious", "critical")):
    """Run axe-core (injected from ``axe_script``) on the loaded page; return the violations
    whose impact is in ``impacts``."""
    page.add_script_tag(path=str(axe_script))
    return [v for v in page.evaluate(AXE_RUN) if v["impact"] in impacts]
