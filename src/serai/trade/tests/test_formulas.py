"""Each indicator on a case computed by hand."""

import math

import numpy as np
import pytest

from serai.trade import codes
from serai.trade import indicators as ind


def test_cagr():
    assert ind.cagr(100, 121, 2) == pytest.approx(0.10)
    assert ind.cagr(0, 50, 3) is None
    assert ind.cagr(100, 100, 0) is None


def test_balassa_rca():
    # Korea sells 20 of its 100 in a product that is 50 of the world's 1,000: (20/100)/(50/1000) = 4.
    assert float(ind.rca(20, 100, 50, 1000)) == pytest.approx(4.0)


def test_specialisation():
    assert float(ind.specialisation(30, 10)) == pytest.approx(0.5)
    assert float(ind.specialisation(0, 10)) == -1.0
    assert math.isnan(float(ind.specialisation(0, 0)))


def test_michaely_complementarity_and_exact_decomposition():
    exports = np.array([60.0, 40.0, 0.0])  # shares .6 .4 0
    imports = np.array([10.0, 50.0, 40.0])  # shares .1 .5 .4
    assert ind.complementarity(exports, imports) == pytest.approx(50.0)  # 100·(.1 + .4 + 0)
    terms = ind.complementarity_terms(exports, imports)
    assert terms.tolist() == pytest.approx([10.0, 40.0, 0.0])
    assert terms.sum() == pytest.approx(ind.complementarity(exports, imports))
    # The classic form 100·(1 − Σ|m − x|/2) agrees when both are aligned on the same products.
    x, m = exports / exports.sum(), imports / imports.sum()
    assert 100 * (1 - np.abs(m - x).sum() / 2) == pytest.approx(50.0)


def test_intensity():
    # 10 of the exporter's 100 go to a market taking 50 of the world's 1,000 imports: 0.1 / 0.05.
    assert ind.intensity(10, 100, 50, 1000) == pytest.approx(2.0)
    assert ind.intensity(10, 0, 50, 1000) is None


def test_grubel_lloyd():
    by_product, total = ind.grubel_lloyd(np.array([10.0, 5.0]), np.array([10.0, 15.0]))
    assert by_product.tolist() == pytest.approx([1.0, 0.5])
    assert total == pytest.approx(30 / 40)


def test_finger_kreinin():
    assert ind.export_similarity(np.array([50.0, 50.0]), np.array([100.0, 0.0])) == pytest.approx(50.0)
    assert ind.export_similarity(np.array([1.0, 3.0]), np.array([2.0, 6.0])) == pytest.approx(100.0)


def test_hhi():
    assert ind.hhi(np.array([50.0, 30.0, 20.0])) == pytest.approx(0.38)
    assert ind.hhi(np.array([7.0])) == 1.0
    assert ind.hhi(np.array([0.0])) is None


def test_hs_partition_is_total_and_exclusive():
    seen = {codes.field_of(k) for k in range(10000, 999999, 37)}
    assert seen <= set(codes.FIELDS)
    assert codes.field_of(270900) == "energy"
    assert codes.field_of(854140) == "climate-environment"  # HS4 rule beats chapter 85
    assert codes.field_of(847130) == "high-tech-it"
    assert codes.field_of(300490) == "health"
    assert codes.field_of(710812) == codes.OTHER  # gold is no cooperation field
    assert codes.section_of_chapter(1) == "I" and codes.section_of_chapter(27) == "V"
    assert codes.section_of_chapter(85) == "XVI" and codes.section_of_chapter(97) == "XXI"


def test_side_parsing():
    assert ind.side_of("KOR") == ("KOR",)
    assert ind.side_of("ca5") == codes.CENTRAL_ASIA
    assert ind.side_of("KOR+CA5") == ("KOR", *codes.CENTRAL_ASIA)
