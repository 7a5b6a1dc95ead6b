"""File exports for Cap Collectif, Decidim, Consul and pabulib."""

from __future__ import annotations

import csv
import io
import random
from dataclasses import replace

import pytest

from ballots.election import Choice, Text
from sync import exports, merge
from sync.errors import ExportError
from tests.sync.helpers import device_store, totals, vote


def test_capcollectif_csv_has_bom_header_and_totals(store, tmp_path):
    vote(store, 25, random.Random(1))
    n = exports.capcollectif_csv(store.election(), merge.counted_ballots(store), tmp_path / "cc.csv")
    raw = (tmp_path / "cc.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["reference", "title", "votes-total"] and n == len(rows) - 1 == 20
    assert {r[0]: int(r[2]) for r in rows[1:]} == totals(store)["votes"]["projets"]
    assert rows[1][1] == store.election().questions[0].choices[0].title.get("fr")


def test_capcollectif_csv_ranked_has_points(tmp_path, survey_election):
    s = device_store(tmp_path / "s", survey_election)
    q = next(q for q in survey_election.questions if q.rule.kind.value == "ranked")
    vote_sel = {q.id: q.choice_ids[:2]}
    from ballots.ballot import Channel, new_ballot

    s.cast(new_ballot(survey_election, vote_sel, channel=Channel.KIOSK, device="k"))
    exports.capcollectif_csv(survey_election, s.ballots(), tmp_path / "r.csv", question=q.id)
    rows = list(csv.reader(io.StringIO((tmp_path / "r.csv").read_text("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["reference", "title", "votes-total", "points-total"]
    assert rows[1][2:] == ["1", str(q.rule.points(0))] and rows[2][2:] == ["1", str(q.rule.points(1))]
    s.close()


def test_capcollectif_refuses_more_than_500_rows(store, tmp_path):
    e = store.election()
    q = e.questions[0]
    many = replace(q, choices=tuple(Choice(f"c{i}", Text.of(f"Projet {i}")) for i in range(501)))
    with pytest.raises(ExportError, match="at most 500 rows"):
        exports.capcollectif_csv(replace(e, questions=(many,)), [], tmp_path / "x.csv")
    assert not (tmp_path / "x.csv").exists()


def test_decidim_exports_only_the_change_since_last_time(store, tmp_path):
    rng = random.Random(2)
    vote(store, 30, rng)
    first = exports.decidim_csv(store, tmp_path / "d1.csv")
    assert sum(first.values()) == sum(totals(store)["votes"]["projets"].values())
    assert exports.decidim_csv(store, tmp_path / "d2.csv") == {}
    assert (tmp_path / "d2.csv").read_bytes() == b"id;paper_ballots_to_import\r\n"
    spoiled = next(iter(store.ballots()))
    from ballots.ballot import BallotStatus

    store.set_status(spoiled.id, BallotStatus.SPOILED, actor="staff")
    correction = exports.decidim_csv(store, tmp_path / "d2b.csv")
    assert correction == {c: -1 for c in spoiled.selection["projets"]}  # a negative number corrects
    vote(store, 5, rng)
    third = exports.decidim_csv(store, tmp_path / "d3.csv")
    rows = list(csv.reader(io.StringIO((tmp_path / "d3.csv").read_text()), delimiter=";"))[1:]
    assert {r[0]: int(r[1]) for r in rows} == third
    # Adding every file Decidim received gives exactly today's totals.
    cumulative = {
        c: first.get(c, 0) + correction.get(c, 0) + third.get(c, 0) for c in store.election().questions[0].choice_ids
    }
    assert cumulative == totals(store)["votes"]["projets"]


def test_consul_one_shuffled_line_per_ballot(store, tmp_path):
    ballots = vote(store, 40, random.Random(3))
    outs = []
    for i in range(2):
        n = exports.consul_csv(store.election(), merge.counted_ballots(store), tmp_path / f"c{i}.csv")
        outs.append((tmp_path / f"c{i}.csv").read_text().splitlines())
    assert n == 40
    expected = sorted(",".join(b.selection["projets"]) for b in ballots)
    assert sorted(outs[0]) == sorted(outs[1]) == expected
    assert outs[0] != outs[1]


def test_pabulib_export_round_trips(store, tmp_path):
    pabulib = pytest.importorskip("ballots.pabulib")
    if not hasattr(pabulib, "dump"):
        pytest.skip("ballots.pabulib.dump not written yet")
    vote(store, 12, random.Random(4))
    exports.pabulib_pb(store.election(), merge.counted_ballots(store), tmp_path / "out.pb")
    back = pabulib.load(tmp_path / "out.pb")
    assert len(back.ballots) == 12


def test_export_dispatch_names_the_format(store, tmp_path):
    assert "Cap Collectif" in exports.export(store, "capcollectif", tmp_path / "a.csv")
    with pytest.raises(ExportError, match="unknown format"):
        exports.export(store, "excel", tmp_path / "a.xls")
