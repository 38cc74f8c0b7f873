"""What-if widgets of the case notebooks: sliders and a dropdown bound to the chain
simulation. The model is :func:`~ketencursus.cases.simulation.run_scenario` with a
:class:`~ketencursus.cases.simulation.WhatIfScenario`; this module only binds it to
ipywidgets, so its callbacks can be tested by setting ``.value`` without a browser."""

from __future__ import annotations

import html
from dataclasses import replace

import ipywidgets as w
import matplotlib.pyplot as plt
from IPython.display import display

from ketencursus._util import nl

from .plots import plot_whatif
from .simulation import (
    ChainDefinition,
    Collaboration,
    SimulationInputError,
    SimulationResult,
    WhatIfScenario,
    run_scenario,
)

_STYLE = {"description_width": "16em"}
_LAYOUT = w.Layout(width="36em")


def _fmt(value: float) -> str:
    return nl.number(value, 1)


class WhatIfApp:
    """Sliders for hand-off delay, error rate and correction time, a dropdown for how the
    partners work together; every change reruns the simulation and updates the figures
    table and the plot. ``result`` holds the latest :class:`SimulationResult`."""

    def __init__(self, chain: ChainDefinition, default: WhatIfScenario) -> None:
        self.chain = chain
        self.default = default
        self.baseline: SimulationResult = run_scenario(chain, default)
        self.result: SimulationResult = self.baseline
        self._paused = False
        self.handoff = w.FloatSlider(
            value=default.handoff_delay, min=0.0, max=20.0, step=0.5,
            description="Wachttijd per overdracht (dagen)", continuous_update=False,
            style=_STYLE, layout=_LAYOUT,
        )
        self.error = w.IntSlider(
            value=round(100 * default.error_rate), min=0, max=50, step=1,
            description="Foutkans per controle (%)", continuous_update=False,
            style=_STYLE, layout=_LAYOUT,
        )
        self.correction = w.FloatSlider(
            value=default.correction_time, min=0.0, max=30.0, step=0.5,
            description="Hersteltijd na terugmelding (dagen)", continuous_update=False,
            style=_STYLE, layout=_LAYOUT,
        )
        self.collaboration = w.Dropdown(
            options=[(c.value, c) for c in Collaboration], value=default.collaboration,
            description="Samenwerking", style=_STYLE, layout=_LAYOUT,
        )
        self.reset = w.Button(description="Terug naar standaard", icon="undo")
        self.figures = w.HTML()
        self.plot = w.Output()
        for control in self.controls:
            control.observe(self._on_change, names="value")
        self.reset.on_click(lambda _button: self.restore_default())
        self._render()

    @property
    def controls(self) -> tuple[w.ValueWidget, ...]:
        return (self.handoff, self.error, self.correction, self.collaboration)

    def scenario(self) -> WhatIfScenario:
        """The scenario the controls describe now."""
        return replace(
            self.default,
            handoff_delay=float(self.handoff.value),
            error_rate=self.error.value / 100.0,
            correction_time=float(self.correction.value),
            collaboration=self.collaboration.value,
        )

    def restore_default(self) -> None:
        """Put every control back on the default and rerun once."""
        self._paused = True
        try:
            self.handoff.value = self.default.handoff_delay
            self.error.value = round(100 * self.default.error_rate)
            self.correction.value = self.default.correction_time
            self.collaboration.value = self.default.collaboration
        finally:
            self._paused = False
        self._on_change()

    def _on_change(self, _change=None) -> None:
        if self._paused:
            return
        try:
            self.result = run_scenario(self.chain, self.scenario())
        except SimulationInputError as err:
            message = html.escape(str(err))
            self.figures.value = f"<p role='alert'><strong>Let op:</strong> {message}</p>"
            return
        self._render()

    def figures_html(self) -> str:
        """Dutch table: each key figure for the default scenario and the learner's one."""
        rows = "".join(
            f"<tr><th scope='row'>{html.escape(name)}</th><td>{_fmt(self.baseline.figures[name])}"
            f"</td><td>{_fmt(value)}</td></tr>"
            for name, value in self.result.figures.items()
        )
        return (
            "<table><caption>Uitkomsten van de simulatie (verzonnen zaken)</caption>"
            "<thead><tr><th scope='col'>kengetal</th><th scope='col'>standaard</th>"
            f"<th scope='col'>jouw scenario</th></tr></thead><tbody>{rows}</tbody></table>"
        )

    def _render(self) -> None:
        self.figures.value = self.figures_html()
        self.plot.clear_output(wait=True)
        with self.plot:
            self.figure = plot_whatif(self.result, self.baseline)
            display(self.figure)
            plt.close(self.figure)

    @property
    def widget(self) -> w.VBox:
        """The whole app, ready for ``display``."""
        return w.VBox([*self.controls, self.reset, self.figures, self.plot])
