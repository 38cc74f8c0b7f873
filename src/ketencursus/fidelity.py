"""Faithfulness to the source text, as the licence asks (CC BY-ND 3.0: verbatim quotation
with attribution is allowed, an adaptation is not).

The course may share words with the NORA page only inside *marked* quotations: a blockquote,
or a passage between quotation marks („…”, “…”, "…", ‘…’), with an attribution nearby (a
citation role, or the name of the source). Everywhere else a run of :data:`RUN` or more words
in the same order as on the source page counts as copied. This module finds such runs in
learner-facing text: chapter markdown, notebook markdown, and the strings of the question
bank. It also checks that a blockquote attributed to the source page quotes it verbatim.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

#: A run of this many words in the source's order, outside a marked quotation, is copying.
RUN = 9

#: The citation key of the source page (book/references.bib).
SOURCE_KEY = "nora2013cultuur"

ROLE = re.compile(r"\{([\w:-]+)\}`([^`]*)`")
CITE_ROLE = re.compile(r"\{(?:foot)?cite(?::[a-z]+)?\}`([^`]+)`")
LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
FENCE_LINE = re.compile(r"^\s*(`{3,}|:{3,}).*$|^\s*:[\w-]+:.*$", re.M)
COMMENT = re.compile(r"<!--.*?-->", re.S)
QUOTE_SPAN = re.compile(r"„[^”“\"]*[”“\"]|“[^”]*”|\"[^\"\n]*(?:\n[^\"\n]*)*\"|‘[^’]*’")
ATTRIBUTION_WORDS = re.compile(
    r"\{(?:foot)?cite|\bNORA\b|Ketens de baas|\bde bron\b|\bbronpagina\b|\bGEMMA\b",
    re.I,
)
WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """The words of ``text``, lower-cased, without punctuation or markup characters."""
    return WORD.findall(text.lower())


def visible_text(markdown: str) -> str:
    """What a reader sees of a piece of MyST markdown: roles reduced to their text (a
    citation to nothing), links to their label, fences and directive options removed."""

    def role(match: re.Match) -> str:
        name, content = match.group(1), match.group(2)
        if "cite" in name:
            return " "
        target = re.match(r"^(.*?)\s*<[^>]*>\s*$", content, re.S)
        return target.group(1) if target else content

    text = COMMENT.sub(" ", markdown)
    text = ROLE.sub(role, text)
    text = LINK.sub(r"\1", text)
    text = FENCE_LINE.sub(" ", text)
    return re.sub(r"`[^`]*`", " ", text)


@dataclass(frozen=True)
class Quotation:
    text: str  # the quoted words (visible text)
    attributed: bool
    cites_source: bool
    blockquote: bool


@dataclass(frozen=True)
class Block:
    """A paragraph of learner-facing text with its quotations taken out."""

    where: str
    prose: str  # visible text outside quotations
    quotations: tuple[Quotation, ...]


def _paragraphs(text: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n", text) if p.strip()]


def _is_blockquote(paragraph: str) -> bool:
    lines = [line for line in paragraph.splitlines() if line.strip()]
    return bool(lines) and all(line.lstrip().startswith(">") for line in lines)


def blocks(text: str, where: str) -> Iterator[Block]:
    """Split markdown into paragraphs; take blockquotes and quoted passages out of the prose.

    A blockquote that runs over several paragraphs (``>`` lines with ``>`` blank lines in
    between) is one quotation; its attribution may stand in it, usually as a last line
    ``> — NORA, …``, or in the paragraph right after it."""
    paragraphs = _paragraphs(text.replace("\n>\n", "\n> \n"))
    merged: list[str] = []
    for paragraph in paragraphs:
        if merged and _is_blockquote(paragraph) and _is_blockquote(merged[-1]):
            merged[-1] += "\n" + paragraph
        else:
            merged.append(paragraph)
    for index, paragraph in enumerate(merged):
        if _is_blockquote(paragraph):
            following = merged[index + 1] if index + 1 < len(merged) else ""
            lines = [re.sub(r"^\s*>\s?", "", line) for line in paragraph.splitlines()]
            quote = [line for line in lines if not re.match(r"^\s*(—|--)", line)]
            context = paragraph + "\n" + following
            yield Block(where, "", (Quotation(
                text=visible_text("\n".join(quote)),
                attributed=bool(ATTRIBUTION_WORDS.search(context)),
                cites_source=SOURCE_KEY in _cited_keys(context),
                blockquote=True,
            ),))
            continue
        attributed = bool(ATTRIBUTION_WORDS.search(paragraph))
        cites_source = SOURCE_KEY in _cited_keys(paragraph)
        quotations = tuple(
            Quotation(text=visible_text(m.group(0)), attributed=attributed,
                      cites_source=cites_source, blockquote=False)
            for m in QUOTE_SPAN.finditer(paragraph)
        )
        prose = QUOTE_SPAN.sub(" ", paragraph)
        yield Block(where, visible_text(prose), quotations)


def _cited_keys(text: str) -> set[str]:
    keys: set[str] = set()
    for content in CITE_ROLE.findall(text):
        keys.update(k.strip() for k in content.split(","))
    return keys


class Source:
    """The source page's running text, as word sequences."""

    def __init__(self, text: str, tooltip: str | None = None) -> None:
        self.words = words(text)
        self.runs = {tuple(self.words[i:i + RUN]) for i in range(len(self.words) - RUN + 1)}
        # the page as the authors wrote it: the wiki's glossary tooltip taken out
        self.sentences = [self.words]
        if tooltip:
            self.sentences.append(words(text.replace(tooltip, "")))

    def copied_runs(self, text: str) -> list[str]:
        """Every maximal run of :data:`RUN` or more words of ``text`` that also stands, in
        that order, on the source page."""
        found, tokens, i = [], words(text), 0
        while i <= len(tokens) - RUN:
            if tuple(tokens[i:i + RUN]) in self.runs:
                j = i + RUN
                while j < len(tokens) and tuple(tokens[j - RUN + 1:j + 1]) in self.runs:
                    j += 1
                found.append(" ".join(tokens[i:j]))
                i = j
            else:
                i += 1
        return found

    def quotes_verbatim(self, quotation: str) -> bool:
        """Whether ``quotation`` is a contiguous word sequence of the page (with or without
        the tooltip)."""
        quoted = words(quotation)
        if not quoted:
            return False
        n = len(quoted)
        return any(
            seq[i:i + n] == quoted for seq in self.sentences for i in range(len(seq) - n + 1)
        )


@dataclass(frozen=True)
class Finding:
    where: str
    problem: str
    words: str

    def __str__(self) -> str:
        return f"{self.where}: {self.problem}: „{self.words}”"


def check(source: Source, items: Iterable[tuple[str, str]]) -> list[Finding]:
    """Findings for learner-facing texts ``(where, markdown)``: copied runs outside marked
    quotations, quotations with copied runs but no attribution, and blockquotes attributed to
    the source page that do not quote it word for word."""
    findings = []
    for where, text in items:
        for block in blocks(text, where):
            for run in source.copied_runs(block.prose):
                findings.append(Finding(where, "overgenomen zonder citaat", run))
            for quote in block.quotations:
                copied = source.copied_runs(quote.text)
                if copied and not quote.attributed:
                    findings.append(Finding(where, "citaat zonder bronvermelding", copied[0]))
                if quote.blockquote and quote.cites_source and not source.quotes_verbatim(
                    quote.text
                ):
                    findings.append(Finding(
                        where, "citaat uit de bron is niet letterlijk", quote.text.strip()[:80]
                    ))
    return findings
