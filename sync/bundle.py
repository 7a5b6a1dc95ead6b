"""USB bundles: a signed file carrying ballots and register entries between offline machines.

File layout (version 1):
    b"URNE-BUNDLE/1\\n" | header length (8 hex digits) | b"\\n" | header (JSON) | body | signature
where the body is gzip'd JSON {"ballots": [...], "register": [...]} in the merge wire format,
shuffled on export so the file does not reveal the order of votes, and the signature is
Ed25519 over everything before it, by the exporting device's key.

Contract of `export()`: writes the file atomically (temp name, fsync, rename) with everything
not yet acknowledged (or everything with `everything=True`); the local outbox is unchanged, so
exporting again is always safe.

Contract of `import_bundle()`: returns an ImportReport, or raises BundleRefused with one of
the REASON_* codes (its `refusal` says why in French: sync.bundle_refusals) and nothing merged:
not a bundle, too large, truncated, device not enrolled, signature wrong (tampered), signed but malformed (wrong types, a gzip that inflates beyond
16 KB per announced record, a count that differs), foreign election, replay of an older
bundle. The signature is checked before anything but the bounded header is parsed. Each
ballot record must carry the signature of the device it names (sync.provenance): records
that do not are refused one by one in the report, the others go on. Importing a bundle a second time
is not an error: it reports `already_imported` and changes nothing.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import random
import uuid
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ballots import audit
from ballots.ballot import today
from ballots.durable import atomic_write
from ballots.errors import NoElection
from ballots.file_problems import os_words
from ballots.store import Store
from sync import bundle_refusals, devices, merge, outbox, provenance, schema
from sync.bundle_refusals import Refusal
from sync.errors import BundleRefused, DeviceError

MAGIC = b"URNE-BUNDLE/1\n"

# The reason codes, stable since the first bundles (their words: sync.bundle_refusals).
REASON_NOT_A_BUNDLE = bundle_refusals.REASON_NOT_A_BUNDLE
REASON_TRUNCATED = bundle_refusals.REASON_TRUNCATED
REASON_TAMPERED = bundle_refusals.REASON_TAMPERED
REASON_UNKNOWN_DEVICE = bundle_refusals.REASON_UNKNOWN_DEVICE
REASON_FOREIGN = bundle_refusals.REASON_FOREIGN
REASON_REPLAY = bundle_refusals.REASON_REPLAY
REASON_TOO_LARGE = bundle_refusals.REASON_TOO_LARGE
REASON_MALFORMED = bundle_refusals.REASON_MALFORMED
SIG_LEN = 64


MAX_BUNDLE = 512 * 1024 * 1024  # file size; a town's whole election is a few MB
MAX_HEADER = 64 * 1024
MAX_RECORD_BYTES = 16 * 1024  # inflated JSON per announced record: refuses a gzip bomb early


@dataclass(frozen=True)
class ExportReport:
    path: Path
    bundle_id: str
    seq: int
    ballots: int
    register: int
    size: int


@dataclass(frozen=True)
class ImportReport:
    path: Path
    bundle_id: str
    device: str
    seq: int
    already_imported: bool
    merged: merge.MergeReport


def _next_seq(store: Store) -> int:
    with store.transaction() as db:
        row = db.execute("SELECT value FROM meta WHERE key = 'sync:bundle_seq'").fetchone()
        seq = int(row[0]) + 1 if row else 1
        db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('sync:bundle_seq', ?)", [str(seq)])
    return seq


def _audit_head(store: Store) -> str:
    row = store.conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    return f"{row[0]}:{row[1]}" if row else "0:" + audit.GENESIS


def export(store: Store, path: str | os.PathLike[str], *, everything: bool = False) -> ExportReport:
    election = store.election()
    me = devices.identity(store)
    if everything:
        ballots = list(store.ballots(election.id, include_test=True, include_held=True))
        register = merge.register_entries(store, election.id)
    else:
        ballots, register = outbox.load(store, election.id, outbox.unacknowledged(store))
    rng = random.SystemRandom()
    wire_b = provenance.signed_wire(store, ballots)
    wire_r = provenance.signed_register_wire(store, register)
    rng.shuffle(wire_b)
    rng.shuffle(wire_r)
    body = gzip.compress(
        json.dumps({"ballots": wire_b, "register": wire_r}, separators=(",", ":"), ensure_ascii=False).encode(),
        compresslevel=6,
        mtime=0,
    )
    seq = _next_seq(store)
    header = {
        "version": 1,
        "bundle_id": str(uuid.uuid4()),
        "device": me.device,
        "public_key": me.public_key_hex,
        "seq": seq,
        "election": election.id,
        "election_fingerprint": election.fingerprint,
        "day": today(),
        "ballots": len(wire_b),
        "register": len(wire_r),
        "body_length": len(body),
        "body_sha256": hashlib.sha256(body).hexdigest(),
        "everything": everything,
        # This device's audit head, anchored in every bundle (and in the receiver's log).
        "audit_head": _audit_head(store),
    }
    hbytes = json.dumps(header, sort_keys=True).encode()
    signed = MAGIC + f"{len(hbytes):08x}\n".encode() + hbytes + body
    data = signed + me.sign(signed)
    dest = atomic_write(path, data)
    store.log("sync", "bundle.export", {"bundle": header["bundle_id"], "seq": seq, "ballots": len(wire_b)})
    return ExportReport(dest, str(header["bundle_id"]), seq, len(wire_b), len(wire_r), len(data))


def read(path: str | os.PathLike[str]) -> tuple[dict[str, Any], bytes, bytes, bytes]:
    """(header, signed part, body, signature); BundleRefused if the file is not whole.

    Nothing but the small header is parsed before the signature is checked, and the header
    is bounded (MAX_HEADER bytes, a JSON object) so no file can make the parser recurse or
    allocate much before it is known to come from an enrolled device."""
    p = str(path)
    try:
        size = os.stat(path).st_size
        if size > MAX_BUNDLE:
            raise BundleRefused(p, Refusal.TOO_LARGE, {"size": size, "limit": MAX_BUNDLE})
        data = Path(path).read_bytes()
    except OSError as exc:
        raise BundleRefused(p, Refusal.UNREADABLE, {"why": os_words(exc)}) from exc
    if not data.startswith(MAGIC):
        raise BundleRefused(p, Refusal.NOT_A_BUNDLE)
    pos = len(MAGIC)
    try:
        digits = data[pos : pos + 8]
        if len(digits) != 8 or data[pos + 8 : pos + 9] != b"\n" or not all(c in b"0123456789abcdef" for c in digits):
            raise ValueError("header length")
        hlen = int(digits, 16)
        if hlen > MAX_HEADER:
            raise ValueError("header too long")
        header = json.loads(data[pos + 9 : pos + 9 + hlen])
        if not isinstance(header, dict):
            raise ValueError("header not an object")
        body_len = header["body_length"]
        if not isinstance(body_len, int) or isinstance(body_len, bool) or not 0 <= body_len <= MAX_BUNDLE:
            raise ValueError("body length")
    except (ValueError, KeyError, TypeError, RecursionError) as exc:
        raise BundleRefused(p, Refusal.HEADER_DAMAGED) from exc
    start = pos + 9 + hlen
    expected = start + body_len + SIG_LEN
    if len(data) < expected:
        raise BundleRefused(p, Refusal.CUT_SHORT, {"size": len(data), "expected": expected})
    if len(data) > expected:
        raise BundleRefused(p, Refusal.BYTES_AFTER_SIGNATURE, {"extra": len(data) - expected})
    return header, data[: start + body_len], data[start : start + body_len], data[start + body_len :]


def _signed_header(p: str, header: dict[str, Any]) -> tuple[str, int, str, int]:
    """(bundle id, seq, election id, records) of a header whose signature was checked: signed
    is not well-formed (a device with a bug, a key used by a forger's tool)."""
    bid, eid = header.get("bundle_id"), header.get("election")
    ints = [header.get(k) for k in ("seq", "ballots", "register")]
    # Bounded: a signed seq of 2**63 overflowed SQLite and a count of 2**63 the size arithmetic.
    counts = [n for n in ints if isinstance(n, int) and not isinstance(n, bool) and 0 <= n <= 10**8]
    if not isinstance(bid, str) or not 0 < len(bid) <= 100 or not isinstance(eid, str) or len(counts) != 3:
        raise BundleRefused(p, Refusal.HEADER_FIELDS)
    return bid, counts[0], eid, counts[1] + counts[2]


def _inflate(p: str, body: bytes, limit: int) -> bytes:
    """gunzip `body`, refusing (without allocating it) anything that inflates beyond `limit`."""
    z = zlib.decompressobj(wbits=31)
    try:
        out = z.decompress(body, limit + 1)
        if len(out) > limit or z.unconsumed_tail:
            raise BundleRefused(p, Refusal.INFLATES_TOO_MUCH, {"limit": limit})
        out += z.flush()
    except zlib.error as exc:
        raise BundleRefused(p, Refusal.NOT_GZIP) from exc
    if not z.eof or len(out) > limit:
        raise BundleRefused(p, Refusal.GZIP_INCOMPLETE)
    return out


def _content(p: str, body: bytes, records: int) -> tuple[list[Any], list[Any]]:
    """The two lists of the body, with the size bounded by the signed count of records."""
    raw = _inflate(p, body, MAX_RECORD_BYTES * records + 4096)
    try:
        content = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise BundleRefused(p, Refusal.NOT_JSON) from exc
    if (
        not isinstance(content, dict)
        or not isinstance(content.get("ballots"), list)
        or not isinstance(content.get("register"), list)
    ):
        raise BundleRefused(p, Refusal.NOT_TWO_LISTS)
    return content["ballots"], content["register"]


def import_bundle(store: Store, path: str | os.PathLike[str], *, forward: bool = True) -> ImportReport:
    p = str(path)
    schema.ensure(store)
    header, signed, body, signature = read(path)
    device = header.get("device")
    if not isinstance(device, str) or not 0 < len(device) <= 100:
        raise BundleRefused(p, Refusal.NO_DEVICE)
    try:
        key = devices.trusted_key(store, device)
    except DeviceError as exc:
        revoked = store.conn.execute("SELECT revoked FROM sync_devices WHERE device = ?", [device]).fetchone()
        refusal = Refusal.DEVICE_REVOKED if revoked and revoked[0] else Refusal.DEVICE_NOT_ENROLLED
        raise BundleRefused(p, refusal, {"device": device}) from exc
    if not devices.verify(key, signature, signed):
        raise BundleRefused(p, Refusal.BAD_SIGNATURE, {"device": device})
    if hashlib.sha256(body).hexdigest() != header.get("body_sha256"):
        raise BundleRefused(p, Refusal.BAD_CHECKSUM)
    bundle_id, seq, eid, records = _signed_header(p, header)
    try:
        election = store.election(eid)
    except NoElection as exc:
        raise BundleRefused(p, Refusal.ELECTION_NOT_HERE, {"election": eid}) from exc
    if election.fingerprint != header.get("election_fingerprint"):
        raise BundleRefused(p, Refusal.ELECTION_DIFFERS, {"election": eid, "device": device})
    row = store.conn.execute("SELECT summary FROM sync_bundles WHERE bundle_id = ?", [bundle_id]).fetchone()
    if row is not None:
        return ImportReport(Path(path), bundle_id, device, seq, True, merge.MergeReport())
    newest = store.conn.execute("SELECT max(seq) FROM sync_bundles WHERE device = ?", [device]).fetchone()[0]
    if newest is not None and seq < newest:
        raise BundleRefused(p, Refusal.OLDER_THAN_IMPORTED, {"seq": seq, "device": device, "newest": newest})
    wire_b, wire_r = _content(p, body, records)
    if len(wire_b) + len(wire_r) != records:
        raise BundleRefused(p, Refusal.COUNT_DIFFERS, {"found": len(wire_b) + len(wire_r), "announced": records})
    with store.transaction() as db:
        report = provenance.merge_signed(
            store, election, wire_b, wire_r, delivered_by=f"bundle:{device}", sender=device, forward=forward
        )
        db.execute(
            "INSERT INTO sync_bundles (bundle_id, device, seq, election, imported_day, summary) VALUES (?, ?, ?, ?, ?, ?)",
            [bundle_id, device, seq, eid, today(), json.dumps(report.as_dict())],
        )
        audit.append(
            db,
            "sync",
            "bundle.import",
            {
                "bundle": bundle_id,
                "device": device,
                "seq": seq,
                "new": report.ballots_new,
                "sender_audit_head": str(header.get("audit_head", "")),
            },
        )
    return ImportReport(Path(path), bundle_id, device, seq, False, report)
