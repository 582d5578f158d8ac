"""Small BACI-format files written by the tests themselves."""

from __future__ import annotations

from pathlib import Path

import pytest

from serai.trade.store import TradeStore

DICTIONARY = (
    '"country_code","country_name_abbreviation","country_name_full","iso_2digit_alpha","iso_3digit_alpha"\n'
    '410,"Rep. of Korea","Republic of Korea","KR","KOR"\n'
    '860,"Uzbekistan","Uzbekistan","UZ","UZB"\n'
    '398,"Kazakhstan","Kazakhstan","KZ","KAZ"\n'
    '842,"USA","USA","US","USA"\n'
    '384,"C\xf4te d\'Ivoire","C\xf4te d\'Ivoire","CI","CIV"\n'
)

# A hand-checkable world of four countries and three products (values in thousand USD).
#   KOR → UZB: 010110 10, 020110 30       UZB → KOR: 010110 20
#   KOR → USA: 020110 60                  UZB → USA: 030110 40
#   USA → KOR: 030110 50                  USA → UZB: 010110 10
#   KAZ → UZB: 030110 30                  UZB → KAZ: 020110 10
WORLD = [
    (410, 860, 10110, 10.0),
    (410, 860, 20110, 30.0),
    (860, 410, 10110, 20.0),
    (410, 842, 20110, 60.0),
    (860, 842, 30110, 40.0),
    (842, 410, 30110, 50.0),
    (842, 860, 10110, 10.0),
    (398, 860, 30110, 30.0),
    (860, 398, 20110, 10.0),
]


def write_year(
    folder: Path,
    year: int,
    rows,
    *,
    version: str = "V202501",
    hs: str = "HS17",
    header: str = '"t","i","j","k","v","q"',
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"country_codes_{version}.csv").write_bytes(DICTIONARY.encode("latin-1"))
    lines = [header]
    for row in rows:
        lines.append(
            row if isinstance(row, str) else f'{year},{row[0]},{row[1]},{row[2]},{row[3]},"{row[3] / 10:>13.3f}"'
        )
    path = folder / f"BACI_{hs}_Y{year}_{version}.csv"
    path.write_text("\r\n".join(lines) + "\r\n", "utf-8")
    return path


@pytest.fixture
def store(tmp_path) -> TradeStore:
    return TradeStore(tmp_path / "store")


@pytest.fixture
def world(tmp_path, store) -> TradeStore:
    from serai.trade import ingest

    folder = tmp_path / "baci"
    write_year(folder, 2019, [(i, j, k, v / 2) for i, j, k, v in WORLD])
    write_year(folder, 2020, WORLD)
    ingest.load(folder, store)
    return store
