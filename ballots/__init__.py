"""Urne's domain: elections, vote rules, durable storage, tally and outcome rules, paper ballots.

No Qt and no network live here; `kiosk/` and `sync/` call in, never the other way round.
"""
