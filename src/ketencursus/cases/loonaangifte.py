"""Generated event log of the loonaangifteketen, 2006–2010 (illustrative data).

A *zaak* is one monthly payroll-tax return (loonaangifte) of one employer for one tax
period (tijdvak). It is received and checked by the Belastingdienst, passed on to UWV's
polisadministratie, checked there and closed; a failed check is reported back
(terugmelding) and corrected by the employer, after which the return goes round again.

What is real and what is invented is written down per column in :data:`DATA_DICTIONARY`
and per parameter in :class:`LoonaangifteScenario`. Calibration on facts (see the course's
facts list): monthly returns since 2006; partners Belastingdienst and UWV; the chain was
unstable in 2006–2007 (about 108,000 of roughly 720,000 employers had to redo their 2006
returns, so about 15% of the 2006 zaken get at least one terugmelding here); a
ketenmanager was appointed in September 2007. Every other figure (delays, the shape of the
crisis, the size of the ketenmanager's effect, the learning curve) is invented.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .datadict import INVENTED, CaseData, ColumnSpec
from .simulation import ChainDefinition, Step, WhatIfScenario, simulate_events

FIRST_PERIOD = pd.Period("2006-01", "M")
LAST_PERIOD = pd.Period("2010-12", "M")
N_PERIODS = (LAST_PERIOD - FIRST_PERIOD).n + 1
KETENMANAGER_PERIOD = pd.Period("2007-09", "M")
ORIGIN = pd.Timestamp("2006-01-01")

CHAIN = ChainDefinition(
    steps=(
        Step("ontvangen", "Belastingdienst", 0.0),
        Step("gecontroleerd", "Belastingdienst", 1.0, is_check=True),
        Step("doorgegeven", "Belastingdienst", 0.5),
        Step("gecontroleerd", "UWV", 1.5, is_check=True),
        Step("afgesloten", "UWV", 0.5),
    ),
    source_partner="werkgever",
    report_activity="teruggemeld",
    correction_activity="gecorrigeerd",
    restart="begin",
)

SIZE_CLASSES = ("klein", "middel", "groot")

# Starting point of the what-if widget: roughly the chain of 2006, partners apart.
WHATIF_DEFAULT = WhatIfScenario(handoff_delay=4.0, error_rate=0.08, correction_time=12.0)


@dataclass(frozen=True)
class LoonaangifteScenario:
    """Parameters of the generator. Month ``m`` counts tax periods from January 2006 (m=0).

    Rejection chance per round (both checks together) in month m, for a 'middel' employer:
    ``(base + learning·e^(−m/τ) + crisis·bump(m)) · january · (1 − effect·ramp(m))``;
    the hand-off delay follows the same pattern. ``ramp`` rises linearly from 0 at the
    ketenmanager's start to 1 after ``ramp_months``. All values are invented, except that
    ``learning_error`` is tuned so that about 15% of the 2006 zaken need a correction."""

    n_cases: int = 120_000
    n_employers: int = 8_000
    seed: int = 2006
    base_error: float = 0.03
    learning_error: float = 0.115
    learning_months: float = 18.0
    crisis_error: float = 0.10
    crisis_peak: int = 15  # April 2007
    crisis_width: float = 3.0
    january_factor: float = 1.25
    uwv_share: float = 0.35
    ketenmanager_effect: float = 0.5
    ketenmanager_start: int = (KETENMANAGER_PERIOD - FIRST_PERIOD).n
    ramp_months: float = 12.0
    handoff_base: float = 1.5
    handoff_startup: float = 3.0
    handoff_crisis: float = 9.0
    correction_time: float = 12.0
    size_shares: tuple[float, float, float] = (0.6, 0.3, 0.1)
    size_error_factor: dict[str, float] = field(
        default_factory=lambda: {"klein": 1.3, "middel": 1.0, "groot": 0.6}
    )

    def _learning(self, m: np.ndarray) -> np.ndarray:
        return np.exp(-m / self.learning_months)

    def _crisis(self, m: np.ndarray) -> np.ndarray:
        return np.exp(-0.5 * ((m - self.crisis_peak) / self.crisis_width) ** 2)

    def ramp(self, m: np.ndarray) -> np.ndarray:
        """How far the ketenmanager's effect has come (0–1) in month ``m``."""
        return np.clip((np.asarray(m, float) - self.ketenmanager_start) / self.ramp_months, 0, 1)

    def rejection_chance(self, m, *, with_ketenmanager: bool = True) -> np.ndarray:
        """Chance per round that one of the two checks rejects a 'middel' return."""
        m = np.asarray(m, dtype=float)
        january = np.where(np.mod(m, 12) == 0, self.january_factor, 1.0)
        p = (self.base_error + self.learning_error * self._learning(m)
             + self.crisis_error * self._crisis(m)) * january
        if with_ketenmanager:
            p = p * (1 - self.ketenmanager_effect * self.ramp(m))
        return p

    def handoff_delay(self, m, *, with_ketenmanager: bool = True) -> np.ndarray:
        """Mean hand-off delay in days between two partners in month ``m``."""
        m = np.asarray(m, dtype=float)
        d = (self.handoff_base + self.handoff_startup * self._learning(m)
             + self.handoff_crisis * self._crisis(m))
        if with_ketenmanager:
            d = d * (1 - self.ketenmanager_effect * self.ramp(m))
        return d

    def expected_first_time_right(self, m, *, with_ketenmanager: bool = True) -> np.ndarray:
        """Expected share of zaken without any terugmelding in month ``m`` (size mix
        included). With ``with_ketenmanager=False``: the same world without the
        ketenmanager's effect — the counterfactual real data can never show."""
        p = self.rejection_chance(m, with_ketenmanager=with_ketenmanager)
        return sum(  # type: ignore[return-value]  # a sum of arrays is an array
            share * (1 - np.minimum(p * self.size_error_factor[size], 1.0))
            for share, size in zip(self.size_shares, SIZE_CLASSES, strict=True)
        )

    def expected_by_period(self) -> pd.DataFrame:
        """Expected first time right (%) per tax period, with and without the ketenmanager."""
        m = np.arange(N_PERIODS)
        return pd.DataFrame(
            {
                "verwacht_met_ketenmanager": 100 * self.expected_first_time_right(m),
                "verwacht_zonder_ketenmanager": 100 * self.expected_first_time_right(
                    m, with_ketenmanager=False
                ),
            },
            index=pd.period_range(FIRST_PERIOD, LAST_PERIOD, freq="M", name="tijdvak"),
        )


DATA_DICTIONARY: dict[str, list[ColumnSpec]] = {
    "zaken": [
        ColumnSpec("zaak_id", "nummer van de zaak: één loonaangifte van één werkgever over "
                   "één tijdvak", "geheel getal", "oplopend genummerd, gesorteerd op tijdvak",
                   INVENTED),
        ColumnSpec("werkgever_id", "verzonnen nummer van de werkgever (inhoudingsplichtige)",
                   "geheel getal", "trekking uit 8.000 verzonnen werkgevers", INVENTED),
        ColumnSpec("grootteklasse", "grootte van de werkgever: klein, middel of groot",
                   "categorie", "per werkgever vast; 60% klein, 30% middel, 10% groot; "
                   "kleine werkgevers maken vaker fouten (×1,3), grote minder (×0,6)",
                   INVENTED),
        ColumnSpec("tijdvak", "de maand waarover de aangifte gaat", "maand (jjjj-mm)",
                   "gelijkmatig getrokken uit januari 2006 t/m december 2010",
                   "maandelijkse aangifte sinds 2006 (loonaangifteketen.nl); "
                   "aantallen verzonnen: een kleine steekproef van >8 miljoen aangiften per jaar"),
    ],
    "gebeurtenissen": [
        ColumnSpec("zaak_id", "de zaak waar de gebeurtenis bij hoort", "geheel getal",
                   "koppelt aan de tabel zaken", INVENTED),
        ColumnSpec("tijdstip", "moment van de gebeurtenis", "datum en tijd (op de minuut)",
                   "aankomst ergens in de maand na het tijdvak; daarna opgeteld: "
                   "behandeltijd per stap, wachttijd bij elke overdracht tussen partners en "
                   "hersteltijd bij de werkgever (exponentieel verdeeld)",
                   "verzonnen; de wachttijd piekt in voorjaar 2007 (keten 'nog niet stabiel', "
                   "NRC 17-4-2007) en daalt na de ketenmanager (september 2007)"),
        ColumnSpec("activiteit", "wat er gebeurde: ontvangen, gecontroleerd, doorgegeven, "
                   "teruggemeld, gecorrigeerd, afgesloten", "categorie",
                   "vaste volgorde; bij afkeur van een controle: teruggemeld → gecorrigeerd → "
                   "opnieuw ontvangen", "ketenopzet Belastingdienst → UWV polisadministratie"),
        ColumnSpec("partner", "wie de handeling deed: werkgever, Belastingdienst of UWV",
                   "categorie", "volgt uit de stap",
                   "partners volgens loonaangifteketen.nl; CBS (afnemer) zit niet in dit log"),
    ],
}


def generate_loonaangifte(scenario: LoonaangifteScenario | None = None) -> CaseData:
    """Generate the loonaangifteketen case (deterministic for a given scenario and seed)."""
    sc = scenario or LoonaangifteScenario()
    if sc.n_cases < 1:
        raise ValueError("Het aantal zaken moet minstens 1 zijn.")
    rng = np.random.default_rng(sc.seed)

    employer_size = rng.choice(len(SIZE_CLASSES), size=sc.n_employers, p=list(sc.size_shares))
    month = np.sort(rng.integers(0, N_PERIODS, size=sc.n_cases))
    employer = rng.integers(0, sc.n_employers, size=sc.n_cases)
    size = employer_size[employer]

    size_factor = np.array([sc.size_error_factor[s] for s in SIZE_CLASSES])[size]
    reject = np.minimum(sc.rejection_chance(month) * size_factor, 0.95)
    # Split the rejection chance over the two checks so that together they give `reject`.
    p_uwv = reject * sc.uwv_share
    p_bd = 1 - (1 - reject) / (1 - p_uwv)

    periods = pd.period_range(FIRST_PERIOD, LAST_PERIOD, freq="M")
    next_month_start = (periods + 1).to_timestamp()
    arrival_offset = ((next_month_start - ORIGIN) / pd.Timedelta(days=1)).to_numpy()
    start = arrival_offset[month] + rng.uniform(0.0, 28.0, size=sc.n_cases)

    events = simulate_events(
        CHAIN,
        start,
        handoff_delay=sc.handoff_delay(month),
        error_rates=[p_bd, p_uwv],
        correction_time=sc.correction_time,
        rng=rng,
        origin=ORIGIN,
    )
    zaken = pd.DataFrame(
        {
            "werkgever_id": employer + 1,
            "grootteklasse": pd.Categorical.from_codes(
                size, categories=pd.Index(list(SIZE_CLASSES))),
            "tijdvak": periods[month],
        },
        index=pd.Index(np.arange(sc.n_cases), name="zaak_id"),
    )
    return CaseData(zaken=zaken, gebeurtenissen=events, scenario=sc, dictionary=DATA_DICTIONARY)
