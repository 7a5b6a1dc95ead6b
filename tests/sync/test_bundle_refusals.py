"""Every way a USB bundle is refused, shown by a file, said in French, with its stable reason code.

A bad bundle is built below for each `Refusal` of sync.bundle_refusals (a new refusal without a
file that shows it fails `test_every_refusal_is_reached`); nothing is merged, the reason code is
the one programs have compared since the first bundles, and the line people read holds no
English word (tests/english.py).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import random
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sync import bundle, devices
from sync.bundle_refusals import TABLE, Refusal
from sync.errors import BundleRefused
from tests.english import english_words
from tests.sync.helpers import device_store, enrol, totals, vote

REASONS = {
    Refusal.TOO_LARGE: "too-large",
    Refusal.UNREADABLE: "not-a-bundle",
    Refusal.NOT_A_BUNDLE: "not-a-bundle",
    Refusal.HEADER_DAMAGED: "truncated",
    Refusal.CUT_SHORT: "truncated",
    Refusal.BYTES_AFTER_SIGNATURE: "tampered",
    Refusal.NO_DEVICE: "unknown-device",
    Refusal.DEVICE_NOT_ENROLLED: "unknown-device",
    Refusal.DEVICE_REVOKED: "unknown-device",
    Refusal.BAD_SIGNATURE: "tampered",
    Refusal.BAD_CHECKSUM: "tampered",
    Refusal.HEADER_FIELDS: "malformed",
    Refusal.ELECTION_NOT_HERE: "foreign-election",
    Refusal.ELECTION_DIFFERS: "foreign-election",
    Refusal.OLDER_THAN_IMPORTED: "replay",
    Refusal.INFLATES_TOO_MUCH: "malformed",
    Refusal.NOT_GZIP: "malformed",
    Refusal.GZIP_INCOMPLETE: "malformed",
    Refusal.NOT_JSON: "malformed",
    Refusal.NOT_TWO_LISTS: "malformed",
    Refusal.COUNT_DIFFERS: "malformed",
}


@pytest.fixture(scope="module")
def world(tmp_path_factory, budget_election_module):
    tmp = tmp_path_factory.mktemp("refusals")
    kiosk = device_store(tmp / "kiosk", budget_election_module)
    town = device_store(tmp / "town", budget_election_module)
    enrol(town, kiosk)
    vote(kiosk, 5, random.Random(3))
    bundle.export(kiosk, tmp / "good.urne")
    yield tmp, kiosk, town
    kiosk.close()
    town.close()


@pytest.fixture(scope="module")
def budget_election_module():
    from ballots import election_file
    from tests.conftest import SAMPLE_BUDGET

    return election_file.load(SAMPLE_BUDGET)


def _signed(kiosk: Any, header: dict[str, Any], body: bytes, *, checksum: str | None = None) -> bytes:
    """A bundle signed by the kiosk's real key, with whatever header and body a test wants (a new
    bundle id, so that "already imported" does not come first)."""
    full = {
        **header,
        "bundle_id": str(uuid.uuid4()),
        "body_length": len(body),
        "body_sha256": checksum or hashlib.sha256(body).hexdigest(),
    }
    hb = json.dumps(full).encode()
    part = bundle.MAGIC + f"{len(hb):08x}\n".encode() + hb + body
    return part + devices.identity(kiosk).sign(part)


def _cases(tmp: Path, kiosk: Any, town: Any) -> dict[Refusal, Callable[[], Path]]:
    good = (tmp / "good.urne").read_bytes()
    header, _, body, _ = bundle.read(tmp / "good.urne")
    header = {**header, "seq": 10**6}  # above any real one: the replay case imports newer bundles here
    empty = gzip.compress(json.dumps({"ballots": [], "register": []}).encode())
    no_records = {**header, "ballots": 0, "register": 0}

    def file(name: str, data: bytes) -> Path:
        (tmp / name).write_bytes(data)
        return tmp / name

    def flipped() -> bytes:
        data = bytearray(good)
        data[len(data) - 100] ^= 0x01  # inside the body: the signature no longer matches
        return bytes(data)

    def revoked() -> Path:
        stranger = device_store(tmp / "revoked", kiosk.election())
        enrol(town, stranger)
        bundle.export(stranger, tmp / "revoked.urne")
        devices.revoke(town, stranger.device)
        stranger.close()
        return tmp / "revoked.urne"

    def stranger() -> Path:
        other = device_store(tmp / "stranger", kiosk.election())
        bundle.export(other, tmp / "stranger.urne")
        other.close()
        return tmp / "stranger.urne"

    def replayed() -> Path:
        bundle.export(kiosk, tmp / "older.urne")
        bundle.export(kiosk, tmp / "newer.urne")
        bundle.import_bundle(town, tmp / "newer.urne")
        return tmp / "older.urne"

    no_device = {k: v for k, v in header.items() if k != "device"}
    return {
        Refusal.TOO_LARGE: lambda: file("big.urne", good),  # with MAX_BUNDLE made small below
        Refusal.UNREADABLE: lambda: tmp,  # a folder
        Refusal.NOT_A_BUNDLE: lambda: file("photo.jpg", b"\xff\xd8\xff\xe0 JFIF"),
        Refusal.HEADER_DAMAGED: lambda: file("header.urne", bundle.MAGIC + b"zz"),
        Refusal.CUT_SHORT: lambda: file("cut.urne", good[:-1]),
        Refusal.BYTES_AFTER_SIGNATURE: lambda: file("extra.urne", good + b"x"),
        Refusal.NO_DEVICE: lambda: file("nodevice.urne", _signed(kiosk, no_device, body)),
        Refusal.DEVICE_NOT_ENROLLED: stranger,
        Refusal.DEVICE_REVOKED: revoked,
        Refusal.BAD_SIGNATURE: lambda: file("flip.urne", flipped()),
        Refusal.BAD_CHECKSUM: lambda: file("sum.urne", _signed(kiosk, header, body, checksum="0" * 64)),
        Refusal.HEADER_FIELDS: lambda: file("fields.urne", _signed(kiosk, {**header, "seq": "un"}, body)),
        Refusal.ELECTION_NOT_HERE: lambda: file("foreign.urne", _signed(kiosk, {**header, "election": "autre"}, body)),
        Refusal.ELECTION_DIFFERS: lambda: file(
            "differs.urne", _signed(kiosk, {**header, "election_fingerprint": "0" * 64}, body)
        ),
        Refusal.OLDER_THAN_IMPORTED: replayed,
        Refusal.INFLATES_TOO_MUCH: lambda: file("bomb.urne", _signed(kiosk, no_records, gzip.compress(b" " * 100_000))),
        Refusal.NOT_GZIP: lambda: file("notgzip.urne", _signed(kiosk, no_records, b"not gzip")),
        Refusal.GZIP_INCOMPLETE: lambda: file("halfgzip.urne", _signed(kiosk, no_records, empty[:-12])),
        Refusal.NOT_JSON: lambda: file("notjson.urne", _signed(kiosk, no_records, gzip.compress(b"pas du JSON"))),
        Refusal.NOT_TWO_LISTS: lambda: file("notlists.urne", _signed(kiosk, no_records, gzip.compress(b"{}"))),
        Refusal.COUNT_DIFFERS: lambda: file("count.urne", _signed(kiosk, {**no_records, "ballots": 3}, empty)),
    }


@pytest.mark.parametrize("refusal", list(Refusal), ids=[r.value for r in Refusal])
def test_each_refusal_changes_nothing_keeps_its_code_and_is_said_in_french(world, monkeypatch, refusal):
    tmp, kiosk, town = world
    path = _cases(tmp, kiosk, town)[refusal]()
    if refusal is Refusal.TOO_LARGE:
        monkeypatch.setattr(bundle, "MAX_BUNDLE", 1000)
    before = totals(town)
    with pytest.raises(BundleRefused) as exc:
        bundle.import_bundle(town, path)
    assert exc.value.refusal is refusal, str(exc.value)
    assert exc.value.reason == REASONS[refusal]
    assert totals(town) == before
    message = str(exc.value)
    assert message.startswith(f"{path} : lot refusé : ")
    assert english_words(message, str(path)) == [], message


def test_every_refusal_is_reached():
    assert set(REASONS) == set(Refusal) == set(TABLE)
    # The codes people's scripts compare are the same strings as before the words were French.
    assert {bundle.REASON_TRUNCATED, bundle.REASON_TAMPERED, bundle.REASON_REPLAY} == {
        "truncated",
        "tampered",
        "replay",
    }
