"""Is what the store holds what Urne wrote? One check, run by `urne audit verify` and before any
result leaves Urne (tally, procès-verbal, exports).

Contract of `verify()`: raises a named error (StoreDamaged, AuditChainBroken, IntegrityFailed)
at the first problem, or returns a `Verified` summary:
- SQLite's own `quick_check` (a flipped byte in an index silently drops a ballot otherwise);
- the audit chain, ending at a head anchored OUTSIDE the store (the key folder's
  `audit-head.json`, and any head given by the caller: from a procès-verbal, a bundle, a hub);
- the ballots against their keyed seal (plain SQL edits);
- the election definition against the fingerprint written when it was installed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ballots import audit
from ballots.errors import AuditChainBroken, IntegrityFailed
from ballots.keys import Head
from ballots.store import Store


@dataclass(frozen=True)
class Verified:
    entries: int
    head: str
    anchored: bool  # the log ends at a head kept outside the store
    sealed: bool  # the ballots were checked against their keyed seal


def parse_head(text: str) -> Head:
    """'SEQ:HASH' (or just 'HASH' prefix is not enough: both are needed), as printed on the PV."""
    seq, _, digest = text.partition(":")
    try:
        return Head(int(seq), digest.strip().lower())
    except ValueError:
        raise IntegrityFailed(
            "audit", f"« {text} » n'est pas une tête du journal (NUMÉRO:EMPREINTE, comme sur le procès-verbal)"
        ) from None


def verify(store: Store, known_heads: Sequence[Head] = ()) -> Verified:
    store.quick_check()
    anchors = store.keys.acceptable_heads()
    count, head = audit.verify(store.db, anchors)
    for known in known_heads:
        # A head seen elsewhere must still be IN the log, with the same hash.
        row = store.conn.execute("SELECT hash FROM audit WHERE seq = ?", [known.seq]).fetchone()
        if row is None:
            raise AuditChainBroken(known.seq, "relevée hors du dossier de données mais absente du journal")
        if not row[0].startswith(known.hash):
            raise AuditChainBroken(known.seq, "diffère de la tête relevée hors du dossier de données")
    store.check_seal()
    if store.has_election():
        store.election()  # re-checks the definition's fingerprint
    return Verified(count, head, bool(anchors), store.get_meta("ballots:seal") is not None)


def check_before_publishing(store: Store) -> Verified:
    """Run before a number leaves Urne; raises rather than publish from a damaged or edited store."""
    return verify(store)
