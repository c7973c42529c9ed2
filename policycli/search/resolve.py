"""One policy from what a person types. The rule: an id, a printed number or a title (exact, or
part of one title only) names its policy (techretrofit, 3); anything else names a policy only when
`search` finds exactly that one (技改 → techretrofit). A search that finds several is an error naming
them (补贴, 数据, 设备), however the first ranks: a guess costs the user more than a question."""
from __future__ import annotations

from ..dataset.lookup import Ambiguous, ambiguous, as_in_list, find_policy, list_prefix, normalize, parse_ref
from ..dataset.model import Catalog, Policy
from ..errors import InputError
from .rank import search

SHOWN = 5

__all__ = ["Ambiguous", "clear_winner", "resolve_policy"]


def clear_winner(catalog: Catalog, text: str) -> Policy | None:
    """The policy `text` names (see the module docstring), or None when it names none; raises
    Ambiguous when it fits several. For lookups that have their own message for nothing found
    (contacts)."""
    try:
        return resolve_policy(catalog, text)
    except Ambiguous:
        raise
    except InputError:
        return None


def resolve_policy(catalog: Catalog, text: str) -> Policy:
    """The policy `text` names (see the module docstring); raises InputError with find_policy's
    reason when nothing fits, or `Ambiguous` naming the candidates when several do."""
    try:
        found = find_policy(catalog, text)
    except Ambiguous:
        raise
    except InputError as exc:
        if not normalize(text) or parse_ref(text) is not None:
            raise
        found, reason = None, exc
    if found is not None and _named_exactly(found, text):
        return found
    name, words = list_prefix(catalog, normalize(text))
    try:
        result = search(catalog, words, limit=SHOWN if name is None else len(catalog.policies))
    except InputError:
        if found is not None:
            return found
        raise reason from None
    hits = [h.policy for h in result.hits]
    total = result.total
    if name is not None:  # LIST:words: the hits of that list, as it holds them
        hits = [own for p in hits if (own := as_in_list(p, name)) is not None]
        total = len(hits)
    if total == 1:
        return hits[0]
    if not hits:
        if found is not None:
            return found
        raise reason
    more = f"等 {total} 项" if total > SHOWN else ""
    raise ambiguous(text, hits[:SHOWN], more)


def _named_exactly(policy: Policy, text: str) -> bool:
    """`text` is the policy's id (also in another list, or as LIST:id), printed number or whole title."""
    q = normalize(text).replace("：", ":")
    return (parse_ref(q) is not None or ":" in q or q == policy.id or q == normalize(policy.title)
            or any(other.split(":", 1)[1] == q for other in policy.also))
