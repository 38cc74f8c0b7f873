"""A profile section (``Section.bars``) as a bar chart for the notebook: PNG with a Dutch alt
text, and the scores as a table for screen readers."""

from __future__ import annotations

import base64
import io
from html import escape

from .derive import Section, tenths_text

LOW_COLOUR, MID_COLOUR, HIGH_COLOUR = "#b0413e", "#c98a1b", "#2e7d4f"


def alt_text(section: Section) -> str:
    parts = [
        f"{bar.label.lower()} {tenths_text(bar.tenths)}" if bar.tenths is not None
        else f"{bar.label.lower()} geen score"
        for bar in section.bars
    ]
    return (f"Staafdiagram {section.heading.lower()}, schaal 1 tot {section.scale_max}: "
            + "; ".join(parts) + ".")


def chart_png(section: Section) -> bytes:
    """A horizontal bar chart of the section's bars (PNG)."""
    # A bare Figure renders without pyplot, so the learner's plotting backend is left alone.
    from matplotlib.figure import Figure

    bars = list(section.bars)[::-1]
    values = [b.tenths / 10 if b.tenths is not None else 0 for b in bars]
    fig = Figure(figsize=(6.4, 2.8), dpi=100)
    ax = fig.add_subplot()
    colours = [LOW_COLOUR if v and v < 2.5 else MID_COLOUR if v and v <= 3.5 else HIGH_COLOUR
               for v in values]
    drawn = ax.barh([b.label for b in bars], values, color=colours)
    for rect, bar in zip(drawn, bars, strict=True):
        label = tenths_text(bar.tenths) if bar.tenths is not None else "geen score"
        ax.text(min(rect.get_width(), section.scale_max - 0.4) + 0.05,
                rect.get_y() + rect.get_height() / 2, label, va="center", fontsize=9)
    ax.set_xlim(0, section.scale_max)
    ax.set_xticks(list(range(1, section.scale_max + 1)))
    ax.set_xlabel("Gemiddelde score (1 = zwak, 5 = sterk voor de keten)")
    ax.set_title(section.heading, fontsize=11)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def bars_html(section: Section) -> str:
    """The chart as an ``<img>`` with a Dutch alt text, plus a score table."""
    png = base64.b64encode(chart_png(section)).decode("ascii")
    rows = "".join(
        f"<tr><th scope='row'>{escape(bar.label)}</th>"
        f"<td>{tenths_text(bar.tenths) if bar.tenths is not None else '–'}</td>"
        f"<td>{escape(bar.detail)}</td></tr>"
        for bar in section.bars
    )
    return (
        f"<img src='data:image/png;base64,{png}' alt='{escape(alt_text(section))}'"
        " style='max-width:100%'>"
        f"<table class='kc-scores'><caption>{escape(section.heading)}</caption>"
        "<thead><tr><th scope='col'>Onderdeel</th><th scope='col'>Score</th>"
        f"<th scope='col'>Beantwoord</th></tr></thead><tbody>{rows}</tbody></table>"
    )
