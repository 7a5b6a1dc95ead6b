"""File exports for Cap Collectif, Decidim, Consul and pabulib, each parsed back with the
platform's own parsing rules (read from their sources) and compared with `urne tally`."""

from __future__ import annotations

import csv
import io
import random
import re
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ballots.ballot import Ballot, Channel, new_ballot
from ballots.election import Choice, Election, Question, Rule, RuleKind, Text
from ballots.store import Polls, Store
from ballots.tally import tally
from sync import exports, merge
from sync.errors import ExportError
from tests.sync.helpers import vote

# -- the platforms' parsers, as their code reads an import ------------------------------------------

# Cap Collectif, frontend/js/components/Admin/Project/ImportButton/ImportPaperVotesFromCsvModal.utils.ts
CC_ROW = re.compile(r'(".*?"|[^",;\s]+)(?=\s*,|;|\s*$)')
CC_HEADERS = ("reference;title;votes-total", "reference;title;votes-total;points-total")


def capcollectif_import(data: bytes, references: list[str], ranked: bool) -> dict[str, tuple[int, int]]:
    """What the back office sets per proposal reference: (votes, points). Rows it would skip or
    refuse raise, so a test sees them."""
    assert len(data) <= 80_000
    text = data.decode("utf-8")
    text = text.removeprefix("\ufeff")  # FileReader.readAsText decodes with BOM sniffing
    rows = text.replace("\r\n", "\n").split("\n")
    header = rows.pop(0)
    assert header in CC_HEADERS or header.replace(";", ",") in (h.replace(";", ",") for h in CC_HEADERS)
    if rows and rows[-1] == "":
        rows.pop()
    assert len(rows) <= 500
    out: dict[str, tuple[int, int]] = {}
    for row in rows:
        cells = CC_ROW.findall(row)
        need = 4 if ranked else 3
        ref = cells[0].replace('"', "") if cells else ""
        valid = len(cells) >= need and ref in references and re.fullmatch(r"[0-9]*", cells[2])
        assert valid, f"the platform refuses the row {row!r} (cells {cells})"
        assert not re.fullmatch(r"\s*", cells[2]), f"empty count: the platform skips {row!r}"
        assert ref not in out, f"{ref} twice"
        out[ref] = (int(cells[2]), int(cells[3]) if ranked else 0)
    return out


def ruby_to_i(s: str | None) -> int:
    """Ruby's String#to_i: the leading integer, 0 when there is none ("p01".to_i == 0)."""
    m = re.match(r"\s*([+-]?\d+)", s or "")
    return int(m.group(1)) if m else 0


def decidim_import(data: bytes) -> dict[int, int]:
    """decidim-paper_ballots: CSV.read(file, col_sep: ";") with headers, id.to_i and count.to_i;
    the import ADDS each count to the project's paper ballots."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8")), delimiter=";"))
    assert rows[0] == ["id", "paper_ballots_to_import"]
    out: dict[int, int] = {}
    for row in rows[1:]:
        pid = ruby_to_i(row[0])
        assert pid > 0, f"Decidim refuses the file: no project {row[0]!r}"
        out[pid] = out.get(pid, 0) + ruby_to_i(row[1])
    return out


def consul_import(data: bytes, known: set[str]) -> list[list[str]]:
    """Consul officing: ballot lines split on ';' or newline, each line split on ','; an unknown id
    is dropped silently (so the test insists every id is known)."""
    ballots = []
    for line in re.split(r"[;\n]", data.decode("utf-8")):
        if not line.strip():
            continue
        ids = [x.strip() for x in line.split(",")]
        assert set(ids) <= known, f"Consul would drop {set(ids) - known} silently"
        ballots.append(ids)
    return ballots


# -- elections with platform ids ----------------------------------------------------------------------


def with_ids(e: Election, **titles: str) -> Election:
    """The election with Decidim, Consul and Cap Collectif ids on every choice (and new titles)."""
    qs = []
    for qi, q in enumerate(e.questions):
        choices = tuple(
            replace(
                c,
                title=Text.of(titles.get(c.id, c.title.get("fr"))),
                platform_ids=(
                    ("capcollectif", f"{7 + qi}-{i + 1}"),
                    ("consul", str(200 + 100 * qi + i)),
                    ("decidim", str(1000 + 100 * qi + i)),
                ),
            )
            for i, c in enumerate(q.choices)
        )
        qs.append(replace(q, choices=choices))
    return replace(e, questions=tuple(qs))


@pytest.fixture
def ids_store(tmp_path, budget_election):
    titles = {
        "p01": "Éclairage 100 % LED, phase 2",
        "p02": "Parc, jeux et bancs",
        "p03": 'Le "grand" parc; phase 1',
        "p04": "  Espaces   et tabulations\tcomprises ",
    }
    s = Store(tmp_path / "ids")
    s.install_election(with_ids(budget_election, **titles))
    s.set_polls(Polls.OPEN, actor="test")
    yield s
    s.close()


def _counted(store: Store) -> list[Ballot]:
    return merge.counted_ballots(store, store.election().id)


def _overvote(store: Store) -> Ballot:
    """A paper ballot with every box ticked where 5 are allowed: counted, but its answer invalid."""
    e = store.election()
    q = e.questions[0]
    b = new_ballot(e, {q.id: q.choice_ids[:7]}, channel=Channel.PAPER, device="scan-1")
    return store.cast(b)


# -- Cap Collectif ---------------------------------------------------------------------------------------


def test_capcollectif_parsed_back_by_the_platform_gives_the_tally(ids_store, tmp_path):
    vote(ids_store, 30, random.Random(1))
    _overvote(ids_store)
    e = ids_store.election()
    q = e.questions[0]
    n = exports.capcollectif_csv(e, _counted(ids_store), tmp_path / "cc.csv")
    raw = (tmp_path / "cc.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and n == 20
    refs = {c.id: c.platform_id("capcollectif") for c in q.choices}
    got = capcollectif_import(raw, list(refs.values()), ranked=False)
    t = tally(e, _counted(ids_store)).question(q.id)
    assert t.invalid == 1
    assert {cid: got[ref][0] for cid, ref in refs.items()} == t.votes()
    lines = raw.decode("utf-8-sig").splitlines()
    # as the platform's own template: ="""REF""";"Title";N
    assert lines[1] == f'="""7-1""";"Éclairage 100 % LED, phase 2";{t.votes()["p01"]}'
    assert '"Le ”grand” parc; phase 1"' in lines[3]


def test_capcollectif_ranked_has_points_on_the_votes_limit_scale(tmp_path, survey_election):
    e = with_ids(survey_election)
    q = next(q for q in e.questions if q.rule.kind is RuleKind.RANKED)
    ballots = [new_ballot(e, {q.id: q.choice_ids[:2]}, channel=Channel.KIOSK, device="k")]
    data = exports.capcollectif_bytes(e, ballots, question=q.id)
    refs = {c.id: c.platform_id("capcollectif") for c in q.choices}
    got = capcollectif_import(data, list(refs.values()), ranked=True)
    t = tally(e, ballots).question(q.id)
    assert {cid: got[r] for cid, r in refs.items()} == {c: (t.votes()[c], t.points()[c]) for c in q.choice_ids}
    assert got[refs[q.choice_ids[0]]] == (1, q.rule.points(0))


TITLE = st.text(alphabet=st.sampled_from(list("ab ,;\"'é%\t")), min_size=1, max_size=12)


@settings(max_examples=60)
@given(titles=st.lists(TITLE, min_size=2, max_size=6), seed=st.integers(0, 10_000))
def test_capcollectif_any_title_parses_back_to_the_tally(titles, seed):
    """Commas, semicolons, quotes and spaces in titles never move a count."""
    choices = tuple(
        Choice(f"c{i}", Text.of(t), platform_ids=(("capcollectif", f"3-{i}"),)) for i, t in enumerate(titles)
    )
    q = Question("q", Text.of("Q"), Rule(RuleKind.APPROVAL, 0, len(choices)), choices)
    e = Election("e", Text.of("E"), (q,))
    rng = random.Random(seed)
    ballots = [
        new_ballot(
            e, {"q": tuple(rng.sample(q.choice_ids, rng.randint(0, len(choices))))}, channel=Channel.KIOSK, device="k"
        )
        for _ in range(rng.randint(0, 30))
    ]
    got = capcollectif_import(exports.capcollectif_bytes(e, ballots), [f"3-{i}" for i in range(len(titles))], False)
    assert {f"c{i}": got[f"3-{i}"][0] for i in range(len(titles))} == tally(e, ballots).question("q").votes()


def test_capcollectif_limits_500_rows_and_80000_bytes(ids_store, tmp_path):
    e = ids_store.election()
    q = e.questions[0]
    many = replace(
        q,
        choices=tuple(
            Choice(f"c{i}", Text.of(f"Projet {i}"), platform_ids=(("capcollectif", f"1-{i}"),)) for i in range(501)
        ),
    )
    with pytest.raises(ExportError, match="en prend au plus 500$"):
        exports.capcollectif_csv(replace(e, questions=(many,)), [], tmp_path / "x.csv")
    long = replace(
        q,
        choices=tuple(
            Choice(f"c{i}", Text.of("Réaménagement " * 13), platform_ids=(("capcollectif", f"1-{i}"),))
            for i in range(450)
        ),
    )
    with pytest.raises(ExportError, match="octets : l'import du back-office en prend au plus 80000"):
        exports.capcollectif_csv(replace(e, questions=(long,)), [], tmp_path / "x.csv")
    assert not (tmp_path / "x.csv").exists()


def test_an_export_without_the_platform_ids_is_refused_naming_them(store, tmp_path):
    """The sample election has no platform ids: every platform export says which are missing."""
    vote(store, 3, random.Random(5))
    e = store.election()
    for fmt, name in (("capcollectif", "Cap Collectif"), ("decidim", "Decidim"), ("consul", "Consul")):
        with pytest.raises(ExportError, match=rf"20 choix sans identifiant {name} : p01, p02") as err:
            exports.export(store, fmt, tmp_path / f"{fmt}.csv")
        assert "et 10 autres" in str(err.value)
        assert not (tmp_path / f"{fmt}.csv").exists()
    q = e.questions[0]
    words = replace(q, choices=tuple(replace(c, platform_ids=(("consul", "p" + c.id),)) for c in q.choices))
    with pytest.raises(ExportError, match="les identifiants Consul sont des nombres"):
        exports.consul_csv(replace(e, questions=(words,)), [], tmp_path / "c.csv")


# -- Decidim ------------------------------------------------------------------------------------------


def _decidim_totals(store: Store) -> dict[int, int]:
    q = store.election().questions[0]
    votes = tally(store.election(), _counted(store)).question(q.id).votes()
    return {int(q.choice(c).platform_id("decidim") or 0): v for c, v in votes.items() if v}


def test_decidim_files_added_up_by_the_platform_give_the_tally(ids_store, tmp_path):
    rng = random.Random(2)
    vote(ids_store, 30, rng)
    _overvote(ids_store)
    platform: dict[int, int] = {}

    def import_on_decidim(path):
        for pid, n in decidim_import(path.read_bytes()).items():
            platform[pid] = platform.get(pid, 0) + n
        exports.decidim_confirm(ids_store, path)

    first = tmp_path / "d1.csv"
    exports.export(ids_store, "decidim", first)
    import_on_decidim(first)
    assert {k: v for k, v in platform.items() if v} == _decidim_totals(ids_store)
    # a spoiled ballot: the next file corrects with negative numbers
    spoiled = next(b for b in ids_store.ballots() if b.channel is Channel.KIOSK)
    from ballots.ballot import BallotStatus

    ids_store.set_status(spoiled.id, BallotStatus.SPOILED, actor="staff")
    vote(ids_store, 5, rng)
    second = tmp_path / "d2.csv"
    out = exports.decidim_csv(ids_store, second)
    assert any(d < 0 for d in out.delta.values())
    import_on_decidim(second)
    assert {k: v for k, v in platform.items() if v} == _decidim_totals(ids_store)
    assert exports.decidim_drift(ids_store) == {}


def test_decidim_a_file_never_imported_or_imported_twice_does_not_drift(ids_store, tmp_path):
    rng = random.Random(3)
    vote(ids_store, 10, rng)
    lost = tmp_path / "lost.csv"
    exports.decidim_csv(ids_store, lost)  # written, but nobody imports it
    assert exports.decidim_drift(ids_store)  # Urne shows Decidim does not have these votes yet
    vote(ids_store, 4, rng)
    fresh = tmp_path / "fresh.csv"
    out = exports.decidim_csv(ids_store, fresh)
    assert out.superseded  # the summary tells staff not to import the older file
    # the new file carries everything since the last confirmed import, the lost file's votes included
    assert {k: v for k, v in decidim_import(fresh.read_bytes()).items() if v} == _decidim_totals(ids_store)
    with pytest.raises(ExportError, match="remplacé par un export plus récent"):
        exports.decidim_confirm(ids_store, lost)
    exports.decidim_confirm(ids_store, fresh)
    with pytest.raises(ExportError, match="l'importer deux fois"):
        exports.decidim_confirm(ids_store, fresh)
    assert exports.decidim_drift(ids_store) == {}
    again = tmp_path / "again.csv"
    assert exports.decidim_csv(ids_store, again).delta == {}
    assert again.read_bytes() == b"id;paper_ballots_to_import\r\n"
    (tmp_path / "other.csv").write_bytes(b"id;paper_ballots_to_import\r\n1000;3\r\n")
    with pytest.raises(ExportError, match="pas un fichier exporté par Urne"):
        exports.decidim_confirm(ids_store, tmp_path / "other.csv")


def test_decidim_confirm_from_the_command_line(ids_store, tmp_path, capsys):
    from kiosk.cli import main

    vote(ids_store, 6, random.Random(4))
    ids_store.set_polls(Polls.CLOSED, actor="test")  # exports are results: only once the polls are closed
    data = str(ids_store.data_dir)
    ids_store.close()
    out = tmp_path / "d.csv"
    assert main(["export", "--format", "decidim", "--out", str(out), "--data", data]) == 0
    assert main(["export", "--format", "decidim", "--imported", str(out), "--data", data]) == 0
    capsys.readouterr()
    assert main(["export", "--format", "decidim", "--imported", str(out), "--data", data]) == 2
    assert "l'importer deux fois" in capsys.readouterr().err


# -- Consul -------------------------------------------------------------------------------------------


def test_consul_lines_parsed_by_the_platform_give_the_tally_shuffled(ids_store, tmp_path):
    ballots = vote(ids_store, 40, random.Random(3))
    _overvote(ids_store)
    e = ids_store.election()
    q = e.questions[0]
    consul = {c.platform_id("consul"): c.id for c in q.choices}
    outs = []
    for i in range(2):
        n = exports.consul_csv(e, _counted(ids_store), tmp_path / f"c{i}.csv")
        outs.append(consul_import((tmp_path / f"c{i}.csv").read_bytes(), set(consul)))
    assert n == 40  # the overvoted paper ballot is in no line
    votes = {c: 0 for c in q.choice_ids}
    for line in outs[0]:
        for pid in line:
            votes[consul[pid]] += 1
    assert votes == tally(e, _counted(ids_store)).question(q.id).votes()
    assert sorted(map(sorted, outs[0])) == sorted(
        sorted(q.choice(c).platform_id("consul") for c in b.selection[q.id]) for b in ballots
    )
    assert outs[0] != outs[1]


# -- pabulib ------------------------------------------------------------------------------------------


def test_pabulib_export_has_only_the_valid_answers(ids_store, tmp_path):
    from ballots import pabulib

    vote(ids_store, 12, random.Random(4))
    _overvote(ids_store)
    e = ids_store.election()
    exports.pabulib_pb(e, _counted(ids_store), tmp_path / "out.pb")
    back = pabulib.load(tmp_path / "out.pb")
    assert len(back.ballots) == 12
    assert back.votes == tally(e, _counted(ids_store)).question(e.questions[0].id).votes()


def test_export_dispatch_names_the_format(ids_store, tmp_path):
    assert "Cap Collectif" in exports.export(ids_store, "capcollectif", tmp_path / "a.csv")
    with pytest.raises(ExportError, match="format inconnu"):
        exports.export(ids_store, "excel", tmp_path / "a.xls")


def test_platform_ids_come_from_the_election_file(tmp_path):
    from ballots import election_file
    from ballots.errors import ElectionFileError

    text = """
id = "e"
title = "E"
[[questions]]
id = "q"
title = "Q"
[[questions.choices]]
id = "a"
title = "A"
ids = { decidim = 12, consul = 7, capcollectif = "3-12" }
"""
    e = election_file.parse(text)
    c = e.questions[0].choice("a")
    assert (c.platform_id("decidim"), c.platform_id("consul"), c.platform_id("capcollectif")) == ("12", "7", "3-12")
    with pytest.raises(ElectionFileError, match="plateforme inconnue"):
        election_file.parse(text.replace("consul = 7", "loomio = 7"))


def test_regression_a_comma_in_an_unquoted_title_became_votes():
    """Issue 15: "Éclairage 100 % LED, phase 2" with 0 votes, written unquoted, was imported by
    Cap Collectif as 2 votes; "Parc, jeux et bancs" was refused. Quoted as the template: 0 and 0."""
    titles = ["Éclairage 100 % LED, phase 2", "Parc, jeux et bancs"]
    old = "reference;title;votes-total\r\n3-1;Éclairage 100 % LED, phase 2;0\r\n".encode()
    assert capcollectif_import(old, ["3-1"], False) == {"3-1": (2, 0)}  # the parser has teeth
    choices = tuple(
        Choice(f"c{i}", Text.of(t), platform_ids=(("capcollectif", f"3-{i + 1}"),)) for i, t in enumerate(titles)
    )
    e = Election("e", Text.of("E"), (Question("q", Text.of("Q"), Rule(RuleKind.APPROVAL, 0, 2), choices),))
    assert capcollectif_import(exports.capcollectif_bytes(e, []), ["3-1", "3-2"], False) == {
        "3-1": (0, 0),
        "3-2": (0, 0),
    }
