"""Every "Toepassen" task has a model answer the learner opens after trying (issue 11): a
```{dropdown} Modelantwoord``` block directly after the task, rendered as a collapsed native
<details> element with a keyboard-focusable <summary>."""

from __future__ import annotations

import re

import pytest

from tests.support import booktext

TASK = re.compile(r"^(`{3,})\{admonition\}\s*Toepassen\s*$", re.M)
MODEL = re.compile(r"^(`{3,})\{dropdown\}\s*Modelantwoord\s*$", re.M)
CHAPTER = re.compile(r"^book/h\d+_")


def _chapters(layout) -> dict[str, str]:
    return {
        doc: booktext.markdown_text(booktext.source_path(layout.root, doc))
        for doc in booktext.toc_files(layout.root) if CHAPTER.match(doc)
    }


def _block_end(text: str, start: int, fence: str) -> int:
    close = re.compile(rf"^{fence}\s*$", re.M)
    match = close.search(text, text.index("\n", start) + 1)
    assert match, "open fence"
    return match.end()


def test_every_application_task_is_followed_directly_by_its_model_answer(layout):
    missing = []
    for doc, text in _chapters(layout).items():
        for task in TASK.finditer(text):
            rest = text[_block_end(text, task.start(), task.group(1)):].lstrip("\n")
            model = MODEL.match(rest)
            if not model:
                line = text[:task.start()].count("\n") + 1
                missing.append(f"{doc}.md:{line}")
                continue
            body = rest[:_block_end(rest, 0, model.group(1))]
            if len(body.split()) < 40:
                missing.append(f"{doc}.md:{task.start()}: modelantwoord te kort")
    assert missing == [], f"Toepassen zonder modelantwoord: {missing}"


def test_every_chapter_has_at_least_two_model_answers(layout):
    for doc, text in _chapters(layout).items():
        assert len(MODEL.findall(text)) >= 2, doc


@pytest.mark.slow
def test_model_answers_are_collapsed_details_elements_with_a_summary(built_book, layout):
    for doc in _chapters(layout):
        html = (built_book.html / f"{doc}.html").read_text(encoding="utf-8")
        details = re.findall(r"<details\b[^>]*>\s*<summary\b[^>]*>(.*?)</summary>", html, re.S)
        models = [d for d in details if "Modelantwoord" in re.sub(r"<[^>]+>", "", d)]
        tasks = html.count("Toepassen</p>")
        assert len(models) == tasks >= 2, f"{doc}: {tasks} opdrachten, {len(models)} antwoorden"
        opened = re.findall(r"<details\b[^>]*\bopen\b[^>]*>\s*<summary\b[^>]*>\s*<span[^>]*>"
                            r"Modelantwoord", html)
        assert opened == [], f"{doc}: modelantwoord staat open"
