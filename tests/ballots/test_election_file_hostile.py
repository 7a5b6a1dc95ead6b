"""Election files as an attacker or a clumsy editor writes them: one named error, never a traceback."""

from __future__ import annotations

import pytest

from ballots import election_file
from ballots.errors import ElectionFileError
from tests.conftest import SAMPLE_BUDGET

GOOD = SAMPLE_BUDGET.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "text,key",
    [
        ('id = "x"\ntitle = "t"\nquestions = ["a", "b"]\n', "questions[0]"),
        (
            'id = "x"\ntitle = "t"\n[[questions]]\nid = "q"\ntitle = "q"\nchoices = ["a", "b"]\n',
            "questions[0].choices[0]",
        ),
        ('id = "x"\ntitle = "t"\nquestions = [1]\n', "questions[0]"),
        ("a = " + "[" * 5000 + "]" * 5000 + "\n", "-"),
        ("a = " + "{b = " * 3000 + "1" + "}" * 3000 + "\n", "-"),
        ('id = "x\\n"\ntitle = "t"\n' + GOOD.split("\n[[questions]]", 1)[1].join(["[[questions]]", ""]), "id"),
        (GOOD.replace('id = "bp-saint-remy-2026"', 'id = "bp-saint-remy-2026\\n"'), "id"),
        (GOOD.replace("budget = ", "budget = 1e400 #", 1), "questions[0].budget"),
        (GOOD.replace("budget = ", "budget = nan #", 1), "questions[0].budget"),
        (GOOD.replace("budget = ", "budget = inf #", 1), "questions[0].budget"),
        (GOOD.replace("budget = ", 'budget = "1e400" #', 1), "questions[0].budget"),
        (GOOD.replace("budget = ", "budget = 100000000000000000000000 #", 1), "questions[0].budget"),
        (GOOD.replace('title.fr = "', 'title.fr = "' + "x" * 40_000, 1), "title"),
        (
            GOOD.replace("languages = ", "languages = [1, 2] #", 1)
            if "languages = " in GOOD
            else "languages = [1]\n" + GOOD,
            "languages",
        ),
    ],
)
def test_malformed_election_files_get_one_named_error(text, key):
    with pytest.raises(ElectionFileError) as exc:
        election_file.parse(text, "e.toml")
    assert exc.value.key == key or key == "-"


def test_ten_thousand_choices_are_refused_at_init():
    choices = "".join(f'[[questions.choices]]\nid = "c{i}"\ntitle = "Projet {i}"\ncost = 1\n' for i in range(10_000))
    text = f'id = "x"\ntitle = "t"\n[[questions]]\nid = "q"\ntitle = "q"\nrule = "budget"\nbudget = 100\n{choices}'
    with pytest.raises(ElectionFileError) as exc:
        election_file.parse(text, "e.toml")
    assert exc.value.key == "questions[0].choices" and "500" in exc.value.problem


def test_a_folder_or_a_huge_file_is_named_not_a_traceback(tmp_path):
    with pytest.raises(ElectionFileError):
        election_file.load(tmp_path)
    big = tmp_path / "big.toml"
    big.write_bytes(b"#" * (election_file.MAX_FILE_BYTES + 1))
    with pytest.raises(ElectionFileError):
        election_file.load(big)
