"""What a paper module saw on a refused page is a code (`PageProblem`) with French words looked up
in one table (ballots.paper.page_problems), never English text: every code has its words, every
code is raised somewhere, and refused files and pages say it in French."""

from __future__ import annotations

import re
import string
from pathlib import Path

import cv2
import numpy as np
import pytest

import ballots
from ballots.errors import FileRefused, PageRefused
from ballots.paper import reading, sources
from ballots.paper.page_problems import TABLE, PageProblem, words
from tests.english import english_words

STAND_IN = "«X»"


@pytest.mark.parametrize("problem", list(PageProblem), ids=str)
def test_every_problem_has_french_words(problem):
    names = {f for _, f, _, _ in string.Formatter().parse(TABLE[problem]) if f}
    said = words(problem, dict.fromkeys(names, STAND_IN))
    assert english_words(said) == [], said


def test_every_problem_is_raised_by_a_paper_module():
    root = Path(ballots.__file__).parent / "paper"
    used = set()
    for path in root.glob("*.py"):
        if path.name != "page_problems.py":
            used |= set(re.findall(r"PageProblem\.([A-Z_]+)", path.read_text(encoding="utf-8")))
    assert used == {p.name for p in PageProblem}


def test_a_refused_file_says_what_is_wrong_in_french(tmp_path):
    empty, text, cut = tmp_path / "vide.png", tmp_path / "notes.txt", tmp_path / "coupé.png"
    empty.write_bytes(b"")
    text.write_text("bonjour")
    cut.write_bytes(cv2.imencode(".png", np.full((40, 30), 200, np.uint8))[1].tobytes()[:-20])
    for path, problem in (
        (empty, PageProblem.EMPTY),
        (text, PageProblem.NOT_AN_IMAGE_FILE),
        (cut, PageProblem.ENDS_EARLY),
    ):
        with pytest.raises(FileRefused) as err:
            sources.load(path)
        assert err.value.problem is problem and f"« {path.name} »" in err.value.detail
        assert english_words(err.value.message(), path.name) == [], err.value.message()


def test_a_blank_page_says_nothing_is_printed_in_french():
    with pytest.raises(PageRefused) as err:
        reading.locate(np.full((2339, 1654), 250, np.uint8))
    assert err.value.problem is PageProblem.NOTHING_PRINTED
    assert err.value.message() == "rien n'est imprimé sur cette page [blank_page]"
