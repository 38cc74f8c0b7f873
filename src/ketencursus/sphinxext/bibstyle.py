"""Dutch bibliography for the book: a pybtex formatting style ``nl`` and an author-year
referencing style ``author_year_nl`` for sphinxcontrib-bibtex.

pybtex's ``plain`` style writes English words into every entry ("and", "edition",
"PhD thesis", "Technical Report", "URL:", "In", "pages"), and sphinxcontrib-bibtex's
``author_year`` citations read "Huxham and Vangen" and "et al.". The two styles here use the
same layout with Dutch words, and keep titles as written (``plain`` lower-cases all but the
first letter of an article title, which turns "Belastingdienst" into "belastingdienst").

Both are registered through the plugin stores that sphinxcontrib-bibtex reads
(``pybtex.plugin`` for formatting styles, ``sphinxcontrib.bibtex.plugin`` for referencing
styles), when this module is imported, i.e. before Sphinx reads ``bibtex_default_style``
and ``bibtex_reference_style``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pybtex.plugin
from pybtex.richtext import Symbol, Text
from pybtex.style.formatting import toplevel
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.template import (
    field as bibfield,
)
from pybtex.style.template import (
    first_of,
    href,
    join,
    names,
    optional,
    optional_field,
    sentence,
    tag,
    together,
    words,
)
from sphinx.application import Sphinx
from sphinxcontrib.bibtex.plugin import register_plugin
from sphinxcontrib.bibtex.style.referencing import PersonStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle
from sphinxcontrib.bibtex.style.referencing.foot import FootReferenceStyle

FORMATTING_STYLE = "nl"
REFERENCING_STYLE = "author_year_nl"
FOOT_REFERENCING_STYLE = "foot_nl"

#: Separators between names: "A, B en C", never "A, B, and C".
NAME_SEP, NAME_SEP2, NAME_LAST_SEP = ", ", " en ", " en "

ENGLISH_MONTHS = {
    "january": "januari", "february": "februari", "march": "maart", "april": "april",
    "may": "mei", "june": "juni", "july": "juli", "august": "augustus",
    "september": "september", "october": "oktober", "november": "november",
    "december": "december",
    "jan": "januari", "feb": "februari", "mar": "maart", "apr": "april", "jun": "juni",
    "jul": "juli", "aug": "augustus", "sep": "september", "oct": "oktober",
    "nov": "november", "dec": "december",
}


def dutch_month(text):
    """A month in Dutch (bibtex's month macros expand to English names)."""
    return text.__class__(ENGLISH_MONTHS.get(str(text).strip().lower(), str(text)))


def dutch_edition(text):
    """``2`` -> ``2e druk``; a written-out edition is kept, with ``druk`` added once."""
    value = str(text).strip()
    if re.fullmatch(r"\d+", value):
        return Text(f"{value}e druk")
    if "druk" in value.lower():
        return Text(value)
    return Text(f"{value} druk")


def dashify(text):
    return Text(Symbol("ndash")).join(text.split(re.compile(r"-+")))


pages = bibfield("pages", apply_func=dashify)
date = words[optional[bibfield("month", apply_func=dutch_month)], bibfield("year")]


class DutchStyle(PlainStyle):
    """pybtex's ``plain`` layout (sorted by author, year, title) with Dutch words."""

    default_sorting_style = "author_year_title"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sort = self.sort_entries  # the base class binds its sorting plugin here

    @staticmethod
    def sort_entries(entries):
        """Alphabetical on the authors' surnames, organisations included (pybtex sorts a
        braced organisation name such as ``{{Algemene Rekenkamer}}`` after every person)."""

        def key(entry):
            persons = entry.persons.get("author") or entry.persons.get("editor") or []
            surnames = " ".join(" ".join(p.last_names) for p in persons)
            name = re.sub(r"[{}\\'\"`^~]", "", surnames or entry.fields.get("title", ""))
            return (name.lower(), str(entry.fields.get("year", "")),
                    str(entry.fields.get("title", "")).lower())

        return sorted(entries, key=key)

    def format_names(self, role, as_sentence=True):
        formatted = names(role, sep=NAME_SEP, sep2=NAME_SEP2, last_sep=NAME_LAST_SEP)
        return sentence[formatted] if as_sentence else formatted

    def format_editor(self, e, as_sentence=True):
        editors = self.format_names("editor", as_sentence=False)
        if "editor" not in e.persons:
            return editors
        result = words[editors, "(red.)"]
        return sentence[result] if as_sentence else result

    def format_volume_and_series(self, e, as_sentence=True):
        volume_and_series = optional[
            words[
                together["Deel" if as_sentence else "deel", bibfield("volume")],
                optional[words["van", bibfield("series")]],
            ]
        ]
        number_and_series = optional[
            words[
                join(sep=Symbol("nbsp"))[
                    "Nummer" if as_sentence else "nummer", bibfield("number")
                ],
                optional[words["in", bibfield("series")]],
            ]
        ]
        result = first_of[volume_and_series, number_and_series, optional_field("series")]
        return sentence(capfirst=True)[result] if as_sentence else result

    def format_chapter_and_pages(self, e):
        return join(sep=", ")[
            optional[together["hoofdstuk", bibfield("chapter")]],
            optional[together["blz.", pages]],
        ]

    def format_edition(self, e):
        return optional[bibfield("edition", apply_func=dutch_edition)]

    def format_title(self, e, which_field, as_sentence=True):
        # titles as written: no lower-casing of proper names
        formatted = bibfield(which_field)
        return sentence[formatted] if as_sentence else formatted

    def get_article_template(self, e):
        volume_and_pages = first_of[
            optional[
                join[bibfield("volume"), optional["(", bibfield("number"), ")"], ":", pages],
            ],
            words["blz.", pages],
        ]
        return toplevel[
            self.format_names("author"),
            self.format_title(e, "title"),
            sentence[tag("em")[bibfield("journal")], optional[volume_and_pages], date],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]

    def get_book_template(self, e):
        return toplevel[
            self.format_author_or_editor(e),
            self.format_btitle(e, "title"),
            self.format_volume_and_series(e),
            sentence[
                bibfield("publisher"),
                optional_field("address"),
                self.format_edition(e),
                date,
            ],
            optional[sentence[self.format_isbn(e)]],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]

    def get_inbook_template(self, e):
        return toplevel[
            self.format_author_or_editor(e),
            sentence[
                self.format_btitle(e, "title", as_sentence=False),
                self.format_chapter_and_pages(e),
            ],
            self.format_volume_and_series(e),
            sentence[
                bibfield("publisher"),
                optional_field("address"),
                self.format_edition(e),
                date,
                optional_field("note"),
            ],
            self.format_web_refs(e),
        ]

    def get_incollection_template(self, e):
        return toplevel[
            sentence[self.format_names("author")],
            self.format_title(e, "title"),
            words[
                "Opgenomen in",
                sentence[
                    optional[self.format_editor(e, as_sentence=False)],
                    self.format_btitle(e, "booktitle", as_sentence=False),
                    self.format_volume_and_series(e, as_sentence=False),
                    self.format_chapter_and_pages(e),
                ],
            ],
            sentence[
                optional_field("publisher"),
                optional_field("address"),
                self.format_edition(e),
                date,
            ],
            self.format_web_refs(e),
        ]

    def get_inproceedings_template(self, e):
        return toplevel[
            sentence[self.format_names("author")],
            self.format_title(e, "title"),
            words[
                "Opgenomen in",
                sentence[
                    optional[self.format_editor(e, as_sentence=False)],
                    self.format_btitle(e, "booktitle", as_sentence=False),
                    self.format_volume_and_series(e, as_sentence=False),
                    optional[pages],
                ],
                self.format_address_organization_publisher_date(e),
            ],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]

    def get_mastersthesis_template(self, e):
        return toplevel[
            sentence[self.format_names("author")],
            self.format_title(e, "title"),
            sentence["Masterscriptie", bibfield("school"), optional_field("address"), date],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]

    def get_phdthesis_template(self, e):
        return toplevel[
            sentence[self.format_names("author")],
            self.format_btitle(e, "title"),
            sentence[
                first_of[optional_field("type"), "Proefschrift"],
                bibfield("school"),
                optional_field("address"),
                date,
            ],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]

    def get_techreport_template(self, e):
        return toplevel[
            sentence[self.format_names("author")],
            self.format_title(e, "title"),
            sentence[
                words[first_of[optional_field("type"), "Rapport"], optional_field("number")],
                bibfield("institution"),
                optional_field("address"),
                date,
            ],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]

    def format_web_refs(self, e):
        return sentence[
            optional[
                self.format_url(e),
                optional[" (geraadpleegd op ", bibfield("urldate"), ")"],
            ],
            optional[self.format_eprint(e)],
            optional[self.format_pubmed(e)],
            optional[self.format_doi(e)],
        ]

    def format_url(self, e):
        url = bibfield("url", raw=True)
        return words["Online:", href(url)[url]]

    def format_isbn(self, e):
        return join(sep=" ")["ISBN", bibfield("isbn")]


def dutch_person_style() -> PersonStyle:
    """Names in citations: "Huxham en Vangen", "Aardewijn e.a."."""
    return PersonStyle(sep=NAME_SEP, sep2=NAME_SEP2, last_sep=NAME_LAST_SEP, other=" e.a.")


@dataclass
class DutchAuthorYearReferenceStyle(AuthorYearReferenceStyle):
    person: PersonStyle = field(default_factory=dutch_person_style)


@dataclass
class DutchFootReferenceStyle(FootReferenceStyle):
    person: PersonStyle = field(default_factory=dutch_person_style)


def register() -> None:
    pybtex.plugin.register_plugin("pybtex.style.formatting", FORMATTING_STYLE, DutchStyle)
    register_plugin(
        "sphinxcontrib.bibtex.style.referencing", REFERENCING_STYLE,
        DutchAuthorYearReferenceStyle,
    )
    register_plugin(
        "sphinxcontrib.bibtex.style.referencing", FOOT_REFERENCING_STYLE,
        DutchFootReferenceStyle,
    )


register()


def setup(app: Sphinx) -> None:
    register()  # idempotent: a second registration of the same name is a no-op
