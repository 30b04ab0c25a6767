"""Text search: stems looked up in `search_term`, ranked by words matched, field and match kind.

Each query word becomes clauses over the term index (its whole stems, a stem prefix, its Hangul
pairs, the stored stems one typo away); a clause scores a project `3 * weight + kind`
(weight = 5 - field: title 4 > description 3 > address 2 > party 1; kind: whole 2 > prefix or
inside a compound 1 > typo 0); a project's word score is its best clause. Projects are ordered
by words matched; with several words, by how many of them matched in full; then by the summed
word scores; then by id. Same queries, same order on SQLite and PostgreSQL.

A page is found without ranking every match: each clause reads its postings best field first
from the (term, field, project) index and stops after as many as the page needs (more for
several words, see MULTI_WORD_CANDIDATES) and at least its share of TOTAL_EXACT_UP_TO; the
total is the projects among the rows read: exact below that, a lower bound past it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, case, exists, func, literal, select, true, union_all
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from core.db import is_in
from core.projects.models import Project, SearchTerm, SearchWord
from core.projects.words import MIN_STEM, QueryWord, index_terms, query_words

TITLE, DESCRIPTION, ADDRESS, PARTY = 1, 2, 3, 4  # field numbers: lower is better
WHOLE, PART, TYPO = 2, 1, 0
_TOP = "\U0010ffff"  # past the last code point: a prefix's terms are [prefix, prefix + _TOP)
MAX_CORRECTIONS = 5
MAX_LONGER = 8  # longer stored words a prefix stands for
WHOLE_WORD_FIRST = 1000  # above any sum of word scores (8 words x 14)
MULTI_WORD_CANDIDATES = 100
TOTAL_EXACT_UP_TO = 1000


@dataclass(frozen=True)
class Hit:
    """A matching project: how many query words it matched and its score."""

    project_id: str
    words: int
    score: int


@dataclass(frozen=True)
class Clause:
    """One way a query word can match: a condition on search_term rows and its kind."""

    word: int
    kind: int
    condition: Any


@dataclass(frozen=True)
class Found:
    """One page of matches, and how many match in all (at least, when `is_lower_bound`)."""

    hits: list[Hit]
    total: int
    is_lower_bound: bool = False


def project_terms(
    texts: Sequence[str],
    descriptions: Sequence[str],
    addresses: Sequence[str],
    parties: Sequence[str],
) -> dict[str, int]:
    """The term index rows of one project: term -> its best field."""
    fields = [(TITLE, t) for t in texts] + [(DESCRIPTION, d) for d in descriptions]
    fields += [(ADDRESS, a) for a in addresses] + [(PARTY, p) for p in parties]
    return index_terms(fields)


async def _vocabulary(
    session: AsyncSession, prefixes: Sequence[str], guesses: Sequence[str] = ()
) -> tuple[dict[str, list[str]], set[str]]:
    """In one query: the stored terms longer than each prefix (a few, shortest first), and
    which of the guessed spellings are stored terms."""
    parts: list[Any] = []
    for n, prefix in enumerate(dict.fromkeys(prefixes)):
        longer = (
            select(SearchWord.term, literal(n).label("p"))
            .where(SearchWord.term > prefix, SearchWord.term < prefix + _TOP)
            .order_by(func.length(SearchWord.term), SearchWord.term)
            .limit(MAX_LONGER)
        )
        parts.append(select(longer.subquery()))
    if guesses:
        among = is_in(session, SearchWord.term, list(dict.fromkeys(guesses)))
        parts.append(select(SearchWord.term, literal(-1).label("p")).where(among))
    if not parts:
        return {}, set()
    ordered = list(dict.fromkeys(prefixes))
    longer_than: dict[str, list[str]] = {p: [] for p in ordered}
    stored: set[str] = set()
    for term, n in await session.execute(union_all(*parts)):
        if n < 0:
            stored.add(term)
        else:
            longer_than[ordered[n]].append(term)
    return longer_than, stored


def _compound(pairs: Sequence[str]) -> Any:
    """Rows of a word's first pair in projects that also have its other pairs (the word inside
    a compound).

    Each other pair is one primary-key probe per candidate (a correlated count of 0 or 1),
    and the candidates are read in the first pair's index order, so a page stops after its
    rows. (As EXISTS conditions, PostgreSQL turns them into hash joins that read every
    posting of every pair first: 160 ms instead of 8 for 공공임대주택 in the benchmark.)
    """
    probes = []
    for pair in dict.fromkeys(pairs[1:]):
        other = aliased(SearchTerm)
        probes.append(
            select(func.count())
            .where(other.term == pair, other.project_id == SearchTerm.project_id)
            .correlate(SearchTerm)
            .scalar_subquery()
        )
    if not probes:
        return SearchTerm.term == pairs[0]
    # ">=" rather than "=" (the same rows: each probe is 0 or 1), so that the planner expects
    # enough matches for a LIMIT to stop the scan early.
    return and_(SearchTerm.term == pairs[0], sum(probes[1:], probes[0]) >= len(probes))


async def clauses(session: AsyncSession, words: Sequence[QueryWord]) -> list[Clause]:
    """Every clause of every query word: one stored term each (so each reads one index range).

    Prefixes and typos are resolved against the vocabulary (search_word) first: a handful of
    existing terms, instead of a range over every posting or hundreds of guesses.
    """
    prefixes = [w.prefix for w in words if w.prefix is not None]
    guesses = [g for w in words for g in (*w.whole, *w.fuzzy)]
    longer_than, stored = await _vocabulary(session, prefixes, guesses)
    # A word found as typed (or as the start of a stored word) is not a typo: its neighbours
    # are other words, and would only add noise to the page and the total.
    fixes: dict[int, list[str]] = {}
    for n, w in enumerate(words):
        is_known = stored.intersection(w.whole) or longer_than.get(w.prefix or "")
        fixes[n] = [] if is_known else sorted(stored.intersection(w.fuzzy))[:MAX_CORRECTIONS]
    # A correction may itself start a longer stored word ("каналізацая" -> "каналізаці…").
    fix_prefixes = [f for found in fixes.values() for f in found if len(f) > MIN_STEM]
    longer_than.update((await _vocabulary(session, fix_prefixes))[0] if fix_prefixes else {})
    found: list[Clause] = []
    for n, word in enumerate(words):
        found += [Clause(n, WHOLE, SearchTerm.term == stem) for stem in word.whole]
        if word.prefix is not None:
            found += [Clause(n, PART, SearchTerm.term == t) for t in longer_than[word.prefix]]
        if len(word.pairs) > 1:
            found.append(Clause(n, PART, _compound(word.pairs)))
        elif word.pairs:
            found.append(Clause(n, PART, SearchTerm.term == word.pairs[0]))
        for fixed in fixes[n]:
            found.append(Clause(n, TYPO, SearchTerm.term == fixed))
            found += [Clause(n, TYPO, SearchTerm.term == t) for t in longer_than.get(fixed, [])]
    return found


def _filtered(stmt: Select[*tuple[Any, ...]], filters: Sequence[Any]) -> Any:
    if not filters:
        return stmt
    return stmt.join(Project, Project.id == SearchTerm.project_id).where(*filters)


def rank(rows: Sequence[tuple[str, int, int, int]], word_count: int) -> list[Hit]:
    """(project, word, field, kind) rows -> hits, best first."""
    best: dict[tuple[str, int], tuple[int, int]] = {}
    for pid, word, field, kind in rows:
        key, value = (pid, word), ((5 - field) * 3 + kind, 1 if kind == WHOLE else 0)
        if best.get(key, (-1, 0)) < value:
            best[key] = value
    totals: dict[str, list[int]] = {}
    bonus = WHOLE_WORD_FIRST if word_count > 1 else 0
    for (pid, _), (score, whole) in best.items():
        entry = totals.setdefault(pid, [0, 0])
        entry[0] += 1
        entry[1] += score + whole * bonus
    order = sorted(totals.items(), key=lambda item: (-item[1][0], -item[1][1], item[0]))
    return [Hit(pid, words, score) for pid, (words, score) in order]


async def search(
    session: AsyncSession, q: str, filters: Sequence[Any], offset: int, limit: int
) -> Found:
    """One page of matches, best first, and how many match in all.

    One query reads each clause's first postings in index order (best field, then id): as
    many as the page needs, and at least a share of TOTAL_EXACT_UP_TO, so the page and the
    total come from the same rows, the same on both engines. The total is exact when every
    clause had fewer postings than it read; a lower bound otherwise. The rows are ranked where
    they are read (the same rules as `rank`): only the page and the total come back.
    """
    words = query_words(q)
    if not words:
        return Found([], 0)
    found = await clauses(session, words)
    wanted = offset + limit
    cap = wanted if len(words) == 1 else max(wanted, MULTI_WORD_CANDIDATES)
    cap = max(cap, TOTAL_EXACT_UP_TO // len(found))
    stmt = _ranked_page(session, found, filters, cap, len(words), offset, limit)
    rows = (await session.execute(stmt)).all()
    total, is_lower_bound = rows[0][0], bool(rows[0][1])
    hits = [Hit(pid, n, score) for _, _, pid, n, score in rows if pid is not None]
    return Found(hits, total, is_lower_bound)


def _ranked_page(
    session: AsyncSession,
    found: Sequence[Clause],
    filters: Sequence[Any],
    cap: int,
    word_count: int,
    offset: int,
    limit: int,
) -> Any:
    """(total, is_lower_bound, project, words, score) rows of a page, best first; one row of
    (total, is_lower_bound, NULL, NULL, NULL) when the page is empty.

    A clause's rows score `3 * (5 - field) + kind` (the score gives the kind back: score % 3),
    a project's word its best clause, a project the count and sum of its words — as `rank`.
    """
    firsts = []
    for n, clause in enumerate(found):
        score = literal(15 + clause.kind) - 3 * SearchTerm.field
        stmt = _filtered(
            select(
                SearchTerm.project_id.label("pid"),
                literal(clause.word).label("w"),
                score.label("s"),
                literal(n).label("c"),
            ).where(clause.condition),
            filters,
        )
        order = (SearchTerm.field, SearchTerm.project_id)
        firsts.append(select(stmt.order_by(*order).limit(cap).subquery()))
    read = union_all(*firsts).cte("read")
    best = (
        select(read.c.pid, func.max(read.c.s).label("s"))
        .group_by(read.c.pid, read.c.w)
        .cte("best")
    )
    bonus = WHOLE_WORD_FIRST if word_count > 1 else 0
    whole = case((best.c.s % 3 == WHOLE, bonus), else_=0)
    per_project = (
        select(
            best.c.pid,
            func.count().label("n"),
            func.sum(best.c.s + whole).label("score"),
        )
        .group_by(best.c.pid)
        .cte("per_project")
    )
    pid = _binary(session, per_project.c.pid)
    page = (
        select(per_project)
        .order_by(per_project.c.n.desc(), per_project.c.score.desc(), pid)
        .offset(offset)
        .limit(limit)
        .subquery("page")
    )
    full = select(read.c.c).group_by(read.c.c).having(func.count() >= cap)
    totals = (
        select(func.count().label("total"), exists(full).label("capped"))
        .select_from(per_project)
        .subquery("totals")
    )
    return (
        select(totals.c.total, totals.c.capped, page.c.pid, page.c.n, page.c.score)
        .select_from(totals.outerjoin(page, true()))
        .order_by(page.c.n.desc(), page.c.score.desc(), _binary(session, page.c.pid))
    )


def _binary(session: AsyncSession, column: Any) -> Any:
    """`column` compared by code point on both engines (Python's order of strings)."""
    if session.get_bind().dialect.name == "postgresql":
        return column.collate("C")
    return column


async def all_hits(session: AsyncSession, q: str, filters: Sequence[Any]) -> dict[str, Hit]:
    """Every match, scored (to order the matches within a radius, nearer first among equals)."""
    words = query_words(q)
    if not words:
        return {}
    found = await clauses(session, words)
    parts = [
        _filtered(
            select(
                SearchTerm.project_id,
                literal(c.word).label("w"),
                SearchTerm.field,
                literal(c.kind).label("k"),
            ).where(c.condition),
            filters,
        )
        for c in found
    ]
    rows = [(r[0], r[1], r[2], r[3]) for r in await session.execute(union_all(*parts))]
    return {hit.project_id: hit for hit in rank(rows, len(words))}
