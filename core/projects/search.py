"""Text search: stems looked up in `search_term`, ranked by field, match kind and words matched.

One query on both engines. Each query word becomes clauses over the term index (its whole
stems, a stem prefix, its Hangul pairs, its one-typo neighbours); each clause scores a project
`3 * weight + kind` (weight: title 4 > description 3 > address 2 > party 1; kind: whole 2 >
prefix or inside a compound 1 > typo 0); a project's word score is its best clause, and
projects are ordered by words matched, then the sum of word scores.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, func, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from core.projects.models import Project, SearchTerm
from core.projects.words import MIN_STEM, QueryWord, index_terms, query_words

TITLE, DESCRIPTION, ADDRESS, PARTY = 4, 3, 2, 1
WHOLE, PART, TYPO = 2, 1, 0
# Past the last code point: a prefix's terms are those in [prefix, prefix + _TOP).
_TOP = "\U0010ffff"
MAX_CORRECTIONS = 5
WHOLE_WORD_FIRST = 1000  # above any sum of word scores (8 words x 14)


@dataclass(frozen=True)
class Hit:
    """A matching project: how many query words it matched and their summed score."""

    project_id: str
    words: int
    score: int


def project_terms(
    texts: Sequence[str],
    descriptions: Sequence[str],
    addresses: Sequence[str],
    parties: Sequence[str],
) -> dict[str, int]:
    """The term index rows of one project: term -> weight of its best field."""
    fields = [(TITLE, t) for t in texts] + [(DESCRIPTION, d) for d in descriptions]
    fields += [(ADDRESS, a) for a in addresses] + [(PARTY, p) for p in parties]
    return index_terms(fields)


def _clause(word_no: int, kind: int, condition: Any, needed: int = 0) -> Select[*tuple[Any, ...]]:
    stmt: Select[*tuple[Any, ...]] = (
        select(
            SearchTerm.project_id.label("pid"),
            literal(word_no).label("w"),
            (func.max(SearchTerm.weight) * 3 + kind).label("s"),
            literal(1 if kind == WHOLE else 0).label("whole"),
        )
        .where(condition)
        .group_by(SearchTerm.project_id)
    )
    if needed > 1:  # a compound contains the word: every one of its pairs is there
        stmt = stmt.having(func.count() == needed)
    return stmt


def _clauses(
    words: Sequence[QueryWord], corrections: dict[int, list[str]]
) -> list[Select[*tuple[Any, ...]]]:
    clauses = []
    for n, word in enumerate(words):
        clauses.append(_clause(n, WHOLE, SearchTerm.term.in_(word.whole)))
        if word.prefix is not None:
            upper = word.prefix + _TOP
            is_longer = and_(SearchTerm.term > word.prefix, SearchTerm.term < upper)
            clauses.append(_clause(n, PART, is_longer))
        if word.pairs:
            clauses.append(
                _clause(n, PART, SearchTerm.term.in_(word.pairs), needed=len(set(word.pairs)))
            )
        if word.fuzzy:
            clauses.append(_clause(n, TYPO, SearchTerm.term.in_(word.fuzzy)))
        # A typo's correction may itself be the start of a longer stored word.
        for fixed in corrections.get(n, ()):
            is_longer = and_(SearchTerm.term > fixed, SearchTerm.term < fixed + _TOP)
            clauses.append(_clause(n, TYPO, is_longer))
    return clauses


async def _corrections(session: AsyncSession, words: Sequence[QueryWord]) -> dict[int, list[str]]:
    """Per query word, the stored stems one typo away that can start a longer word."""
    found: dict[int, list[str]] = {}
    for n, word in enumerate(words):
        if word.fuzzy:
            stmt = (
                select(SearchTerm.term)
                .where(SearchTerm.term.in_(word.fuzzy), func.length(SearchTerm.term) > MIN_STEM)
                .distinct()
                .order_by(SearchTerm.term)
                .limit(MAX_CORRECTIONS)
            )
            found[n] = list((await session.scalars(stmt)).all())
    return found


async def ranked(
    session: AsyncSession, q: str, filters: Sequence[Any] = ()
) -> Select[*tuple[Any, ...]] | None:
    """Matching projects, best first: (pid, words, score, total); None when q has no words.

    Order: more query words matched; with several words, more of them matched in full (a
    contractor's or a street's name typed in full beats a prefix that happens to be in a
    district's name); then the summed score (field first, then kind, per word).
    """
    words = query_words(q)
    if not words:
        return None
    hits = union_all(*_clauses(words, await _corrections(session, words))).subquery("hits")
    per_word = (
        select(
            hits.c.pid,
            hits.c.w,
            func.max(hits.c.s).label("s"),
            func.max(hits.c.whole).label("whole"),
        )
        .group_by(hits.c.pid, hits.c.w)
        .subquery("per_word")
    )
    matched = func.count().label("words")
    whole = func.sum(per_word.c.whole).label("whole")
    bonus = WHOLE_WORD_FIRST if len(words) > 1 else 0
    score = (func.sum(per_word.c.s) + whole * bonus).label("score")
    return (
        select(per_word.c.pid, matched, score, func.count().over().label("total"))
        .join(Project, Project.id == per_word.c.pid)
        .where(*filters)
        .group_by(per_word.c.pid, Project.title)
        .order_by(matched.desc(), score.desc(), Project.title, per_word.c.pid)
    )


async def search(
    session: AsyncSession, q: str, filters: Sequence[Any], offset: int, limit: int
) -> tuple[list[Hit], int]:
    """One page of matches, best first, and how many match in all."""
    stmt = await ranked(session, q, filters)
    if stmt is None:
        return [], 0
    rows = (await session.execute(stmt.offset(offset).limit(limit))).all()
    if rows:
        total = int(rows[0].total)
    elif offset:
        total = len((await session.execute(stmt)).all())
    else:
        total = 0
    return [Hit(r.pid, int(r.words), int(r.score)) for r in rows], total


async def all_hits(session: AsyncSession, q: str, filters: Sequence[Any]) -> dict[str, Hit]:
    """Every match (to combine with distances near a point)."""
    stmt = await ranked(session, q, filters)
    if stmt is None:
        return {}
    rows = (await session.execute(stmt)).all()
    return {r.pid: Hit(r.pid, int(r.words), int(r.score)) for r in rows}
