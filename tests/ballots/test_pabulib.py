"""pabulib import/export on the real files in ../shared/data/pabulib, and on broken copies of them."""

from __future__ import annotations

import functools
import json
import re
import shutil

import pytest

from ballots import pabulib
from ballots.ballot import BallotStatus, Channel
from ballots.election import OutcomeRule, RuleKind
from ballots.errors import PabulibError
from ballots.outcome import decide_all, scores_of
from ballots.rules import QuestionStatus, check_question
from ballots.tally import tally
from kiosk.cli import main
from tests.conftest import PABULIB, pabulib_file

FILES = sorted(p.name for p in PABULIB.glob("*.pb")) or ["Netherlands_Assen_2024.pb"]


@functools.cache
def _load(name: str) -> pabulib.PabulibElection:
    """Each file is parsed once per test session (the objects are frozen)."""
    return pabulib.load(pabulib_file(name))


@pytest.mark.parametrize("name", FILES)
def test_tally_reproduces_the_files_votes_column(name):
    pb = _load(name)
    q = pb.question
    assert q.choice_ids == tuple(pb.votes)
    assert len(pb.ballots) == int(pb.meta["num_votes"]) and len(q.choices) == int(pb.meta["num_projects"])
    t = tally(pb.election, pb.ballots)
    qt = t.question(q.id)
    assert qt.votes() == pb.votes
    assert qt.invalid == 0 and qt.blank == 0 and t.ballots_counted == len(pb.ballots)
    if pb.scores is not None:
        # ranked: a ballot's length minus rank (Kraków 3, 2, 1; Dieppe); cumulative: the points
        assert scores_of(q, qt) == pb.scores
    ids = {b.id for b in pb.ballots}
    assert len(ids) == len(pb.ballots) and all(i.startswith(pb.election.id + ":") for i in ids)


WITH_SELECTION = [n for n in FILES if "Toulouse" not in n and "Zurich" not in n and "Dieppe" not in n]


@pytest.mark.parametrize("name", WITH_SELECTION)
def test_the_files_declared_rule_gives_its_official_selection(name):
    """Every real file with a `selected` column: the rule its META declares (greedy, greedy-no-skip,
    greedy-threshold, greedy by points for cumulative ballots, equalshares/add1, add1-comparison),
    applied to its ballots by Urne, funds exactly the projects marked 1."""
    pb = _load(name)
    assert pb.selected is not None
    t = tally(pb.election, pb.ballots)
    (outcome,) = decide_all(pb.election, t, pb.ballots)
    assert set(outcome.winners) == set(pb.selected)
    assert outcome.spent <= outcome.budget
    assert outcome.rule == pabulib.RULE_NAMES[pb.election.outcome]
    declared = pb.meta["rule"]
    assert outcome.rule == ("equalshares/add1" if declared == "equalshares" else declared)
    threshold = int(pb.meta.get("min_project_score_threshold", 0))
    if declared in ("greedy-threshold", "greedy-no-skip"):
        assert outcome.min_score == threshold > 0
        assert min(scores_of(pb.question, t.question("pb"))[w] for w in outcome.winners) >= threshold


def test_each_rule_variant_is_in_the_shared_files_and_bites():
    """The variants are not vacuous on these files: plain greedy by supporters would get them wrong."""
    from ballots.outcome.greedy import greedy

    def plain(name: str) -> set[str]:
        pb = _load(name)
        qt = tally(pb.election, pb.ballots).question("pb")
        q = pb.question
        return set(greedy({c.id: c.cost for c in q.choices}, qt.votes(), q.rule.budget, q.choice_ids))

    for name in (
        "Poland_Gdynia_2021_Wielki_Kack__small.pb",  # no-skip
        "Poland_Czestochowa_2024_Tysiaclecie.pb",  # cumulative: points, not supporters
        "Poland_Warszawa_2026_Ochota.pb",  # threshold
        "Poland_Wieliczka_2023_Green_Budget.pb",  # add1-comparison (MES, not greedy)
    ):
        assert plain(name) != set(_load(name).selected or ()), name


def test_selected_values_two_and_three_are_kept(tmp_path):
    """No shared file has them (47 in the corpus do): Assen with two unfunded projects marked 2 and 3."""
    text = pabulib_file("Netherlands_Assen_2024.pb").read_text(encoding="utf-8")
    pb = pabulib.load(pabulib_file("Netherlands_Assen_2024.pb"))
    unfunded = [p for p, v in pb.selected_values.items() if v == "0"][:2]
    for pid, value in zip(unfunded, ("2", "3"), strict=True):  # project_id;cost;votes;name;selected;...
        text = re.sub(rf"(?m)^({re.escape(pid)};[^;]*;[^;]*;[^;]*;)0;", rf"\g<1>{value};", text, count=1)
    (tmp_path / "in.pb").write_text(text, encoding="utf-8")
    marked = pabulib.load(tmp_path / "in.pb")
    assert [marked.selected_values[p] for p in unfunded] == ["2", "3"]
    assert marked.selected == pb.selected  # 2 and 3 are not the rule's choice
    again = pabulib.load(pabulib.dump(marked, marked.ballots, tmp_path / "out.pb"))
    assert [again.selected_values[p] for p in unfunded] == ["2", "3"] and again.selected == pb.selected


def test_mapping_of_meta_rules_and_titles():
    assen = _load("Netherlands_Assen_2024.pb")
    q = assen.question
    assert assen.election.outcome is OutcomeRule.EQUAL_SHARES
    assert (q.rule.kind, q.rule.min, q.rule.max, q.rule.budget) == (RuleKind.APPROVAL, 2, 14, 100_000)
    assert assen.election.languages == ("nl",) and q.choice("3").title.get("nl") == "PopUp Podium"
    assert q.choice("3").description.get("nl").startswith("12x per jaar")
    assert dict(assen.election.extra)["rule"] == "equalshares/add1" and assen.meta["currency"] == "EUR"
    assert assen.selected is not None and "3" in assen.selected and "8" not in assen.selected
    b = assen.ballots[0]
    assert (b.channel, b.device, b.status, b.day) == (Channel.IMPORT, "pabulib", BallotStatus.COUNTED, "2024-04-15")
    assert check_question(q, b.selection[q.id]).status is QuestionStatus.VALID

    krakow = _load("Poland_Krakow_2024.pb")
    assert krakow.question.rule.kind is RuleKind.RANKED and krakow.election.outcome is OutcomeRule.GREEDY
    assert (krakow.question.rule.min, krakow.question.rule.max) == (3, 3)

    toulouse = _load("France_Toulouse_2019.pb")
    assert toulouse.meta["vote_type"] == "cumulative" and toulouse.question.rule.kind is RuleKind.CUMULATIVE
    assert toulouse.points is not None and toulouse.points[0] == (2, 2, 2, 1)
    # one entry per point: voter 0 gave 2, 2, 2 and 1 points to 15, 22, 25 and 10
    assert toulouse.ballots[0].selection["pb"] == ("15", "15", "22", "22", "25", "25", "10")
    assert (toulouse.question.rule.max, toulouse.question.rule.max_per_choice) == (7, 3)
    assert (
        toulouse.election.languages == ("fr",)
        and toulouse.question.choice("10").title.get() == "Halte aux moustiques !"
    )


def test_quoted_fields_are_read_whole():
    lodz = _load("Poland_Lodz_2022.pb")
    title = lodz.question.choice("L132").title.get("pl")
    assert title.startswith("Cyfrowe i bezpieczne IX LO") and title.endswith("''od przedszkola do senora\"")
    assert lodz.question.choice("L111").title.get("pl").endswith('"Strefa Kurtyn Wodnych"')


@pytest.mark.parametrize(
    "name",
    ["Netherlands_Assen_2024.pb", "France_Toulouse_2019.pb", "Switzerland_Zurich_D10.pb", "Poland_Swiecie_2023.pb"],
)
def test_round_trip_load_dump_load(tmp_path, name):
    first = pabulib.load(pabulib_file(name))
    out = pabulib.dump(first, first.ballots, tmp_path / name)
    again = pabulib.load(out)
    assert again.election.questions == first.election.questions
    assert again.votes == first.votes and again.selected == first.selected and again.points == first.points
    assert [(b.id, dict(b.selection)) for b in again.ballots] == [(b.id, dict(b.selection)) for b in first.ballots]
    assert again.meta == first.meta and again.election.outcome is first.election.outcome
    assert again.project_columns == first.project_columns
    # and once more: the written file is stable
    (tmp_path / "again").mkdir()
    assert pabulib.dump(again, again.ballots, tmp_path / "again" / name).read_bytes() == out.read_bytes()


def test_dump_of_a_toml_election_with_kiosk_ballots(tmp_path, budget_election):
    from ballots.ballot import new_ballot

    q = budget_election.questions[0]
    ballots = [
        new_ballot(budget_election, {q.id: q.choice_ids[:3]}, channel=Channel.KIOSK, device="k1"),
        new_ballot(budget_election, {q.id: q.choice_ids[2:4]}, channel=Channel.PAPER, device="s1"),
    ]
    path = pabulib.dump(budget_election, ballots, tmp_path / "sample.pb")
    back = pabulib.load(path)
    assert back.question.choice_ids == q.choice_ids
    assert [c.cost for c in back.question.choices] == [c.cost for c in q.choices]
    assert back.question.rule.budget == q.rule.budget
    assert back.votes[q.choice_ids[2]] == 2 and back.votes[q.choice_ids[0]] == 1
    assert [b.selection["pb"] for b in back.ballots] == [q.choice_ids[:3], q.choice_ids[2:4]]
    assert back.question.choice(q.choice_ids[0]).title.get() == q.choices[0].title.get("fr")


def _broken(tmp_path, text: str, name: str = "broken.pb"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PabulibError) as err:
        pabulib.load(path)
    return err.value


def test_truncated_and_garbled_files_name_the_line(tmp_path):
    text = pabulib_file("Netherlands_Assen_2024.pb").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    votes_at = next(i for i, line in enumerate(lines) if line.strip() == "VOTES")

    cut = _broken(tmp_path, "".join(lines[: votes_at + 20]))  # the rest of the votes is lost
    assert "84 votes" in cut.problem and "tronqué" in cut.problem and cut.line == votes_at + 20

    half = _broken(tmp_path, "".join(lines[: votes_at + 20]) + lines[votes_at + 20][:8])
    assert half.line == votes_at + 21 and "champs" in half.problem

    gone = _broken(tmp_path, "".join(lines[:votes_at]))
    assert "la section VOTES manque" in gone.problem

    bad_vote = list(lines)
    bad_vote[votes_at + 5] = bad_vote[votes_at + 5].replace(";", ";99,", 1)
    err = _broken(tmp_path, "".join(bad_vote))
    assert err.line == votes_at + 6 and "projet inconnu « 99 »" in err.problem and str(err).startswith(str(tmp_path))

    bad_cost = text.replace("3;7200;43;", "3;72OO;43;")
    err = _broken(tmp_path, bad_cost)
    assert "coût du projet « 3 »" in err.problem and lines[err.line - 1].startswith("3;7200;")

    twice = list(lines)
    twice[votes_at + 3] = twice[votes_at + 2]
    assert "apparaît deux fois" in _broken(tmp_path, "".join(twice)).problem

    assert "pas de « budget »" in _broken(tmp_path, text.replace("budget;100000\n", "")).problem
    assert "vote_type" in _broken(tmp_path, text.replace("vote_type;approval", "vote_type;quadratic")).problem
    assert "d'abord la section META" in _broken(tmp_path, "hello\n" + text).problem

    (tmp_path / "latin1.pb").write_bytes(text.replace("Assen", "Åssen").encode("latin-1", "replace"))
    with pytest.raises(PabulibError, match="pas du texte UTF-8"):
        pabulib.load(tmp_path / "latin1.pb")


def test_cli_init_with_ballots_then_tally_json(tmp_path, capsys):
    src = pabulib_file("Netherlands_Assen_2024.pb")
    data = str(tmp_path / "d")
    assert main(["init", "--election", str(src), "--with-ballots", "--data", data]) == 0
    out = capsys.readouterr().out
    assert "84 bulletins chargés" in out and "(scrutin clos)" in out
    assert main(["tally", "--json", "--data", data]) == 0
    t = json.loads(capsys.readouterr().out)
    pb = pabulib.load(src)
    q = t["questions"]["pb"]
    assert q["votes"] == pb.votes and t["ballots"]["by_channel"] == {"import": 84}
    assert q["winners"]["rule"] == "equalshares/add1" and sorted(q["winners"]["selected"]) == sorted(pb.selected or ())


def test_cli_init_of_a_broken_pb_is_one_line_and_stores_nothing(tmp_path, capsys):
    src = pabulib_file("Netherlands_Assen_2024.pb")
    bad = tmp_path / "bad.pb"
    shutil.copy(src, bad)
    bad.write_text(src.read_text(encoding="utf-8").replace("vote01006bcf", "x;y;z"), encoding="utf-8")
    data = tmp_path / "d"
    assert main(["init", "--election", str(bad), "--with-ballots", "--data", str(data)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "bad.pb, ligne " in err and "champs" in err
    assert not data.exists() or not any(data.iterdir())


def test_fractional_budget_is_an_exact_decimal_and_survives_the_store_form():
    from decimal import Decimal

    from ballots.election import from_dict, money, to_dict

    pb = _load("Poland_Krakow_2023_Pradnik_Czerwony.pb")
    assert pb.question.rule.budget == Decimal("1555905.71") and isinstance(pb.question.rule.budget, Decimal)
    again = from_dict(json.loads(json.dumps(to_dict(pb.election))))
    assert again.questions[0].rule.budget == Decimal("1555905.71") and again.fingerprint == pb.election.fingerprint
    assert money("400000.0") == 400000 and isinstance(money("400000.0"), int)
    assert money(0.1) + money(0.2) == money("0.3")  # decimals, not binary floats
    with pytest.raises(ValueError):
        money("nan")


def test_ordinal_points_follow_each_convention():
    from ballots.election import RankPoints, Rule

    dieppe = _load("US_Stanford_Dataset_PB_Dieppe_2015_vote_rankings.pb")
    assert dieppe.question.rule.rank_points is RankPoints.BALLOT_LENGTH
    # 5 projects ranked per ballot, no max_length: Cap Collectif's convention would give 18, 17, ...
    assert dieppe.question.rule.max == 18 and {len(b.selection["pb"]) for b in dieppe.ballots} == {5}
    pabulib_rule = Rule(RuleKind.RANKED, 0, 5, rank_points=RankPoints.BALLOT_LENGTH)
    capcollectif_rule = Rule(RuleKind.RANKED, 0, 5)
    assert [pabulib_rule.points(r, 3) for r in range(3)] == [3, 2, 1]
    assert [capcollectif_rule.points(r, 3) for r in range(3)] == [5, 4, 3]


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("Poland_Gdynia_2021_Wielki_Kack__small.pb", ("greedy-no-skip", "seuil : 50 voix", "cité en premier")),
        ("Poland_Katowice_2021_Srodmiescie.pb", ("greedy-threshold", "nombre de points", "seuil : 50 points")),
        ("Poland_Wieliczka_2023_Green_Budget.pb", ("comparée", "a retenu la sélection des parts égales")),
        ("Netherlands_Assen_2024.pb", ("parts égales", "plus petit identifiant")),
    ],
)
def test_the_proces_verbal_names_the_rule_and_its_tie_break(name, words):
    from ballots.report.labels import rule_sentence_fr
    from ballots.results import compute

    pb = _load(name)
    (q,) = compute(pb.election, pb.ballots).questions
    assert set(q.winners) == set(pb.selected or ())
    sentence = rule_sentence_fr(q.rule, q.kind, q.tie_break, q.min_score, q.rule_note)
    for w in words:
        assert w in sentence, sentence


def _checker_errors(path) -> dict:
    """pabulib's own validator (pabulib-checker, from PyPI) on a written file: its errors, by type."""
    checker = pytest.importorskip("pabulib.checker")
    result = checker.Checker().process_files([str(path)])
    (key,) = [k for k in result if k not in ("metadata", "summary")]
    return result[key]["results"].get("errors", {})


@pytest.mark.parametrize(
    "name",
    [
        "Poland_Czestochowa_2024_Tysiaclecie.pb",  # cumulative, points
        "Poland_Gdynia_2021_Wielki_Kack__small.pb",  # greedy-no-skip
        "Poland_Krakow_2023_Pradnik_Czerwony.pb",  # ordinal, fractional budget
        "Netherlands_Assen_2024.pb",  # equal shares
    ],
)
def test_the_pabulib_checker_accepts_the_export_of_a_real_file(tmp_path, name):
    pb = _load(name)
    out = pabulib.dump(pb, pb.ballots, tmp_path / name)
    assert _checker_errors(out) == {}


def test_the_pabulib_checker_accepts_an_urne_export_with_only_valid_answers(tmp_path, budget_election):
    from ballots.ballot import new_ballot
    from ballots.election import Election

    q = budget_election.questions[0]
    ids = q.choice_ids
    assert q.rule.max < 7
    ballots = [
        new_ballot(budget_election, {q.id: ids[i : i + 3]}, channel=Channel.KIOSK, device="k1") for i in range(8)
    ]
    seven = new_ballot(budget_election, {q.id: ids[:7]}, channel=Channel.PAPER, device="s1")  # too many marks
    assert seven.status is BallotStatus.COUNTED
    ballots.append(seven)
    out = pabulib.dump(budget_election, ballots, tmp_path / "urne.pb")
    back = pabulib.load(out)
    assert len(back.ballots) == 8 and back.meta["country"] == "France"
    t = tally(budget_election, ballots)
    assert back.votes == t.question(q.id).votes()  # the invalid paper ballot is in neither
    (outcome,) = decide_all(budget_election, t, ballots)
    assert set(back.selected or ()) == set(outcome.winners)
    assert isinstance(budget_election, Election)
    assert _checker_errors(out) == {}
