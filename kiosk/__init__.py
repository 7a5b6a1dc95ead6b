"""Urne's application shell: the Qt kiosk, staff and scan-station screens, and the `urne` CLI.

Thin by design: every rule lives in `ballots/`, everything that crosses a machine in `sync/`.
"""
