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
    kp = (mcp.T @ kc) / ubiquity / lam
    sign = np.sign(np.corrcoef(diversity, kc)[0, 1]) or 1.0
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


def compute(values: np.ndarray, countries: np.ndarray | None = None, products: np.ndarray | None = None, *,
            threshold: float = 1.0, with_space: bool = True, keep_proximity: bool = False) -> Complexity:
    """Everything from a country × product matrix of export values (rows and columns with a zero
    total must have been left out, as ``TradeStore.export_matrix`` does)."""
    values = np.asarray(values, dtype=np.float64)
    rca = balassa_rca(values)
    mcp = np.where(np.nan_to_num(rca) >= threshold, 1.0, 0.0)
    diversity = mcp.sum(axis=1)
    ubiquity = mcp.sum(axis=0)
    kc, kp, lam = eci_pci(mcp)
    mean, std = kc.mean(), kc.std()
    result = Complexity(
        countries=np.arange(values.shape[0]) if countries is None else np.asarray(countries),
        products=np.arange(values.shape[1]) if products is None else np.asarray(products),
        rca=rca, mcp=mcp, diversity=diversity, ubiquity=ubiquity,
        eci=(kc - mean) / std, pci=(kp - mean) / std, eigenvalue=lam,
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
    result.coi = (coi - coi.mean()) / coi.std()
    result.cog = cog / std
    if keep_proximity:
        result.proximity = phi
    return result
