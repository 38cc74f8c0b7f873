"""A small stochastic model of a chain: zaken pass a fixed row of steps at several partners.

Mechanics (all times in days, all draws exponential, so the model is easy to explain):

* every step takes ``duration`` days on average at its partner;
* when the next step is at another partner, the zaak first waits ``handoff_delay`` days
  (the *overdracht*: post, batches, queues, phone tag);
* a check step rejects the zaak with probability ``error_rate``; the checking partner then
  reports it back (``report_activity``), the source (employer, client) corrects it after a
  hand-off and ``correction_time`` days (``correction_activity``), and the zaak starts again
  at the first step (``restart="begin"``) or at the step that rejected it (``restart="step"``);
* after ``max_rounds`` rounds a zaak is let through, so every zaak ends.

How closely the partners work together (:class:`Collaboration`) scales hand-off delay,
correction time and error rates. Those multipliers are assumptions of this course, not
measured figures; they are shown to learners next to every result.

The same engine produces the generated case data (with parameters that vary per zaak) and the
what-if figures (with the learner's slider values).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Literal

import numpy as np
import pandas as pd

from ketencursus.errors import UserError

from .eventlog import build_event_frame
from .metrics import case_table, lead_time_distribution


class Collaboration(Enum):
    """How the partners work together; the value is the Dutch label learners see."""

    SEPARATE = "apart, elk op eigen locatie"
    SHARED_BUILDING = "onder één dak, eigen werkwijze"
    INTEGRATED = "onder één dak, werk geïntegreerd"


@dataclass(frozen=True)
class CollaborationEffect:
    """Multipliers applied to the chain parameters (assumptions, not measurements)."""

    handoff: float
    correction: float
    errors: float


COLLABORATION_EFFECTS: dict[Collaboration, CollaborationEffect] = {
    Collaboration.SEPARATE: CollaborationEffect(handoff=1.0, correction=1.0, errors=1.0),
    # Shorter walks and queues, but each partner keeps its own habits and checks.
    Collaboration.SHARED_BUILDING: CollaborationEffect(handoff=0.7, correction=0.9, errors=0.95),
    # Shared work process: hand-offs become a conversation, mistakes are caught together.
    Collaboration.INTEGRATED: CollaborationEffect(handoff=0.3, correction=0.6, errors=0.6),
}


@dataclass(frozen=True)
class Step:
    """One step of the chain: an activity done by a partner."""

    activity: str
    partner: str
    duration: float
    is_check: bool = False


@dataclass(frozen=True)
class ChainDefinition:
    """The fixed row of steps a zaak passes, and what happens when a check rejects it."""

    steps: tuple[Step, ...]
    source_partner: str
    report_activity: str = "teruggemeld"
    correction_activity: str = "gecorrigeerd"
    restart: Literal["begin", "step"] = "begin"

    @property
    def check_steps(self) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if s.is_check)

    @property
    def activities(self) -> list[str]:
        names = [s.activity for s in self.steps]
        names += [self.report_activity, self.correction_activity]
        return list(dict.fromkeys(names))

    @property
    def partners(self) -> list[str]:
        return list(dict.fromkeys([s.partner for s in self.steps] + [self.source_partner]))



class SimulationInputError(UserError, ValueError):
    """A parameter outside its sensible range; the message (Dutch) says which and what to do."""


def _as_array(name: str, value, n: int, low: float, high: float | None) -> np.ndarray:
    arr = np.broadcast_to(np.asarray(value, dtype=float), (n,)).copy()
    if not np.all(np.isfinite(arr)):
        raise SimulationInputError(f"'{name}' moet een getal zijn; kreeg {value!r}.")
    if np.any(arr < low) or (high is not None and np.any(arr > high)):
        bound = f"tussen {low:g} en {high:g}" if high is not None else f"minstens {low:g}"
        raise SimulationInputError(
            f"'{name}' moet {bound} liggen; kreeg {value!r}. Kies een waarde binnen dat bereik."
        )
    return arr


def simulate_events(
    chain: ChainDefinition,
    start_days: np.ndarray,
    *,
    handoff_delay,
    error_rates: Sequence | np.ndarray,
    correction_time,
    duration_scale=1.0,
    rng: np.random.Generator,
    origin: pd.Timestamp,
    case_ids: np.ndarray | None = None,
    max_rounds: int = 6,
) -> pd.DataFrame:
    """Simulate every zaak through ``chain`` and return its event log.

    ``start_days`` (one per zaak) are days after ``origin``. ``handoff_delay``,
    ``correction_time`` and ``duration_scale`` are scalars or one value per zaak;
    ``error_rates`` has one entry per check step, each a scalar or one value per zaak."""
    start = np.asarray(start_days, dtype=float)
    n = start.size
    checks = chain.check_steps
    if len(error_rates) != len(checks):
        raise SimulationInputError(
            f"Er zijn {len(checks)} controlestappen maar {len(error_rates)} foutkansen opgegeven; "
            "geef voor elke controlestap één foutkans."
        )
    if max_rounds < 1:
        raise SimulationInputError("'max_rounds' moet minstens 1 zijn.")
    if n == 0:
        raise SimulationInputError("Er zijn geen zaken om te simuleren; geef minstens één start.")
    delay = _as_array("overdrachtsvertraging", handoff_delay, n, 0.0, None)
    correction = _as_array("hersteltijd", correction_time, n, 0.0, None)
    scale = _as_array("behandeltijd-factor", duration_scale, n, 0.0, None)
    rates = [_as_array("foutkans", r, n, 0.0, 1.0) for r in error_rates]
    case_ids = np.arange(n) if case_ids is None else np.asarray(case_ids)

    activity_code = {a: i for i, a in enumerate(chain.activities)}
    partner_code = {p: i for i, p in enumerate(chain.partners)}
    source = partner_code[chain.source_partner]
    report_code = activity_code[chain.report_activity]
    correction_code = activity_code[chain.correction_activity]

    t = start.copy()
    prev_partner = np.full(n, -1)
    start_step = np.zeros(n, dtype=int)
    pending = np.ones(n, dtype=bool)
    out_case: list[np.ndarray] = []
    out_time: list[np.ndarray] = []
    out_act: list[np.ndarray] = []
    out_partner: list[np.ndarray] = []

    def record(idx: np.ndarray, act: int, partner: int) -> None:
        out_case.append(idx)
        out_time.append(t[idx].copy())
        out_act.append(np.full(idx.size, act))
        out_partner.append(np.full(idx.size, partner))

    for round_no in range(max_rounds):
        in_round = pending.copy()
        check_no = 0
        for k, step in enumerate(chain.steps):
            p = partner_code[step.partner]
            idx = np.flatnonzero(in_round & (start_step <= k))
            if idx.size:
                handoff = (prev_partner[idx] >= 0) & (prev_partner[idx] != p)
                wait = np.where(handoff, rng.exponential(np.maximum(delay[idx], 1e-12)), 0.0)
                work = rng.exponential(np.maximum(step.duration * scale[idx], 1e-12))
                t[idx] += wait + (work if step.duration > 0 else 0.0)
                record(idx, activity_code[step.activity], p)
                prev_partner[idx] = p
            if step.is_check:
                if idx.size and round_no < max_rounds - 1:
                    failed = idx[rng.random(idx.size) < rates[check_no][idx]]
                    if failed.size:
                        t[failed] += rng.exponential(0.5, failed.size)
                        record(failed, report_code, p)
                        t[failed] += rng.exponential(np.maximum(delay[failed], 1e-12))
                        t[failed] += rng.exponential(np.maximum(correction[failed], 1e-12))
                        record(failed, correction_code, source)
                        prev_partner[failed] = source
                        in_round[failed] = False
                        start_step[failed] = 0 if chain.restart == "begin" else k
                check_no += 1
        pending &= ~in_round
        if not pending.any():
            break

    return build_event_frame(
        np.asarray(case_ids)[np.concatenate(out_case)],
        np.concatenate(out_time),
        np.concatenate(out_act),
        chain.activities,
        np.concatenate(out_partner),
        chain.partners,
        origin,
    )


@dataclass(frozen=True)
class WhatIfScenario:
    """The learner's choices in a what-if widget (one value for every zaak)."""

    handoff_delay: float = 4.0
    error_rate: float = 0.10
    correction_time: float = 10.0
    collaboration: Collaboration = Collaboration.SEPARATE
    n_cases: int = 4_000
    seed: int = 1


@dataclass
class SimulationResult:
    """Outcome of one what-if run: the event log, one row per zaak and the key figures."""

    scenario: WhatIfScenario
    events: pd.DataFrame
    cases: pd.DataFrame
    figures: dict[str, float] = field(default_factory=dict)


ORIGIN = pd.Timestamp("2020-01-01")


def run_scenario(chain: ChainDefinition, scenario: WhatIfScenario) -> SimulationResult:
    """Simulate ``scenario.n_cases`` zaken that all start on day 0 and summarise them."""
    if not 100 <= scenario.n_cases <= 200_000:
        raise SimulationInputError(
            f"Het aantal zaken moet tussen 100 en 200.000 liggen; kreeg {scenario.n_cases}."
        )
    effect = COLLABORATION_EFFECTS[scenario.collaboration]
    _as_array("foutkans", scenario.error_rate, 1, 0.0, 1.0)
    rng = np.random.default_rng(scenario.seed)
    error = min(scenario.error_rate * effect.errors, 1.0)
    events = simulate_events(
        chain,
        np.zeros(scenario.n_cases),
        handoff_delay=scenario.handoff_delay * effect.handoff,
        error_rates=[error] * len(chain.check_steps),
        correction_time=scenario.correction_time * effect.correction,
        rng=rng,
        origin=ORIGIN,
    )
    cases = case_table(events, rework_activity=chain.report_activity)
    dist = lead_time_distribution(cases["doorlooptijd_dagen"])
    figures = {
        "gemiddelde doorlooptijd (dagen)": float(dist["gemiddelde"]),
        "mediaan doorlooptijd (dagen)": float(dist["mediaan"]),
        "90e percentiel doorlooptijd (dagen)": float(dist["p90"]),
        "first time right (%)": float(100.0 * cases["eerste_keer_goed"].mean()),
        "gemiddeld aantal overdrachten": float(cases["overdrachten"].mean()),
        "gemiddeld aantal herstelrondes": float(cases["herstelrondes"].mean()),
    }
    return SimulationResult(scenario, events, cases, figures)
