"""Figures of the case notebooks: matplotlib, Dutch titles and labels, colour-blind-safe
colours, and markers as well as colours where groups are compared (readable in grey too).
Every function returns the figure and leaves showing it to the notebook."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ketencursus._util import nl

BLUE, ORANGE, GREEN, GREY = "#0072B2", "#D55E00", "#009E73", "#555555"


def _month_axis(index) -> np.ndarray:
    if isinstance(index, pd.PeriodIndex):
        return index.to_timestamp().to_numpy()
    return np.asarray(index)


def _markers(ax, markers: Mapping[str, str] | None, labels: bool = True) -> None:
    """Vertical dashed lines at the given months; labels staggered so they never overlap."""
    for i, (when, label) in enumerate((markers or {}).items()):
        x = pd.Period(when, "M").to_timestamp()
        ax.axvline(x, color=GREY, linestyle="--", linewidth=1)
        if labels:
            ax.annotate(label, xy=(x, 1.0), xycoords=("data", "axes fraction"),
                        xytext=(3, -12 - 11 * i), textcoords="offset points", fontsize=8,
                        color=GREY)


def plot_lead_time_histogram(lead_time_days: pd.Series, title: str, bins: int = 60) -> Figure:
    """Histogram of lead times (days) with the median and the 90th percentile marked;
    the longest 1% is left out of the picture (not out of the figures) to keep it readable."""
    values = pd.Series(lead_time_days, dtype=float).dropna()
    fig, ax = plt.subplots(figsize=(8, 4))
    upper = values.quantile(0.99)
    ax.hist(values[values <= upper], bins=bins, color=BLUE, alpha=0.85)
    for q, style, label in ((0.5, "-", "mediaan"), (0.9, "--", "90e percentiel")):
        x = float(values.quantile(q))
        ax.axvline(x, color=ORANGE, linestyle=style, linewidth=2,
                   label=f"{label}: {nl.number(x, 1)} dagen")
    ax.set_title(title)
    ax.set_xlabel("doorlooptijd per zaak (dagen; langste 1% niet getoond)")
    ax.set_ylabel("aantal zaken")
    ax.legend()
    fig.tight_layout()
    return fig


def plot_monthly(
    monthly: pd.DataFrame,
    panels: Mapping[str, str],
    title: str,
    markers: Mapping[str, str] | None = None,
    extra_lines: Mapping[str, pd.Series] | None = None,
) -> Figure:
    """One panel per column of ``monthly`` (index: months). ``panels`` maps column → y-axis
    label; ``markers`` maps 'yyyy-mm' → label of a vertical line; ``extra_lines`` adds
    dashed series to the first panel (label → series with the same index)."""
    fig, axes = plt.subplots(len(panels), 1, figsize=(9, 2.8 * len(panels)), sharex=True,
                             squeeze=False)
    x = _month_axis(monthly.index)
    for i, (ax, (column, ylabel)) in enumerate(zip(axes[:, 0], panels.items(), strict=True)):
        ax.plot(x, monthly[column], color=BLUE, marker="o", markersize=3, label="gemeten")
        if i == 0:
            for (label, series), colour in zip((extra_lines or {}).items(), (ORANGE, GREEN),
                                               strict=False):
                ax.plot(_month_axis(series.index), series.to_numpy(), color=colour,
                        linestyle="--", linewidth=2, label=label)
            if extra_lines:
                ax.legend(loc="lower right", fontsize=8)
        ax.set_ylabel(ylabel)
        ax.grid(alpha=0.3)
        _markers(ax, markers, labels=i == 0)
    axes[0, 0].set_title(title)
    axes[-1, 0].set_xlabel("maand")
    fig.tight_layout()
    return fig


def plot_lines(
    frame: pd.DataFrame,
    ylabel: str,
    title: str,
    xlabel: str = "maand",
    markers: Mapping[str, str] | None = None,
) -> Figure:
    """One line per column of ``frame`` (index: months or numbers), each with its own
    colour, marker and line style; ``markers`` maps 'yyyy-mm' → label of a vertical line."""
    fig, ax = plt.subplots(figsize=(9, 3.8))
    x = _month_axis(frame.index)
    styles = ((BLUE, "o", "-"), (ORANGE, "s", "--"), (GREEN, "^", ":"))
    for column, (colour, marker, line) in zip(frame.columns, styles, strict=False):
        ax.plot(x, frame[column], color=colour, marker=marker, markersize=3, linestyle=line,
                label=str(column))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    _markers(ax, markers)
    fig.tight_layout()
    return fig


def plot_time_lost(table: pd.DataFrame, title: str, top: int = 8) -> Figure:
    """Horizontal bars: share (%) of all lead time per transition, biggest on top."""
    head = table.head(top).iloc[::-1]
    labels = [f"{a} → {b}" for a, b in head.index]
    fig, ax = plt.subplots(figsize=(9, 0.45 * len(head) + 1.5))
    ax.barh(labels, head["aandeel_pct"], color=BLUE)
    for y, value in enumerate(head["aandeel_pct"]):
        ax.annotate(f"{value:.0f}%", xy=(value, y), xytext=(3, 0), textcoords="offset points",
                    va="center", fontsize=8)
    ax.set_title(title)
    ax.set_xlabel("aandeel van alle doorlooptijd (%)")
    fig.tight_layout()
    return fig


def plot_before_after(table: pd.DataFrame, group: str, title: str,
                      unit_label: str = "vestigingen") -> Figure:
    """Scatter per unit of mean lead time before (x) and after (y), one marker per group,
    with the diagonal 'no change'. ``table`` has columns voor, na and ``group``."""
    fig, ax = plt.subplots(figsize=(6.5, 6))
    styles = (("o", BLUE), ("s", ORANGE), ("^", GREEN))
    for (name, part), (marker, colour) in zip(table.groupby(group, observed=True), styles,
                                              strict=False):
        ax.scatter(part["voor"], part["na"], marker=marker, color=colour, s=45,
                   label=f"{name} ({len(part)} {unit_label})", alpha=0.85)
    low = float(min(table["voor"].min(), table["na"].min())) * 0.9
    high = float(max(table["voor"].max(), table["na"].max())) * 1.05
    ax.plot([low, high], [low, high], color=GREY, linestyle="--", label="geen verandering")
    ax.set_xlim(low, high)
    ax.set_ylim(low, high)
    ax.set_xlabel("gemiddelde doorlooptijd vóór het werkplein (dagen)")
    ax.set_ylabel("gemiddelde doorlooptijd ná het werkplein (dagen)")
    ax.set_title(title)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def plot_group_bars(table: pd.DataFrame, column: str, ylabel: str, title: str) -> Figure:
    """Grouped bars of ``column`` for a table with a two-level index (group, phase)."""
    wide = table[column].unstack()
    fig, ax = plt.subplots(figsize=(7.5, 4))
    width = 0.8 / wide.shape[1]
    x = np.arange(len(wide.index))
    for i, (phase, colour, hatch) in enumerate(zip(wide.columns, (BLUE, ORANGE, GREEN),
                                                   ("", "//", ".."), strict=False)):
        bars = ax.bar(x + i * width, wide[phase], width, color=colour, hatch=hatch,
                      label=str(phase), edgecolor="white")
        ax.bar_label(bars, fmt="%.1f", fontsize=8)
    ax.set_xticks(x + width * (wide.shape[1] - 1) / 2, [str(i) for i in wide.index])
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    return fig


def plot_whatif(result, baseline=None) -> Figure:
    """Lead-time distribution of a what-if run (and of the baseline run, if given) with the
    key figures in the legend."""
    fig, ax = plt.subplots(figsize=(8, 4))
    Kind = Literal["step", "stepfilled"]
    runs: list[tuple[Any, str, str, Kind]] = (
        [(baseline, "standaardscenario", GREY, "step")] if baseline is not None else [])
    runs.append((result, "jouw scenario", BLUE, "stepfilled"))
    upper = max(r.cases["doorlooptijd_dagen"].quantile(0.99) for r, *_ in runs)
    bins = np.linspace(0, upper, 50).tolist()
    for run, label, colour, kind in runs:
        f = run.figures
        text = (f"{label}: gem. {nl.number(f['gemiddelde doorlooptijd (dagen)'], 1)} d, "
                f"FTR {nl.number(f['first time right (%)'], 0)}%")
        ax.hist(run.cases["doorlooptijd_dagen"].clip(upper=upper), bins=bins, histtype=kind,
                color=colour, alpha=0.6 if kind == "stepfilled" else 1.0, linewidth=2,
                label=text)
    ax.set_xlabel("doorlooptijd per zaak (dagen)")
    ax.set_ylabel("aantal zaken (gesimuleerd)")
    ax.set_title("Wat-als: verdeling van de doorlooptijd (gesimuleerde, verzonnen zaken)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig
