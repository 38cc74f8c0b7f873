"""Question-bank figures (``make bench``): how a test-wise guesser scores on the bank's
single-choice items, against blind guessing.

Strategies: always the longest option, always the shortest, never the longest (guess among
the rest), and always the same letter (each letter). The item-writing rules behind them are
those of Haladyna, Downing & Rodriguez (2002), Applied Measurement in Education 15(3); the
limit the bank must meet (``ketencursus bank validate --strict``) is chance + 10 percentage
points. Reads ``exercises/bank`` only; writes nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ketencursus.quiz.bank import load_bank  # noqa: E402
from ketencursus.quiz.itemrules import bank_figures, figure_lines  # noqa: E402


def main() -> int:
    bank = load_bank(ROOT / "exercises" / "bank")
    figures = bank_figures(bank)
    print(f"Vragenbank: {len(bank)} vragen, {figures.single} met één antwoord, "
          f"{figures.multiple} met meer antwoorden.")
    for line in figure_lines(figures):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
