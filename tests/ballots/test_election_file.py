import pytest

from ballots import election_file
from ballots.election import RuleKind, from_dict, to_dict
from ballots.errors import ElectionFileError
from ballots.file_problems import FileProblem
from tests.conftest import SAMPLE_BUDGET, SAMPLE_SURVEY, SAMPLE_VOTATION

GOOD = """
id = "e1"
title.fr = "Test"

[[questions]]
id = "q1"
title = "Q1"
rule = "approval"
max = 2

[[questions.choices]]
id = "a"
title = "A"
cost = 10

[[questions.choices]]
id = "b"
title = "B"
cost = 20
"""


def test_samples_load_with_the_documented_shape():
    e = election_file.load(SAMPLE_BUDGET)
    q = e.questions[0]
    assert q.rule.kind is RuleKind.APPROVAL and q.rule.max == 5 and q.rule.budget == 300_000
    assert len(q.choices) == 20
    assert all(10_000 <= c.cost <= 50_000 for c in q.choices)
    assert all(c.title.get("fr") and c.title.get("en") != c.title.get("fr") for c in q.choices)
    assert election_file.load(SAMPLE_VOTATION).questions[0].rule.kind is RuleKind.SINGLE
    assert [q.rule.kind for q in election_file.load(SAMPLE_SURVEY).questions] == [
        RuleKind.SINGLE,
        RuleKind.APPROVAL,
        RuleKind.RANKED,
    ]


def test_round_trip_through_dict_keeps_fingerprint():
    e = election_file.load(SAMPLE_SURVEY)
    again = from_dict(to_dict(e))
    assert again == e
    assert again.fingerprint == e.fingerprint


def test_fingerprint_changes_with_any_cost():
    a = election_file.parse(GOOD)
    b = election_file.parse(GOOD.replace("cost = 20", "cost = 21"))
    assert a.fingerprint != b.fingerprint


@pytest.mark.parametrize(
    ("mutate", "key", "line"),
    [
        (lambda t: t.replace("cost = 20", 'cost = "vingt"'), "questions[0].choices[1].cost", 19),
        (lambda t: t.replace("max = 2", "max = 7"), "questions[0].max", 9),
        (lambda t: t.replace('rule = "approval"', 'rule = "borda"'), "questions[0].rule", 8),
        (lambda t: t.replace('id = "b"', 'id = "a"'), "questions[0].choices[1].id", 17),
        (lambda t: t.replace('title = "B"\n', ""), "questions[0].choices[1].title", 16),
        (lambda t: t.replace('id = "e1"\n', ""), "id", None),
    ],
)
def test_errors_name_key_and_line(mutate, key, line):
    with pytest.raises(ElectionFileError) as exc:
        election_file.parse(mutate(GOOD), "x.toml")
    assert exc.value.key == key
    assert exc.value.line == line
    assert key in str(exc.value)


def test_syntax_error_names_the_line():
    with pytest.raises(ElectionFileError) as exc:
        election_file.parse(GOOD.replace("max = 2", "max = = 2"), "x.toml")
    assert exc.value.line == 9


def test_missing_and_binary_files(tmp_path):
    with pytest.raises(ElectionFileError, match="fichier introuvable"):
        election_file.load(tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ElectionFileError, match="UTF-8"):
        election_file.load(bad)


def test_pabulib_rules_thresholds_and_decimal_amounts_in_toml():
    from decimal import Decimal

    from ballots.election import OutcomeRule

    text = GOOD.replace('title.fr = "Test"', 'title.fr = "Test"\noutcome = "greedy-no-skip"').replace(
        "max = 2", 'max = 2\nbudget = "1555905.71"\nmin_score = 50'
    )
    text = text.replace("cost = 20\n", "cost = 20.5\n")
    e = election_file.parse(text)
    q = e.questions[0]
    assert e.outcome is OutcomeRule.GREEDY_NO_SKIP
    assert q.rule.budget == Decimal("1555905.71") and q.rule.min_score == 50
    assert q.choice("b").cost == Decimal("20.5") and q.choice("a").cost == 10
    assert from_dict(to_dict(e)) == e
    for outcome in ("greedy-threshold", "equalshares", "equalshares/add1-comparison"):
        assert election_file.parse(text.replace("greedy-no-skip", outcome)).outcome.value == outcome
    with pytest.raises(ElectionFileError, match="montant") as exc:
        election_file.parse(text.replace('"1555905.71"', '"1 555 905,71"'))
    assert exc.value.code is FileProblem.BAD_AMOUNT and "« 1 555 905,71 »" in str(exc.value)
    with pytest.raises(ElectionFileError, match="que de fichiers pabulib") as exc:
        election_file.parse(GOOD.replace('rule = "approval"', 'rule = "cumulative"'))
    assert exc.value.code is FileProblem.CUMULATIVE_FROM_PABULIB
