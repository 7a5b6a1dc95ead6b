"""The reliability suite, fast subset: hostile inputs to every parser and endpoint, generated
from a seed by tests/fuzz/corpus.py. Asserted: 0 tracebacks, 0 hangs, 0 changes to stored
data. `make fuzz` runs the same with URNE_FUZZ_N inputs per parser and writes the figures."""

from __future__ import annotations

import contextlib
import json
import os
import random
import sqlite3
import uuid
from pathlib import Path

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ballots import election_file, pabulib
from ballots.errors import ConfigError, ElectionFileError, PabulibError, UrneError
from kiosk import config as kiosk_config
from sync import bundle, client, devices, merge, provenance
from sync.errors import BundleRefused
from sync.hubstore import SqliteHubStorage
from tests.conftest import ROOT, SAMPLE_BUDGET
from tests.english import english_words
from tests.fuzz import corpus
from tests.sync.helpers import device_store, enrol, random_ballot, vote
from tests.sync.hubproc import InProcessHub

N = int(os.environ.get("URNE_FUZZ_N", "180"))  # inputs per parser; make fuzz sets thousands
SEED = int(os.environ.get("URNE_FUZZ_SEED", "2026"))
REPORT = os.environ.get("URNE_FUZZ_REPORT")


def _state(path: Path) -> str:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return corpus.store_state(conn_wrapper(conn))
    finally:
        conn.close()


class conn_wrapper:  # noqa: N801 - a tiny adapter: store_state reads `.conn`
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn


@pytest.fixture(scope="module")
def world(tmp_path_factory, budget_election_module):
    tmp = tmp_path_factory.mktemp("fuzz")
    hub = device_store(tmp / "hub", budget_election_module)
    kiosk = device_store(tmp / "kiosk", budget_election_module)
    enrol(hub, kiosk)
    # Hostile deliveries come from an enrolled relay (a town-hall laptop) passing on the
    # kiosk's signed records: a damaged record is checked against the kiosk's signature.
    relay = device_store(tmp / "relay", budget_election_module)
    token = enrol(hub, relay)
    vote(kiosk, 12, random.Random(1))
    for _ in range(12):
        kiosk.register_voter(origin=kiosk.device)
    bundle.export(kiosk, tmp / "good.urne")
    bundle.import_bundle(hub, tmp / "good.urne")
    yield tmp, hub, kiosk, token, relay
    for s in (hub, kiosk, relay):
        s.close()


@pytest.fixture(scope="module")
def budget_election_module():
    return election_file.load(SAMPLE_BUDGET)


@pytest.fixture(scope="module")
def outcome():
    out = corpus.Outcome()
    yield out
    if REPORT:
        corpus.write_report(Path(REPORT), out)


def _assert_french(out: corpus.Outcome, parser: str) -> None:
    """Every refusal of the corpus reads in French (issue 12): no English word outside what the
    message quotes from the file and the file's own path."""
    refusals = out.refusals.get(parser, [])
    english = [(str(e), words) for e in refusals if (words := english_words(str(e), getattr(e, "path", "")))]
    assert refusals and not english, english[:5]


def _assert_clean(out: corpus.Outcome, parser: str) -> None:
    counts = out.by_parser.get(parser, {})
    bad = [f for f in out.failures if f.startswith(parser + " ")]
    assert counts.get("traceback", 0) == 0 and counts.get("hang", 0) == 0 and counts.get("changed", 0) == 0, bad[:5]
    assert sum(counts.values()) >= N


def test_election_files(outcome):
    rng = random.Random(SEED)
    sample = SAMPLE_BUDGET.read_text(encoding="utf-8")
    for label, text in corpus.election_files(rng, N, sample):
        corpus.classify(
            "election", label, lambda t=text: election_file.parse(t, "e.toml"), (ElectionFileError,), outcome
        )
    _assert_clean(outcome, "election")
    _assert_french(outcome, "election")


def test_config_files(outcome, tmp_path):
    rng = random.Random(SEED + 1)
    sample = (ROOT / "config.toml").read_text(encoding="utf-8")
    path = tmp_path / "config.toml"
    for label, text in corpus.config_files(rng, N, sample):
        path.write_text(text, encoding="utf-8")
        corpus.classify("config", label, lambda: kiosk_config.load(path), (ConfigError,), outcome)
    _assert_clean(outcome, "config")
    _assert_french(outcome, "config")


def test_pabulib_files_cut_anywhere_never_load_changed(outcome, tmp_path, budget_election_module):
    rng = random.Random(SEED + 2)
    src = tmp_path / "src.pb"
    ballots = [random_ballot(budget_election_module, rng, "pb") for _ in range(40)]
    pabulib.dump(budget_election_module, ballots, src)
    sample = src.read_text(encoding="utf-8")
    original = {(b.id.split(":")[-1], tuple(sorted(b.selection.items()))) for b in pabulib.load(src).ballots}
    path = tmp_path / "f.pb"
    for label, text in corpus.pabulib_files(rng, N, sample):
        path.write_text(text, encoding="utf-8")

        def load(label: str = label) -> None:
            got = pabulib.load(path)
            seen = {(b.id.split(":")[-1], tuple(sorted(b.selection.items()))) for b in got.ballots}
            if label.startswith("cut") and seen != original:
                raise AssertionError("a cut file loaded with other ballots")

        try:
            corpus.classify("pabulib", label, load, (PabulibError,), outcome)
        except AssertionError:
            outcome.add("pabulib", label, "changed")
    _assert_clean(outcome, "pabulib")
    _assert_french(outcome, "pabulib")


def test_bundles_hostile_and_signed_but_malformed_change_nothing(outcome, world):
    tmp, hub, kiosk, _, relay = world
    rng = random.Random(SEED + 3)
    good = (tmp / "good.urne").read_bytes()
    header, _, body, _ = bundle.read(tmp / "good.urne")
    import gzip

    content = json.loads(gzip.decompress(body))
    me = devices.identity(relay)
    header = {**header, "device": relay.device, "public_key": me.public_key_hex}
    before = _state(hub.path)
    path = tmp / "hostile.urne"
    for label, data in corpus.bundle_files(rng, N, good, me.sign, header, content):
        path.write_bytes(data)
        corpus.classify("bundle", label, lambda: bundle.import_bundle(hub, path), (BundleRefused,), outcome)
        if _state(hub.path) != before:
            outcome.add("bundle", label, "changed")
            before = _state(hub.path)
    _assert_clean(outcome, "bundle")
    _assert_french(outcome, "bundle")


def test_hub_bodies_never_500_and_change_nothing(outcome, world):
    tmp, hub, kiosk, token, relay = world
    rng = random.Random(SEED + 4)
    store = kiosk
    batch = client.outbox.Batch(tuple(b.id for b in store.ballots()), ())
    good, _ = client.batch_payload(store, batch)
    good["device"] = relay.device
    # The kiosk's signed register entries (already at the hub): the forger's raw material.
    good["register"] = provenance.signed_register_wire(kiosk, merge.register_entries(kiosk, kiosk.election().id))
    server = InProcessHub(SqliteHubStorage(hub))
    before = _state(hub.path)
    try:
        headers_variants = [
            {"Authorization": f"Bearer {token}"},
            {"Authorization": "Bearer " + "x" * 5000},
            {"Authorization": "Basic abc"},
            {},
        ]
        for i, (label, body) in enumerate(corpus.hub_bodies(rng, N, good)):
            headers = dict(headers_variants[0] if i % 5 else rng.choice(headers_variants))
            headers["Idempotency-Key"] = uuid.uuid4().hex if i % 7 else rng.choice(["", "k" * 300, "k"])

            def post(body: bytes = body, headers: dict[str, str] = headers) -> None:
                r = requests.post(server.url + "/v1/batches", data=body, headers=headers, timeout=10)
                if r.status_code >= 500:
                    raise RuntimeError(f"HTTP {r.status_code}")
                if r.status_code == 200 and not isinstance(r.json().get("ack"), str):
                    raise RuntimeError("200 without acknowledgement")
                if r.status_code >= 400:
                    raise UrneError("refused")  # a 4xx with a reason: the named refusal

            corpus.classify("hub", label, post, (UrneError,), outcome)
            if _state(hub.path) != before:
                outcome.add("hub", label, "changed")
                before = _state(hub.path)
    finally:
        server.close()
    _assert_clean(outcome, "hub")


CLI_CASES = [
    ["print", "--count", "0"],
    ["print", "--count", "-5"],
    ["print", "--count", "nan"],
    ["print", "--count", "1e400"],
    ["print", "--count", "99999999999999999999"],
    ["tally", "--json"],
    ["bundle", "import", "/nonexistent.urne"],
    ["bundle", "import", "/"],
    ["init", "--election", "/"],
    ["init", "--election", "/dev/null"],
    ["scan", "/nonexistent"],
    ["polls", "bogus"],
    ["device", "enrol", "dev", "zz"],
    ["device", "enrol", "dev", "ab" * 40],
    ["conflicts"],
    ["export", "--format", "nope", "--out", "/tmp/x"],
    ["audit", "verify"],
    ["sync"],
    ["status"],
    ["--data"],
    ["tally", "--json", "--data", "/dev/null"],
    ["verify-me"],
    ["bundle", "export", "/"],
    ["restore", "/nonexistent"],
]


def test_cli_arguments_and_configs_never_traceback(outcome, tmp_path, capsys):
    from kiosk.cli import main

    rng = random.Random(SEED + 5)
    data = tmp_path / "data"
    main(["init", "--data", str(data), "--election", str(SAMPLE_BUDGET)])
    cfgs = [
        "[sync]\nhub_url = 'http://127.0.0.1:9'\ntimeout_seconds = -1\n",
        "[sync]\ntimeout_seconds = nan\n",
        "[hub]\nport = 0\n",
        "x = " + "[" * 3000,
        "",
        "[sync]\nhub_url = 'http://127.0.0.1:9'\ntimeout_seconds = 0.2\n",
    ]
    n = 0
    while n < max(N // 2, len(CLI_CASES)):
        argv = list(rng.choice(CLI_CASES))
        cfg = tmp_path / "config.toml"
        cfg.write_text(rng.choice(cfgs))
        full = [*argv, "--data", str(data), "--config", str(cfg)] if argv[0] != "--data" else argv

        def run(full: list[str] = full) -> None:
            code = main(full)
            if not isinstance(code, int):
                raise RuntimeError(f"exit {code!r}")
            if code != 0:
                raise UrneError("refused")

        corpus.classify("cli", " ".join(argv)[:60], run, (UrneError, SystemExit), outcome, limit=30)
        capsys.readouterr()
        n += 1
    counts = outcome.by_parser["cli"]
    assert counts.get("traceback", 0) == 0 and counts.get("hang", 0) == 0, outcome.failures[-5:]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=10) | st.dictionaries(st.text(max_size=5), inner, max_size=5),
    max_leaves=30,
)


@settings(max_examples=max(40, N // 4), suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ballots=st.lists(json_values, max_size=5), register=st.lists(json_values, max_size=5))
def test_merge_takes_any_json_records_without_a_traceback(world, ballots, register):
    _, hub, _, _, _ = world
    before = _state(hub.path)
    report = merge.merge(hub, hub.election(), ballots, register, delivered_by="fuzz", forward=False)
    added = report.ballots_new + report.register_new + report.conflicts + report.ballots_updated
    # Stored data changes only by a record merge accepted, and random JSON is never one.
    assert added == 0 and _state(hub.path) == before
    assert len(report.refused) + report.ballots_known + report.register_known == len(ballots) + len(register)


@settings(max_examples=max(100, N))
@given(data=st.binary(max_size=400))
def test_bundle_read_takes_any_bytes(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("b") / "x.urne"
    path.write_bytes(bundle.MAGIC + data if data[:1] == b"\x00" else data)
    with contextlib.suppress(BundleRefused):
        bundle.read(path)
