"""Paper ballots: print, layout, testdeck, scan (and a headless demo step)."""

from __future__ import annotations

import json
import random
import tempfile
import time
from pathlib import Path

import click

from kiosk.commands.common import with_context
from kiosk.context import Context


@click.command("print", help="Imprimer N bulletins papier numérotés dans un PDF.")
@click.option("--count", type=click.IntRange(min=1), required=True, help="combien de bulletins")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, metavar="FILE.pdf")
@click.option("--letter", is_flag=True, help="format US Letter au lieu du format configuré")
@click.option("--large-print", is_flag=True, help="gros caractères pour les électeurs malvoyants")
@with_context
def print_ballots(ctx: Context, count: int, out: Path, letter: bool, large_print: bool) -> int:
    from ballots.paper import geometry, printing

    store = ctx.store()
    size = "letter" if letter else ctx.config.paper.page_size
    serials = printing.print_ballots(store, count, out, size, large_print)
    lay = geometry.layout(store.election(), geometry.variant_for(size, large_print))
    click.echo(
        f"{len(serials)} bulletin(s) ({lay.sheets} feuille(s) chacun, {size}"
        f"{', gros caractères' if large_print else ''}) écrits dans {out}"
    )
    return 0


@click.command(help="La géométrie du bulletin (points PDF, origine en haut à gauche).")
@click.option("--json", "as_json", is_flag=True, help="sortie lisible par une machine")
@click.option("--letter", is_flag=True, help="format US Letter au lieu du format configuré")
@click.option("--large-print", is_flag=True, help="la variante en gros caractères")
@with_context
def layout(ctx: Context, as_json: bool, letter: bool, large_print: bool) -> int:
    from ballots.paper import geometry

    size = "letter" if letter else ctx.config.paper.page_size
    lay = geometry.layout(ctx.store().election(), geometry.variant_for(size, large_print))
    doc = lay.to_json()
    if as_json:
        click.echo(json.dumps(doc, ensure_ascii=False))
    else:
        click.echo(f"page {doc['page_size_pt']} pt, {lay.sheets} sheet(s), {len(lay.boxes)} box(es)")
        for b in lay.boxes:
            click.echo(f"  sheet {b.sheet} {b.question}/{b.key}: {[round(v, 1) for v in b.rect]}")
    return 0


@click.command(help="Bulletins de test pré-cochés et leur décompte attendu.")
@click.option("--count", type=click.IntRange(min=1), required=True, help="combien de bulletins de test")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True, metavar="DIR")
@click.option("--png", is_flag=True, help="écrire aussi les pages en PNG (150 dpi)")
@click.option("--seed", type=int, default=2026, show_default=True)
@with_context
def testdeck(ctx: Context, count: int, out: Path, png: bool, seed: int) -> int:
    from ballots.paper import testdeck as decks

    exp = decks.make_testdeck(ctx.store(), count, out, png=png, seed=seed)
    click.echo(
        f"{exp['ballots']} bulletin(s) de test dans {out} (testdeck.pdf{', PNG' if png else ''}, "
        "expected.json); lisez-les avec 'urne scan --test-mode'"
    )
    return 0


# Paths are not checked for existence here: a missing file is one clear line in the batch,
# and the batch goes on (the reader reports it like any unreadable page).
@click.command(help="Lire des bulletins numérisés (fichiers ou dossiers).")
@click.argument("paths", nargs=-1, required=True, type=click.Path(), metavar="PATH...")
@click.option("--json", "as_json", is_flag=True, help="une ligne JSON par feuille")
@click.option(
    "--test-mode", is_flag=True, help="lire un jeu de test (enregistré comme test, jamais compté) : PASS/FAIL"
)
@click.option(
    "--expected",
    type=click.Path(dir_okay=False),
    default=None,
    help="mode test : le expected.json du jeu (par défaut : trouvé dans ou à côté de CHEMIN)",
)
@click.option("--workers", type=click.IntRange(min=1), default=None, help="processus (par défaut : tous les cœurs)")
@with_context
def scan(
    ctx: Context, paths: tuple[str, ...], as_json: bool, test_mode: bool, expected: str | None, workers: int | None
) -> int:
    from ballots.paper import scan as scanning
    from ballots.paper import testdeck as decks
    from ballots.report.labels import reason_label, status_label

    store = ctx.store()

    def progress(done: int, total: int, res: scanning.SheetResult) -> None:
        if as_json:
            click.echo(json.dumps(res.to_json(), ensure_ascii=False))
        else:
            # Staff read this line: the status and reasons in words (`--json` keeps the codes).
            why = " — " + "; ".join(reason_label(r) for r in res.reasons) if res.reasons else ""
            click.echo(f"[{done}/{total}] {res.source} p.{res.page}: {status_label(res.status)}{why}")

    deck = None
    if test_mode:
        found = expected or decks.find_expected(paths)
        deck = decks.load_expected(found, store.election()) if found else None
    # The one scan service (the counting window calls it too): reading, storing, the ledger.
    report = scanning.scan_batch(store, list(paths), test_mode=test_mode, on_progress=progress, workers=workers)
    if not as_json:
        counts = report.counts()
        click.echo(
            "total : " + ", ".join(f"{status_label(k)} {v}" for k, v in sorted(counts.items()))
            if counts
            else "aucune feuille trouvée"
        )
    for notice in report.notices:  # the batch's own, once (the counting window shows the same words)
        click.echo(json.dumps(notice.to_json()) if as_json else "ATTENTION : " + reason_label(notice.reason) + ".")
    if not test_mode:
        return 0
    if deck is None:
        click.echo("mode test : pas de expected.json trouvé, aucun verdict (--expected FICHIER)", err=True)
        return 0
    verdict = decks.verdict(store, deck, report.results)
    if as_json:
        click.echo(json.dumps(verdict.to_json(), ensure_ascii=False))
    else:
        for b in verdict.ballots:
            click.echo(f"{'PASS' if b.ok else 'FAIL'} {b.serial} : {decks.VERDICT_WORDS[b.why]}")
        tally = "conforme" if verdict.expected_tally == verdict.read_tally else "DIFFÉRENT de expected.json"
        click.echo(f"décompte : {tally}")
        ok = sum(b.ok for b in verdict.ballots)
        click.echo(f"VERDICT : {'PASS' if verdict.ok else 'FAIL'} ({ok}/{len(verdict.ballots)})")
    return 0 if verdict.ok else 1


def demo_step(ctx: Context, seed: int) -> None:
    """Print 4 ballots, draw pen marks on their rendered images (one turned upside down), scan them."""
    import cv2
    import numpy as np

    from ballots.paper import geometry, scan, testdeck
    from ballots.paper.printing import print_ballots

    t0 = time.perf_counter()
    store = ctx.store()
    election = store.election()
    lay = geometry.layout(election, "A")
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "bulletins.pdf"
        print_ballots(store, 4, pdf)
        pages = testdeck.render_pages(pdf, Path(tmp), 150)
        k = 150 / 72
        for i, page in enumerate(pages):
            img = cv2.imread(str(page), cv2.IMREAD_GRAYSCALE)
            assert img is not None, page  # just rendered by us
            for q in election.questions:
                boxes = [b for b in lay.sheet_boxes(1) if b.question == q.id]
                hi = 1 if q.rule.kind.value == "single" else max(q.rule.max, 1)
                for b in rng.sample(boxes, rng.randint(1, min(hi, len(boxes)))):
                    x, y, w, h = (int(v * k) for v in b.rect)
                    cv2.line(img, (x + 2, y + 2), (x + w - 2, y + h - 2), 25, 3)
                    cv2.line(img, (x + w - 2, y + 2), (x + 2, y + h - 2), 25, 3)
            if i == 3:
                img = np.ascontiguousarray(img[::-1, ::-1])
            cv2.imwrite(str(page), img)
        results = scan.scan_paths(store, pages, workers=1)
    by: dict[str, int] = {}
    for r in results:
        by[r.status] = by.get(r.status, 0) + 1
    from ballots.report.labels import status_label

    said = ", ".join(f"{status_label(s)} : {n}" for s, n in sorted(by.items()))
    click.echo(
        f"[demo] papier : 4 bulletins imprimés, cochés, numérisés (un à l'envers) : {said} "
        f"en {time.perf_counter() - t0:.1f} s"
    )
