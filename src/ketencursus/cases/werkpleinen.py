"""Generated client journeys at werkpleinen, 2007–2010 (illustrative data).

A *zaak* is the journey of one jobseeker who also applies for social assistance: registered
and taken in by UWV (until 2009 CWI, merged into UWV WERKbedrijf on 1 January 2009; the
data treat CWI as part of UWV throughout), referred to the gemeente, whose application check
may ask the client for missing data again, then a plan of action and the end of the journey.

Each of the (invented) sites opens a werkplein at some month in 2008–2009. After opening, a
site either only shares the building with the other partner or integrates the work. The
generator builds in three things that make a naive before/after comparison misleading:

* **selection**: sites that were already good (a hidden quality, never visible in real
  data) are more likely to integrate;
* **other changes at the same time**: the economic crisis from late 2008 raises inflow and
  waiting everywhere, and the CWI–UWV merger disrupts the first half of 2009;
* **learning curve**: a werkplein's effect builds up over the months after opening.

Real facts used: werkpleinen as shared locations of UWV/CWI and gemeenten (Wet SUWI
amendment, Kamerstuk 31 514), the merger date, 2008–2009 as the period of the roll-out, and
the finding that sharing a building did not by itself mean integrated work (CBP & IWI,
*Samen onder één dak*, 2007). All numbers are invented.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .datadict import INVENTED, CaseData, ColumnSpec
from .simulation import (
    COLLABORATION_EFFECTS,
    ChainDefinition,
    Collaboration,
    Step,
    WhatIfScenario,
    simulate_events,
)

FIRST_MONTH = pd.Period("2007-01", "M")
LAST_MONTH = pd.Period("2010-12", "M")
N_MONTHS = (LAST_MONTH - FIRST_MONTH).n + 1
ORIGIN = pd.Timestamp("2007-01-01")
BEFORE = "voor werkplein"
AFTER = "na werkplein"
FORMS = ("alleen gebouw delen", "werk geïntegreerd")
FORM_COLLABORATION = {
    FORMS[0]: Collaboration.SHARED_BUILDING,
    FORMS[1]: Collaboration.INTEGRATED,
}

CHAIN = ChainDefinition(
    steps=(
        Step("aangemeld", "UWV", 0.0),
        Step("intake", "UWV", 2.0, is_check=True),
        Step("doorverwezen", "UWV", 0.5),
        Step("aanvraag beoordeeld", "gemeente", 8.0, is_check=True),
        Step("plan van aanpak", "gemeente", 4.0),
        Step("afgerond", "gemeente", 0.5),
    ),
    source_partner="klant",
    report_activity="gegevens opgevraagd",
    correction_activity="gegevens aangeleverd",
    restart="step",
)


# Starting point of the what-if widget: a site before its werkplein, partners apart.
WHATIF_DEFAULT = WhatIfScenario(handoff_delay=6.0, error_rate=0.15, correction_time=7.0)


def _month_index(period: str) -> int:
    return (pd.Period(period, "M") - FIRST_MONTH).n


@dataclass(frozen=True)
class WerkpleinenScenario:
    """Parameters of the generator (all invented). Month ``m`` counts from January 2007."""

    n_cases: int = 24_000
    n_sites: int = 36
    seed: int = 2009
    opening_first: int = _month_index("2008-01")
    opening_last: int = _month_index("2009-12")
    selection_strength: float = 1.5
    handoff_base: float = 6.0
    error_intake: float = 0.10
    error_gemeente: float = 0.22
    correction_time: float = 7.0
    quality_effect: float = 0.3
    crisis_start: int = _month_index("2008-10")
    crisis_ramp_months: float = 9.0
    crisis_load: float = 0.4
    merger_start: int = _month_index("2009-01")
    merger_months: int = 6
    merger_load: float = 0.25
    learning_months: float = 6.0

    def crisis(self, m) -> np.ndarray:
        """How far the economic crisis has come (0–1) in month ``m``."""
        return np.clip((np.asarray(m, float) - self.crisis_start) / self.crisis_ramp_months, 0, 1)

    def load(self, m) -> np.ndarray:
        """Workload factor (≥ 1) on waiting times in month ``m``: crisis and merger."""
        m = np.asarray(m, float)
        merger = (m >= self.merger_start) & (m < self.merger_start + self.merger_months)
        return (1 + self.crisis_load * self.crisis(m)) * np.where(merger, 1 + self.merger_load, 1)


DATA_DICTIONARY: dict[str, list[ColumnSpec]] = {
    "vestigingen": [
        ColumnSpec("vestiging", "verzonnen code van de vestiging (WP01, WP02, ...)", "tekst",
                   "36 vestigingen", INVENTED),
        ColumnSpec("opening_werkplein", "maand waarin UWV en gemeente samen een werkplein "
                   "openden", "maand (jjjj-mm)", "gelijkmatig getrokken uit 2008-01 t/m 2009-12",
                   "invoering werkpleinen rond 2008–2009 (Kamerstuk 31 514; start Werkplein "
                   "Delft 2009); de maanden per vestiging zijn verzonnen"),
        ColumnSpec("vorm", "wat er na de opening veranderde: alleen het gebouw delen, of ook "
                   "het werk integreren", "categorie",
                   "kans op integreren stijgt met de verborgen basiskwaliteit (selectie)",
                   "onderscheid gebouw delen / geïntegreerd werken naar CBP & IWI (2007); "
                   "de verdeling is verzonnen"),
    ],
    "zaken": [
        ColumnSpec("zaak_id", "nummer van het klanttraject van één werkzoekende met "
                   "bijstandsaanvraag", "geheel getal", "oplopend genummerd", INVENTED),
        ColumnSpec("vestiging", "vestiging waar de klant zich meldde", "tekst",
                   "trekking naar grootte van de vestiging (lognormaal verdeeld)", INVENTED),
        ColumnSpec("aanmeldmaand", "maand van aanmelding", "maand (jjjj-mm)",
                   "trekking uit 2007-01 t/m 2010-12; vanaf eind 2008 meer aanmeldingen "
                   "(economische crisis)", INVENTED),
        ColumnSpec("fase", "voor of na de opening van het werkplein op deze vestiging",
                   "categorie", "aanmeldmaand vergeleken met opening_werkplein", INVENTED),
        ColumnSpec("vorm_vestiging", "de vorm die de vestiging na opening koos (ook bij "
                   "zaken van vóór de opening)", "categorie", "overgenomen uit vestigingen",
                   INVENTED),
    ],
    "gebeurtenissen": [
        ColumnSpec("zaak_id", "het klanttraject waar de gebeurtenis bij hoort", "geheel getal",
                   "koppelt aan de tabel zaken", INVENTED),
        ColumnSpec("tijdstip", "moment van de gebeurtenis", "datum en tijd (op de minuut)",
                   "aanmelding in de aanmeldmaand; daarna behandeltijd per stap, wachttijd bij "
                   "elke overdracht (langer bij drukte: crisis, fusie CWI–UWV in 2009) en "
                   "hersteltijd bij de klant (exponentieel verdeeld)",
                   "verzonnen; fusiedatum CWI–UWV 1-1-2009 is echt"),
        ColumnSpec("activiteit", "aangemeld, intake, doorverwezen, aanvraag beoordeeld, "
                   "gegevens opgevraagd, gegevens aangeleverd, plan van aanpak, afgerond",
                   "categorie", "vaste volgorde; bij een onvolledig dossier: gegevens "
                   "opgevraagd → gegevens aangeleverd → dezelfde stap opnieuw", INVENTED),
        ColumnSpec("partner", "wie de handeling deed: UWV (tot 2009 CWI), gemeente of klant",
                   "categorie", "volgt uit de stap", "UWV, CWI en gemeenten onder één dak "
                   "(Wet SUWI, Kamerstuk 31 514)"),
    ],
}
HIDDEN_COLUMNS = [
    ColumnSpec("vestiging", "code van de vestiging", "tekst", "zie vestigingen", INVENTED),
    ColumnSpec("basiskwaliteit", "hoe goed de vestiging al werkte vóór het werkplein "
               "(verborgen: in echte data zie je dit niet)", "standaardscore",
               "normaal verdeeld (gemiddelde 0, standaardafwijking 1)", INVENTED),
]


def generate_werkpleinen(scenario: WerkpleinenScenario | None = None) -> CaseData:
    """Generate the werkpleinen case (deterministic for a given scenario and seed)."""
    sc = scenario or WerkpleinenScenario()
    if sc.n_cases < 1 or sc.n_sites < 2:
        raise ValueError("Nodig: minstens 1 zaak en 2 vestigingen.")
    rng = np.random.default_rng(sc.seed)

    quality = rng.normal(0.0, 1.0, sc.n_sites)
    integrates = rng.random(sc.n_sites) < 1 / (1 + np.exp(-sc.selection_strength * quality))
    opening = rng.integers(sc.opening_first, sc.opening_last + 1, size=sc.n_sites)
    size = rng.lognormal(0.0, 0.4, sc.n_sites)
    names = np.array([f"WP{i + 1:02d}" for i in range(sc.n_sites)])

    month_weight = 1 + sc.crisis_load * sc.crisis(np.arange(N_MONTHS))
    month = np.sort(
        rng.choice(N_MONTHS, size=sc.n_cases, p=month_weight / month_weight.sum())
    )
    site = rng.choice(sc.n_sites, size=sc.n_cases, p=size / size.sum())
    after = month >= opening[site]
    since = np.where(after, month - opening[site] + 1, 0)
    ramp = np.clip(since / sc.learning_months, 0.0, 1.0)

    handoff_mult = np.ones(sc.n_cases)
    correction_mult = np.ones(sc.n_cases)
    error_mult = np.ones(sc.n_cases)
    for form_integrated, form in ((False, FORMS[0]), (True, FORMS[1])):
        effect = COLLABORATION_EFFECTS[FORM_COLLABORATION[form]]
        mask = after & (integrates[site] == form_integrated)
        handoff_mult[mask] = 1 + (effect.handoff - 1) * ramp[mask]
        correction_mult[mask] = 1 + (effect.correction - 1) * ramp[mask]
        error_mult[mask] = 1 + (effect.errors - 1) * ramp[mask]

    site_q = quality[site]
    good = np.exp(-sc.quality_effect * site_q)
    load = sc.load(month)
    month_start = (
        (pd.period_range(FIRST_MONTH, LAST_MONTH, freq="M").to_timestamp() - ORIGIN)
        / pd.Timedelta(days=1)
    ).to_numpy()
    start = month_start[month] + rng.uniform(0.0, 28.0, size=sc.n_cases)

    events = simulate_events(
        CHAIN,
        start,
        handoff_delay=sc.handoff_base * good * load * handoff_mult,
        error_rates=[
            np.minimum(sc.error_intake * good * error_mult, 0.9),
            np.minimum(sc.error_gemeente * good * error_mult, 0.9),
        ],
        correction_time=sc.correction_time * correction_mult,
        duration_scale=load,
        rng=rng,
        origin=ORIGIN,
    )
    form_of_site = np.where(integrates, FORMS[1], FORMS[0])
    periods = pd.period_range(FIRST_MONTH, LAST_MONTH, freq="M")
    sites = pd.DataFrame(
        {
            "vestiging": names,
            "opening_werkplein": periods[opening],
            "vorm": pd.Categorical(form_of_site, categories=list(FORMS)),
        }
    ).set_index("vestiging")
    zaken = pd.DataFrame(
        {
            "vestiging": names[site],
            "aanmeldmaand": periods[month],
            "fase": pd.Categorical(np.where(after, AFTER, BEFORE), categories=[BEFORE, AFTER]),
            "vorm_vestiging": pd.Categorical(form_of_site[site], categories=list(FORMS)),
        },
        index=pd.Index(np.arange(sc.n_cases), name="zaak_id"),
    )
    hidden = pd.DataFrame({"basiskwaliteit": quality}, index=sites.index)
    dictionary = dict(DATA_DICTIONARY)
    dictionary["verborgen"] = HIDDEN_COLUMNS
    return CaseData(
        zaken=zaken,
        gebeurtenissen=events,
        scenario=sc,
        dictionary=dictionary,
        tabellen={"vestigingen": sites, "verborgen": hidden},
    )
