"""Choose the division each place name of a document stands for, from the other places it names.

A candidate division is supported by the document's other resolved places:
the same unit named another way, a descendant (any depth), or an ancestor at
most two steps up (a county or prefecture for a township; a province alone
holds too many namesake townships to pin one). Places written next to each
other (滨城区秦皇台乡) count most. The best-supported candidate wins; a tie stays
unresolved unless one tied candidate contains the others (辽宁朝阳: 朝阳市, not
朝阳县). Old names (沾化县 for 沾化区) map only with such support.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from spacy.tokens import Span

from ..gazetteer import Gazetteer

_SAME_UNIT, _NEIGHBOUR, _ELSEWHERE = 5, 3, 1
_ANCESTOR_REACH = 2  # ancestors further up than this do not support a candidate
OUTLET_MARK = "@"  # keys of outlet places among the chosen surfaces


@dataclass
class Decision:
    """What one surface form of a document resolves to, and why."""

    candidates: tuple[str, ...]
    code: str | None = None
    note: str | None = None
    renamed: bool = False  # candidates share the base name under another level suffix


def resolve_surfaces(gaz: Gazetteer, places: list[Span], text: str,
                     outlet: dict[str, str] | None = None) -> dict[str, Decision]:
    """A decision per place surface form.

    Args:
        places: PLACE mentions in text order; ``span.id_`` names the rule that found each.
        text: the document text (surfaces are sliced from it: ``Span.text`` rebuilds them from tokens).
        outlet: unambiguous places named by the outlet or byline (上高县 of 上高县信息中心), by surface;
            they support candidates like places written elsewhere in the text, and are not entities.
    """
    found = [(p.start_char, p.end_char, text[p.start_char:p.end_char], p.id_) for p in places]
    present = {surface for _, _, surface, _ in found}
    decisions = {}
    for _, _, surface, rule in found:
        if surface not in decisions:
            decisions[surface] = _candidates(gaz, surface, rule, present)
    neighbours = _chain_neighbours(found)
    chosen = {s: d.candidates[0] for s, d in decisions.items() if len(d.candidates) == 1 and not d.renamed}
    for surface, code in chosen.items():
        decisions[surface].code = code
    for surface, code in (outlet or {}).items():
        chosen.setdefault(f"{OUTLET_MARK}{surface}", code)
    for _ in range(3):
        changed = False
        for surface, decision in decisions.items():
            if surface in chosen or not decision.candidates or (len(decision.candidates) < 2 and not decision.renamed):
                continue
            decision.code, decision.note = _disambiguate(gaz, surface, decision, chosen, neighbours)
            if decision.code:
                chosen[surface] = decision.code
                changed = True
        if not changed:
            break
    for surface, decision in decisions.items():
        if decision.renamed and decision.code is None and decision.note is None:
            decision.note = _unmapped_note(gaz, surface, decision.candidates)
    return decisions


def _candidates(gaz: Gazetteer, surface: str, rule: str, present: set[str]) -> Decision:
    if rule == "gazetteer_variant":
        variants = gaz.variants(surface)
        abbreviations = tuple(v.code for v in variants if v.kind == "abbreviation")
        if abbreviations:
            names = "/".join(gaz.by_code[c].name for c in abbreviations)
            return Decision(abbreviations, note=f"short for {names}")
        return Decision(tuple(v.code for v in variants), renamed=True)
    if rule == "gazetteer_short":
        codes = gaz.lookup(surface)
        # A township's short form stands only for a township whose full name the text uses.
        kept = tuple(c for c in codes if gaz.by_code[c].level < 4 or gaz.by_code[c].name in present)
        return Decision(kept or codes)
    if rule.startswith("gazetteer"):
        return Decision(gaz.lookup(surface))
    return Decision(())


def _chain_neighbours(found: list[tuple[int, int, str, str]]) -> dict[str, set[str]]:
    """Surfaces written right next to each other (滨城区|秦皇台乡), both ways."""
    ends = {end: surface for _, end, surface, _ in found}
    out: dict[str, set[str]] = {}
    for start, _, surface, _ in found:
        if start in ends:
            out.setdefault(surface, set()).add(ends[start])
            out.setdefault(ends[start], set()).add(surface)
    return out


def _disambiguate(gaz: Gazetteer, surface: str, decision: Decision, chosen: dict[str, str],
                  neighbours: dict[str, set[str]]) -> tuple[str | None, str]:
    candidates = decision.candidates
    scores: Counter[str] = Counter()
    for code in candidates:
        for other, other_code in chosen.items():
            if other == surface:
                continue
            if other_code == code:
                scores[code] += _SAME_UNIT
            elif gaz.supports(other_code, code, _ANCESTOR_REACH):
                scores[code] += _NEIGHBOUR if other in neighbours.get(surface, ()) else _ELSEWHERE
    ranked = scores.most_common()
    top = [c for c, n in ranked if n == ranked[0][1]] if ranked else []
    outer = [c for c in top if all(c == o or gaz.is_ancestor(c, o) for o in top)]
    if decision.renamed:
        if len(top) == 1:
            return top[0], _mapped_note(gaz, surface, top[0], chosen)
        return None, _unmapped_note(gaz, surface, candidates)
    if len(top) == 1:
        return top[0], f"{len(candidates)} candidates; chosen by related places in the text"
    if len(outer) == 1:
        return outer[0], (f"{len(candidates)} candidates; related places fit {len(top)} nested units, "
                          f"the shared name taken for the larger one")
    provinces = [c for c in candidates if gaz.by_code[c].level == 1]
    if len(provinces) == 1 and not ranked:
        return provinces[0], "province reading of a short name"
    if ranked:
        return None, f"{len(candidates)} candidates; {ranked[0][1]}-point tie between {', '.join(top[:3])}"
    return None, f"{len(candidates)} candidates and no related place in the text"


def _mapped_note(gaz: Gazetteer, surface: str, code: str, chosen: dict[str, str]) -> str:
    division = gaz.by_code[code]
    support = sorted({s.replace(OUTLET_MARK, "") for s, c in chosen.items()
                      if s != surface and c != code and gaz.supports(c, code, _ANCESTOR_REACH)})
    return (f"{surface} is not in the division list; mapped from the old name to {division.name} ({code}), "
            f"the only unit of that base name under {'、'.join(support)}")


def _unmapped_note(gaz: Gazetteer, surface: str, candidates: tuple[str, ...]) -> str:
    names = ", ".join(f"{gaz.by_code[c].name} ({c})" for c in candidates[:3])
    one = len(candidates) == 1
    return (f"{surface} is not in the division list; {names} {'has' if one else 'have'} its base name, "
            f"but the text names no unit above or below {'it' if one else 'exactly one of them'}")
