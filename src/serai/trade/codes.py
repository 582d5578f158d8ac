"""Country and product dictionaries, HS hierarchy and the HS → cooperation-field partition.

BACI numbers countries with UN Comtrade codes, which are not pure ISO 3166 numeric (842 USA,
251 FRA, 699 IND, 490 "Other Asia, nes" …): everything outside the store joins on ISO3.
BACI's country dictionary is Latin-1; HS codes are text zero-padded to six digits.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from .errors import TradeInputError

KOREA = "KOR"
CENTRAL_ASIA = ("KAZ", "KGZ", "TJK", "TKM", "UZB")
SIX = (KOREA, *CENTRAL_ASIA)

LEVELS = {"hs6": 1, "hs4": 100, "hs2": 10_000}
ROLLUPS = ("hs6", "hs4", "hs2", "section", "field")


@dataclass(frozen=True)
class Country:
    code: int
    iso3: str
    name: str


def _dict_reader(path: Path) -> tuple[csv.DictReader, set[str]]:
    """A CSV dictionary file as UTF-8, or Latin-1 (as BACI ships its country codes) when it is not."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    try:
        fields = set(reader.fieldnames or [])
    except csv.Error as exc:
        raise TradeInputError(path, 1, "header", f"not a readable CSV file ({exc})") from exc
    return reader, fields


def _rows(reader: csv.DictReader, path: Path):
    """(line, row) pairs; a line the CSV reader cannot read (a field over its size limit, an
    unclosed quote) is an error with its line, not a traceback."""
    rows = iter(reader)
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:
            raise TradeInputError(path, reader.line_num + 1, None, f"not a readable CSV line ({exc})") from exc
        yield reader.line_num, row


# Every header form of a country dictionary that Serai reads: (code, ISO3, name) columns.
#   BACI V202401 and later:        country_code,country_name,country_iso2,country_iso3
#   BACI V202001 to V202301:       country_code,country_name_abbreviation,country_name_full,
#                                  iso_2digit_alpha,iso_3digit_alpha
#   the exporter × HS2 panel's:    iso3n,country_name,iso2c,iso3c,region
COUNTRY_HEADERS = (
    ("country_code", "country_iso3", "country_name"),
    ("country_code", "iso_3digit_alpha", "country_name_abbreviation"),
    ("iso3n", "iso3c", "country_name"),
)


def _iso3(raw: str, code: int) -> str:
    """The ISO3 as written, or ``N<code>`` where BACI has none ("N/A" for 490 Other Asia nes, 697
    Europe EFTA nes …): those groupings are not one country and must not share a key."""
    iso = (raw or "").strip().upper()
    return iso if len(iso) == 3 and iso.isalnum() else f"N{code:03d}"


def read_country_codes(path: Path | str) -> list[Country]:
    """Read a BACI country dictionary in any of the header forms of ``COUNTRY_HEADERS`` (UTF-8 or
    Latin-1, as BACI ships it)."""
    path = Path(path)
    reader, fields = _dict_reader(path)
    for code_col, iso_col, name_col in COUNTRY_HEADERS:
        if {code_col, iso_col} <= fields:
            if name_col not in fields:
                name_col = next(
                    (n for n in ("country_name", "country_name_full", "country_name_abbreviation") if n in fields),
                    iso_col,
                )
            break
    else:
        raise TradeInputError(
            path,
            1,
            "header",
            f"not a country dictionary (columns: {sorted(fields)}; expected "
            "country_code,country_name,country_iso2,country_iso3 or BACI's "
            "older country_code,country_name_abbreviation,country_name_full,"
            "iso_2digit_alpha,iso_3digit_alpha)",
        )
    out: list[Country] = []
    seen: set[int] = set()
    for line, row in _rows(reader, path):
        raw_code = (row.get(code_col) or "").strip()
        if not raw_code.isdigit():
            raise TradeInputError(path, line, code_col, f"country code {raw_code[:40]!r} is not a number")
        code = int(raw_code)
        if code in seen:
            raise TradeInputError(path, line, code_col, f"country code {code} appears twice")
        seen.add(code)
        out.append(Country(code, _iso3(row.get(iso_col) or "", code), (row.get(name_col) or "").strip()))
    if not out:
        raise TradeInputError(path, 2, code_col, "the country dictionary is empty")
    return out


def read_product_codes(path: Path | str) -> dict[str, str]:
    """HS6 code (zero-padded text) → description, from BACI's ``product_codes_HS*_V*.csv``
    (``code,description``, leading zeros sometimes lost) or an ``hs_product_6digit_code`` table."""
    path = Path(path)
    reader, fields = _dict_reader(path)
    if {"code", "description"} <= fields:
        code_col, name_col = "code", "description"
    elif {"hs_product_6digit_code", "hs_product_6digit_name"} <= fields:
        code_col, name_col = "hs_product_6digit_code", "hs_product_6digit_name"
    else:
        raise TradeInputError(path, 1, "header", f"not a product dictionary (columns: {sorted(fields)})")
    out: dict[str, str] = {}
    for line, row in _rows(reader, path):
        code = (row.get(code_col) or "").strip()
        if not code.isdigit() or len(code) > 6:
            raise TradeInputError(path, line, code_col, f"HS code {code[:40]!r} is not 1–6 digits")
        out[code.zfill(6)] = (row.get(name_col) or "").strip()
    return out


def read_hs_names(path: Path | str) -> dict[str, str]:
    """Code → English name from an HS nomenclature file: ``code,desc`` (the concordance
    descriptions, 2-, 4- and 6-digit codes in one file), ``hscode,description`` (datasets/
    harmonized-system), ``section,name`` (the 21 sections, keyed by roman numeral) or the HS92
    ``hs_product_{2,4,6}digit_code/_name`` tables. Numeric codes are kept as written (zero-padded)."""
    path = Path(path)
    reader, fields = _dict_reader(path)
    for code_col, name_col in (
        ("code", "desc"),
        ("hscode", "description"),
        ("section", "name"),
        *((f"hs_product_{n}digit_code", f"hs_product_{n}digit_name") for n in (6, 4, 2)),
    ):
        if {code_col, name_col} <= fields:
            break
    else:
        raise TradeInputError(path, 1, "header", f"not an HS names file (columns: {sorted(fields)})")
    out: dict[str, str] = {}
    for _line, row in _rows(reader, path):
        code, name = (row.get(code_col) or "").strip(), (row.get(name_col) or "").strip()
        if code and name:
            out[code] = name[:1].upper() + name[1:]
    return out


# HS sections by chapter (the World Customs Organization's 21 sections; chapter 77 is reserved).
_SECTION_BOUNDS = [
    (1, "I"),
    (6, "II"),
    (15, "III"),
    (16, "IV"),
    (25, "V"),
    (28, "VI"),
    (39, "VII"),
    (41, "VIII"),
    (44, "IX"),
    (47, "X"),
    (50, "XI"),
    (64, "XII"),
    (68, "XIII"),
    (71, "XIV"),
    (72, "XV"),
    (84, "XVI"),
    (86, "XVII"),
    (90, "XVIII"),
    (93, "XIX"),
    (94, "XX"),
    (97, "XXI"),
]
SECTIONS = [s for _, s in _SECTION_BOUNDS]


def section_of_chapter(chapter: int) -> str:
    section = "I"
    for first, name in _SECTION_BOUNDS:
        if chapter >= first:
            section = name
    return section


# HS → Forum cooperation field: a partition (every HS6 code falls in exactly one bucket), so that
# indicators decompose exactly. HS4 rules win over chapter rules. Services-only fields (tourism,
# education, trade as such) have no goods; what no rule claims is "other".
OTHER = "other"
_FIELD_CHAPTERS = {
    "agriculture": [*range(1, 25), 31],
    "energy": [27],
    "textiles": [*range(41, 44), *range(50, 65)],
    "health": [30],
    "construction": [25, 68, 69, 70, 72, 73],
    "transport-logistics": [86, 87, 88, 89],
    "high-tech-it": [84, 85, 90],
    "culture": [37, 49, 92, 97],
}
_FIELD_HEADINGS = {
    "energy": [2612, 2844, 8401, 8402, 8403, 8404, 8406, 8410, 8411],
    "climate-environment": [8502, 8507, 8541, 8421, 3825, 3915, 4707, 7204],
    "health": [*range(2936, 2942), 3821, 3822, *range(9018, 9023)],
    "construction": [8426, 8429, 8430, 8474, 9406],
}


def _build_field_tables() -> tuple[dict[int, str], dict[int, str]]:
    by_chapter = {ch: field for field, chs in _FIELD_CHAPTERS.items() for ch in chs}
    by_heading = {h: field for field, hs in _FIELD_HEADINGS.items() for h in hs}
    return by_chapter, by_heading


FIELD_BY_CHAPTER, FIELD_BY_HEADING = _build_field_tables()
FIELDS = [*dict.fromkeys([*_FIELD_CHAPTERS, *_FIELD_HEADINGS]), OTHER]


def field_of(hs6: int) -> str:
    heading = int(hs6) // 100
    return FIELD_BY_HEADING.get(heading) or FIELD_BY_CHAPTER.get(heading // 100, OTHER)


# Korea's dependency screen: critical minerals and energy (HS4 headings).
CRITICAL_HEADINGS = {
    2504: "Natural graphite",
    2602: "Manganese ores",
    2603: "Copper ores",
    2604: "Nickel ores",
    2605: "Cobalt ores",
    2610: "Chromium ores",
    2611: "Tungsten ores",
    2612: "Uranium and thorium ores",
    2613: "Molybdenum ores",
    2614: "Titanium ores",
    2615: "Niobium, tantalum, vanadium, zirconium ores",
    2701: "Coal",
    2709: "Crude petroleum",
    2710: "Petroleum products",
    2711: "Petroleum gases",
    2805: "Rare-earth metals",
    2825: "Lithium oxide and hydroxide and other bases",
    2836: "Carbonates (lithium carbonate)",
    2844: "Radioactive elements (uranium compounds)",
    2846: "Rare-earth compounds",
    7502: "Unwrought nickel",
    8101: "Tungsten",
    8102: "Molybdenum",
    8105: "Cobalt",
    8108: "Titanium",
    8110: "Antimony",
    8112: "Gallium, germanium, indium and others",
}


def sql_rollup(level: str, column: str = "k", stored: str = "hs6") -> str:
    """A DuckDB expression grouping integer HS codes stored at ``stored`` granularity at ``level``."""
    if level not in LEVELS or stored not in LEVELS:
        raise ValueError(f"unknown level {level!r}")
    if LEVELS[level] < LEVELS[stored]:
        raise ValueError(f"data held at {stored} cannot be shown at {level}")
    divisor = LEVELS[level] // LEVELS[stored]
    return f"({column} // {divisor})" if divisor > 1 else column


def rollup_label(level: str, code: int) -> str:
    if level == "hs6":
        return f"{code:06d}"
    if level == "hs4":
        return f"{code:04d}"
    if level == "hs2":
        return f"{code:02d}"
    raise ValueError(level)
