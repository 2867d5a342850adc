"""Reads about children, always through people.access.

`child_search` finds children by identifier or by a name spelt the way the
caller heard it; `possible_duplicates` warns before a second record is made
for a child who already has one.

How name search stays fast on a large authority: candidates are fetched by
indexed keys only (NYSIIS code, with Y/A variants so Smyth meets Smith; the
first three letters of the folded last name; the same keys on aliases), capped
at CANDIDATE_LIMIT, and only those are ranked in Python by Jaro-Winkler.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass, field

import jellyfish
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from . import access
from .models import Address, Child, ChildAlias, PartnerShare, Person, Relationship, RestrictedAccessGrant
from .names import fold, phonetic
from .validators import UPN_ALPHABET, postcode_search_form

CANDIDATE_LIMIT = 500
NAME_MATCH_LIMIT = 5000  # name-key matches read before the access filter (a very common name)
RESULT_LIMIT = 200
MIN_SCORE = 0.72  # a weaker name match than this is not shown
MIN_PART_SCORE = 0.7  # nor one where the first or the last name alone is further off

_UPN_QUERY = re.compile(rf"^[{UPN_ALPHABET}][0-9]{{11}}[0-9{UPN_ALPHABET}]$")
_LA_ID_QUERY = re.compile(r"^[A-Z]{0,3}[0-9]{3,12}$")


def _phonetic_variants(code: str, cap: int = 16) -> list[str]:
    """The NYSIIS code with each Y/A after the first letter swapped: SNYT -> [SNYT, SNAT]."""
    if not code:
        return []
    positions = [i for i, ch in enumerate(code) if i > 0 and ch in "AY"][:4]
    variants = []
    for flips in itertools.product((False, True), repeat=len(positions)):
        chars = list(code)
        for pos, flip in zip(positions, flips, strict=True):
            if flip:
                chars[pos] = "A" if chars[pos] == "Y" else "Y"
        variants.append("".join(chars))
    return variants[:cap]


def _starts_with(field: str, prefix: str) -> Q:
    """`field` starts with `prefix`, for folded keys (letters a-z only), as a range the index serves.

    SQLite cannot use an index for LIKE 'abc%' (its LIKE ignores case), so a plain
    startswith would scan every child. Every folded key starting with 'abc' lies
    between 'abc' and 'abc' followed by z's, and nothing else does.
    """
    return Q(**{f"{field}__gte": prefix, f"{field}__lte": prefix + "z" * 100})


def _part_q(value: str, part: str, *, strict: bool) -> Q:
    """One name part that sounds alike or, unless strict, starts with the same three letters."""
    folded = fold(value)
    q = Q(**{f"phonetic_{part}__in": _phonetic_variants(phonetic(value))})
    if not strict:
        if len(folded) >= 3:
            q |= _starts_with(f"search_{part}", folded[:3])
        else:
            q |= Q(**{f"search_{part}": folded})
    return q


def _name_q(first: str, last: str, *, strict: bool = False) -> Q:
    """Candidates whose last name (and first name, when given) sound alike or, unless strict, start alike."""
    q = Q()
    for value, part in ((last, "last"), (first, "first")):
        if value:
            q &= _part_q(value, part, strict=strict)
    return q


def _matching_ids(names: Q) -> list[int]:
    """Ids of children whose name keys match, found through the name indexes alone.

    Asked on its own, so the database plans it on the name indexes, and not on the
    access filter that every child passes; the access filter is applied to these ids.
    """
    return list(Child.objects.filter(names).order_by().values_list("pk", flat=True)[:NAME_MATCH_LIMIT])


def _tiers(pairs: list[tuple[str, str]]) -> list[Q]:
    """Candidate queries from the closest to the loosest, so the closest are never crowded out by the cap."""
    strict, initial, loose = Q(), Q(), Q()
    for first, last in pairs:
        strict |= _name_q(first, last, strict=True)
        if first and last:
            last_q = _part_q(last, "last", strict=False)
            initial |= last_q & _starts_with("search_first", fold(first)[:2])
            loose |= last_q  # a first name spelt very differently (Jaden, Jayden) is ranked below
        else:
            initial |= _name_q(first, last)
            loose |= _name_q(first, last)
    return [strict, initial, loose]


def _similarity(a: str, b: str) -> float:
    """Jaro-Winkler similarity of two names already folded (see names.fold)."""
    if not a or not b:
        return 0.0
    return jellyfish.jaro_winkler_similarity(a, b)


def _name_pairs(tokens: list[str]) -> list[tuple[str, str]]:
    """(first, last) readings of a typed name: 'Ann Marie Smith' -> first+last in either order."""
    if len(tokens) == 1:
        return [("", tokens[0]), (tokens[0], "")]
    pairs = [(tokens[0], tokens[-1]), (tokens[-1], tokens[0])]
    if len(tokens) > 2:
        pairs.append((tokens[0], " ".join(tokens[1:])))  # a two-part last name
        pairs.append((" ".join(tokens[:-1]), tokens[-1]))
    return pairs


def _score(names: list[tuple[str, str]], pairs: list[tuple[str, str]]) -> float:
    best = 0.0
    for first, last in pairs:
        for cand_first, cand_last in names:
            if first and last:
                parts = (_similarity(first, cand_first), _similarity(last, cand_last))
                score = sum(parts) / 2 if min(parts) >= MIN_PART_SCORE else 0.0
            elif last:
                score = _similarity(last, cand_last)
            else:
                score = _similarity(first, cand_first)
            best = max(best, score)
    return best


def _identifier_matches(base: QuerySet[Child], query: str) -> QuerySet[Child] | None:
    compact = re.sub(r"[\s\-]", "", query).upper()
    if not compact:
        return None
    if compact.isdigit() and len(compact) == 10:
        q = Q(nhs_number=compact)
    elif _UPN_QUERY.match(compact):
        q = Q(upn=compact)
    elif _LA_ID_QUERY.match(compact):
        q = Q(la_child_id=compact) | Q(la_child_id=query.strip())
    else:
        return None
    # A number recorded on a record since merged finds the record it was merged into.
    # Asked first, on its own, so each query is planned on the identifier's unique index.
    ids = list(Child.objects.filter(q).values_list("pk", "merged_into"))
    return base.filter(pk__in=[merged or pk for pk, merged in ids])


def _postcode_filter(qs: QuerySet[Child], postcode: str) -> QuerySet[Child]:
    value, full = postcode_search_form(postcode)
    if not value:
        return qs.none()
    addresses = Address.objects.filter(postcode=value) if full else Address.objects.filter(
        postcode__startswith=f"{value} "
    )
    return qs.filter(pk__in=addresses.values("child_id"))


@dataclass
class SearchResult:
    child: Child
    score: float = 1.0
    matched_alias: str = ""


def child_search(
    *, user, query: str = "", date_of_birth: dt.date | None = None, postcode: str = "", limit: int = RESULT_LIMIT
) -> list[SearchResult]:
    """Children this user may see who match, best first. Empty when nothing was asked."""
    query = " ".join((query or "").split())
    base = access.children_for(user)
    if date_of_birth:
        base = base.filter(date_of_birth=date_of_birth)
    if postcode and postcode.strip():
        base = _postcode_filter(base, postcode)
    if not query:
        if not date_of_birth and not (postcode and postcode.strip()):
            return []
        children = base.order_by("last_name", "first_name", "pk")[:limit]
        return [SearchResult(child=c) for c in children]

    identified = _identifier_matches(base, query)
    if identified is not None:
        return [SearchResult(child=c) for c in identified.order_by("last_name", "first_name", "pk")[:limit]]

    tokens = [t for t in (fold(t) for t in query.split()) if t]
    if not tokens:
        return []
    pairs = [(fold(first), fold(last)) for first, last in _name_pairs(tokens)]
    tiers = _tiers(pairs)
    alias_child_ids = list(
        ChildAlias.objects.filter(tiers[1]).values_list("child_id", flat=True)[:CANDIDATE_LIMIT]
    )
    keys = ("pk", "search_first", "search_last", "preferred_name")
    candidates = list(
        base.filter(pk__in=[*_matching_ids(tiers[0]), *alias_child_ids])
        .order_by("pk").values_list(*keys)[:CANDIDATE_LIMIT]
    )
    for tier in tiers[1:]:
        if len(candidates) >= CANDIDATE_LIMIT:
            break
        seen = {c[0] for c in candidates}
        ids = [pk for pk in _matching_ids(tier) if pk not in seen]
        candidates += list(
            base.filter(pk__in=ids).order_by("pk").values_list(*keys)[: CANDIDATE_LIMIT - len(candidates)]
        )
    aliases: dict[int, list[ChildAlias]] = {}
    for alias in ChildAlias.objects.filter(child_id__in=[c[0] for c in candidates]):
        aliases.setdefault(alias.child_id, []).append(alias)

    scored: list[tuple[float, str, str, int, str]] = []
    for pk, first, last, preferred in candidates:
        names = [(first, last)]
        if preferred:
            names.append((fold(preferred), last))
        own = _score(names, pairs)
        alias_names = [(a.search_first, a.search_last) for a in aliases.get(pk, [])]
        alias_score = _score(alias_names, pairs) if alias_names else 0.0
        score = max(own, alias_score)
        if score < MIN_SCORE:
            continue
        matched = ""
        if alias_score > own:
            best = max(aliases[pk], key=lambda a: _score([(a.search_first, a.search_last)], pairs))
            matched = str(best)
        scored.append((score, last, first, pk, matched))
    # Only the children shown are loaded in full.
    scored.sort(key=lambda item: (-item[0], item[1], item[2], item[3]))
    shown = scored[:limit]
    children = Child.objects.in_bulk([item[3] for item in shown])
    results = [SearchResult(child=children[pk], score=score, matched_alias=matched)
               for score, _, _, pk, matched in shown]
    results.sort(key=lambda r: (-r.score, r.child.last_name, r.child.first_name, r.child.pk))
    return results[:limit]


def current_postcodes(children) -> dict[int, str]:
    """{child id: postcode of the current address} in one query."""
    ids = [c.pk for c in children]
    out: dict[int, str] = {}
    for child_id, code in (
        Address.objects.filter(child_id__in=ids, end_date__isnull=True)
        .order_by("child_id", "-start_date", "-id")
        .values_list("child_id", "postcode")
    ):
        out.setdefault(child_id, code)
    return out


# Possible duplicates ---------------------------------------------------------------


@dataclass
class DuplicateCheck:
    visible: list[Child] = field(default_factory=list)
    hidden: bool = False  # a possible match exists that the user may not see

    def __bool__(self) -> bool:
        return bool(self.visible) or self.hidden


STRONG_SCORE = 0.8  # a name this close (either way round) to the one typed is a possible match


def _match_q(first_name: str, last_name: str, date_of_birth: dt.date | None) -> Q | None:
    """Candidates for the duplicate check, by the indexed name keys shared by Child and Person: a name that
    sounds or starts alike (either way round: first and last names swapped) born the same day, or the same
    last name born the same day; with no date of birth, a name that sounds alike both ways."""
    if not (first_name or last_name):
        return None
    orders = [(first_name, last_name)] + ([(last_name, first_name)] if first_name and last_name else [])
    q = Q()
    for first, last in orders:
        if date_of_birth:
            q |= _name_q(first, last) & Q(date_of_birth=date_of_birth)
            if last:
                q |= Q(date_of_birth=date_of_birth, search_last=fold(last))
        else:
            q |= _name_q(first, last) & Q(phonetic_last=phonetic(last), phonetic_first=phonetic(first))
    return q


def _name_is_close(record, first_name: str, last_name: str) -> bool:
    typed = (fold(first_name), fold(last_name))
    return _score([(fold(record.first_name), fold(record.last_name))], [typed, typed[::-1]]) >= STRONG_SCORE


def possible_duplicates(
    *, user, first_name: str, last_name: str, date_of_birth: dt.date | None = None, nhs_number: str = "",
    upn: str = "", exclude_pk: int | None = None,
) -> DuplicateCheck:
    """Children who may be this child, across every record (restricted ones too).

    Matches the user may see are returned; for the rest only `hidden=True` is said. The one matching of
    names for every place a child or a person is added (see possible_people).
    """
    q = Q()
    if nhs_number:
        q |= Q(nhs_number=re.sub(r"[\s\-]", "", nhs_number))
    if upn:
        q |= Q(upn=re.sub(r"[\s\-]", "", upn).upper())
    name_q = _match_q(first_name, last_name, date_of_birth)
    if name_q is not None:
        q |= name_q
    if not q:
        return DuplicateCheck()
    pool = Child.objects.filter(q, merged_into__isnull=True)
    if exclude_pk:
        pool = pool.exclude(pk=exclude_pk)
    matches = list(pool.order_by("pk")[:50])
    strong = []
    for child in matches:
        same_id = (nhs_number and child.nhs_number == re.sub(r"[\s\-]", "", nhs_number)) or (
            upn and child.upn == re.sub(r"[\s\-]", "", upn).upper()
        )
        if same_id or _name_is_close(child, first_name, last_name):
            strong.append(child)
    if not strong:
        return DuplicateCheck()
    visible_ids = set(access.children_for(user).filter(pk__in=[c.pk for c in strong]).values_list("pk", flat=True))
    return DuplicateCheck(
        visible=[c for c in strong if c.pk in visible_ids],
        hidden=any(c.pk not in visible_ids for c in strong),
    )


@dataclass
class PossibleMatch:
    """An existing child or person who may be the one being added, with what the user may know of them."""

    kind: str  # "child" or "person"
    record: Child | Person
    context: list[str] = field(default_factory=list)  # e.g. "Mother of Malcolm Andrews (C0001234)"
    risks: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.record.pk}"

    @property
    def name(self) -> str:
        return f"{self.record.first_name} {self.record.last_name}"

    @property
    def label(self) -> str:
        ref = self.record.la_child_id if self.kind == "child" else f"person {self.record.pk}"
        return f"{self.name} ({ref})"


@dataclass
class PossibleMatches:
    """The possible matches of someone being added: those the user may see, and whether there are others."""

    matches: list[PossibleMatch] = field(default_factory=list)
    hidden: bool = False

    def __bool__(self) -> bool:
        return bool(self.matches) or self.hidden

    @property
    def token(self) -> str:
        """What the user is shown, for a hidden field: a change of the matches shows them again."""
        return ",".join(sorted([m.key for m in self.matches] + (["hidden"] if self.hidden else [])))

    def find(self, key: str) -> PossibleMatch | None:
        return next((m for m in self.matches if m.key == key), None)


def child_matches(*, user, first_name: str, last_name: str, date_of_birth: dt.date | None = None,
                  nhs_number: str = "", upn: str = "") -> PossibleMatches:
    """possible_duplicates as PossibleMatches, for a page where the user chooses among them (/children/new/)."""
    check = possible_duplicates(user=user, first_name=first_name, last_name=last_name, date_of_birth=date_of_birth,
                                nhs_number=nhs_number, upn=upn)
    return PossibleMatches(
        matches=[PossibleMatch("child", c, [f"NHS number {c.nhs_number}" if c.nhs_number else "Child with a record here"])
                 for c in check.visible],
        hidden=check.hidden)


PERSON_RISKS = (("poses_risk", "Poses a risk to children"), ("mappa", "MAPPA"), ("marac", "MARAC"))


def possible_people(
    *, user, first_name: str, last_name: str, date_of_birth: dt.date | None = None, include_children: bool = True,
    exclude_child: Child | None = None, also_visible: QuerySet[Person] | None = None,
) -> PossibleMatches:
    """People (and, with include_children, children with a record here) who may be the person being added:
    the same matching as possible_duplicates.

    A person may be seen by the user when they are in the network of a child the user may see, or in
    `also_visible` (the adopters an adoption worker may see); each comes with the relationships the user
    may know ("Mother of Malcolm Andrews (C0001234)"). Of a match the user may not see only `hidden` is said.
    """
    q = _match_q(first_name, last_name, date_of_birth)
    if q is None:
        return PossibleMatches()
    candidates = [p for p in Person.objects.filter(q).order_by("pk")[:50]
                  if _name_is_close(p, first_name, last_name)]
    visible_children = access.children_for(user)
    relationships = list(
        Relationship.objects.filter(person__in=candidates, child__in=visible_children)
        .select_related("child").order_by("end_date", "kind", "pk")
    )
    extra = set(also_visible.filter(pk__in=[p.pk for p in candidates]).values_list("pk", flat=True)
                ) if also_visible is not None else set()
    context: dict[int, list[str]] = {}
    for rel in relationships:
        ended = " (ended)" if rel.end_date else ""
        context.setdefault(rel.person_id, []).append(
            f"{rel.get_kind_display()} of {rel.child.full_name} ({rel.child.la_child_id}){ended}")
    result = PossibleMatches()
    for person in candidates:
        if person.pk in context or person.pk in extra:
            result.matches.append(PossibleMatch(
                "person", person, context.get(person.pk, []),
                [label for name, label in PERSON_RISKS if getattr(person, name)]))
        else:
            result.hidden = True
    if include_children:
        children = possible_duplicates(user=user, first_name=first_name, last_name=last_name,
                                       date_of_birth=date_of_birth,
                                       exclude_pk=exclude_child.pk if exclude_child is not None else None)
        result.matches += [PossibleMatch("child", child, ["Has a record here"]) for child in children.visible]
        result.hidden = result.hidden or children.hidden
    return result


# Lists on the child's pages ---------------------------------------------------------------


def addresses_for(child: Child) -> QuerySet[Address]:
    return Address.objects.filter(child=child).order_by("-start_date", "-id")


def family_for(*, user, child: Child) -> list[Relationship]:
    """The child's network, current first. A related child the user may not see is shown without a link."""
    relationships = list(
        Relationship.objects.filter(child=child).select_related("person", "related_child")
        .prefetch_related("match_checks").order_by("end_date", "kind", "id")
    )
    related_ids = [r.related_child_id for r in relationships if r.related_child_id]
    visible = set(access.children_for(user).filter(pk__in=related_ids).values_list("pk", flat=True))
    for rel in relationships:
        rel.related_child_visible = rel.related_child_id in visible
    relationships.sort(key=lambda r: (r.end_date is not None, r.kind, r.pk))
    return relationships


def relationship_for(*, child: Child, relationship_id) -> Relationship:
    return get_object_or_404(Relationship.objects.select_related("person", "related_child"), child=child,
                             pk=relationship_id)


def shares_for(child: Child) -> QuerySet[PartnerShare]:
    return PartnerShare.objects.filter(child=child).select_related("shared_by").order_by("-shared_on", "-id")


def grants_for(child: Child) -> QuerySet[RestrictedAccessGrant]:
    return RestrictedAccessGrant.objects.filter(child=child).select_related("user", "granted_by").order_by(
        "user__last_name", "user__first_name", "user__username"
    )


def merge_candidate(*, user, keep: Child, la_child_id: str) -> Child | None:
    """The record to merge into `keep`, found by LA child ID, if the user may see and merge it."""
    value = (la_child_id or "").strip()
    if not value:
        return None
    child = (
        access.children_for(user).filter(Q(la_child_id=value) | Q(la_child_id=value.upper()))
        .exclude(pk=keep.pk).first()
    )
    if child is None or not access.can(user, "merge", child):
        return None
    return child



def active_user(*, username: str):
    """The active user with this username (any letter case), or ValidationError."""
    user = get_user_model().objects.filter(is_active=True, username__iexact=(username or "").strip()).first()
    if user is None:
        raise ValidationError({"username": ["There is no active user with this username"]})
    return user
