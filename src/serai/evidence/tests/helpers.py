"""A small synthetic trade store with the six member states' real BACI codes, for page tests."""

from pathlib import Path

from serai.trade import codes, ingest, synth
from serai.trade.store import TradeStore

SIX = [
    codes.Country(410, "KOR", "Korea"),
    codes.Country(398, "KAZ", "Kazakhstan"),
    codes.Country(417, "KGZ", "Kyrgyzstan"),
    codes.Country(762, "TJK", "Tajikistan"),
    codes.Country(795, "TKM", "Turkmenistan"),
    codes.Country(860, "UZB", "Uzbekistan"),
    codes.Country(643, "RUS", "Russian Federation"),
]
OTHERS = [codes.Country(100 + n, f"X{chr(65 + n // 26)}{chr(65 + n % 26)}", f"Other {n}") for n in range(33)]


def build_store(root: Path) -> TradeStore:
    synth.generate(
        root / "csv", [2019, 2020], countries=SIX + OTHERS, n_countries=40, n_products=400, rows=60_000, seed=5
    )
    store = TradeStore(root / "store")
    ingest.load(root / "csv", store)
    return store
