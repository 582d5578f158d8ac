"""A corrupt .gz, or garbage after a valid header, is a one-line error with the file (and line
where known) from ``serai trade load``, never a traceback or a DuckDB dump (issue 13, defect 16)."""

from __future__ import annotations

import gzip
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from serai.trade import cli, ingest
from serai.trade.errors import TradeInputError
from serai.trade.store import TradeStore

from .conftest import WORLD, write_year

NAME = "BACI_HS17_Y2020_V202501.csv"


def _gz(folder: Path, mangle) -> Path:
    plain = write_year(folder, 2020, WORLD * 1 + [f'2020,410,860,{k},1.5,"0.1"' for k in range(40000, 42000)])
    data = mangle(gzip.compress(plain.read_bytes()))
    plain.unlink()
    target = folder / (NAME + ".gz")
    target.write_bytes(data)
    return target


def truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


def cut_in_header(data: bytes) -> bytes:
    return data[:14]


def not_gzip(data: bytes) -> bytes:
    return b"this is not gzip data at all\n" * 20


def flipped(data: bytes) -> bytes:
    out = bytearray(data)
    for at in range(20, len(out) - 8, 97):
        out[at] ^= 0x5A
    return bytes(out)


def garbage_after_header(folder: Path) -> Path:
    path = write_year(folder, 2020, [])
    path.write_bytes(b'"t","i","j","k","v","q"\r\n' + random.Random(7).randbytes(6000))
    return path


def panel_gz(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "exporter_hs2_panel.csv.gz"
    body = "t,i,i_iso3c,i_name,k,v\n" + "".join(f"2020,410,KOR,Korea,{k},1.5\n" for k in range(1, 98)) * 40
    path.write_bytes(truncated(gzip.compress(body.encode())))
    return path


def panel_garbage(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "exporter_hs2_panel.csv"
    path.write_bytes(b"t,i,i_iso3c,i_name,k,v\n2020,410,KOR,Korea,1,1.5\n" + random.Random(3).randbytes(6000))
    return path


def zip_with_a_corrupt_member(folder: Path) -> Path:
    import zipfile

    plain = write_year(folder / "src", 2020, WORLD)
    path = folder / "BACI_HS17_V202501.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(plain, NAME)
        archive.write(plain.parent / "country_codes_V202501.csv", "country_codes_V202501.csv")
    data = bytearray(path.read_bytes())
    at = data.find(NAME.encode()) + len(NAME) + 5  # inside the member's compressed bytes
    data[at : at + 8] = bytes(b ^ 0xFF for b in data[at : at + 8])
    path.write_bytes(bytes(data))
    return path


CASES = {
    "zip with a corrupt member": zip_with_a_corrupt_member,
    "truncated gz": lambda folder: _gz(folder, truncated),
    "gz cut in its header": lambda folder: _gz(folder, cut_in_header),
    "not gzip": lambda folder: _gz(folder, not_gzip),
    "gz with flipped bytes": lambda folder: _gz(folder, flipped),
    "garbage after a valid header": garbage_after_header,
    "truncated panel gz": panel_gz,
    "panel with garbage after its header": panel_garbage,
}


@pytest.mark.parametrize("case", CASES)
def test_corrupt_input_is_a_one_line_error_naming_the_file(tmp_path, capsys, case):
    path = CASES[case](tmp_path / "in")
    store = tmp_path / "store"
    status = cli.main(
        ["--store", str(store), "load", str(path.parent if path.name.startswith("BACI_HS17_Y") else path)]
    )
    out, err = capsys.readouterr()
    assert status != 0
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("serai trade: ") and path.name in err, err
    assert "Traceback" not in err and "Possible fixes" not in err + out and "strict_mode" not in err + out
    assert not TradeStore(store).entries()  # nothing half-loaded


def test_the_library_raises_its_own_error_with_the_file(tmp_path):
    path = _gz(tmp_path / "in", truncated)
    with pytest.raises(TradeInputError) as info:
        ingest.load(path.parent, TradeStore(tmp_path / "store"))
    assert info.value.path and info.value.path.endswith(path.name)


def test_the_serai_command_prints_one_line_and_exits_non_zero(tmp_path):
    path = _gz(tmp_path / "in", flipped)
    env = dict(os.environ, SERAI_TRADE_DIR=str(tmp_path / "store"))
    done = subprocess.run(
        [sys.executable, "-m", "serai.cli", "trade", "load", str(path.parent)], capture_output=True, text=True, env=env
    )
    assert done.returncode != 0
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr, done.stderr
    assert path.name in done.stderr


@pytest.mark.parametrize("body", [b'"' + b"x" * 200_000 + b'"\n', b'410,"KOR\n' + b"x" * 200_000])
def test_a_broken_country_dictionary_is_a_one_line_error(tmp_path, capsys, body):
    write_year(tmp_path / "in", 2020, WORLD)
    dictionary = tmp_path / "countries.csv"
    dictionary.write_bytes(b"country_code,iso_3digit_alpha,country_name_abbreviation\n" + body)
    status = cli.main(
        ["--store", str(tmp_path / "store"), "load", str(tmp_path / "in"), "--countries", str(dictionary)]
    )
    err = capsys.readouterr().err
    assert status != 0 and len(err.strip().splitlines()) == 1 and "countries.csv:2" in err, err
