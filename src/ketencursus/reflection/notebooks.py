"""The reflection notebooks in ``book/reflectie/`` are generated from this module, so their
text and cell tags have one source. ``python -m ketencursus.reflection.notebooks`` rewrites
them; a test fails when a committed notebook drifts from what this module generates.

Each notebook is thin: markdown (what the exercise is, where answers live), one cell that
shows the exercise as a form for the online book (executed by the book build; the page's own
script makes it work without a kernel) and one cell that shows the live ipywidgets exercise
for a kernel. That cell is tagged ``skip-execution``: the book build never runs it, so it
never reads or writes anyone's answers file and the static page has no dead widgets; JupyterLab
ignores the tag and runs it as usual.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .model import PRIVACY_NOTE
from .page import STORAGE_PREFIX
from .store import DEFAULT_DIR_NAME, DEFAULT_FILE_NAME, ENV_VAR


@dataclass(frozen=True)
class NotebookSpec:
    file: str
    exercise_id: str
    title: str
    chapter_file: str
    chapter_title: str
    purpose: str
    tips: tuple[str, ...]


SPECS: tuple[NotebookSpec, ...] = (
    NotebookSpec(
        "cultuurscan.ipynb",
        "cultuurscan",
        "Reflectie: cultuurscan van je eigen keten",
        "h2_opgelegde_samenwerking.md",
        "Weerstand bij opgelegde samenwerking",
        "Met zestien stellingen breng je in beeld hoe jouw keten ervoor staat op de vier "
        "dimensies van ketensturing: cultureel (wil of weerstand?), relationeel (samen of "
        "solo?), procedureel (orde of chaos?) en inhoudelijk (eens of oneens?). Je krijgt een "
        "profiel en advies dat verwijst naar de hoofdstukken van deze cursus.",
        (
            "Vul de scan in voor één concrete keten, niet voor 'ketens in het algemeen'.",
            "Twijfel je? Kies wat je het vaakst ziet gebeuren, niet wat op papier is afgesproken.",
            "Een profiel verschijnt zodra je per dimensie minstens twee stellingen hebt "
            "beantwoord.",
            "Het profiel is jouw beeld: vraag iemand bij een ketenpartner de scan ook in te "
            "vullen en vergelijk.",
        ),
    ),
    NotebookSpec(
        "olifantenpaadjes_logboek.ipynb",
        "olifantenpaadjes",
        "Reflectie: olifantenpaadjes-logboek",
        "h5_olifantenpaadjes.md",
        "Olifantenpaadjes: ongeschreven gewoontes",
        "In dit logboek verzamel je ongeschreven gewoontes van je eigen organisatie en van je "
        "ketenpartners. Per gewoonte geef je aan of die de keten helpt of hindert, en voor "
        "hinderlijke gewoontes bedenk je een vervanger die de samenwerking versterkt.",
        (
            "Eigen gewoontes zie je het slechtst: vraag een ketenpartner wat hem of haar bij "
            "jouw organisatie opvalt.",
            "Met de knop Gewoonte toevoegen maak je extra regels.",
            "Lege regels komen niet in je portfolio.",
        ),
    ),
    NotebookSpec(
        "interventiekiezer.ipynb",
        "interventiekiezer",
        "Reflectie: interventiekiezer",
        "h6_onder_een_dak.md",
        "Onder één dak",
        "Vier verzonnen scenario's van weerstand in een keten. Bij elk scenario kies je de "
        "interventies die jij zou inzetten, elk met haar kleur uit het kleurendenken van De "
        "Caluwé en Vermaak. Je krijgt meteen feedback over wat elke keuze in die situatie "
        "oplevert, wat ze kost en waar haar grenzen liggen, en waarin een ketenmanager verschilt "
        "van een ketenregisseur.",
        (
            "Meer interventies is niet beter: kies wat past bij de oorzaak van de weerstand.",
            "Lees de kosten en grenzen bij elke keuze; ook een goede interventie heeft een prijs.",
            "Schrijf je motivatie op: die komt in je portfolio.",
        ),
    ),
    NotebookSpec(
        "actieplan.ipynb",
        "actieplan",
        "Reflectie: actieplan voor je eigen keten",
        "h7_aan_de_slag.md",
        "Aan de slag: een aanpak voor je eigen keten",
        "Je maakt een concreet plan voor je eigen keten met de onderdelen uit hoofdstuk 7: het "
        "ketendoel, je diagnose, twee of drie interventies met hun kleur, de weerstand die je "
        "per partner verwacht, je eerste stappen en je meting, hoe je de nieuwe gewoontes "
        "verankert en wanneer je samen terugkijkt. Heb je de cultuurscan of het logboek al "
        "gemaakt, dan toont de oefening wat je daar vond.",
        (
            "Maak je stappen klein en concreet: wie, wat en wanneer.",
            "Kies meetbare signalen, bijvoorbeeld de doorlooptijd van zaken of het aandeel "
            "first time right.",
            "Je plan staat in je portfolio: neem het mee naar een overleg met je ketenpartners.",
        ),
    ),
)


def _md(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_markdown_cell(text.strip() + "\n")


def _code(source: str, tags: list[str]) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source.strip())
    cell.metadata["tags"] = tags
    return cell


def build_notebook(spec: NotebookSpec) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python",
                                 "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    tips = "\n".join(f"- {tip}" for tip in spec.tips)
    nb.cells = [
        _md(
            f"""
# {spec.title}

{spec.purpose}

Deze oefening hoort bij het hoofdstuk [{spec.chapter_title}](../{spec.chapter_file}).

**{PRIVACY_NOTE}**
"""
        ),
        _md(
            """
## Invullen in het online boek

Hieronder vul je de oefening direct in, zonder iets te installeren. Je antwoorden blijven
alleen in deze browser op dit apparaat. Werk je liever in een notebook, lees dan verder bij
*Werken in een notebook*.
"""
        ),
        _code(
            f'from ketencursus.reflection import formulier\n\nformulier("{spec.exercise_id}")',
            ["remove-input"],
        ),
        _md(
            f"""
## Werken in een notebook

In een notebook werkt de oefening met een draaiende Python-kernel. Dat kan op drie manieren:

- **Binder** (niets installeren): klik bovenaan deze pagina op de raketknop en kies
  *Binder*. Het opstarten kan een paar minuten duren. Kies daarna in het menu *Run* de
  opdracht *Run All Cells*.
- **JupyterHub** van je organisatie of opleiding: open dit notebook
  (`book/reflectie/{spec.file}`) in de cursusmap en kies *Run All Cells*.
- **Lokaal**: installeer de cursus met `pip install -e ".[notebooks]"` in een kopie van de
  cursusrepository en start `jupyter lab book/reflectie/{spec.file}`.

Het formulier hierboven en het notebook bewaren je antwoorden op verschillende plekken: het
formulier in je browser (onder de sleutel `{STORAGE_PREFIX}{spec.exercise_id}`), het notebook
in een bestand. Met het portfolio neem je ze mee van het een naar het ander.
"""
        ),
        _md(
            f"""
### Waar blijven je antwoorden in het notebook?

Je antwoorden worden bij elke wijziging opgeslagen in één bestand voor alle
reflectie-oefeningen: `~/{DEFAULT_DIR_NAME}/{DEFAULT_FILE_NAME}` in je werkmap (op Binder is
dat de cursusmap die je links in de bestandsbrowser ziet). Wie een andere plek wil, zet de
omgevingsvariabele `{ENV_VAR}` op het gewenste bestand. Naast dat bestand staat steeds een
actuele kopie van je portfolio (`portfolio.html` en `portfolio.md`).

**Let op bij Binder:** een Binder-sessie wordt na een tijdje zonder activiteit weggegooid,
en je antwoordenbestand dan ook. Klik daarom op **Download portfolio** voordat je stopt. In
een nieuwe sessie zet je alles terug met **Portfolio importeren**: kies het gedownloade
bestand en je antwoorden staan er weer, met hun datum.

Voer de cel hieronder uit (of kies *Run All Cells*). Je ziet dan de invulvelden; eerder
opgeslagen antwoorden staan er meteen weer in. Tips:

{tips}

Alle velden zijn met het toetsenbord te bedienen: met Tab ga je naar het volgende veld.
"""
        ),
        _code(
            "from ketencursus.reflection import toon_oefening\n\n"
            f'toon_oefening("{spec.exercise_id}")',
            ["skip-execution"],
        ),
        _md(
            """
## Tot slot

Download je portfolio als je klaar bent en bewaar het bij je studieaantekeningen. Het
portfolio bevat de antwoorden van alle reflectie-oefeningen, met de vragen erbij.
"""
        ),
    ]
    for number, cell in enumerate(nb.cells, start=1):
        cell["id"] = f"{spec.exercise_id}-{number}"  # stable ids: regenerating changes nothing
    return nb


def notebook_text(spec: NotebookSpec) -> str:
    return nbformat.writes(build_notebook(spec)) + "\n"


def write_notebooks(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for spec in SPECS:
        target = directory / spec.file
        target.write_text(notebook_text(spec), encoding="utf-8")
        written.append(target)
    return written


if __name__ == "__main__":  # pragma: no cover - developer command
    from ketencursus.paths import ProjectLayout

    out = ProjectLayout.discover().book / "reflectie"
    for path in write_notebooks(out):
        print(path)
    sys.exit(0)
