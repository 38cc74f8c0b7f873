"""Item-writing rules for the question bank, and the figures that show whether a test-wise
learner can pass it without reading.

The rules are taken from the published taxonomy of multiple-choice item-writing guidelines:

    Haladyna, T. M., Downing, S. M. & Rodriguez, M. C. (2002). A review of multiple-choice
    item-writing guidelines for classroom assessment. *Applied Measurement in Education*
    15(3), 309-334.

Each rule below names the guideline it checks (their numbering, 1-31). Only what a program
can check is checked; plausibility (guideline 29) is left to the writer, who records for
each wrong option the misconception it stands for (guideline 30), and to the reviewer.

========  ==========================================================================
rule      what is checked (and the guideline)
========  ==========================================================================
G30       every wrong option records its ``misconception`` (30: use typical errors of
          learners to write distractors)
G18       a single-choice item has at least three options (18: three is adequate)
G19-MR    a multiple-response item has at least two right and two wrong options, so
          "everything except the odd one out" is not a strategy (19, 28e)
G22       no two options of an item are the same text (22: choices independent)
G24       the key is about as long as the distractors: key length / mean distractor
          length between 2/3 and 3/2 (24: keep the length of choices about equal; 28d:
          conspicuous correct choice)
G25/26    no "alle bovenstaande" / "geen van de bovenstaande" (25, 26)
G28a      no specific determiners (absolutes such as "nooit", "altijd", "alle") in an
          option (28a)
G17       a negative stem ("niet", "geen", "behalve") is written in capitals (17);
          a warning, not an error
G28b      the key repeats a word of the question that no distractor repeats (28b: clang
          association); a warning, not an error
G20       bank figure: the key's position varies; the guesser who always picks the same
          letter scores at most chance + 10 percentage points (20)
G24-bank  bank figure: the key is the longest option no more often than chance, and the
          guessers who always pick the longest option, always the shortest, or never the
          longest, score at most chance + 10 percentage points (24, 28d)
========  ==========================================================================

:func:`check_bank` returns the findings per item and the bank's figures;
:func:`format_report` turns them into the Dutch report of ``ketencursus bank validate``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import combinations

from ketencursus.quiz.bank import Bank, Question

GUIDELINE_SOURCE = (
    "Haladyna, Downing & Rodriguez (2002), A review of multiple-choice item-writing "
    "guidelines for classroom assessment, Applied Measurement in Education 15(3), 309-334"
)
GUESSER_MARGIN = 0.10  # a guessing strategy may beat chance by at most 10 percentage points
LENGTH_RATIO = (2 / 3, 3 / 2)

# Specific determiners (guideline 28a), as whole words or phrases, case-insensitive.
ABSOLUTES = (
    "nooit", "altijd", "alle", "allemaal", "alles", "geen enkele", "geen enkel", "niemand",
    "iedereen", "niets", "nergens", "overal", "volledig", "helemaal", "uitsluitend",
    "absoluut", "elke", "ieder", "iedere", "zonder uitzondering", "per definitie",
    "onmogelijk", "gegarandeerd",
)
_ABSOLUTE_RE = re.compile(r"\b(" + "|".join(re.escape(a) for a in ABSOLUTES) + r")\b",
                          re.IGNORECASE)
_CATCH_ALL_RE = re.compile(
    r"\b(alle bovenstaande|geen van de bovenstaande|alle antwoorden|geen van deze|"
    r"geen van beide|allebei)\b", re.IGNORECASE)
_NEGATIVE_RE = re.compile(r"\b(niet|geen|behalve|onjuist)\b")
_WORD_RE = re.compile(r"[a-zà-ÿ]{6,}", re.IGNORECASE)
STOPWORDS = {"welke", "waarom", "volgens", "hoofdstuk", "antwoord", "tussen", "zonder",
             "worden", "hebben", "kunnen", "moeten", "andere", "partners", "partner", "keten",
             "ketens", "situatie", "beschrijving", "mogelijk", "belangrijkste", "meeste"}


@dataclass(frozen=True)
class Finding:
    question: str
    rule: str
    message: str
    error: bool = True  # False: a warning ("let op"), not counted by --strict


@dataclass
class Figures:
    """Bank figures for the single-choice items (the guesser figures) and the multiple
    response items."""

    single: int = 0
    options_total: int = 0
    chance: float = 0.0  # expected score of blind guessing (mean of 1/k)
    key_positions: dict[str, int] = field(default_factory=dict)
    key_longest: float = 0.0  # items where the key is the longest option (ties shared)
    length_ratios: list[float] = field(default_factory=list)
    longest_guesser: float = 0.0
    shortest_guesser: float = 0.0
    not_longest_guesser: float = 0.0
    letter_guessers: dict[str, float] = field(default_factory=dict)
    multiple: int = 0
    multiple_structure: dict[str, int] = field(default_factory=dict)
    # Multiple response, partial credit: a guesser who ticks the longer half of the options,
    # against one who ticks a random half (the mean over every half of that size).
    longer_half_guesser: float = 0.0
    random_half_guesser: float = 0.0
    absolutes: int = 0

    @property
    def limit(self) -> float:
        return self.chance + GUESSER_MARGIN

    @property
    def mean_ratio(self) -> float:
        return sum(self.length_ratios) / len(self.length_ratios) if self.length_ratios else 0.0


@dataclass
class Report:
    findings: list[Finding]
    figures: Figures
    bank_problems: list[str]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.error]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if not f.error]

    @property
    def ok(self) -> bool:
        return not self.errors and not self.bank_problems


def _length(text: str) -> int:
    return len(" ".join(text.replace("*", "").split()))


def length_ratio(question: Question) -> float:
    """Mean length of the right option(s) / mean length of the wrong options."""
    right = [_length(o.text) for o in question.options if o.correct]
    wrong = [_length(o.text) for o in question.options if not o.correct]
    if not right or not wrong:
        return 1.0
    return (sum(right) / len(right)) / (sum(wrong) / len(wrong))


def longest_share(question: Question) -> float:
    """What the guesser who always picks the longest option earns on this single-choice
    item (1/t when the key is one of t equally long longest options)."""
    lengths = {o.id: _length(o.text) for o in question.options}
    top = max(lengths.values())
    longest = [oid for oid, n in lengths.items() if n == top]
    return 1 / len(longest) if question.correct_options[0] in longest else 0.0


def shortest_share(question: Question) -> float:
    """What the guesser who always picks the shortest option earns on this item."""
    lengths = {o.id: _length(o.text) for o in question.options}
    low = min(lengths.values())
    shortest = [oid for oid, n in lengths.items() if n == low]
    return 1 / len(shortest) if question.correct_options[0] in shortest else 0.0


def not_longest_share(question: Question) -> float:
    """What the guesser earns who never picks the longest option (a test-wise rule when keys
    are usually shorter) and guesses among the rest."""
    lengths = {o.id: _length(o.text) for o in question.options}
    top = max(lengths.values())
    rest = [oid for oid, n in lengths.items() if n != top]
    if not rest:
        return 1 / len(lengths)
    return 1 / len(rest) if question.correct_options[0] in rest else 0.0


def absolutes_in(text: str) -> list[str]:
    return sorted({m.group(1).lower() for m in _ABSOLUTE_RE.finditer(text)})


def item_findings(question: Question) -> list[Finding]:
    """The item-writing problems of one choice item (numeric and text items have none of
    these rules)."""
    if question.type not in ("single", "multiple"):
        return []
    out: list[Finding] = []
    qid = question.id

    def add(rule: str, message: str, error: bool = True) -> None:
        out.append(Finding(qid, rule, message, error))

    for option in question.options:
        if not option.correct and not option.misconception:
            add("G30", f"optie {option.id} is onjuist maar noemt geen misvatting: schrijf in "
                "'misconception' welke denkfout een cursist naar deze optie trekt")
        found = absolutes_in(option.text)
        if found:
            add("G28a", f"optie {option.id} bevat een absolute term ("
                + ", ".join(f'"{w}"' for w in found)
                + "); een testwijze cursist herkent die als fout (of als juist): formuleer "
                "zonder absolute woorden")
        if _CATCH_ALL_RE.search(option.text):
            add("G25/26", f"optie {option.id} is een verzameloptie ('alle/geen van de "
                "bovenstaande'); schrijf een inhoudelijke optie")
    texts = [" ".join(o.text.casefold().split()) for o in question.options]
    if len(set(texts)) != len(texts):
        add("G22", "twee opties hebben dezelfde tekst")
    right = question.correct_options
    wrong = question.wrong_options
    if question.type == "single" and len(question.options) < 3:
        add("G18", "een vraag met één antwoord heeft minstens drie opties")
    if question.type == "multiple" and (len(right) < 2 or len(wrong) < 2):
        add("G19-MR", f"een vraag met meer antwoorden heeft minstens twee juiste en twee "
            f"onjuiste opties (nu {len(right)} juist, {len(wrong)} onjuist); anders is "
            "'alles behalve de vreemde eend' een strategie")
    ratio = length_ratio(question)
    low, high = LENGTH_RATIO
    if not low <= ratio <= high:
        what = "langer" if ratio > high else "korter"
        add("G24", f"de juiste optie is duidelijk {what} dan de onjuiste (lengteverhouding "
            f"{ratio:.2f}; toegestaan {low:.2f}-{high:.2f}): maak de opties even lang en even "
            "concreet")
    stem = question.question
    for match in _NEGATIVE_RE.finditer(stem):
        add("G17", f"de vraag is negatief geformuleerd ('{match.group(1)}'): formuleer "
            "positief, of schrijf het woord in hoofdletters", error=False)
        break
    if question.type == "single":
        stem_words = {w.casefold() for w in _WORD_RE.findall(stem)} - STOPWORDS
        key = question.options[[o.id for o in question.options].index(right[0])]
        key_words = {w.casefold() for w in _WORD_RE.findall(key.text)} & stem_words
        others = set()
        for option in question.options:
            if not option.correct:
                others |= {w.casefold() for w in _WORD_RE.findall(option.text)}
        clang = sorted(key_words - others)
        if clang:
            add("G28b", "alleen de juiste optie herhaalt een woord uit de vraag ("
                + ", ".join(f'"{w}"' for w in clang) + "); dat verraadt het antwoord",
                error=False)
    return out


def bank_figures(bank: Bank) -> Figures:
    figures = Figures()
    singles = [q for q in bank if q.type == "single"]
    figures.single = len(singles)
    letters = sorted({o.id for q in singles for o in q.options})
    figures.key_positions = {letter: 0 for letter in letters}
    chance = 0.0
    for question in singles:
        k = len(question.options)
        figures.options_total += k
        chance += 1 / k
        figures.key_positions[question.correct_options[0]] += 1
        figures.key_longest += longest_share(question)
        figures.shortest_guesser += shortest_share(question)
        figures.not_longest_guesser += not_longest_share(question)
        figures.length_ratios.append(length_ratio(question))
    if singles:
        figures.chance = chance / len(singles)
        figures.longest_guesser = figures.key_longest / len(singles)
        figures.shortest_guesser /= len(singles)
        figures.not_longest_guesser /= len(singles)
        figures.letter_guessers = {
            letter: figures.key_positions[letter] / len(singles) for letter in letters
        }
    multiples = [q for q in bank if q.type == "multiple"]
    for question in multiples:
        size = (len(question.options) + 1) // 2
        by_length = sorted(question.options, key=lambda o: -_length(o.text))
        figures.longer_half_guesser += question.score([o.id for o in by_length[:size]])
        halves = list(combinations([o.id for o in question.options], size))
        figures.random_half_guesser += sum(question.score(list(h)) for h in halves) / len(halves)
    if multiples:
        figures.longer_half_guesser /= len(multiples)
        figures.random_half_guesser /= len(multiples)
    for question in bank:
        if question.type == "multiple":
            figures.multiple += 1
            shape = f"{len(question.correct_options)} juist / {len(question.wrong_options)} onjuist"
            figures.multiple_structure[shape] = figures.multiple_structure.get(shape, 0) + 1
        for option in question.options:
            figures.absolutes += len(absolutes_in(option.text))
    return figures


def figure_problems(figures: Figures) -> list[str]:
    """Bank-level rules G20 and G24-bank, as Dutch messages (empty: in order)."""
    problems: list[str] = []
    if not figures.single:
        return problems
    limit = figures.limit
    if figures.longest_guesser > limit + 1e-9:
        problems.append(
            f"G24-bank: wie altijd de langste optie kiest, scoort {figures.longest_guesser:.0%} "
            f"(kans {figures.chance:.0%}, grens {limit:.0%}); maak de juiste optie vaker even "
            "lang of korter dan de andere")
    for label, share in (("altijd de kortste optie kiest", figures.shortest_guesser),
                         ("nooit de langste optie kiest", figures.not_longest_guesser)):
        if share > limit + 1e-9:
            problems.append(
                f"G24-bank: wie {label}, scoort {share:.0%} (kans {figures.chance:.0%}, grens "
                f"{limit:.0%}); varieer de lengte van de juiste optie")
    if figures.key_longest > figures.chance * figures.single + 1e-9:
        problems.append(
            f"G24-bank: de juiste optie is in {figures.key_longest:g} van de {figures.single} "
            f"vragen de langste, vaker dan bij toeval ({figures.chance * figures.single:.1f})")
    for letter, share in figures.letter_guessers.items():
        if share > limit + 1e-9:
            problems.append(
                f"G20: wie altijd {letter} kiest, scoort {share:.0%} (kans {figures.chance:.0%}, "
                f"grens {limit:.0%}); verplaats juiste antwoorden naar andere posities")
    return problems


def check_bank(bank: Bank) -> Report:
    findings = [f for q in bank for f in item_findings(q)]
    figures = bank_figures(bank)
    return Report(findings, figures, figure_problems(figures))


def guesser_lines(figures: Figures) -> list[str]:
    """The test-wise guesser figure (also printed by ``benchmarks/bench_bank.py``)."""
    if not figures.single:
        return ["Geen vragen met één antwoord."]
    verdict = {True: "in orde", False: "TE HOOG"}
    limit = figures.limit
    lines = [f"Testwijze gokker, {figures.single} vragen met één antwoord "
             f"(kans bij blind gokken {figures.chance:.1%}, grens {limit:.1%}):"]
    for label, share in (("altijd de langste optie", figures.longest_guesser),
                         ("altijd de kortste optie", figures.shortest_guesser),
                         ("nooit de langste optie (gok uit de rest)", figures.not_longest_guesser)):
        lines.append(f"  {label}: {share:.1%} ({verdict[share <= limit + 1e-9]})")
    for letter, share in figures.letter_guessers.items():
        lines.append(f"  altijd optie {letter}: {share:.1%} ({verdict[share <= limit + 1e-9]})")
    return lines


def figure_lines(figures: Figures) -> list[str]:
    lines = []
    if figures.single:
        positions = ", ".join(f"{k} {n}" for k, n in figures.key_positions.items())
        ratios = figures.length_ratios
        lines += [
            f"Positie van het juiste antwoord: {positions}.",
            f"Juiste antwoord is de langste optie: {figures.key_longest:g} van {figures.single} "
            f"({figures.key_longest / figures.single:.0%}; bij toeval {figures.chance:.0%}).",
            f"Lengte juiste optie / gemiddelde onjuiste optie: gemiddeld {figures.mean_ratio:.2f}"
            f" (laagste {min(ratios):.2f}, hoogste {max(ratios):.2f}).",
        ]
    if figures.multiple:
        shapes = ", ".join(f"{shape}: {n}"
                           for shape, n in sorted(figures.multiple_structure.items()))
        lines.append(f"Vragen met meer antwoorden ({figures.multiple}), opbouw: {shapes}; "
                     "deelscore per optie (+1/juist, -1/onjuist, minimaal 0).")
        lines.append(f"Gokker bij meer antwoorden die steeds de langste helft van de opties "
                     f"aankruist: gemiddeld {figures.longer_half_guesser:.1%} van de punten "
                     f"(een willekeurige helft: {figures.random_half_guesser:.1%}; alles "
                     "aankruisen: 0%).")
    lines.append(f"Absolute termen in opties: {figures.absolutes}.")
    return lines + guesser_lines(figures)


def format_report(report: Report) -> str:
    """The Dutch report: per item its findings, then the bank figures and verdict."""
    lines = [f"Schrijfregels voor meerkeuzevragen volgens {GUIDELINE_SOURCE}."]
    by_item: dict[str, list[Finding]] = {}
    for finding in report.findings:
        by_item.setdefault(finding.question, []).append(finding)
    if by_item:
        lines.append("")
        lines.append("Per vraag:")
        for qid, findings in by_item.items():
            lines.append(f"  {qid}:")
            for finding in findings:
                label = "FOUT" if finding.error else "let op"
                lines.append(f"    {label} [{finding.rule}] {finding.message}")
    lines.append("")
    lines.append("Cijfers voor de bank:")
    lines += ["  " + line for line in figure_lines(report.figures)]
    for problem in report.bank_problems:
        lines.append(f"  FOUT {problem}")
    lines.append("")
    if report.ok:
        lines.append(f"Schrijfregels: in orde ({len(report.warnings)} keer 'let op').")
    else:
        lines.append(f"Schrijfregels: {len(report.errors) + len(report.bank_problems)} fouten, "
                     f"{len(report.warnings)} keer 'let op'.")
    return "\n".join(lines)
