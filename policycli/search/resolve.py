"""One policy from what a person types: an id, a printed number, a title, or anything `search`
finds with one clear winner (技改 → techretrofit). Several candidates are an error that names them."""
from __future__ import annotations

from ..dataset.lookup import Ambiguous, ambiguous, find_policy, normalize, parse_ref
from ..dataset.model import Catalog, Policy
from ..errors import InputError
from .rank import search

CLEAR = 0.75  # the runner-up scores below this share of the best: the best is the one meant
SHOWN = 5

__all__ = ["Ambiguous", "clear_winner", "resolve_policy"]


def clear_winner(catalog: Catalog, text: str) -> Policy | None:
    """The policy `text` names (see `resolve_policy`), or None when it names none; raises
    Ambiguous when it fits several. For lookups that have their own message for nothing found
    (contacts)."""
    try:
        return resolve_policy(catalog, text)
    except Ambiguous:
        raise
    except InputError:
        return None


def resolve_policy(catalog: Catalog, text: str) -> Policy:
    """`find_policy`, else the clear winner of a search; raises InputError with find_policy's
    reason when the search finds nothing, or with the candidates when it finds several."""
    try:
        return find_policy(catalog, text)
    except Ambiguous:
        raise
    except InputError as exc:
        if not normalize(text) or parse_ref(text) is not None:
            raise
        reason = exc
    try:
        result = search(catalog, text, limit=SHOWN)
    except InputError:
        raise reason from None
    hits = result.hits
    if not hits:
        raise reason
    if len(hits) == 1 or hits[1].score < CLEAR * hits[0].score:
        return hits[0].policy
    more = f"等 {result.total} 项" if result.total > len(hits) else ""
    raise ambiguous(text, [h.policy for h in hits], more)
