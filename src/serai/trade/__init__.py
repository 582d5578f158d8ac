"""serai.trade — the trade complementarity engine: a plain library (no Django) over DuckDB and NumPy.

For the web layer and for notebooks::

    from serai.trade import TradeStore, Analysis, ingest, opportunities, complexity

    store = TradeStore("var/trade")
    ingest.load("BACI_HS17_V202501.zip", store)            # or a folder, or one yearly file
    a = Analysis(store, "HS17")
    a.summary(("KOR",), ("UZB",), 2022)                     # values, TCI both ways, TII, GL, TSI
    a.tci_by(("KOR",), ("UZB",), 2022, "field")             # exact decomposition of the TCI
    opportunities.untapped(a, "KOR", "UZB", 2022, level="hs6", top=50).rows
    c, p, x = store.export_matrix("HS17", 2022, "hs4")
    complexity.compute(x, c, p).eci                         # ECI/PCI/density/COI/COG

Formulas and citations: docs/methods.md (``serai/trade/docs/methods.md``).
"""

from .indicators import Analysis
from .store import TradeStore

__all__ = ["Analysis", "TradeStore"]
