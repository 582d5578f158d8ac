"""HS names files: every layout the shared nomenclature comes in reads as code → name."""

import pytest

from serai.trade import codes
from serai.trade.errors import TradeInputError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'code,desc\n01,"Animals; live"\n0101,"Horses"\n010121,"Horses; pure-bred"\n',
            {"01": "Animals; live", "0101": "Horses", "010121": "Horses; pure-bred"},
        ),
        ("section,hscode,description,parent,level\nI,01,Animals; live,TOTAL,2\n", {"01": "Animals; live"}),
        ("\ufeffsection,name\nI,live animals; animal products\n", {"I": "Live animals; animal products"}),
        (
            (
                "product_id,hs_product_4digit_code,hs_product_4digit_name,hs_product_2digit_code,hs_product_2digit_name\n"
                "650,0101,Horses,01,Live animals\n"
            ),
            {"0101": "Horses"},
        ),
    ],
)
def test_read_hs_names(tmp_path, text, expected):
    path = tmp_path / "names.csv"
    path.write_text(text, "utf-8")
    assert codes.read_hs_names(path) == expected


def test_a_file_that_is_not_a_names_file_is_refused(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n", "utf-8")
    with pytest.raises(TradeInputError, match="not an HS names file"):
        codes.read_hs_names(path)
