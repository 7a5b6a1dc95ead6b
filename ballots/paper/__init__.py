"""Paper ballots: print unforgeable QR-coded ballots, read scans, never misread.

Public API (stable; the Qt scan station builds on it):

- `ballots.paper.printing.print_ballots(store, count, out, page_size="A4", large_print=False)`
  -> serials: issues serials and writes the PDF.
- `ballots.paper.scan.scan_paths(store, paths, *, test_mode=False, on_progress=None, cancel=None,
  workers=None)` -> list[SheetResult]: reads files/folders, stores paper ballots (id = serial).
- `ballots.paper.issued.sheet_evidence(store, serial)` -> list[SheetEvidence]: straightened sheet
  image, box rectangles in its pixels, box crops, status and reasons, for the review screen.
- `ballots.paper.geometry.layout(election, variant)`: where everything is (points, top-left).
- `ballots.paper.testdeck.make_testdeck(store, count, out_dir, png=False)`: logic-and-accuracy decks.

Modules: geometry (single source of truth), qrcode_payload (format + HMAC), printing (reportlab),
issued (own tables), sources (files -> grey pages), reading (marks, orientation, QR), marks (box
states), sheet (one page -> PageRead, runs in worker processes), scan (batches + store), testdeck.
"""
