"""Developer tools, not shipped in the wheel: screenshots of every screen (`make screenshots`).

Run from the checkout: `python -m tools.screenshots`, `python -m tools.counting_screenshots`.
"""
