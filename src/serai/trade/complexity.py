"""Economic complexity: RCA → M → ECI, PCI → proximity → density → COI, COG.

One convention, the one of the Growth Lab's ``ecomplexity`` package (0.5.3), which Serai's tests
use as an oracle (agreement to 1e-9): M = [RCA ≥ 1]; proximity φ(p,q) = C(p,q)/max(u_p, u_q)
with C = MᵀM the co-export counts and u the ubiquity; density ω(c,p) = Σ_q M(c,q)·φ(p,q) / Σ_q φ(p,q);
COI(c) = Σ_p ω(c,p)·(1−M(c,p))·PCI(p); COG(c,p) = (1−M(c,p))·Σ_q (1−M(c,q))·φ(q,p)·PCI(q)/Σ_r φ(q,r);
ECI and PCI are standardised with the mean and standard deviation of ECI (so that a country's ECI
is the mean PCI of what it exports), COG is divided by that standard deviation and COI is
standardised on its own. The sign makes ECI correlate positively with diversity.

How it is computed differs from the package: the eigenvector comes from the *symmetric*
country-side matrix S = D^-½ M U^-1 Mᵀ D^-½ (countries × countries, solved with ``eigh``) rather
than the non-symmetric product × product matrix, and proximity, density and COG are three matrix
products on arrays built once. See docs/methods.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import Degenerate


@dataclass
class Complexity:
    countries: np.ndarray  # row labels (BACI codes)
    products: np.ndarray  # column labels (product codes at the level used)
    rca: np.ndarray
    mcp: np.ndarray
    diversity: np.ndarray
    ubiquity: np.ndarray
    eci: np.ndarray
    pci: np.ndarray
    density: np.ndarray | None = None
    coi: np.ndarray | None = None
    cog: np.ndarray | None = None
    proximity: np.ndarray | None = None
    eigenvalue: float = float("nan")


def balassa_rca(values: np.ndarray) -> np.ndarray:
    """Balassa RCA of a country × product matrix: (x_cp / x_c) / (x_p / x)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        share_in_country = values / values.sum(axis=1)[:, None]
        product_total = values.sum(axis=0)[None, :]
        world = product_total.sum(axis=1)[:, None]
        return share_in_country / (product_total / world)


def eci_pci(mcp: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Unstandardised country and product eigenvectors (kc, kp with kc = M·kp / diversity) and the eigenvalue."""
    diversity = mcp.sum(axis=1)
    ubiquity = mcp.sum(axis=0)
    a = mcp * (1.0 / np.sqrt(ubiquity))[None, :]
    inv_sqrt_d = 1.0 / np.sqrt(diversity)
    s = (a @ a.T) * inv_sqrt_d[:, None] * inv_sqrt_d[None, :]
    values, vectors = np.linalg.eigh(s)
    lam = float(values[-2])
    kc = vectors[:, -2] * inv_sqrt_d
    with np.errstate(divide="ignore", invalid="ignore"):  # λ = 0: refused by compute, not divided by
        kp = (mcp.T @ kc) / ubiquity / lam
    with np.errstate(divide="ignore", invalid="ignore"):  # constant diversity: no sign to take
        r = np.corrcoef(diversity, kc)[0, 1] if diversity.std() and kc.std() else 0.0
    sign = float(np.sign(r)) if np.isfinite(r) and r else 1.0
    return sign * kc, sign * kp, lam


def proximity(mcp: np.ndarray, ubiquity: np.ndarray, block: int = 512) -> np.ndarray:
    """φ = MᵀM / max(u_p, u_q), built in place (float32 products of a 0/1 matrix are exact)."""
    m32 = mcp.astype(np.float32)
    phi = (m32.T @ m32).astype(np.float64)
    del m32
    for start in range(0, phi.shape[0], block):
        stop = start + block
        phi[start:stop] /= np.maximum(ubiquity[start:stop, None], ubiquity[None, :])
    return phi


def check_input(values: np.ndarray) -> None:
    """Refuse, in one line, a matrix on which complexity is undefined: fewer than two exporters or
    two products, a value that is negative or not finite, zero world trade, or a country or product
    whose total is zero (``TradeStore.export_matrix`` leaves those out; a caller building its own
    matrix must too)."""
    if values.ndim != 2:
        raise Degenerate("complexity needs a country × product matrix of export values")
    if not np.isfinite(values).all() or (values < 0).any():
        raise Degenerate("complexity needs finite, non-negative export values")
    if not values.sum():
        raise Degenerate("no data: world exports are zero in this year (nothing to compute complexity from)")
    n_c, n_p = values.shape
    if n_c < 2 or n_p < 2:
        raise Degenerate(
            f"no data: complexity needs at least two exporting countries and two exported products "
            f"(found {n_c} and {n_p})"
        )
    if (values.sum(axis=1) == 0).any() or (values.sum(axis=0) == 0).any():
        raise Degenerate(
            f"{int((values.sum(axis=1) == 0).sum())} countries and {int((values.sum(axis=0) == 0).sum())} "
            "products have no exports at all: leave them out before computing complexity"
        )


def compute(
    values: np.ndarray,
    countries: np.ndarray | None = None,
    products: np.ndarray | None = None,
    *,
    threshold: float = 1.0,
    with_space: bool = True,
    keep_proximity: bool = False,
) -> Complexity:
    """Everything from a country × product matrix of export values (rows and columns with a zero
    total must have been left out, as ``TradeStore.export_matrix`` does). Degenerate input (see
    ``check_input``) and a country–product network on which ECI is not defined (every country
    specialised alike, or split into groups that share no product) raise ``Degenerate`` with a
    one-line message; no NaN is ever returned."""
    values = np.asarray(values, dtype=np.float64)
    check_input(values)
    rca = balassa_rca(values)
    mcp = np.where(np.nan_to_num(rca) >= threshold, 1.0, 0.0)
    diversity = mcp.sum(axis=1)
    ubiquity = mcp.sum(axis=0)
    kc, kp, lam = eci_pci(mcp)
    mean, std = kc.mean(), kc.std()
    if not (np.isfinite(kc).all() and np.isfinite(kp).all()) or std < 1e-12 or lam < 1e-12 or lam > 1 - 1e-9:
        raise Degenerate(
            "no data: ECI is undefined for this year's data (every country exports the same set of "
            "products, or the countries fall into groups that share no product)"
        )
    result = Complexity(
        countries=np.arange(values.shape[0]) if countries is None else np.asarray(countries),
        products=np.arange(values.shape[1]) if products is None else np.asarray(products),
        rca=rca,
        mcp=mcp,
        diversity=diversity,
        ubiquity=ubiquity,
        eci=(kc - mean) / std,
        pci=(kp - mean) / std,
        eigenvalue=lam,
    )
    if not with_space:
        return result
    phi = proximity(mcp, ubiquity)
    rowsum = phi.sum(axis=1)
    density = (mcp @ phi.T) / rowsum[None, :]
    absent = 1.0 - mcp
    coi = (density * absent) @ kp
    cog = absent * ((absent * (kp / rowsum)[None, :]) @ phi)
    result.density = density
    # COI standardised; when every country has the same COI there is no spread to standardise
    # (coi stays None: "no data", not a column of NaN).
    result.coi = (coi - coi.mean()) / coi.std() if coi.std() > 1e-12 else None
    result.cog = cog / std
    if keep_proximity:
        result.proximity = phi
    return result
