"""The what-if simulation in the static book page (no kernel).

At build time the case notebook runs :func:`watals`: the package's own model,
:func:`~ketencursus.cases.simulation.run_scenario`, is run once for every combination on the
page controls' grid (:class:`WhatIfGrid`), and the results go into the page as JSON: the key
figures and a lead-time histogram per combination. The page script
``ketencursus-watals.js`` (``sphinxext/static``) only looks results up and draws them: there
is no second model in JavaScript. Moving a control shows the figure, an ``aria-live``
summary and a table at once.

The grid is coarser than the notebook's sliders (which run the model live on a kernel) so
the data stays small (budget: 300 KB per case); it always contains the default scenario.
"""

from __future__ import annotations

import html
import itertools
import json
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from .._util import nl
from .simulation import ChainDefinition, Collaboration, WhatIfScenario, run_scenario

#: The key figures shown, in order: (key in ``SimulationResult.figures``, short Dutch label).
FIGURES: tuple[tuple[str, str], ...] = (
    ("gemiddelde doorlooptijd (dagen)", "gemiddelde doorlooptijd (dagen)"),
    ("mediaan doorlooptijd (dagen)", "mediaan doorlooptijd (dagen)"),
    ("90e percentiel doorlooptijd (dagen)", "90e percentiel doorlooptijd (dagen)"),
    ("first time right (%)", "first time right (%)"),
    ("gemiddeld aantal overdrachten", "gemiddeld aantal overdrachten"),
    ("gemiddeld aantal herstelrondes", "gemiddeld aantal herstelrondes"),
)
BINS = 24  # histogram bins up to the range; one more bin counts everything beyond it


@dataclass(frozen=True)
class WhatIfGrid:
    """The values each page control can take (they must include the default scenario)."""

    handoff: tuple[float, ...] = (0.0, 2.0, 4.0, 6.0, 10.0, 15.0, 20.0)
    error_pct: tuple[int, ...] = (0, 4, 8, 15, 25, 40)
    correction: tuple[float, ...] = (0.0, 3.0, 7.0, 12.0, 20.0, 30.0)
    collaboration: tuple[Collaboration, ...] = tuple(Collaboration)

    def scenarios(self, default: WhatIfScenario):
        """Every combination, in the order the page indexes them (last control fastest)."""
        for h, e, c, k in itertools.product(self.handoff, self.error_pct, self.correction,
                                            self.collaboration):
            yield replace(default, handoff_delay=h, error_rate=e / 100.0, correction_time=c,
                          collaboration=k)

    def check_contains(self, default: WhatIfScenario) -> None:
        if (default.handoff_delay not in self.handoff
                or round(default.error_rate * 100) not in self.error_pct
                or default.correction_time not in self.correction
                or default.collaboration not in self.collaboration):
            raise ValueError(
                "Het raster van de wat-als-pagina moet het standaardscenario bevatten."
            )


def _round1(value: float) -> float:
    return float(np.round(value, 1))


def precompute(chain: ChainDefinition, default: WhatIfScenario,
               grid: WhatIfGrid | None = None) -> dict[str, Any]:
    """Run the model over the whole grid; the page's data (JSON-able, compact)."""
    grid = grid or WhatIfGrid()
    grid.check_contains(default)
    baseline = run_scenario(chain, default)
    upper = float(np.ceil(3 * baseline.figures["90e percentiel doorlooptijd (dagen)"] / 10) * 10)
    edges = np.linspace(0.0, upper, BINS + 1)
    results = []
    for scenario in grid.scenarios(default):
        result = run_scenario(chain, scenario)
        lead = result.cases["doorlooptijd_dagen"].to_numpy()
        counts, _ = np.histogram(np.clip(lead, 0, None), bins=edges)
        beyond = int((lead > upper).sum())
        per_mille = np.round(1000 * np.append(counts, beyond) / lead.size).astype(int)
        results.append([_round1(result.figures[key]) for key, _ in FIGURES]
                       + per_mille.tolist())
    return {
        "controls": {
            "handoff": list(grid.handoff),
            "error_pct": list(grid.error_pct),
            "correction": list(grid.correction),
            "collaboration": [c.value for c in grid.collaboration],
        },
        "default": [
            grid.handoff.index(default.handoff_delay),
            grid.error_pct.index(round(default.error_rate * 100)),
            grid.correction.index(default.correction_time),
            grid.collaboration.index(default.collaboration),
        ],
        "figures": [label for _, label in FIGURES],
        "bins": {"upper": upper, "count": BINS},
        "n_cases": default.n_cases,
        "results": results,
    }


def data_json(data: dict[str, Any]) -> str:
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return payload.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _slider(case_id: str, name: str, label: str, values: list, unit: str, default: int) -> str:
    field = f"kc-wa-{case_id}-{name}"
    shown = f"{nl.number(values[default], 0 if float(values[default]).is_integer() else 1)}{unit}"
    return (
        f"<div class='kc-wa-control'><label for='{field}'>{html.escape(label)}</label>"
        f"<input type='range' id='{field}' data-kc-control='{name}' min='0' "
        f"max='{len(values) - 1}' step='1' value='{default}' aria-valuetext='{shown}'>"
        f"<output for='{field}' id='{field}-waarde'>{shown}</output></div>"
    )


def whatif_page_html(chain: ChainDefinition, default: WhatIfScenario, case_id: str,
                     unit_plural: str = "zaken", grid: WhatIfGrid | None = None) -> str:
    """The page's what-if block: controls, figure, live summary, table and the data."""
    data = precompute(chain, default, grid)
    c, d = data["controls"], data["default"]
    options = "".join(
        f"<option value='{i}'{' selected' if i == d[3] else ''}>{html.escape(label)}</option>"
        for i, label in enumerate(c["collaboration"])
    )
    rows = "".join(
        f"<tr><th scope='row'>{html.escape(label)}</th><td data-kc-standaard='{i}'></td>"
        f"<td data-kc-jouw='{i}'></td></tr>"
        for i, label in enumerate(data["figures"])
    )
    return "\n".join([
        f"<div class='kc-wa' data-kc-case='{case_id}' data-kc-unit='{html.escape(unit_plural)}' "
        "hidden>",
        f"<script type='application/json' class='kc-wa-data'>{data_json(data)}</script>",
        "<p>Deze schuifjes werken direct in het online boek. De uitkomsten zijn vooraf berekend "
        f"met het rekenmodel van de cursus, voor {nl.number(default.n_cases, 0)} gesimuleerde "
        f"{unit_plural} per instelling; de schuifjes springen daarom tussen vaste waarden. In "
        "het notebook (Binder, JupyterHub of lokaal) rekent hetzelfde model elke waarde "
        "zelf uit.</p>",
        "<form class='kc-wa-form' aria-label='Wat-als-instellingen' novalidate>",
        _slider(case_id, "handoff", "Wachttijd per overdracht (dagen)", c["handoff"], " dagen",
                d[0]),
        _slider(case_id, "error_pct", "Foutkans per controle (%)", c["error_pct"], "%", d[1]),
        _slider(case_id, "correction", "Hersteltijd na terugmelding (dagen)", c["correction"],
                " dagen", d[2]),
        f"<div class='kc-wa-control'><label for='kc-wa-{case_id}-collaboration'>Samenwerking"
        f"</label><select id='kc-wa-{case_id}-collaboration' data-kc-control='collaboration'>"
        f"{options}</select></div>",
        "<button type='button' class='kc-wa-reset'>Terug naar standaard</button>",
        "</form>",
        "<p class='kc-wa-samenvatting' role='status' aria-live='polite'></p>",
        "<figure class='kc-wa-figuur'><div class='kc-wa-svg'></div>"
        f"<figcaption>Verdeling van de doorlooptijd: jouw scenario (blauwe staven) tegen het "
        f"standaardscenario (grijze lijn), in promille van de gesimuleerde, verzonnen "
        f"{unit_plural}. De laatste staaf telt alles boven "
        f"{nl.number(data['bins']['upper'], 0)} dagen.</figcaption></figure>",
        "<table class='kc-wa-tabel'><caption>Uitkomsten van de simulatie (verzonnen "
        f"{unit_plural})</caption><thead><tr><th scope='col'>kengetal</th>"
        "<th scope='col'>standaard</th><th scope='col'>jouw scenario</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>",
        "</div>",
        "<p class='kc-wa-zonder-js'>De schuifjes hierboven werken in het online boek. Hier, in "
        "het notebook, gebruik je het rekenmodel in de cel hieronder.</p>",
    ])


def watals(chain: ChainDefinition, default: WhatIfScenario, case_id: str,
           unit_plural: str = "zaken"):
    """The page's what-if block as a displayable object for the case notebook's cell."""
    from IPython.display import HTML

    return HTML(whatif_page_html(chain, default, case_id, unit_plural))
