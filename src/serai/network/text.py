"""Text for partner matching, in English, Russian and Korean (pure Python: no Django import).

Two things come out of a text:

* **tokens** for TF-IDF: lower-cased words; a Russian word less its inflectional ending
  (:func:`stem_ru`: 'энергии', 'энергия' → 'энерг'), an English word less its plural or verb
  ending (:func:`stem_en`); a run of Hangul (Korean writes several morphemes without a space:
  '태양광발전소를') less its trailing particle ('를') and cut into character bigrams
  ('태양', '양광', '광발', '발전', '전소'), so that a compound shares tokens with its parts.
* **concepts**: the ids of the cross-language vocabulary ``data/concepts.json`` whose terms the
  text contains. A term is a stem for Russian and English (it matches every word that begins with
  it; a term of three letters or fewer, or one written with a final '$', matches only the whole
  word, so 'ai' does not match 'aid' nor 'import$' 'important'), a word or compound part for
  Korean (it matches inside a Hangul run, a longer term winning over a shorter one inside it; a
  one-syllable term matches only a whole run less its particle). A term with a space matches consecutive words ('smart city',
  'умн город'). A need written in Korean and an offer written in Russian meet through the
  concepts they share.

Words are analysed once per process (a memo), so a large index is built in seconds.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from dataclasses import field as dc_field
from functools import lru_cache
from pathlib import Path

WORD = re.compile(r"[0-9a-z]+|[\u0400-\u04ff]+|[\uac00-\ud7a3]+")
HANGUL = re.compile(r"^[\uac00-\ud7a3]+$")
CYRILLIC = re.compile(r"^[\u0400-\u04ff]+$")

# Russian inflectional endings (nouns, adjectives, participles, verbs), longest first; a stem keeps
# at least three letters. Wider than serai.core.search.light_stem (which only has to find a prefix
# for a LIKE): here two forms of a word must give the same token.
RUSSIAN_ENDINGS = sorted(
    set(
        "иями ями ами ией ого его ому ему ыми ими ую юю ая яя ое ее ые ие ый ий ой ей ам ям ах ях ом ем ов ев ых их "
        "ия ии ию ью ья а я о е ы и у ю ь й "
        "ться тся ать ять ить еть уть ет ит ют ут ят ем им ете ите ал ала али ало ил ила или "
        "ение ения ению ением ении ений ениям ениями ениях ание ания анию анием ании аний аниям аниями аниях "
        "ость ости остью остей остям остями остях".split()
    ),
    key=len,
    reverse=True,
)
RUSSIAN_BY_LENGTH = {n: frozenset(e for e in RUSSIAN_ENDINGS if len(e) == n) for n in range(7, 0, -1)}

# Korean particles and common endings at the end of a Hangul run, longest first.
ONE_SYLLABLE_PARTICLES = frozenset("은 는 이 가 을 를 의 에 로 와 과 도 만".split())
KOREAN_PARTICLES = sorted(
    set(
        "에서는 에서의 으로서 으로써 으로의 에게서 까지의 부터의 이라는 라는 이라고 "
        "에서 으로 에게 까지 부터 에는 에도 과의 와의 로서 로써 로의 보다 처럼 이나 하는 하고 하며 "
        "합니다 입니다 했다 한다 위한 통한 관한 대한 있는 "
        "은 는 이 가 을 를 의 에 로 와 과 도 만 및 한 된 적".split()
    ),
    key=len,
    reverse=True,
)

STOP = frozenset(
    # English
    "a an and are as at be by for from has have in into is it its of on or our the their this to we with will "
    "which who that these those can also new use used using more all other such"
    # Russian (stems as stem_ru leaves them, and short words)
    " и в во на с со по для от до из к ко о об а но или не что как это эт мы наш наше наши их его ее при так же "
    "также котор быть был есть все всех друг"
    # Korean
    " 및 등 또는 그리고 위해 통해 대한 관한 있는 하는 우리".split()
)


def normalise(text: str) -> str:
    """NFKC, lower case, 'ё' as 'е', hyphens and underscores as spaces."""
    text = unicodedata.normalize("NFKC", text or "").lower().replace("ё", "е")
    return text.replace("-", " ").replace("_", " ")


def stem_ru(word: str) -> str:
    """A Russian word less its inflectional ending, keeping at least three letters."""
    for n, endings in RUSSIAN_BY_LENGTH.items():
        if len(word) - n >= 3 and word[-n:] in endings:
            return word[:-n]
    return word


def stem_en(word: str) -> str:
    """An English word less a plural, '-ing' or '-ed' ending (a light Porter step 1)."""
    if len(word) <= 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("sses"):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if word.endswith("ing") and len(word) > 5:
        word = word[:-3]
    elif word.endswith("ed") and len(word) > 4:
        word = word[:-2]
    return word


def strip_particle(run: str) -> str:
    """A Hangul run less a trailing particle or ending; a run of one or two syllables stays whole
    unless what is left is at least two syllables ('에너지를' → '에너지', '물을' stays)."""
    for p in KOREAN_PARTICLES:
        if run.endswith(p) and len(run) - len(p) >= 2:
            return run[: -len(p)]
    return run


_TOKEN_MEMO: dict[str, tuple[str, ...]] = {}


def _word_tokens(word: str) -> tuple[str, ...]:
    found = _TOKEN_MEMO.get(word)
    if found is None:
        if len(_TOKEN_MEMO) > 500_000:
            _TOKEN_MEMO.clear()
        found = _TOKEN_MEMO[word] = _analyse_word(word)
    return found


def _analyse_word(word: str) -> tuple[str, ...]:
    if HANGUL.match(word):
        run = strip_particle(word)
        if run in STOP:
            return ()
        if len(run) == 1:
            return (run,)
        return tuple(run[i : i + 2] for i in range(len(run) - 1))
    if word in STOP or word.isdigit():
        return ()
    stem = stem_ru(word) if CYRILLIC.match(word) else stem_en(word)
    if stem in STOP or len(stem) < 2:
        return ()
    return (stem,)


def words(text: str) -> list[str]:
    """The normalised words of a text (Latin, Cyrillic and Hangul runs, and numbers)."""
    return WORD.findall(normalise(text))


def tokens(text: str) -> list[str]:
    """The TF-IDF tokens of a text: stems, and Hangul bigrams (see the module docstring)."""
    return tokens_of_words(words(text))


def tokens_of_words(ws: list[str]) -> list[str]:
    out: list[str] = []
    memo = _TOKEN_MEMO
    for w in ws:
        found = memo.get(w)
        out.extend(found if found is not None else _word_tokens(w))
    return out


# --- the cross-language vocabulary ----------------------------------------------------------------
@dataclass(frozen=True)
class Vocabulary:
    """Concept ids with their terms; ``field`` maps a concept to its cooperation field code."""

    field: dict[str, str]
    terms: dict[str, dict[str, tuple[str, ...]]]  # concept -> lang -> terms
    # lookup tables: first word (or stem) -> [(rest of a multi-word term, concept)]
    _prefix: dict[str, tuple[tuple[tuple[str, ...], str], ...]]
    _exact: dict[str, tuple[tuple[tuple[str, ...], str], ...]]
    _hangul: dict[str, tuple[str, ...]]  # Korean term (two syllables or more) -> concepts
    _hangul_exact: dict[str, tuple[str, ...]]  # one-syllable Korean term -> concepts
    _hangul_max: int
    _memo: dict = dc_field(default_factory=dict, compare=False, repr=False)  # word -> hits
    _both: dict = dc_field(default_factory=dict, compare=False, repr=False)  # word -> (tokens, hits)

    @classmethod
    def from_dict(cls, data: dict) -> Vocabulary:
        fields: dict[str, str] = {}
        terms: dict[str, dict[str, tuple[str, ...]]] = {}
        prefix: dict[str, list] = {}
        exact: dict[str, list] = {}
        hangul: dict[str, list] = {}
        hangul_exact: dict[str, list] = {}
        for cid, entry in data["concepts"].items():
            fields[cid] = entry.get("field", "")
            terms[cid] = {}
            for lang in ("en", "ru", "ko"):
                raw = [(t.strip().endswith("$"), " ".join(words(t))) for t in entry.get(lang, ())]
                norm = tuple(dict.fromkeys((whole, t) for whole, t in raw if t))
                terms[cid][lang] = tuple(t for _whole, t in norm)
                for whole, term in norm:
                    parts = term.split(" ")
                    if len(parts) == 1 and HANGUL.match(term):
                        short = whole or len(term) < 2
                        (hangul_exact if short else hangul).setdefault(term, []).append(cid)
                        continue
                    head, rest = parts[0], tuple(parts[1:])
                    table = exact if whole or len(head) < 4 else prefix
                    table.setdefault(head, []).append((rest, cid))

        def frozen(d):
            return {k: tuple(dict.fromkeys(v)) for k, v in d.items()}

        return cls(
            fields,
            terms,
            frozen(prefix),
            frozen(exact),
            frozen(hangul),
            frozen(hangul_exact),
            max((len(t) for t in hangul), default=2),
        )

    def __hash__(self) -> int:  # one vocabulary per process; identity is enough for memos
        return id(self)

    def __eq__(self, other: object) -> bool:
        return self is other

    @property
    def ids(self) -> list[str]:
        return sorted(self.field)

    def concept_list(self, ws: list[str]) -> list[str]:
        """The concept ids found in a list of normalised words, once per occurrence."""
        found: list[str] = []
        memo = self._memo
        for i, w in enumerate(ws):
            hits = memo.get(w)
            if hits is None:
                if len(memo) > 500_000:
                    memo.clear()
                hits = memo[w] = _word_hits(self, w)
            for rest, cid in hits:
                if rest and not _follows(ws, i + 1, rest):
                    continue
                found.append(cid)
        return found

    def analyse_words(self, ws: list[str]) -> tuple[list[str], list[str]]:
        """(TF-IDF tokens, concept ids once per occurrence) of a list of normalised words, in one
        pass (what the index builder calls for every text)."""
        toks: list[str] = []
        found: list[str] = []
        memo = self._both
        for i, w in enumerate(ws):
            entry = memo.get(w)
            if entry is None:
                if len(memo) > 500_000:
                    memo.clear()
                entry = memo[w] = (_word_tokens(w), _word_hits(self, w))
            if entry[0]:
                toks.extend(entry[0])
            for rest, cid in entry[1]:
                if rest and not _follows(ws, i + 1, rest):
                    continue
                found.append(cid)
        return toks, found

    def concepts(self, text: str) -> Counter:
        """Concept id -> occurrences in ``text``."""
        return Counter(self.concept_list(words(text)))


def _follows(ws: list[str], start: int, rest: tuple[str, ...]) -> bool:
    if start + len(rest) > len(ws):
        return False
    for j, part in enumerate(rest):
        w = ws[start + j]
        if not (w.startswith(part) if len(part) >= 4 else w == part):
            return False
    return True


def _word_hits(vocab: Vocabulary, word: str) -> tuple[tuple[tuple[str, ...], str], ...]:
    hits: list[tuple[tuple[str, ...], str]] = []
    if HANGUL.match(word):
        run = strip_particle(word)
        seen: set[str] = set()
        for whole in {run, word[:-1] if len(word) == 2 and word[-1] in ONE_SYLLABLE_PARTICLES else run}:
            seen.update(vocab._hangul_exact.get(whole, ()))
        # terms inside the run; a term inside a longer term's span gives way to it
        # ('온실가스' is greenhouse gas, not a greenhouse)
        n = len(run)
        spans: list[tuple[int, int, tuple[str, ...]]] = []
        for size in range(min(vocab._hangul_max, n), 1, -1):
            for i in range(n - size + 1):
                cids = vocab._hangul.get(run[i : i + size])
                if cids and not any(a <= i and i + size <= b for a, b, _c in spans):
                    spans.append((i, i + size, cids))
        for _a, _b, cids in spans:
            seen.update(cids)
        return tuple(((), cid) for cid in sorted(seen))
    hits.extend(vocab._exact.get(word, ()))
    for n in range(4, len(word) + 1):
        hits.extend(vocab._prefix.get(word[:n], ()))
    return tuple(dict.fromkeys(hits))


DATA = Path(__file__).with_name("data") / "concepts.json"


@lru_cache(maxsize=4)
def vocabulary(path: str | None = None) -> Vocabulary:
    """The vocabulary shipped with the package (or the one at ``path``)."""
    with open(path or DATA, encoding="utf-8") as f:
        return Vocabulary.from_dict(json.load(f))


def analyse(text: str, vocab: Vocabulary | None = None) -> tuple[list[str], Counter]:
    """(TF-IDF tokens, concept counts) of a text."""
    vocab = vocab or vocabulary()
    toks, found = vocab.analyse_words(words(text))
    return toks, Counter(found)
