"""The command line, the download (from a local HTTP server) and the no-Django rule."""

import csv
import http.server
import subprocess
import sys
import threading
import zipfile

import pytest
from openpyxl import load_workbook

from serai.trade import cli
from serai.trade.download import download
from serai.trade.errors import TradeError

from .conftest import WORLD, write_year


def run(*args):
    return cli.main([str(a) for a in args])


def test_load_status_indicators_opportunities(tmp_path, capsys):
    folder = tmp_path / "baci"
    write_year(folder, 2020, WORLD)
    store = tmp_path / "store"
    assert run("--store", store, "load", folder) == 0
    assert "HS17 2020: 9 rows loaded, 0 rejected" in capsys.readouterr().out
    assert (
        run("--store", store, "indicators", "--reporter", "KOR", "--partner", "UZB", "--year", 2020, "--format", "csv")
        == 0
    )
    rows = {name: (value, unit) for name, value, unit in list(csv.reader(capsys.readouterr().out.splitlines()))[1:]}
    assert float(rows["tci_reporter_to_partner"][0]) == pytest.approx(47.5)
    assert rows["tci_reporter_to_partner"][1] == "index 0-100" and rows["exports"][1] == "thousand USD"
    out = tmp_path / "opp.xlsx"
    assert (
        run(
            "--store",
            store,
            "opportunities",
            "--from",
            "UZB",
            "--to",
            "KOR",
            "--level",
            "hs6",
            "--top",
            50,
            "--format",
            "xlsx",
            "--output",
            out,
        )
        == 0
    )
    sheet = load_workbook(out).active
    header, *body = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert header[:2] == ["rank", "code"] and [r[1] for r in body] == ["030110", "010110"]
    assert [r[0] for r in body] == [1, 2]
    assert run("--store", store, "opportunities", "--from", "KOR", "--to", "XXX") == 2  # a clear refusal


def test_download_from_a_local_server(tmp_path):
    served = tmp_path / "www"
    served.mkdir()
    with zipfile.ZipFile(served / "BACI_HS17_V202501.zip", "w") as z:
        z.writestr("BACI_HS17_Y2020_V202501.csv", "t,i,j,k,v,q\n")
    (served / "BACI_HS92_V202501.zip").write_text("not a zip")
    handler = lambda *a, **kw: http.server.SimpleHTTPRequestHandler(*a, directory=str(served), **kw)  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        path, sha = download("V202501", "HS17", tmp_path / "dl", base_url=base)
        assert path.name == "BACI_HS17_V202501.zip" and zipfile.is_zipfile(path) and len(sha) == 64
        with pytest.raises(TradeError, match="not a zip"):
            download("V202501", "HS92", tmp_path / "dl", base_url=base)
        with pytest.raises(TradeError, match="404"):
            download("V202401", "HS17", tmp_path / "dl", base_url=base)
        assert not list((tmp_path / "dl").glob("*.part"))
    finally:
        server.shutdown()
    with pytest.raises(TradeError, match="like V202501"):
        download("2025", "HS17", tmp_path / "dl", base_url=base)


def test_the_trade_library_does_not_import_django():
    code = (
        "import sys, serai.trade.cli, serai.trade.opportunities, serai.trade.synth, serai.trade.download; "
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
