"""Everything that crosses a machine boundary: bundles, the hub, the client, Purpoz, exports.

May import `ballots`, never `kiosk`. Each module names one external operation and says in its
docstring what success and failure mean.
"""
