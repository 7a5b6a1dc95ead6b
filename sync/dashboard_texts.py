"""What the vote-day dashboard says and draws: its words in French and English (looked up by
key, French first), "il y a 5 min", and the geometry of its bar charts. The routes, sessions and
sign-in are in sync/dashboard.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

TEXTS: dict[str, dict[str, str]] = {
    "fr": {
        "title": "Tableau de bord du scrutin",
        "skip": "Aller au contenu",
        "login": "Connexion du personnel",
        "password": "Mot de passe",
        "name": "Votre nom",
        "name_hint": "Laissez vide pour le mot de passe commun du personnel.",
        "signed_in_as": "Connecté : {name}",
        "shared_session": "personnel (mot de passe commun)",
        "sign_in": "Se connecter",
        "sign_out": "Se déconnecter",
        "bad_password": "Mot de passe incorrect.",
        "locked": "Trop d'essais : réessayez dans une minute.",
        "no_password": "Aucun compte ni mot de passe du personnel : lancez « urne hub staff add NOM » ou "
        "« urne staff-password » sur le hub.",
        "expired": "Votre session a expiré ou le formulaire est périmé : reconnectez-vous.",
        "polls": "Scrutin",
        "polls_not_opened": "pas encore ouvert",
        "polls_open": "ouvert",
        "polls_paused": "suspendu",
        "polls_closed": "clos",
        "close_polls": "Clore le scrutin au hub",
        "reopen_polls": "Rouvrir le scrutin au hub",
        "counted": "Bulletins comptés",
        "register": "Émargements",
        "conflicts": "Conflits à trancher",
        "duplicates": "Électeurs en double",
        "devices": "Appareils",
        "device": "Appareil",
        "place": "Lieu",
        "last_sync": "Dernière synchro",
        "backlog": "En attente",
        "ballots": "Bulletins",
        "state": "État",
        "ok": "à jour",
        "stale": "silencieux",
        "never_synced": "jamais synchronisé",
        "revoked": "révoqué",
        "audit_problem": "journal d'audit revenu en arrière",
        "audit_head": "journal",
        "never": "jamais",
        "unknown": "inconnu",
        "just_now": "à l'instant",
        "min_ago": "il y a {n} min",
        "h_ago": "il y a {n} h",
        "d_ago": "il y a {n} j",
        "waiting": "En attente d'une personne",
        "no_conflict": "Aucun conflit ni électeur en double.",
        "conflict": "Bulletin {ballot} : {n} copies différentes",
        "duplicate": "Électeur {voter} : vu par {origins}",
        "resolve_hint": "À trancher avec « urne conflicts » sur le hub.",
        "totals": "Résultats provisoires",
        "totals_final": "Résultats",
        "totals_hidden": "Résultats non publiés : {why}. Ils s'afficheront à la clôture du scrutin.",
        "provisional_because": "Provisoires : {why}. Les chiffres peuvent encore changer.",
        "choice": "Choix",
        "votes": "Voix",
        "chart": "Voix par choix pour « {q} »",
        "refresh": "Actualiser",
        "pause": "Mettre en pause l'actualisation",
        "resume": "Reprendre l'actualisation",
        "auto": "Actualisation automatique toutes les {n} s.",
        "updated": "Mis à jour à {t}",
        "language": "Langue",
        "no_device": "Aucun appareil enrôlé.",
        "public_title": "Résultats du scrutin",
        "kiosk": "borne",
        "paper": "papier",
        "stale_count": "{n} appareil(s) silencieux depuis plus de {m} min",
        "summary": "Résumé",
    },
    "en": {
        "title": "Vote-day dashboard",
        "skip": "Skip to content",
        "login": "Staff sign-in",
        "password": "Password",
        "name": "Your name",
        "name_hint": "Leave empty for the staff's shared password.",
        "signed_in_as": "Signed in: {name}",
        "shared_session": "staff (shared password)",
        "sign_in": "Sign in",
        "sign_out": "Sign out",
        "bad_password": "Wrong password.",
        "locked": "Too many attempts: try again in a minute.",
        "no_password": "No staff account or password: run 'urne hub staff add NAME' or 'urne staff-password' on the hub.",
        "expired": "Your session expired or the form is stale: please sign in again.",
        "polls": "Polls",
        "polls_not_opened": "not opened yet",
        "polls_open": "open",
        "polls_paused": "paused",
        "polls_closed": "closed",
        "close_polls": "Close the polls at the hub",
        "reopen_polls": "Reopen the polls at the hub",
        "counted": "Ballots counted",
        "register": "Voters signed in",
        "conflicts": "Conflicts to decide",
        "duplicates": "Duplicate voters",
        "devices": "Devices",
        "device": "Device",
        "place": "Place",
        "last_sync": "Last sync",
        "backlog": "Waiting",
        "ballots": "Ballots",
        "state": "State",
        "ok": "up to date",
        "stale": "silent",
        "never_synced": "never synced",
        "revoked": "revoked",
        "audit_problem": "audit log went back",
        "audit_head": "audit log",
        "never": "never",
        "unknown": "unknown",
        "just_now": "just now",
        "min_ago": "{n} min ago",
        "h_ago": "{n} h ago",
        "d_ago": "{n} d ago",
        "waiting": "Waiting for a person",
        "no_conflict": "No conflict, no duplicate voter.",
        "conflict": "Ballot {ballot}: {n} different copies",
        "duplicate": "Voter {voter}: seen by {origins}",
        "resolve_hint": "Decide with 'urne conflicts' on the hub.",
        "totals": "Provisional results",
        "totals_final": "Results",
        "totals_hidden": "Results not published: {why}. They will show once the polls are closed.",
        "provisional_because": "Provisional: {why}. The figures may still change.",
        "choice": "Choice",
        "votes": "Votes",
        "chart": "Votes per choice for “{q}”",
        "refresh": "Refresh",
        "pause": "Pause auto-refresh",
        "resume": "Resume auto-refresh",
        "auto": "Refreshes by itself every {n} s.",
        "updated": "Updated at {t}",
        "language": "Language",
        "no_device": "No device enrolled.",
        "public_title": "Results",
        "kiosk": "kiosk",
        "paper": "paper",
        "stale_count": "{n} device(s) silent for more than {m} min",
        "summary": "Summary",
    },
}


def ago(when: str | None, now: dt.datetime, lang: str) -> str:
    t = TEXTS[lang]
    if not when:
        return t["never"]
    seen = dt.datetime.fromisoformat(when)
    if seen.tzinfo is None:
        seen = seen.replace(tzinfo=dt.UTC)
    minutes = int((now - seen).total_seconds() // 60)
    if minutes < 1:
        return t["just_now"]
    if minutes < 60:
        return t["min_ago"].format(n=minutes)
    if minutes < 48 * 60:
        return t["h_ago"].format(n=minutes // 60)
    return t["d_ago"].format(n=minutes // 1440)


def age_minutes(when: str | None, now: dt.datetime) -> float | None:
    if not when:
        return None
    seen = dt.datetime.fromisoformat(when)
    if seen.tzinfo is None:
        seen = seen.replace(tzinfo=dt.UTC)
    return (now - seen).total_seconds() / 60


def bar_chart(rows: list[tuple[str, int]], label: str) -> dict[str, Any]:
    """Geometry of a horizontal bar chart, drawn by the template as inline SVG: the choice's
    name on the left (cut at 27 characters; the table below has it whole), then its bar."""
    top = max((v for _, v in rows), default=0) or 1
    bar_h, gap, label_w, width = 24, 10, 290, 720
    span = width - label_w - 70
    bars = []
    for i, (name, votes) in enumerate(rows):
        short = name if len(name) <= 27 else name[:26].rstrip() + "…"
        bars.append({"y": i * (bar_h + gap), "name": short, "votes": votes, "w": max(2, round(span * votes / top))})
    return {
        "bars": bars,
        "height": len(rows) * (bar_h + gap),
        "width": width,
        "bar_h": bar_h,
        "label": label,
        "lw": label_w,
    }
