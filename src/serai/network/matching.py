"""Partner matching with reasons (pure Python and NumPy/SciPy: no Django import).

An index holds entities — organisations ("org:12") and their cooperation profiles
("profile:34") — with their structured codes and texts, the graph of earlier collaboration
between organisations, and each country's supply and demand of HS4 products. A query (a
profile, a project, a trade opportunity or a free text) gets the top ``k`` entities, each with
the reasons that make up its score.

The score is a weighted sum of components, each in [0, 1]:

========================  =======  ==============================================================
component (reason code)   weight   how
========================  =======  ==============================================================
``sector``                1.5      IDF-weighted cosine of the DAC 5-digit codes
``field``                 1.0      IDF-weighted cosine of the cooperation fields
``helix``                 1.0      the helix the query seeks; else 0.6 if the candidate brings a
                                   helix the project lacks + 0.4 × how well it complements the
                                   helixes present (academia/research ↔ industry highest); + 0.3
                                   if the candidate seeks a helix the project has
``country``               1.0      0.5 if the candidate's country is a target country, + 0.5 if
                                   no participant covers it yet; + 0.3 if the candidate targets
                                   the query's country
``collaboration``         2.0      direct earlier collaboration with the query's organisation or
                                   a partner (1 − e^(−Σ weights), kinds weighted, older years
                                   decayed), + 0.5 × friends of friends (Adamic–Adar, capped)
``trade``                 0.6      HS4 products one side's country supplies (RCA > 1) and the
                                   other's imports, among the products either side names
``text``                  1.0      0.6 × cosine of cross-language concepts + 0.4 × TF-IDF cosine
                                   of stems and Hangul bigrams (``serai.network.text``)
``kind``                  0.5      complementary profile kinds (a request meets an offer)
``activity``              0.2      how active the candidate has been: 0.7 × its earlier links in
                                   the query's fields + 0.3 × its distinct collaborators, each
                                   log-scaled to [0, 1] (never a reason to be returned on its own)
``gap``                   0.5      coverage gaps of the consortium (a query with partners): 0.5 if
                                   the candidate's helix is not among the participants', + 0.5
                                   if its country is a target country no participant covers yet
========================  =======  ==============================================================

``MatchIndex.fit`` learns these ten weights from the network's own history (earlier projects:
each participant given the others, against sampled candidates; a conditional logit with an L2
penalty and non-negative weights); with too few examples the defaults above stay.

Everything per query is vectorised over all entities (sparse column slices and array lookups);
reasons are worked out for the top ``k`` only. Ordering is deterministic: score, then key.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse

from serai.network import text as textmod

HELIXES = ("government", "industry", "research", "academia", "international", "ngo")
HELIX_INDEX = {h: i for i, h in enumerate(HELIXES)}
KINDS = ("tech_offer", "tech_request", "research_partner", "business_offer", "business_request", "training_offer")

# How well a partner of the column's helix complements an organisation of the row's helix.
_C = {
    "government": {
        "government": 0.2,
        "industry": 0.8,
        "research": 0.8,
        "academia": 0.7,
        "international": 0.6,
        "ngo": 0.5,
    },
    "industry": {
        "government": 0.6,
        "industry": 0.3,
        "research": 1.0,
        "academia": 1.0,
        "international": 0.5,
        "ngo": 0.3,
    },
    "research": {
        "government": 0.7,
        "industry": 1.0,
        "research": 0.3,
        "academia": 0.6,
        "international": 0.5,
        "ngo": 0.4,
    },
    "academia": {
        "government": 0.6,
        "industry": 1.0,
        "research": 0.7,
        "academia": 0.3,
        "international": 0.5,
        "ngo": 0.4,
    },
    "international": {
        "government": 0.8,
        "industry": 0.5,
        "research": 0.6,
        "academia": 0.6,
        "international": 0.2,
        "ngo": 0.6,
    },
    "ngo": {"government": 0.6, "industry": 0.4, "research": 0.5, "academia": 0.5, "international": 0.6, "ngo": 0.2},
}
COMPLEMENT = np.array([[_C[a][b] for b in HELIXES] for a in HELIXES], dtype=np.float32)

# A profile kind and the kinds it complements.
KIND_COMPLEMENTS = {
    "tech_request": {"tech_offer", "training_offer", "research_partner"},
    "tech_offer": {"tech_request", "business_request"},
    "research_partner": {"research_partner", "tech_offer", "tech_request"},
    "business_offer": {"business_request"},
    "business_request": {"business_offer", "tech_offer"},
    "training_offer": {"tech_request", "research_partner"},
}

# Earlier collaboration: the weight of one shared event of each kind.
COLLABORATION_KINDS = {"project": 1.0, "cofunding": 0.8, "introduction": 0.7, "body": 0.5, "delegation": 0.4}
YEAR_DECAY = 0.9  # an event n years older than the newest counts 0.9^n

WEIGHTS = {
    "sector": 1.5,
    "field": 1.0,
    "helix": 1.0,
    "country": 1.0,
    "collaboration": 2.0,
    "trade": 0.6,
    "text": 1.0,
    "kind": 0.5,
    "activity": 0.2,
    "gap": 0.5,
    # gates: the score of a candidate outside the target countries, or with nothing of the
    # query's topic (no shared field, sector, concept or word), is multiplied by these
    "country_gate": 0.35,
    "topic_gate": 0.35,
    "implied_field": 0.5,
    "activity_boost": 0.0,
    "experience": 0.7,
}

# the score's components (reason codes), in the order ``MatchIndex.fit`` learns their weights
PARTS = ("sector", "field", "helix", "country", "collaboration", "trade", "text", "kind", "activity", "gap")


def _fs(value: Any) -> frozenset:
    if value is None:
        return frozenset()
    if isinstance(value, str):
        return frozenset((value,)) if value else frozenset()
    return frozenset(value)


@dataclass(frozen=True)
class Entity:
    """An organisation (key "org:<id>") or one profile of an organisation ("profile:<id>")."""

    key: str
    org_id: int
    country: str = ""  # ISO2 of the organisation
    helix: str = ""  # orgs.Helix value
    fields: frozenset[str] = frozenset()  # CooperationField codes
    sectors: frozenset[str] = frozenset()  # DAC 5-digit codes
    hs4: frozenset[str] = frozenset()
    target_countries: frozenset[str] = frozenset()  # empty: any
    seeks_helix: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    texts: tuple[tuple[str, str], ...] = ()  # (lang, text)
    kind: str = ""  # profile kind; "" for an organisation

    def __post_init__(self):
        for name in ("fields", "sectors", "hs4", "target_countries", "seeks_helix", "languages"):
            value = getattr(self, name)
            if not isinstance(value, frozenset):
                object.__setattr__(self, name, _fs(value))
        if not isinstance(self.texts, tuple):
            object.__setattr__(self, "texts", tuple(tuple(t) for t in self.texts))


@dataclass(frozen=True)
class Query:
    """What a partner is sought for; every feature is optional. ``org_id`` is the asking
    organisation (excluded from the results, its earlier partners count as collaboration);
    ``partner_orgs`` are the organisations already in the project (excluded too; their helixes
    and countries count as covered, their earlier partners as collaboration)."""

    org_id: int | None = None
    country: str = ""
    helix: str = ""
    fields: frozenset[str] = frozenset()
    sectors: frozenset[str] = frozenset()
    hs4: frozenset[str] = frozenset()
    target_countries: frozenset[str] = frozenset()
    seeks_helix: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    texts: tuple[tuple[str, str], ...] = ()
    kind: str = ""
    exclude_orgs: frozenset[int] = frozenset()
    partner_orgs: frozenset[int] = frozenset()
    key: str = ""  # the query's own entity key, if it is one (excluded from the results)

    def __post_init__(self):
        for name in (
            "fields",
            "sectors",
            "hs4",
            "target_countries",
            "seeks_helix",
            "languages",
            "exclude_orgs",
            "partner_orgs",
        ):
            value = getattr(self, name)
            if not isinstance(value, frozenset):
                object.__setattr__(self, name, _fs(value))
        if isinstance(self.texts, str):
            object.__setattr__(self, "texts", (("", self.texts),))
        elif not isinstance(self.texts, tuple):
            object.__setattr__(self, "texts", tuple(tuple(t) for t in self.texts))

    @classmethod
    def from_entity(cls, entity: Entity, **extra) -> Query:
        """The query "partners for this profile / organisation"."""
        return cls(
            org_id=entity.org_id,
            country=entity.country,
            helix=entity.helix,
            fields=entity.fields,
            sectors=entity.sectors,
            hs4=entity.hs4,
            target_countries=entity.target_countries,
            seeks_helix=entity.seeks_helix,
            languages=entity.languages,
            texts=entity.texts,
            kind=entity.kind,
            key=entity.key,
            **extra,
        )


@dataclass
class Reason:
    code: str  # field sector helix country collaboration trade text kind activity gap
    params: dict  # codes, ids and numbers only (the web layer words them)
    weight: float  # this reason's part of the score


@dataclass
class Match:
    key: str
    org_id: int
    score: float
    reasons: list[Reason] = field(default_factory=list)


# --- index building -------------------------------------------------------------------------------
class _Codes:
    """A sparse entity × code matrix (IDF-weighted, rows L2-normalised), with its column slices."""

    def __init__(self, sets: list[frozenset], *, idf: bool = True, normalise: bool = True, breadth: float = 1.0):
        index: dict[str, int] = {}
        self.index = index
        n = len(sets)
        lengths = np.fromiter((len(s) for s in sets), dtype=np.int64, count=n)
        cols = np.asarray([index.setdefault(code, len(index)) for s in sets for code in sorted(s)], dtype=np.int64)
        rows = np.repeat(np.arange(n, dtype=np.int64), lengths)
        self.codes = list(index)
        m = len(index)
        binary = sparse.csr_matrix((np.ones(len(cols), dtype=np.float32), (rows, cols)), shape=(n, m), dtype=np.float32)
        binary.sum_duplicates()
        binary.data[:] = 1
        df = np.asarray(binary.sum(axis=0)).ravel()
        self.idf = (np.log((n + 1) / (df + 1)) + 1).astype(np.float32) if idf else np.ones(m, dtype=np.float32)
        weighted = binary @ sparse.diags(self.idf) if m else binary
        weighted = sparse.csr_matrix(weighted, dtype=np.float32)
        if normalise and m:
            norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel()) ** breadth
            norms[norms == 0] = 1
            weighted = sparse.csr_matrix(sparse.diags(1 / norms) @ weighted, dtype=np.float32)
        self.csr = weighted
        self.csc = weighted.tocsc()
        self.binary_csc = binary.tocsc()

    def query_vector(
        self, codes: Iterable[str], weights: Mapping[str, float] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Column indices and L2-normalised IDF weights of the query's known codes."""
        cols, vals = [], []
        for code in sorted(set(codes)):
            j = self.index.get(code)
            if j is not None:
                cols.append(j)
                vals.append(self.idf[j] * (weights[code] if weights else 1.0))
        c = np.asarray(cols, dtype=np.int64)
        v = np.asarray(vals, dtype=np.float32)
        if len(v):
            v /= np.sqrt((v * v).sum())
        return c, v

    def cosine(self, codes: Iterable[str], weights: Mapping[str, float] | None = None) -> np.ndarray | None:
        cols, vals = self.query_vector(codes, weights)
        if not len(cols):
            return None
        return np.asarray(self.csc[:, cols] @ vals).ravel()

    def any_of(self, codes: Iterable[str]) -> np.ndarray:
        """Boolean: the entity has at least one of ``codes``."""
        cols = [self.index[c] for c in codes if c in self.index]
        if not cols:
            return np.zeros(self.csr.shape[0], dtype=bool)
        return np.asarray(self.binary_csc[:, cols].sum(axis=1)).ravel() > 0

    def row(self, i: int) -> list[str]:
        start, end = self.csr.indptr[i], self.csr.indptr[i + 1]
        return [self.codes[j] for j in self.csr.indices[start:end]]


def _sim_tfidf(docs: list[list[str]], *, max_df: float = 0.5) -> tuple[dict[str, int], np.ndarray, sparse.csr_matrix]:
    """Token index, IDF, and the entity × token TF-IDF matrix (sublinear tf, rows L2-normalised);
    tokens in more than ``max_df`` of the documents are dropped (they carry no signal)."""
    index: dict[str, int] = {}
    lengths = np.fromiter((len(d) for d in docs), dtype=np.int64, count=len(docs))
    flat = [index.setdefault(tok, len(index)) for doc in docs for tok in doc]
    n, m = len(docs), len(index)
    cols = np.asarray(flat, dtype=np.int64)
    rows = np.repeat(np.arange(n, dtype=np.int64), lengths)
    tf = sparse.csr_matrix((np.ones(len(cols), dtype=np.float32), (rows, cols)), shape=(n, m))
    tf.sum_duplicates()
    tf.data = 1 + np.log(tf.data)
    df = np.bincount(tf.indices, minlength=m).astype(np.float32)
    idf = (np.log((n + 1) / (df + 1)) + 1).astype(np.float32)
    if n >= 20:
        idf[df > max_df * n] = 0
    x = tf
    x.data *= idf[x.indices]
    norms = np.sqrt(np.bincount(np.repeat(np.arange(n), np.diff(x.indptr)), weights=x.data * x.data, minlength=n))
    norms[norms == 0] = 1
    x.data /= np.repeat(norms, np.diff(x.indptr)).astype(np.float32)
    x.eliminate_zeros()
    return index, idf, x


def _query_tfidf(
    index: dict[str, int], idf: np.ndarray, items: list[str], limit: int = 64
) -> tuple[np.ndarray, np.ndarray]:
    counts: dict[int, int] = {}
    for tok in items:
        j = index.get(tok)
        if j is not None and idf[j] > 0:
            counts[j] = counts.get(j, 0) + 1
    if not counts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    cols = np.fromiter(counts, dtype=np.int64, count=len(counts))
    vals = (1 + np.log(np.fromiter(counts.values(), dtype=np.float32, count=len(counts)))) * idf[cols]
    if len(cols) > limit:  # the rarest tokens carry the signal; keeps a long query fast
        keep = np.argsort(-vals, kind="stable")[:limit]
        cols, vals = cols[keep], vals[keep]
    order = np.argsort(cols)
    cols, vals = cols[order], vals[order]
    return cols, vals / np.sqrt((vals * vals).sum())


def _as_set(value: Any) -> frozenset | None:
    if value is None or value == "" or value == ():
        return None
    return _fs(value)


class MatchIndex:
    """Entities, the collaboration graph and trade evidence, ready to answer queries."""

    weights: dict[str, float]

    @classmethod
    def build(
        cls,
        entities: Iterable[Entity],
        collaborations: Iterable[tuple] = (),
        supply: Mapping[str, Iterable[str]] | None = None,
        demand: Mapping[str, Iterable[str]] | None = None,
        *,
        weights: Mapping[str, float] | None = None,
        vocabulary: textmod.Vocabulary | None = None,
    ) -> MatchIndex:
        """``collaborations``: (org_a, org_b, kind, year[, fields]) with kind in project, delegation,
        body, introduction, cofunding (year may be None; fields, optional: the cooperation field
        codes of the joint project). ``supply`` / ``demand``: ISO2 -> HS4 codes the country exports
        with RCA > 1 / imports a lot."""
        self = cls()
        self.weights = {**WEIGHTS, **(weights or {})}
        self.fitted: dict[str, float] | None = None
        self.vocab = vocabulary or textmod.vocabulary()
        ents = sorted({e.key: e for e in entities}.values(), key=lambda e: e.key)
        self.entities = ents
        self.position = {e.key: i for i, e in enumerate(ents)}
        n = len(ents)
        self.is_org = np.fromiter((e.key.startswith("org:") for e in ents), dtype=bool, count=n)

        # organisations: every org of an entity or an edge
        collab = collaborations if isinstance(collaborations, list) else list(collaborations)
        ne = len(collab)
        raw_a = np.fromiter((c[0] for c in collab), dtype=np.int64, count=ne)
        raw_b = np.fromiter((c[1] for c in collab), dtype=np.int64, count=ne)
        raw_org = np.fromiter((e.org_id for e in ents), dtype=np.int64, count=n)
        self.org_ids = np.unique(np.concatenate([raw_org, raw_a, raw_b]))
        self.org_pos = {o: i for i, o in enumerate(self.org_ids.tolist())}
        self.ent_org = np.searchsorted(self.org_ids, raw_org)
        self.org_helix: dict[int, str] = {}
        self.org_country: dict[int, str] = {}
        for e in ents:  # an organisation's own entity wins over its profiles
            if e.key.startswith("org:") or e.org_id not in self.org_helix:
                if e.helix:
                    self.org_helix[e.org_id] = e.helix
                if e.country:
                    self.org_country[e.org_id] = e.country

        # countries, helixes, languages as small integer codes
        countries = sorted(
            {e.country for e in ents if e.country}
            | {c for e in ents for c in e.target_countries}
            | set(supply or {})
            | set(demand or {})
        )
        self.country_index = {c: i for i, c in enumerate(countries)}
        self.countries = countries
        self.ent_country = np.fromiter((self.country_index.get(e.country, -1) for e in ents), dtype=np.int32, count=n)
        self.ent_helix = np.fromiter((HELIX_INDEX.get(e.helix, -1) for e in ents), dtype=np.int8, count=n)
        self.ent_seeks = np.fromiter(
            (sum(1 << HELIX_INDEX[h] for h in e.seeks_helix if h in HELIX_INDEX) for e in ents), dtype=np.int16, count=n
        )
        langs = sorted(
            {lang for e in ents for lang in e.languages} | {lang for e in ents for lang, _ in e.texts if lang}
        )
        self.lang_index = {lang: i for i, lang in enumerate(langs[:62])}
        lang_memo: dict = {}

        def lang_mask(e: Entity) -> int:
            key = (e.languages, tuple(lang for lang, _ in e.texts))
            found = lang_memo.get(key)
            if found is None:
                found = lang_memo[key] = sum(
                    1 << self.lang_index[x] for x in set(e.languages) | set(key[1]) if x in self.lang_index
                )
            return found

        self.ent_langs = np.fromiter((lang_mask(e) for e in ents), dtype=np.int64, count=n)

        # structured codes
        # breadth 1: cosine; below 1 an organisation that names many codes is penalised less
        breadth = self.weights.get("breadth", 1.0)
        self.fields = _Codes([e.fields for e in ents], breadth=breadth)
        self.sectors = _Codes([e.sectors for e in ents], breadth=breadth)
        self.hs4 = _Codes([e.hs4 for e in ents], idf=False, normalise=False)
        self.targets = _Codes([e.target_countries for e in ents], idf=False, normalise=False)
        self.has_targets = np.fromiter((bool(e.target_countries) for e in ents), dtype=bool, count=n)

        # texts: tokens and concepts
        docs_tokens, docs_concepts = [], []
        words, analyse_words = textmod.words, self.vocab.analyse_words
        for e in ents:
            if len(e.texts) == 1:
                toks, cons = analyse_words(words(e.texts[0][1]))
            else:
                toks, cons = [], []
                for _lang, t in e.texts:  # a multi-word term does not run across two texts
                    t_toks, t_cons = analyse_words(words(t))
                    toks += t_toks
                    cons += t_cons
            docs_tokens.append(toks)
            docs_concepts.append(cons)
        self.tok_index, self.tok_idf, x = _sim_tfidf(docs_tokens)
        self.tok_csc = x.tocsc()
        self.con_index, self.con_idf, c = _sim_tfidf(docs_concepts, max_df=0.9)
        self.con_names = list(self.con_index)
        # fields the texts speak of (through the concepts' fields) that the codes do not name
        cfield = self.vocab.field
        self.implied_fields = _Codes(
            [
                ({cfield[c] for c in cons if cfield.get(c)} - e.fields) if cons else frozenset()
                for e, cons in zip(ents, docs_concepts)
            ]
        )
        self.con_csr = c
        self.con_csc = c.tocsc()

        # the collaboration graph between organisations
        m = len(self.org_ids)
        ea, eb = np.searchsorted(self.org_ids, raw_a), np.searchsorted(self.org_ids, raw_b)
        raw_kinds = [c[2] if len(c) > 2 else "project" for c in collab]
        kind_names = list(COLLABORATION_KINDS) + sorted(set(raw_kinds) - set(COLLABORATION_KINDS))
        kind_code = {kd: i for i, kd in enumerate(kind_names)}
        ek = np.array([kind_code[kd] for kd in raw_kinds], dtype=np.int64)
        ey = np.fromiter(((c[3] or 0) if len(c) > 3 else 0 for c in collab), dtype=np.float64, count=ne)
        ew = np.array([COLLABORATION_KINDS.get(kd, 0.5) for kd in kind_names], dtype=np.float64)[ek] if ne else ey
        if ne and ey.max() > 0:
            newest = ey.max()
            ew = np.where(ey > 0, ew * YEAR_DECAY ** np.maximum(0, newest - ey), ew)
        keep = ea != eb
        ea, eb, ek, ew = ea[keep], eb[keep], ek[keep], ew[keep]
        lo, hi = np.minimum(ea, eb), np.maximum(ea, eb)
        # the kinds of each pair, as bits (the reasons name them)
        pair = lo * m + hi
        order = np.argsort(pair, kind="stable")
        self._edge_pair = pair[order]
        self._edge_kind = ek[order]
        self._kind_names = kind_names
        w = sparse.csr_matrix(
            (np.concatenate([ew, ew]).astype(np.float32), (np.concatenate([ea, eb]), np.concatenate([eb, ea]))),
            shape=(m, m),
        )
        w.sum_duplicates()
        self.graph = w
        b = w.copy()
        b.data[:] = 1
        self.adjacency = b
        self.degree = np.diff(b.indptr).astype(np.float32)
        self.aa_weight = (1 / np.log(2 + self.degree)).astype(np.float32)
        top = float(np.log1p(self.degree.max())) if m and self.degree.max() > 0 else 1.0
        self.activity = (np.log1p(self.degree) / top).astype(np.float32)
        self.ent_activity = self.activity[self.ent_org] if m else np.zeros(n, dtype=np.float32)
        # experience: the fields of the earlier joint work (an optional fifth item of an edge),
        # counted per organisation
        field_index = self.fields.index
        er, ec = [], []
        for c, a_, b_ in zip(collab, raw_a.tolist(), raw_b.tolist()):
            if len(c) > 4 and c[4] and a_ != b_:
                for f in (c[4],) if isinstance(c[4], str) else c[4]:
                    j = field_index.get(f)
                    if j is not None:
                        er += [self.org_pos[a_], self.org_pos[b_]]
                        ec += [j, j]
        self.experience = None
        if er:
            self.experience = sparse.csc_matrix(
                (np.ones(len(er), dtype=np.float32), (er, ec)), shape=(m, len(field_index))
            )
            self.experience.sum_duplicates()
        # the entities of each organisation (to exclude an organisation in one step)
        by_org = np.argsort(self.ent_org, kind="stable")
        self._org_ent = by_org
        self._org_ent_ptr = np.searchsorted(self.ent_org[by_org], np.arange(m + 1))
        kind_index = {kd: i + 1 for i, kd in enumerate(KINDS)}
        self.ent_kind = np.fromiter((kind_index.get(e.kind, 0) for e in ents), dtype=np.int8, count=n)

        # trade evidence: country × HS4 (the same columns as the entities' HS4)
        self.supply = {k: frozenset(v) for k, v in (supply or {}).items()}
        self.demand = {k: frozenset(v) for k, v in (demand or {}).items()}
        for table in (self.supply, self.demand):
            for codes in table.values():
                for h in codes:
                    self.hs4.index.setdefault(h, len(self.hs4.index))
        self.hs4.codes = list(self.hs4.index)
        nh = len(self.hs4.index)
        for name in ("csr", "csc", "binary_csc"):
            getattr(self.hs4, name).resize((n, nh))
        self.hs4.idf = np.ones(nh, dtype=np.float32)
        self.hs4_csr = self.hs4.csr
        rows = np.repeat(np.arange(n), np.diff(self.hs4_csr.indptr))
        known = self.ent_country[rows] >= 0  # an entity without a known country has no trade evidence
        self._hs4_rows, self._hs4_cols = rows[known], self.hs4_csr.indices[known]
        self._hs4_flat = self.ent_country[rows][known].astype(np.int64) * nh + self._hs4_cols
        self.sup = np.zeros((len(countries), nh), dtype=bool)
        self.dem = np.zeros((len(countries), nh), dtype=bool)
        for table, arr in ((self.supply, self.sup), (self.demand, self.dem)):
            for ctry, codes in table.items():
                i = self.country_index[ctry]
                arr[i, [self.hs4.index[h] for h in codes]] = True
        return self

    # --- helpers ----------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.entities)

    def entity(self, key: str) -> Entity | None:
        i = self.position.get(key)
        return None if i is None else self.entities[i]

    def _query_text(self, query: Query) -> tuple[list[str], dict[str, int]]:
        toks: list[str] = []
        cons: dict[str, int] = {}
        for _lang, t in query.texts:
            toks.extend(textmod.tokens(t))
            for cid, cnt in self.vocab.concepts(t).items():
                cons[cid] = cons.get(cid, 0) + cnt
        return toks, cons

    # --- matching ---------------------------------------------------------------------------------
    def match(
        self,
        query: Query,
        k: int = 10,
        *,
        country=None,
        helix=None,
        field=None,
        language=None,
        kinds: Iterable[str] = ("org", "profile"),
    ) -> list[Match]:
        """The top ``k`` entities for ``query`` with their reasons, strongest first. Filters:
        ``country``, ``helix``, ``field``, ``language`` (a code or several: any of them),
        ``kinds`` ("org", "profile")."""
        if not self.entities or k <= 0:
            return []
        parts, ctx, ok = self._parts(query, country=country, helix=helix, field=field, language=language, kinds=kinds)
        score, gate = self._combine(parts, query, ok, ctx)
        sel = ctx["sel"]
        out = []
        for j in self._top(score, k):
            i = j if sel is None else int(sel[j])
            out.append(self._explain(i, j, float(score[j]), float(gate[j]), parts, query, ctx))
        return out

    def fit(
        self,
        examples: Iterable[tuple[Query, str]],
        *,
        negatives: int = 20,
        l2: float = 0.01,
        seed: int = 0,
        min_examples: int = 50,
        max_examples: int = 5000,
        kinds: Iterable[str] = ("org",),
        apply: bool = True,
    ) -> dict[str, float]:
        """Learn the component weights from the network's own history.

        ``examples``: (query, key of the entity that did become a partner) pairs — e.g. for each
        earlier project, each participant given the others. The index's collaboration graph must
        not contain the examples' own projects (build it from the projects before them), or the
        collaboration weight learns the answer. Each example's positive is set against
        ``negatives`` sampled entities (seeded; half among the current top 100, half among the
        rest of the candidates with a reason), and the weights maximise the conditional
        (one-in-a-group) logistic likelihood of the positives, with an L2 penalty and each weight
        ≥ 0 (SciPy L-BFGS-B). The gates stay as they are. The fitted weights are rescaled to the
        defaults' sum and, with ``apply``, replace this index's weights; with fewer than
        ``min_examples`` usable examples the weights are left as they are. Returns the weights
        in use afterwards (``self.fitted`` keeps the fitted ones, or None)."""
        from scipy.optimize import minimize

        names = PARTS
        rng = np.random.default_rng(seed)
        examples = list(examples)
        if len(examples) > max_examples:
            keep = np.sort(rng.choice(len(examples), max_examples, replace=False))
            examples = [examples[int(i)] for i in keep]
        groups = []
        for query, key in examples:
            i = self.position.get(key)
            if i is None:
                continue
            parts, ctx, ok = self._parts(query, kinds=kinds)
            sel = ctx["sel"]
            if sel is None:
                j = i
            else:
                hit = np.searchsorted(sel, i)
                if hit >= len(sel) or sel[hit] != i:
                    continue
                j = int(hit)
            n = len(ok)
            score, gate = self._combine(parts, query, ok, ctx)
            if not np.isfinite(score[j]):
                continue
            cand = np.flatnonzero(np.isfinite(score))
            cand = cand[cand != j]
            if not len(cand):
                continue
            top = cand[np.argsort(-score[cand], kind="stable")[:100]]
            rest = np.setdiff1d(cand, top)
            half = negatives // 2
            neg = rng.choice(top, min(half, len(top)), replace=False)
            if len(rest):
                neg = np.concatenate([neg, rng.choice(rest, min(negatives - len(neg), len(rest)), replace=False)])
            rows = np.concatenate([[j], neg]).astype(np.int64)
            x = np.zeros((len(rows), len(names)), dtype=np.float64)
            for c, name in enumerate(names):
                if name in parts:
                    x[:, c] = parts[name][rows] * gate[rows]
            groups.append(x)
            del n
        self.fitted = None
        if len(groups) < min_examples:
            return dict(self.weights)
        size = max(len(g) for g in groups)
        xs = np.zeros((len(groups), size, len(names)))
        mask = np.zeros((len(groups), size), dtype=bool)
        for g, x in enumerate(groups):
            xs[g, : len(x)] = x
            mask[g, : len(x)] = True

        def loss(wv: np.ndarray) -> tuple[float, np.ndarray]:
            z = np.where(mask, xs @ wv, -np.inf)
            zmax = z.max(axis=1, keepdims=True)
            e = np.exp(z - zmax)
            total = e.sum(axis=1, keepdims=True)
            p = e / total
            value = float(np.mean(np.log(total[:, 0]) + zmax[:, 0] - z[:, 0])) + l2 * float(wv @ wv)
            grad = (np.einsum("gk,gkp->p", p, xs) - xs[:, 0].sum(axis=0)) / len(groups) + 2 * l2 * wv
            return value, grad

        start = np.array([self.weights.get(name, 0.0) for name in names], dtype=np.float64)
        res = minimize(loss, start, jac=True, method="L-BFGS-B", bounds=[(0.0, None)] * len(names))
        fitted = np.maximum(res.x, 0.0)
        if fitted.sum() <= 0:
            return dict(self.weights)
        fitted *= sum(WEIGHTS[name] for name in names) / fitted.sum()
        self.fitted = {name: round(float(v), 4) for name, v in zip(names, fitted)}
        if apply:
            self.weights = {**self.weights, **self.fitted}
        return dict(self.weights)

    def _parts(
        self,
        query: Query,
        *,
        country=None,
        helix=None,
        field=None,
        language=None,
        kinds: Iterable[str] = ("org", "profile"),
    ) -> tuple[dict[str, np.ndarray], dict, np.ndarray]:
        """Each component's value for every entity, the context the reasons need, and eligibility."""
        n = len(self.entities)
        w = self.weights
        parts: dict[str, np.ndarray] = {}
        ctx: dict[str, Any] = {}

        # eligibility: filters and exclusions
        kinds = set(kinds)
        ok = np.ones(n, dtype=bool)
        if "org" not in kinds:
            ok &= ~self.is_org
        if "profile" not in kinds:
            ok &= self.is_org
        if (cs := _as_set(country)) is not None:
            table = np.zeros(len(self.countries) + 1, dtype=bool)
            table[[self.country_index[c] for c in cs if c in self.country_index]] = True
            ok &= table[self.ent_country]
        if (hs := _as_set(helix)) is not None:
            table = np.zeros(len(HELIXES) + 1, dtype=bool)
            table[[HELIX_INDEX[h] for h in hs if h in HELIX_INDEX]] = True
            ok &= table[self.ent_helix]
        if (fs := _as_set(field)) is not None:
            ok &= self.fields.any_of(fs)
        if (ls := _as_set(language)) is not None:
            mask = sum(1 << self.lang_index[x] for x in ls if x in self.lang_index)
            ok &= (self.ent_langs & mask) != 0
        own = (
            set(query.exclude_orgs) | set(query.partner_orgs) | ({query.org_id} if query.org_id is not None else set())
        )
        for o in own:
            i = self.org_pos.get(o)
            if i is not None:
                ok[self._org_ent[self._org_ent_ptr[i] : self._org_ent_ptr[i + 1]]] = False
        if query.key and query.key in self.position:
            ok[self.position[query.key]] = False
        # with selective filters, work on the eligible entities only (``sel``: their positions)
        sel = np.flatnonzero(ok) if ok.sum() < 0.5 * n else None
        ctx["sel"] = sel

        def local(arr: np.ndarray) -> np.ndarray:
            return arr if sel is None else arr[sel]

        if sel is not None:
            ok = ok[sel]
            n = len(sel)
        ent_country, ent_helix, ent_org = local(self.ent_country), local(self.ent_helix), local(self.ent_org)
        ctx["ent_country"], ctx["ent_activity"] = ent_country, local(self.ent_activity)

        # structured codes
        if query.sectors and (v := self.sectors.cosine(query.sectors)) is not None:
            parts["sector"] = local(v)
        if query.fields:
            v = self.fields.cosine(query.fields)
            v = None if v is None else local(v)
            implied = self.implied_fields.cosine(query.fields)
            implied = None if implied is None else local(implied)
            if implied is not None and w.get("implied_field", 0) > 0:
                implied *= np.float32(w["implied_field"])
                v = implied if v is None else np.maximum(v, implied)
            if v is not None:
                parts["field"] = v

        # helix: sought, missing, complementary
        present = {query.helix} if query.helix in HELIX_INDEX else set()
        present |= {self.org_helix[o] for o in query.partner_orgs if self.org_helix.get(o) in HELIX_INDEX}
        ctx["present"] = present
        seeks = {h for h in query.seeks_helix if h in HELIX_INDEX}
        table = np.zeros(len(HELIXES) + 1, dtype=np.float32)  # the last slot: unknown helix (index -1)
        if seeks:
            for h in seeks:
                table[HELIX_INDEX[h]] = 1.0
        elif present:
            comp = COMPLEMENT[[HELIX_INDEX[h] for h in present]].mean(axis=0)
            for h, i in HELIX_INDEX.items():
                table[i] = 0.6 * (h not in present) + 0.4 * comp[i]
        if seeks or present:
            hv = table[ent_helix]
            if present:
                pmask = sum(1 << HELIX_INDEX[h] for h in present)
                hv = np.minimum(1.0, hv + 0.3 * ((local(self.ent_seeks) & pmask) != 0))
            parts["helix"] = hv

        # countries covered
        covered = ({query.country} if query.country else set()) | {
            self.org_country[o] for o in query.partner_orgs if o in self.org_country
        }
        ctx["covered"] = covered
        cv = None
        if query.target_countries:
            ctable = np.zeros(len(self.countries) + 1, dtype=np.float32)
            for c in query.target_countries:
                if c in self.country_index:
                    ctable[self.country_index[c]] = 0.5 + 0.5 * (c not in covered)
            cv = ctable[ent_country]
        if query.country and query.country in self.targets.index:
            j = self.targets.index[query.country]
            csc = self.targets.binary_csc
            recip = np.zeros(len(self.entities), dtype=np.float32)
            recip[csc.indices[csc.indptr[j] : csc.indptr[j + 1]]] = 1
            recip = local(recip)
            cv = 0.3 * recip if cv is None else np.minimum(1.0, cv + 0.3 * recip)
        if cv is not None:
            parts["country"] = cv

        # coverage gaps of the consortium: a helix no participant has yet, a target country no
        # participant covers yet (projects form by complementary helix and country)
        if query.partner_orgs and w.get("gap"):
            gv = np.zeros(len(ent_helix), dtype=np.float32)
            if present:
                htable = np.zeros(len(HELIXES) + 1, dtype=np.float32)
                for h, i in HELIX_INDEX.items():
                    htable[i] = h not in present
                gv += 0.5 * htable[ent_helix]
            open_countries = set(query.target_countries) - covered
            if open_countries:
                ctable = np.zeros(len(self.countries) + 1, dtype=np.float32)
                for c in open_countries:
                    if c in self.country_index:
                        ctable[self.country_index[c]] = 1
                gv += 0.5 * ctable[ent_country]
            if gv.any():
                parts["gap"] = gv

        # earlier collaboration (the asking organisation and the partners)
        sources = set(query.partner_orgs) | ({query.org_id} if query.org_id is not None else set())
        if sources and self.graph.nnz:
            src = sorted({self.org_pos[o] for o in sources if o in self.org_pos})
            if src:
                g, a = self.graph, self.adjacency
                direct_raw = np.asarray(g[src].sum(axis=0)).ravel()
                reach = np.asarray(a[src].sum(axis=0)).ravel().astype(np.float32)  # sources each org worked with
                mid = np.flatnonzero(reach)
                aa = np.asarray(a[mid].T @ (reach[mid] * self.aa_weight[mid])).ravel() if len(mid) else 0 * reach
                direct = 1 - np.exp(-direct_raw)
                fof = np.minimum(1.0, aa / 2)
                org_score = np.minimum(1.0, direct + 0.5 * fof).astype(np.float32)
                ctx["source_pos"], ctx["reach"] = set(src), reach
                parts["collaboration"] = org_score[ent_org]
        if w.get("activity") and len(self.activity):
            parts["activity"] = ctx["ent_activity"]
        if self.experience is not None and query.fields and w.get("experience"):
            cols = [self.fields.index[f] for f in query.fields if f in self.fields.index]
            if cols:
                count = np.asarray(self.experience[:, cols].sum(axis=1)).ravel()
                if count.any():
                    # earlier joint work in the query's fields: evidence of the field beside the
                    # declared codes, and the activity that matters (in the field, not overall)
                    exp = (1 - np.exp(-count / 3)).astype(np.float32)[ent_org]
                    ctx["experience"] = count
                    field = parts.get("field")
                    parts["field"] = (
                        np.maximum(field, w["experience"] * exp) if field is not None else w["experience"] * exp
                    )
                    if "activity" in parts:
                        # the activity that matters most is in the query's fields; overall counts too
                        infield = (np.log1p(count) / np.log1p(count.max())).astype(np.float32)[ent_org]
                        parts["activity"] = 0.7 * infield + 0.3 * parts["activity"]

        # trade: products one side's country supplies and the other's imports
        qc = self.country_index.get(query.country)
        if qc is not None and (self.sup.any() or self.dem.any()):
            tv = np.zeros(len(self.entities), dtype=np.float32)
            sq, dq = self.sup[qc], self.dem[qc]
            qcols = [self.hs4.index[h] for h in query.hs4 if h in self.hs4.index]
            if qcols:  # the query names products: count per candidate country
                u = np.zeros(self.sup.shape[1], dtype=bool)
                u[qcols] = True
                per_country = (self.sup & (u & dq)).sum(axis=1) + (self.dem & (u & sq)).sum(axis=1)
                tv += np.append(per_country, 0).astype(np.float32)[self.ent_country]
            if len(self._hs4_rows):  # the candidate names products
                # (candidate country, product) pairs where it supplies what the query's country
                # imports, or imports what the query's country supplies
                fits = ((self.sup & dq) | (self.dem & sq)).ravel()
                if qcols:
                    fits = fits.reshape(self.sup.shape).copy()
                    fits[:, qcols] = False  # counted above already
                    fits = fits.ravel()
                hit = fits[self._hs4_flat]
                tv += np.bincount(self._hs4_rows[hit], minlength=len(self.entities)).astype(np.float32)
            tv = local(tv)
            if tv.any():
                parts["trade"] = 1 - np.exp(-tv / 2)
        if query.hs4 and "trade" not in parts:  # no trade evidence: the same products named
            v = self.hs4.cosine(query.hs4)
            if v is not None:
                parts["trade"] = np.minimum(1.0, local(v))

        # text
        toks, cons = self._query_text(query)
        ctx["concepts"] = cons
        tv = None
        ccols, cvals = _query_tfidf(self.con_index, self.con_idf, [c for c, m in cons.items() for _ in range(m)])
        if len(ccols):
            tv = 0.6 * np.asarray(self.con_csc[:, ccols] @ cvals).ravel()
        tcols, tvals = _query_tfidf(self.tok_index, self.tok_idf, toks)
        if len(tcols):
            t2 = 0.4 * np.asarray(self.tok_csc[:, tcols] @ tvals).ravel()
            tv = t2 if tv is None else tv + t2
        if tv is not None:
            parts["text"] = local(tv)

        # profile kinds
        if query.kind in KIND_COMPLEMENTS:
            good = KIND_COMPLEMENTS[query.kind]
            table = np.zeros(len(KINDS) + 1, dtype=np.float32)
            for i, kd in enumerate(KINDS):
                table[i + 1] = kd in good
            parts["kind"] = table[local(self.ent_kind)]

        return parts, ctx, ok

    def _combine(
        self, parts: dict[str, np.ndarray], query: Query, ok: np.ndarray, ctx: dict
    ) -> tuple[np.ndarray, np.ndarray]:
        """The score of every entity in ``ok`` (-inf: not eligible) and its gate factor."""
        n = len(ok)
        w = self.weights
        score = np.zeros(n, dtype=np.float32)
        for name, v in parts.items():
            score += np.float32(w.get(name, 0.0)) * v.astype(np.float32, copy=False)
        gate = self._gate(parts, query, ctx, n)
        score *= gate
        if w.get("activity_boost"):
            score *= 1 + np.float32(w["activity_boost"]) * ctx["ent_activity"]
        score[~(ok & self._has_reason(parts, n))] = -np.inf
        return score, gate

    def _has_reason(self, parts: dict[str, np.ndarray], n: int) -> np.ndarray:
        w = self.weights
        has_reason = np.zeros(n, dtype=bool)
        for name, v in parts.items():
            if name != "activity" and w.get(name, 0.0) > 0:
                has_reason |= v > 0
        return has_reason

    def _gate(self, parts: dict[str, np.ndarray], query: Query, ctx: dict, n: int) -> np.ndarray:
        """A partner has to fit on every axis the query names: gates, not just one more term."""
        w = self.weights
        gate = np.ones(n, dtype=np.float32)
        if query.target_countries and w.get("country_gate", 1.0) < 1.0:
            inside = np.zeros(len(self.countries) + 1, dtype=bool)
            inside[[self.country_index[c] for c in query.target_countries if c in self.country_index]] = True
            gate *= np.where(inside[ctx["ent_country"]], np.float32(1.0), np.float32(w["country_gate"]))
        topical = [parts[name] for name in ("field", "sector", "text") if name in parts]
        if topical and w.get("topic_gate", 1.0) < 1.0:
            relevant = np.zeros(n, dtype=bool)
            for v in topical:
                relevant |= v > 0
            gate *= np.where(relevant, np.float32(1.0), np.float32(w["topic_gate"]))
        return gate

    @staticmethod
    def _top(score: np.ndarray, k: int) -> list[int]:
        """Indices of the best ``k`` eligible scores: score descending, then index (key order)."""
        eligible = int(np.isfinite(score).sum())
        if eligible == 0:
            return []
        k = min(k, eligible)
        part = np.argpartition(-score, k - 1)[:k]
        threshold = score[part].min()
        cand = np.flatnonzero(score >= threshold)
        order = np.lexsort((cand, -score[cand]))
        return [int(i) for i in cand[order][:k]]

    def _explain(
        self, i: int, j: int, score: float, gate: float, parts: dict[str, np.ndarray], query: Query, ctx: dict
    ) -> Match:
        """Entity ``i`` (its values at ``j`` in ``parts``) with its reasons."""
        e = self.entities[i]
        w = self.weights
        reasons: list[Reason] = []

        def add(code: str, params: dict):
            value = float(parts[code][j]) * w.get(code, 0.0) * gate
            if value > 0:
                reasons.append(Reason(code, params, round(value, 4)))

        if "sector" in parts and parts["sector"][j] > 0:
            shared = sorted(query.sectors & e.sectors, key=lambda c: (-self.sectors.idf[self.sectors.index[c]], c))
            add("sector", {"sectors": shared})
        if "field" in parts and parts["field"][j] > 0:
            shared = sorted(query.fields & e.fields, key=lambda c: (-self.fields.idf[self.fields.index[c]], c))
            implied = sorted(set(query.fields) & set(self.implied_fields.row(i)))
            params = {"fields": shared, "from_text": implied}
            if "experience" in ctx:
                params["earlier_links_in_field"] = int(ctx["experience"][self.ent_org[i]])
            add("field", params)
        if "helix" in parts and parts["helix"][j] > 0:
            add(
                "helix",
                {
                    "helix": e.helix,
                    "present": sorted(ctx["present"]),
                    "sought": e.helix in query.seeks_helix,
                    "missing": e.helix not in ctx["present"],
                    "seeks": sorted(e.seeks_helix & ctx["present"]),
                },
            )
        if "country" in parts and parts["country"][j] > 0:
            add(
                "country",
                {
                    "country": e.country,
                    "target": e.country in query.target_countries,
                    "new": e.country in query.target_countries and e.country not in ctx["covered"],
                    "targets_query_country": bool(query.country and query.country in e.target_countries),
                },
            )
        if "collaboration" in parts and parts["collaboration"][j] > 0:
            add("collaboration", self._collaboration_params(i, query, ctx))
        if "trade" in parts and parts["trade"][j] > 0:
            add("trade", self._trade_params(e, query))
        if "text" in parts and parts["text"][j] > 0:
            start, end = self.con_csr.indptr[i], self.con_csr.indptr[i + 1]
            mine = {self.con_names[c] for c in self.con_csr.indices[start:end]}
            shared = sorted(mine & set(ctx["concepts"]), key=lambda c: (-self.con_idf[self.con_index[c]], c))[:8]
            add("text", {"concepts": shared, "similarity": round(float(parts["text"][j]), 3)})
        if "kind" in parts and parts["kind"][j] > 0:
            add("kind", {"kind": e.kind, "query_kind": query.kind})
        if "gap" in parts and parts["gap"][j] > 0:
            add(
                "gap",
                {
                    "helix": e.helix if e.helix in HELIX_INDEX and e.helix not in ctx["present"] else "",
                    "country": e.country
                    if e.country in query.target_countries and e.country not in ctx["covered"]
                    else "",
                },
            )
        if "activity" in parts and parts["activity"][j] > 0:
            o = int(self.ent_org[i])
            params = {"count": int(self.degree[o])}
            if "experience" in ctx:
                params["in_fields"] = int(ctx["experience"][o])
            add("activity", params)
        reasons.sort(key=lambda r: (-r.weight, r.code))
        return Match(e.key, e.org_id, round(score, 6), reasons)

    def _collaboration_params(self, i: int, query: Query, ctx: dict) -> dict:
        o = int(self.ent_org[i])
        a = self.adjacency
        neigh = a.indices[a.indptr[o] : a.indptr[o + 1]]
        sources = ctx["source_pos"]
        direct = sorted(int(z) for z in neigh if int(z) in sources)
        kinds: set[str] = set()
        m = len(self.org_ids)
        for z in direct:
            key = min(o, z) * m + max(o, z)
            lo, hi = np.searchsorted(self._edge_pair, [key, key + 1])
            kinds.update(self._kind_names[k] for k in set(self._edge_kind[lo:hi].tolist()))
        reach = ctx["reach"]
        via = [int(self.org_ids[z]) for z in neigh if reach[z] > 0 and int(z) not in sources]
        return {
            "with": [int(self.org_ids[z]) for z in direct],
            "kinds": sorted(kinds),
            "via": sorted(via)[:5],
            "hops": 1 if direct else 2,
        }

    def _trade_params(self, e: Entity, query: Query) -> dict:
        out: dict[str, Any] = {"hs4": []}
        qc, ec = query.country, e.country
        if qc in self.country_index and ec in self.country_index:
            sup_e, dem_e = self.supply.get(ec, frozenset()), self.demand.get(ec, frozenset())
            sup_q, dem_q = self.supply.get(qc, frozenset()), self.demand.get(qc, frozenset())
            named = query.hs4 | e.hs4
            exports = sorted(named & sup_e & dem_q)  # the candidate's country supplies, the query's imports
            imports = sorted(named & sup_q & dem_e)
            out = {
                "hs4": sorted(set(exports) | set(imports))[:10],
                "exporter_to_query": exports[:10],
                "importer_from_query": imports[:10],
                "country": ec,
                "query_country": qc,
            }
        if not out["hs4"]:
            out["hs4"] = sorted(query.hs4 & e.hs4)[:10]
        return out
