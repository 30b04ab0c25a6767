# ruff: noqa: RUF001, RUF002  (Ukrainian letters are meant)
"""Words as search sees them: normalised, reduced to a stem, and their typo neighbours.

There is no Snowball stemmer for Ukrainian, so endings are cut by a short list of case and
number endings of nouns and adjectives (the same cut on the stored text and on the query, so
"школа", "школи" and "школою" all meet at "школ"). Korean is written in compounds (노후도로포장),
so a Hangul word is also stored as its syllable pairs, and a query word is found inside a
compound when all of its pairs are there. Pure functions: the index and the query share them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

MAX_TERM = 64
MIN_STEM = 3
MIN_FUZZY_WORD = 5
PAIR_MARK = "#"  # marks a Hangul syllable pair, so it never equals a whole word

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'", "ʹ": "'", "‘": "'"})
_LETTERS = str.maketrans({"ґ": "г", "ё": "е", "ъ": "ь"})
# Longest first: the first ending that leaves a stem of MIN_STEM letters is cut.
_UK_ENDING_LIST = (
    "ього ьому ого ому ими іми ами ями ові еві єві ій ий ої ою ею єю ім им их іх "
    "ам ям ах ях ів їв ей ом ем єм ої а я о е є у ю і ї и ь й"
)
_UK_ENDINGS = tuple(
    sorted(
        _UK_ENDING_LIST.split(),
        key=len,
        reverse=True,
    )
)
_UK_VOWELS = set("аеєиіїоуюя")
_KO_PARTICLE_LIST = (
    "에서는 에서 으로 에게 까지 부터 처럼 이나 하고 을 를 이 가 은 는 에 의 로 와 과 도 만"
)
_KO_PARTICLES = tuple(
    sorted(
        _KO_PARTICLE_LIST.split(),
        key=len,
        reverse=True,
    )
)
_CYRILLIC = "абвгдеєжзиіїйклмнопрстуфхцчшщьюя'"
_LATIN = "abcdefghijklmnopqrstuvwxyz"


def normalize(text: str) -> str:
    """Case-folded NFC text; Latin accents dropped, apostrophes and ґ/г unified."""
    text = unicodedata.normalize("NFC", text).casefold().translate(_APOSTROPHES)
    text = text.translate(_LETTERS)
    if text.isascii():
        return text
    return "".join(_unaccent(ch) for ch in text)


def _unaccent(ch: str) -> str:
    if "À" <= ch <= "ɏ":  # Latin-1 Supplement to Latin Extended-B
        return "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
    return ch


def tokens(text: str) -> list[str]:
    """The words of a text, normalised."""
    return [w[:MAX_TERM] for w in _WORD.findall(normalize(text))]


def is_hangul(word: str) -> bool:
    """Written in Hangul syllables."""
    return all("가" <= ch <= "힣" for ch in word)


def _is_cyrillic(word: str) -> bool:
    return any("а" <= ch <= "я" or ch in "єіїґ" for ch in word)


def stems(word: str) -> list[str]:
    """The forms under which a word is stored and looked up (first: its main stem)."""
    if is_hangul(word):
        bare = _strip_particle(word)
        return [word] if bare == word else [bare, word]
    if _is_cyrillic(word):
        return _uk_stems(word)
    if word.isascii() and word.isalpha():
        return [_en_stem(word)]
    return [word]


def _strip_particle(word: str) -> str:
    for particle in _KO_PARTICLES:
        if word.endswith(particle) and len(word) - len(particle) >= 2:
            return word[: -len(particle)]
    return word


def _uk_stems(word: str) -> list[str]:
    stem = word
    for ending in _UK_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            stem = word[: -len(ending)]
            break
    found = [stem]
    vowel_at = max(stem.rfind(v) for v in _UK_VOWELS)
    tail = stem[vowel_at + 1 :]
    if word in (stem, stem + "ь") and 1 <= len(tail) <= 2 and vowel_at > 0:
        # Zero ending: the last syllable may alternate (шкіл/школа, міст/мосту, Соборність/
        # Соборності) or lose its vowel (садок/садка).
        head, vowel = stem[:vowel_at], stem[vowel_at]
        if vowel == "і":
            found += [head + "о" + tail, head + "е" + tail]
        if vowel in "ое" and tail in ("к", "н", "ц", "ць", "л"):
            found.append(head + tail)
    return found


def _en_stem(word: str) -> str:
    if len(word) <= 3:
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def pairs(word: str) -> list[str]:
    """A Hangul word's syllable pairs, marked."""
    return [PAIR_MARK + word[i : i + 2] for i in range(len(word) - 1)]


def index_terms(fields: list[tuple[int, str]]) -> dict[str, int]:
    """term -> the best (lowest) field number it occurs in."""
    best: dict[str, int] = {}
    for number, text in fields:
        for word in tokens(text):
            terms = [*stems(word), *(pairs(word) if is_hangul(word) else ())]
            for term in terms:
                if best.get(term, number + 1) > number:
                    best[term] = number
    return best


@dataclass(frozen=True)
class QueryWord:
    """One query word: whole stems, a prefix, Hangul pairs, and stems one typo away."""

    whole: tuple[str, ...]
    prefix: str | None = None
    pairs: tuple[str, ...] = ()
    fuzzy: tuple[str, ...] = field(default=())


def query_words(q: str, max_words: int = 8) -> list[QueryWord]:
    """What each meaningful query word looks for; short non-Korean words are dropped."""
    words = list(dict.fromkeys(tokens(q)))
    meaningful = [w for w in words if is_hangul(w) or len(w) >= MIN_STEM or w.isdigit()]
    return [_query_word(w) for w in (meaningful or words)[:max_words]]


def _query_word(word: str) -> QueryWord:
    found = stems(word)
    if is_hangul(word):
        bare = found[0]
        return QueryWord(whole=tuple(found), pairs=tuple(pairs(bare)) if len(bare) > 1 else ())
    main = found[0]
    prefix = main if len(main) >= MIN_STEM else None
    fuzzy: tuple[str, ...] = ()
    if len(word) >= MIN_FUZZY_WORD and not word.isdigit():
        fuzzy = tuple(sorted(one_edit(main) - set(found)))
    return QueryWord(whole=tuple(found), prefix=prefix, fuzzy=fuzzy)


def one_edit(word: str) -> set[str]:
    """Every string one deletion, insertion, substitution or transposition away."""
    alphabet = _CYRILLIC if _is_cyrillic(word) else _LATIN
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    edits = {a + b[1:] for a, b in splits if b}
    edits |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    edits |= {a + c + b[1:] for a, b in splits if b for c in alphabet}
    edits |= {a + c + b for a, b in splits for c in alphabet}
    edits.discard(word)
    return {e for e in edits if len(e) >= MIN_STEM}
