"""Benchmark of the case notebooks and their data generators.

Prints, for each case notebook, the run-all time (fresh kernel, every cell including the
widget cells the book build skips) and the kernel's peak memory (ru_maxrss read inside the
kernel at the end), both against the budget of a Binder session (20 s, 1 GiB); and the
generators' throughput in zaken and events per second.

Run: ``python benchmarks/bench_cases.py`` (or ``make bench``).
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from datetime import datetime
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = [
    ROOT / "book" / "casussen" / name for name in ("loonaangifteketen.ipynb", "werkpleinen.ipynb")
]
TIME_BUDGET_S = 20.0
MEMORY_BUDGET_MIB = 1024.0
PEAK_PROBE = (
    "import json, resource\n"
    "_u = resource.getrusage(resource.RUSAGE_SELF)\n"
    "print(json.dumps({'peak_kib': _u.ru_maxrss, 'cpu_s': _u.ru_utime + _u.ru_stime}))"
)


def run_notebook(path: Path) -> tuple[float, float, float, float]:
    """Execute ``path`` in a fresh kernel; return (wall s incl. kernel start, sum of cell
    times s, kernel CPU s, kernel peak RSS MiB). Kernel CPU time hardly depends on what else
    the machine is doing; wall time does."""
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PEAK_PROBE))
    client = NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        skip_cells_with_tag="no-tag-skips-cells-here",
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    client.execute()
    wall = time.perf_counter() - start
    cell_time = 0.0
    for cell in nb.cells:
        timing = cell.metadata.get("execution", {})
        if "iopub.execute_input" in timing and "shell.execute_reply" in timing:
            begin = datetime.fromisoformat(timing["iopub.execute_input"].replace("Z", "+00:00"))
            end = datetime.fromisoformat(timing["shell.execute_reply"].replace("Z", "+00:00"))
            cell_time += (end - begin).total_seconds()
    probe = "".join(o.get("text", "") for o in nb.cells[-1].outputs)
    figures = json.loads(probe.strip().splitlines()[-1])
    return wall, cell_time, figures["cpu_s"], figures["peak_kib"] / 1024.0


def bench_generators() -> list[tuple[str, int, int, float]]:
    from ketencursus.cases.loonaangifte import generate_loonaangifte
    from ketencursus.cases.werkpleinen import generate_werkpleinen

    rows = []
    for name, generate in (("loonaangifteketen", generate_loonaangifte),
                           ("werkpleinen", generate_werkpleinen)):
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            data = generate()
            best = min(best, time.perf_counter() - start)
        rows.append((name, len(data.zaken), len(data.gebeurtenissen), best))
    return rows


def main() -> int:
    print("Casus-notebooks (verse kernel, alle cellen, ook de widgetcellen):")
    print(f"  {'notebook':<26}{'run-all (s)':>12}{'cellen (s)':>12}{'kernel-CPU (s)':>16}"
          f"{'piekgeheugen (MiB)':>20}{'tijd/budget':>13}{'geheugen/budget':>17}")
    for path in NOTEBOOKS:
        wall, cells, cpu, peak = run_notebook(path)
        print(f"  {path.name:<26}{wall:>12.1f}{cells:>12.1f}{cpu:>16.1f}{peak:>20.0f}"
              f"{wall / TIME_BUDGET_S:>12.0%} {peak / MEMORY_BUDGET_MIB:>16.0%}")
    load = os.getloadavg()[0]
    print(f"  belasting van de machine (load average, 1 min): {load:.1f} op {os.cpu_count()} cores")
    print(f"  budget: run-all < {TIME_BUDGET_S:.0f} s, piekgeheugen < {MEMORY_BUDGET_MIB:.0f} MiB "
          "(Binder: 1–2 GB)")
    print()
    print("Generatoren (beste van 3):")
    print(f"  {'generator':<20}{'zaken':>9}{'gebeurtenissen':>16}{'tijd (s)':>10}"
          f"{'zaken/s':>12}{'gebeurtenissen/s':>18}")
    for name, n_cases, n_events, seconds in bench_generators():
        print(f"  {name:<20}{n_cases:>9}{n_events:>16}{seconds:>10.2f}"
              f"{n_cases / seconds:>12,.0f}{n_events / seconds:>18,.0f}")
    own_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(f"  piekgeheugen van dit benchmarkproces: {own_peak:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
