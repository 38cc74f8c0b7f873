"""Self-check quizzes in the static book, and the instructor's alignment table.

``{quiz}`` renders self-check items from the question bank as plain HTML forms (native radio
buttons, checkboxes and inputs in a ``<fieldset>`` with ``<legend>``, a "Controleer" button
and a ``role="status"`` live region); ``ketencursus-quiz.js`` (shipped in ``static/``) checks
the answers in the page: no kernel, no CDN. Usage in a chapter::

    ```{quiz} h4
    ```

renders every ``selfcheck`` item of chapter h4; ``:items: h4-01 h4-05`` picks items. Naming a
``graded`` item is a build error: its answer must never reach the book.

In the offline editions (PDF and ePub, ``ketencursus_editie: offline``, see
:mod:`.editions`) nothing can be checked in the page: the same items are printed as
questions (:func:`paper_question_html`), and their answer key (:func:`answer_key_html`, from
the same bank entries) goes to the end of the chapter.

``{afstemmingstabel}`` renders the alignment table (learning objective → items) from the
bank, the objectives and the assignment sources; graded items appear with id and title only.

Config values: ``ketencursus_bank_dir`` (default ``exercises/bank``), ``ketencursus_book_dir``
(default ``book``) and ``ketencursus_assignments_dir`` (default ``exercises/assignments``),
relative to the configuration directory.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util.docutils import SphinxDirective

from ketencursus._util import nl
from ketencursus.objectives import Objective, ObjectiveError, read_objectives
from ketencursus.quiz.bank import Bank, BankError, Question, load_bank
from ketencursus.quiz.render import block_html, inline_html

from . import editions

STATIC = Path(__file__).parent / "static"
JS_FILE = "ketencursus-quiz.js"
CSS_FILE = "ketencursus-quiz.css"
TYPE_HINT = {
    "single": "Kies één antwoord.",
    "multiple": "Kies alle juiste antwoorden. Je krijgt een deelscore: elk juist antwoord "
                "telt mee, elk onjuist gekozen antwoord kost punten.",
    "numeric": "Vul een getal in.",
    "text": "Vul een kort antwoord in (een woord of begrip).",
}


PAPER_HINT = {
    "single": "Kies één antwoord.",
    "multiple": "Kies alle juiste antwoorden.",
    "numeric": "Schrijf een getal op.",
    "text": "Schrijf een kort antwoord op (een woord of begrip).",
}


def _resolve(app_or_env, name: str) -> Path:
    app = getattr(app_or_env, "app", app_or_env)
    base = Path(app.confdir or app.srcdir)
    return (base / getattr(app.config, name)).resolve()


def _load(env) -> tuple[Bank, dict[str, Objective]]:
    """The bank and the objectives, cached on the environment for one build."""
    app = env.app  # the cache lives on the app: it must not be pickled with the env
    cached = getattr(app, "_ketencursus_bank", None)
    if cached is not None:
        return cached
    objectives = read_objectives(_resolve(env, "ketencursus_book_dir"))
    bank = load_bank(_resolve(env, "ketencursus_bank_dir"), objectives or None)
    app._ketencursus_bank = (bank, objectives)
    return bank, objectives


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def selfcheck_payload(question: Question) -> dict:
    """What the page's script needs to check one self-check item (answers included:
    allowed only for ``selfcheck`` items)."""
    if question.use != "selfcheck":
        raise ValueError(f"{question.id} is geen zelftoetsvraag")
    # Never the item's misconception notes: those are for writers and instructors.
    data: dict = {"id": question.id, "type": question.type, "objective": question.objective}
    if question.type in ("single", "multiple"):
        data["options"] = {
            o.id: {"correct": o.correct, "feedback": inline_html(o.feedback)}
            for o in question.options
        }
    if question.type == "numeric":
        data.update(answer=question.answer, tolerance=question.tolerance,
                    units=list(question.units))
    if question.type == "text":
        data["accepted"] = list(question.accepted)
    if question.feedback_correct:
        data["feedbackCorrect"] = block_html(question.feedback_correct)
    if question.feedback_incorrect:
        data["feedbackIncorrect"] = block_html(question.feedback_incorrect)
    if question.explanation:
        data["explanation"] = block_html(question.explanation)
    return data


def question_html(question: Question, number: int, objective_href: str | None) -> str:
    """One self-check item as an accessible HTML form."""
    base = "kc-" + question.id
    payload = _attr(json.dumps(selfcheck_payload(question), ensure_ascii=False))
    described = []
    parts = [f'<form class="kc-question" id="{base}" data-kc-item="{payload}" '
             f'data-kc-type="{question.type}" novalidate>']
    if question.context:
        parts.append(f'<div class="kc-context" id="{base}-context">'
                     f"{block_html(question.context)}</div>")
        described.append(f"{base}-context")
    described.append(f"{base}-hint")
    objective = html.escape(question.objective)
    if objective_href:
        objective = f'<a href="{_attr(objective_href)}">{objective}</a>'
    parts.append(f'<fieldset aria-describedby="{" ".join(described)}">')
    parts.append(f'<legend><span class="kc-number">Vraag {number}.</span> '
                 f"{inline_html(question.question)}</legend>")
    parts.append(f'<p class="kc-hint" id="{base}-hint">{TYPE_HINT[question.type]}</p>')
    if question.type in ("single", "multiple"):
        kind = "radio" if question.type == "single" else "checkbox"
        parts.append('<div class="kc-options">')
        for option in question.options:
            oid = f"{base}-{option.id}"
            parts.append(
                f'<div class="kc-option"><input type="{kind}" id="{oid}" name="{base}" '
                f'value="{option.id}"><label for="{oid}"><span class="kc-letter">'
                f"{option.id})</span> {inline_html(option.text)}</label></div>"
            )
        parts.append("</div>")
    else:
        label = "Jouw antwoord"
        if question.type == "numeric" and question.unit:
            label += f" (in {inline_html(question.unit)})"
        mode = 'inputmode="decimal"' if question.type == "numeric" else 'autocomplete="off"'
        # A numeric answer is a text input with inputmode=decimal, so "12,5" (Dutch) works.
        parts.append(
            f'<div class="kc-field"><label for="{base}-input">{label}</label> '
            f'<input type="text" {mode} id="{base}-input" name="{base}" '
            f'spellcheck="false"></div>'
        )
    parts.append("</fieldset>")
    parts.append(
        '<div class="kc-actions"><button type="submit" class="kc-check">Controleer</button>'
        f'<span class="kc-objective">Leerdoel {objective}</span></div>'
    )
    parts.append(f'<div class="kc-feedback" id="{base}-feedback" role="status" '
                 'aria-live="polite" aria-atomic="true"></div>')
    parts.append("</form>")
    return "".join(parts)


def paper_question_html(question: Question, number: int) -> str:
    """One self-check item for paper: the question, its options or a line to write on."""
    parts = [f'<div class="kc-vraag" id="kc-{question.id}">']
    if question.context:
        parts.append(f'<div class="kc-context">{block_html(question.context)}</div>')
    parts.append(f'<p class="kc-vraag-tekst"><strong class="kc-number">Vraag {number}.</strong> '
                 f"{inline_html(question.question)}</p>")
    parts.append(f'<p class="kc-hint">{PAPER_HINT[question.type]}</p>')
    if question.type in ("single", "multiple"):
        parts.append('<ul class="kc-opties">')
        parts.extend(f'<li><span class="kc-letter">{o.id})</span> {inline_html(o.text)}</li>'
                     for o in question.options)
        parts.append("</ul>")
    else:
        unit = f" {inline_html(question.unit)}" if question.type == "numeric" and question.unit \
            else ""
        parts.append(f'<p class="kc-invulregel">Jouw antwoord: '
                     f'<span class="kc-lijn"></span>{unit}</p>')
    parts.append(f'<p class="kc-objective">Leerdoel {html.escape(question.objective)}</p>')
    parts.append("</div>")
    return "".join(parts)


def _number(value: float) -> str:
    return nl.number(value)


def answer_key_html(question: Question, number: int) -> str:
    """The answer of one self-check item, with why: the explanation from the bank, or else
    the feedback the online page gives on the right answer."""
    if question.type in ("single", "multiple"):
        right = [o for o in question.options if o.correct]
        answer = "; ".join(f"<strong>{o.id})</strong> {inline_html(o.text)}" for o in right)
        why: str | None = question.explanation or question.feedback_correct or " ".join(
            o.feedback for o in right)
    elif question.type == "numeric":
        assert question.answer is not None
        unit = f" {inline_html(question.unit)}" if question.unit else ""
        answer = f"<strong>{_number(question.answer)}{unit}</strong>"
        if question.tolerance:
            answer += f" (goed gerekend van {_number(question.answer - question.tolerance)} " \
                      f"tot en met {_number(question.answer + question.tolerance)})"
        why = question.explanation or question.feedback_correct
    else:
        first, *others = question.accepted
        answer = f"<strong>{html.escape(first)}</strong>"
        if others:
            answer += " (ook goed: " + ", ".join(html.escape(o) for o in others) + ")"
        why = question.explanation or question.feedback_correct
    several = question.type == "multiple" and len(question.correct_options) > 1
    label = "Juist zijn" if several else "Juist is"
    parts = [f'<div class="kc-antwoord" id="kc-{question.id}-antwoord">',
             f'<p><a href="#kc-{question.id}"><strong>Vraag {number}</strong></a>. '
             f"{label}: {answer}.</p>"]
    if why:
        parts.append(block_html(why))
    parts.append("</div>")
    return "".join(parts)


def offline_quiz_nodes(questions: list[Question], url: str) -> list[nodes.Node]:
    """The self-check for the PDF and the ePub: questions here, the key at the chapter end."""
    online = (f' Online (<a href="{_attr(url)}">{html.escape(url)}</a>) kun je de vragen in de '
              "pagina beantwoorden en krijg je meteen feedback.") if url else ""
    body = ['<div class="kc-quiz kc-quiz-papier">',
            f'<p class="kc-intro">Test jezelf. De antwoorden staan aan het eind van dit '
            f"hoofdstuk, onder „{editions.KEY_TITLE}”; niets telt mee voor een cijfer."
            f"{online}</p>"]
    body += [paper_question_html(q, n) for n, q in enumerate(questions, 1)]
    body.append("</div>")
    key = editions.antwoordsleutel()
    key += nodes.raw("", "\n".join(answer_key_html(q, n) for n, q in enumerate(questions, 1)),
                     format="html")
    return [nodes.raw("", "\n".join(body), format="html"), key]


class QuizDirective(SphinxDirective):
    """``{quiz} <chapter>`` with optional ``:items: id id ...``."""

    has_content = False
    required_arguments = 0
    optional_arguments = 1
    option_spec = {"items": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        try:
            bank, objectives = _load(self.env)
        except (BankError, ObjectiveError) as exc:
            raise self.error(f"Vragenbank kan niet worden geladen:\n{exc}") from exc
        for path in bank.files:
            self.env.note_dependency(str(path))
        chapter = self.arguments[0].strip() if self.arguments else None
        if "items" in self.options:
            wanted = self.options["items"].split()
            questions = []
            for qid in wanted:
                try:
                    question = bank.get(qid)
                except KeyError:
                    raise self.error(f"quiz: vraag {qid!r} staat niet in de vragenbank") from None
                if question.use != "selfcheck":
                    raise self.error(
                        f"quiz: vraag {qid} ({question.title}) is een beoordeelde vraag "
                        "(use: graded) en mag nooit met antwoord in het boek staan; kies een "
                        "zelftoetsvraag (use: selfcheck)"
                    )
                questions.append(question)
        elif chapter:
            questions = bank.selfcheck(chapter)
            if not questions:
                raise self.error(f"quiz: hoofdstuk {chapter} heeft geen zelftoetsvragen in de bank")
        else:
            raise self.error("quiz: geef een hoofdstuk (```{quiz} h4```) of :items: op")
        if editions.is_offline(self.config):
            return offline_quiz_nodes(questions, editions.online_url(self.config,
                                                                     self.env.docname))
        parts = ['<div class="kc-quiz">',
                 '<p class="kc-intro">Test jezelf. Je antwoorden blijven in deze pagina: '
                 "niets wordt opgeslagen of verstuurd en niets telt mee voor een cijfer.</p>",
                 '<noscript><p class="kc-noscript">Deze zelftoets heeft JavaScript nodig om je '
                 "antwoorden te controleren. Zet JavaScript aan in je browser.</p></noscript>"]
        for number, question in enumerate(questions, 1):
            objective = objectives.get(question.objective)
            href = None
            if objective is not None and objective.chapter == self.env.docname:
                href = "#" + objective.anchor
            elif objective is not None:
                href = self.env.app.builder.get_relative_uri(self.env.docname, objective.chapter)
                href += "#" + objective.anchor
            parts.append(question_html(question, number, href))
        parts.append("</div>")
        return [nodes.raw("", "\n".join(parts), format="html")]


class AlignmentTableDirective(SphinxDirective):
    """``{afstemmingstabel}``: learning objective -> items with their kind of evidence,
    generated at build time from the objectives, the bank and the assignments (see
    :mod:`ketencursus.quiz.alignment`). Graded items appear with id and title only, never
    with an answer. Reusable on any page (an instructor edition, for example): it reads only
    the three config values of this extension."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        from ketencursus.quiz.alignment import EVIDENCE_NL, alignment_rows
        from ketencursus.quiz.assignments import AssignmentError, assignment_items
        from ketencursus.sphinxext.docent import learner_book_uri

        try:
            bank, objectives = _load(self.env)
            items = assignment_items(_resolve(self.env, "ketencursus_assignments_dir"), bank)
        except (BankError, ObjectiveError, AssignmentError) as exc:
            raise self.error(f"Afstemmingstabel kan niet worden gemaakt:\n{exc}") from exc
        for path in bank.files:
            self.env.note_dependency(str(path))
        rows = alignment_rows(bank, objectives, items)
        table = nodes.table(classes=["kc-alignment"])
        group = nodes.tgroup(cols=4)
        table += group
        for width in (34, 12, 27, 27):
            group += nodes.colspec(colwidth=width)
        head = nodes.thead()
        group += head
        head += self._row(["Leerdoel", "Zelftoets (boek)", "Kennistoets (beoordeeld)",
                           "Opdrachten (beoordeeld)"])
        body = nodes.tbody()
        group += body
        counts = {kind: 0 for kind in EVIDENCE_NL}
        for row in rows:
            objective = row.objective
            first = nodes.paragraph()
            # In the instructor edition the chapters are in the learner book (sphinxext.docent).
            uri = learner_book_uri(self.env, self.env.docname, objective.chapter,
                                   objective.anchor) or (
                self.env.app.builder.get_relative_uri(self.env.docname, objective.chapter)
                + "#" + objective.anchor)
            ref = nodes.reference("", objective.id, refuri=uri)
            first += nodes.strong("", "", ref)
            first += nodes.Text(" " + objective.text)
            if row.asks == "production":
                first += nodes.Text(" ")
                first += nodes.emphasis("", "(vraagt om produceren)")
            cell = [first]
            if row.problem:
                cell.append(nodes.paragraph("", "", nodes.strong("", "Let op: " + row.problem
                                                                  + ".")))
            elif row.warning:
                cell.append(nodes.paragraph("", "", nodes.emphasis("", "Let op: " + row.warning
                                                                    + ".")))
            for evidence in row.graded:
                counts[evidence.evidence] += 1
            bank_items = [e for e in row.graded if e.source == "kennistoets"]
            tasks = [e for e in row.graded if e.source != "kennistoets"]
            body += self._row([
                cell,
                ", ".join(q.id for q in row.selfcheck) or "–",
                "; ".join(f"{e.label} ({EVIDENCE_NL[e.evidence]})" for e in bank_items) or "–",
                "; ".join(f"{e.source}: {e.label} ({EVIDENCE_NL[e.evidence]}, {e.points:g} p.)"
                          for e in tasks) or "–",
            ])
        summary = nodes.paragraph()
        n_graded = sum(counts.values())
        summary += nodes.Text(
            f"{len(objectives)} leerdoelen, {len(bank.selfcheck())} zelftoetsvragen, "
            f"{n_graded} beoordeelde items: "
            + ", ".join(f"{n} {EVIDENCE_NL[k]}" for k, n in counts.items()) + ". "
        )
        missing = [r.objective.id for r in rows if not r.graded]
        recognition_only = [r.objective.id for r in rows if r.graded and r.problem]
        if missing:
            summary += nodes.strong(
                "", "Leerdoelen zonder beoordeeld item: " + ", ".join(missing) + ". "
            )
        if recognition_only:
            summary += nodes.strong(
                "", "Leerdoelen die om produceren vragen maar alleen met herkennen of berekenen "
                "worden getoetst: " + ", ".join(recognition_only) + ". "
            )
        if not missing and not recognition_only:
            summary += nodes.Text(
                "Elk leerdoel wordt met minstens één beoordeeld item getoetst, en elk leerdoel "
                "dat om produceren vraagt met minstens één opdracht waarin de cursist zelf iets "
                "maakt."
            )
        legend = nodes.paragraph()
        legend += nodes.Text(
            "Soort bewijs: herkennen (de cursist kiest of benoemt het juiste antwoord), "
            "berekenen (de cursist rekent een uitkomst uit), produceren (de cursist schrijft of "
            "ontwerpt zelf iets, beoordeeld met een rubric)."
        )
        return [summary, legend, table]

    @staticmethod
    def _row(cells: list) -> nodes.row:
        row = nodes.row()
        for cell in cells:
            entry = nodes.entry()
            if isinstance(cell, list):
                for node in cell:
                    entry += node
            elif isinstance(cell, nodes.Node):
                entry += cell
            else:
                entry += nodes.paragraph(text=str(cell))
            row += entry
        return row


def _add_static_path(app: Sphinx, config: Config) -> None:
    paths = list(config.html_static_path or [])
    if str(STATIC) not in paths:
        paths.append(str(STATIC))
    config.html_static_path = paths


def _forget_bank(app: Sphinx, env, docnames) -> None:
    # A new read phase reads the bank again (it may have changed between builds).
    if hasattr(app, "_ketencursus_bank"):
        del app._ketencursus_bank


def setup(app: Sphinx) -> None:
    app.add_config_value("ketencursus_bank_dir", "exercises/bank", "env")
    app.add_config_value("ketencursus_book_dir", "book", "env")
    app.add_config_value("ketencursus_assignments_dir", "exercises/assignments", "env")
    app.add_directive("quiz", QuizDirective)
    app.add_directive("afstemmingstabel", AlignmentTableDirective)
    app.connect("config-inited", _add_static_path)
    app.connect("env-before-read-docs", _forget_bank)
    app.add_js_file(JS_FILE, defer="defer")
    app.add_css_file(CSS_FILE)
