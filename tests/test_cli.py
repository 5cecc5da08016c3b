"""``soviet-figures export`` and ``show`` on the real package: what they write, what they
refuse, and that a reader closing the pipe early ends them quietly."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import soviet_figures as sf
from soviet_figures import tableschema
from soviet_figures._paths import datapackage_dir
from soviet_figures.cli import main
from soviet_figures.io.release import build
from soviet_figures.io.tables import read_csv_table

DATA = datapackage_dir() / "data"
SCRIPT = Path(sys.executable).parent / "soviet-figures"


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


# --- export ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["observations", "mentions", "documents", "workforce"])
def test_a_whole_table_exports_to_the_package_csv_bytes_and_reads_back_as_load_gives_it(capsysbinary, name):
    assert main(["export", name, "--format", "csv"]) == 0
    out, err = capsysbinary.readouterr()
    assert err == b""
    assert out == (DATA / f"{name}.csv").read_bytes()
    pd.testing.assert_frame_equal(read_csv_table(name, out), sf.load(name), check_exact=True)


def test_json_is_one_object_per_row_with_the_schema_keys_in_order_and_nulls(capsys):
    code, out, err = run(capsys, "export", "observations", "--format", "json")
    assert code == 0 and err == ""
    records = json.loads(out)
    df = sf.load("observations")
    assert len(records) == len(df) == len(out.splitlines()) - 2  # "[", one line per row, "]"
    assert all(list(r) == tableschema.field_names("observations") for r in records)
    assert [r["obs_id"] for r in records] == df["obs_id"].tolist()
    missing = df["year_start"].isna().to_numpy()
    assert missing.any() and all(r["year_start"] is None for r, m in zip(records, missing) if m)
    assert [r["year_start"] for r, m in zip(records, missing) if not m] == df["year_start"].dropna().tolist()
    assert {type(r["counted"]) for r in records} == {bool}
    assert "Красный" in out or "тыс" in out  # UTF-8, not \\u escapes


def test_filters_combine_by_and_repeats_are_one_of_and_numbers_are_read_as_numbers(capsysbinary):
    whole = sf.load("observations")
    assert main(["export", "observations", "--format", "csv", "--filter", "doc_id=fitzpatrick-1979", "--filter", "measure=graduates"]) == 0
    got = read_csv_table("observations", capsysbinary.readouterr().out)
    assert len(got) == ((whole["doc_id"] == "fitzpatrick-1979") & (whole["measure"] == "graduates")).sum() > 0
    assert set(got["doc_id"]) == {"fitzpatrick-1979"} and set(got["measure"]) == {"graduates"}

    assert main(["export", "observations", "--format", "csv", "--filter", "doc_id=fitzpatrick-1979", "--filter", "doc_id=nktp-second-plenum"]) == 0
    got = read_csv_table("observations", capsysbinary.readouterr().out)
    assert set(got["doc_id"]) == {"fitzpatrick-1979", "nktp-second-plenum"}
    assert len(got) == whole["doc_id"].isin(["fitzpatrick-1979", "nktp-second-plenum"]).sum()

    assert main(["export", "observations", "--format", "csv", "--filter", "year_start=1936", "--filter", "counted=true"]) == 0
    got = read_csv_table("observations", capsysbinary.readouterr().out)
    assert len(got) == ((whole["year_start"] == 1936) & whole["counted"]).sum() > 0


def test_a_subject_filter_takes_any_alias(capsys):
    code, by_alias, _ = run(capsys, "export", "observations", "--format", "json", "--filter", "subject=Kirov plant")
    code2, by_name, _ = run(capsys, "export", "observations", "--format", "json", "--filter", "subject=Krasnyi Putilovets (Kirov) plant")
    assert code == code2 == 0
    assert by_alias == by_name and len(json.loads(by_name)) > 0


@pytest.mark.parametrize(("argv", "code", "said"), [
    (["export", "observations", "--format", "csv", "--filter", "colour=red"], 1, "unknown column(s) ['colour'] for table 'observations'; valid columns: obs_id"),
    (["export", "observations", "--format", "csv", "--filter", "year_start=soon"], 1, "expected an integer for observations.year_start"),
    (["export", "observations", "--format", "csv", "--filter", "unit=furlongs"], 1, "not in the vocabulary of observations.unit"),
    (["export", "observations", "--format", "csv", "--filter", "counted=yes"], 1, "expected true or false"),
    (["export", "observations", "--format", "csv", "--filter", "page="], 1, "expected a value after '='"),
    (["export", "observation", "--format", "csv"], 1, "unknown table 'observation'; valid tables: documents"),
    (["export", "../../etc/passwd", "--format", "json"], 1, "unknown table"),
])
def test_refusals_are_one_message_and_write_nothing(capsys, argv, code, said):
    got, out, err = run(capsys, *argv)
    assert (got, out) == (code, "")
    assert err.startswith("error: ") and said in err and "Traceback" not in err
    if "observation'" in said:
        assert err.rstrip().endswith("the closest: observations, mentions")


def test_a_filter_without_an_equals_sign_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["export", "observations", "--format", "csv", "--filter", "doc_id"])
    assert exc.value.code == 2 and "expected COLUMN=VALUE" in capsys.readouterr().err


def test_a_filter_that_keeps_nothing_warns_and_writes_the_header(capsys):
    code, out, err = run(capsys, "export", "observations", "--format", "csv", "--filter", "year_start=1700")
    assert code == 0 and out == ",".join(tableschema.field_names("observations")) + "\n"
    assert err.startswith("warning: no row of observations has year_start 1700")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_parquet_to_a_terminal_is_refused_and_to_a_pipe_written(monkeypatch, capsysbinary):
    with monkeypatch.context() as m:
        terminal = _Terminal()
        m.setattr(sys, "stdout", terminal)
        assert main(["export", "links", "--format", "parquet"]) == 2
        assert terminal.getvalue() == ""
    assert "--format parquet is binary: expected --out FILE or a pipe" in capsysbinary.readouterr().err.decode()
    assert main(["export", "links", "--format", "parquet", "--filter", "relation=part_of"]) == 0
    out = capsysbinary.readouterr().out
    back = pd.read_parquet(io.BytesIO(out))
    pd.testing.assert_frame_equal(back, sf.load("links", relation="part_of"), check_exact=True)


def test_out_writes_the_file_and_refuses_the_package_and_directories(capsys, tmp_path):
    target = tmp_path / "links.json"
    code, out, _ = run(capsys, "export", "links", "--format", "json", "--out", target)
    assert code == 0 and out.startswith(f"wrote {target}")
    assert [r["obs_id_a"] for r in json.loads(target.read_text(encoding="utf-8"))] == sf.load("links")["obs_id_a"].tolist()
    assert [p.name for p in tmp_path.iterdir()] == ["links.json"]  # no temporary file left

    before = (DATA / "links.csv").read_bytes()
    code, out, err = run(capsys, "export", "observations", "--format", "csv", "--out", DATA / "links.csv")
    assert code == 1 and "expected a file outside the data package" in err
    assert (DATA / "links.csv").read_bytes() == before
    code, _, err = run(capsys, "export", "links", "--format", "csv", "--out", tmp_path)
    assert code == 1 and "found a directory" in err
    code, _, err = run(capsys, "export", "links", "--format", "csv", "--out", tmp_path / "no" / "links.csv")
    assert code == 1 and "expected a directory to write links.csv into" in err


def test_release_is_read_verified_and_never_written_over(capsysbinary, tmp_path):
    release = tmp_path / "release"
    build(release, DATA)
    parquet_zip = next(release.glob("*-parquet.zip"))
    assert main(["export", "measures", "--format", "csv", "--release", str(parquet_zip)]) == 0
    assert capsysbinary.readouterr().out == (DATA / "measures.csv").read_bytes()
    before = parquet_zip.read_bytes()
    assert main(["export", "measures", "--format", "parquet", "--release", str(release), "--out", str(parquet_zip)]) == 1
    assert b"expected a file outside the data package or release" in capsysbinary.readouterr().err
    assert parquet_zip.read_bytes() == before


def test_export_of_another_package_asks_for_its_release(capsys, tmp_path):
    assert main(["init", str(tmp_path / "mine")]) == 0
    capsys.readouterr()
    code, out, err = run(capsys, "--package", tmp_path / "mine" / "datapackage.json", "export", "links", "--format", "csv")
    assert (code, out) == (2, "") and "export --release DIR" in err


# --- show -----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", tableschema.table_names())
def test_show_prints_the_key_and_what_a_row_is_within_150_characters(capsys, name):
    code, out, err = run(capsys, "show", name)
    assert code == 0 and err == ""
    lines = out.splitlines()
    header = lines[0].split()
    schema = tableschema.load_schema(name)
    assert header[: len(schema["primaryKey"])] == schema["primaryKey"]
    assert 2 <= len(header) and set(header) <= set(tableschema.field_names(name))
    assert len(lines) == 1 + min(10, len(sf.load(name))) + 1
    assert lines[-1].startswith(f"[{len(sf.load(name))} rows]")
    assert max(len(line) for line in lines[:-1]) <= 150


@pytest.mark.parametrize(("name", "expected"), [
    ("observations", ["obs_id", "subject", "period", "measure", "value_text", "value", "unit"]),
    ("workforce", ["obs_id", "subject", "period", "measure", "value_text", "value", "unit"]),
    ("subjects", ["subject_id", "name", "kind"]),
    ("mentions", ["mention_id", "kind", "text", "status", "obs_id", "reason"]),
    ("documents", ["doc_id", "title_en", "authors", "year"]),
    ("links", ["obs_id_a", "obs_id_b", "relation", "note"]),
])
def test_show_chooses_telling_columns(capsys, name, expected):
    _, out, _ = run(capsys, "show", name)
    assert out.splitlines()[0].split()[: len(expected)] == expected


def test_show_columns_rows_and_refusals(capsys):
    code, out, _ = run(capsys, "show", "observations", "--columns", "value,obs_id", "--rows", "3")
    lines = out.splitlines()
    assert code == 0 and lines[0].split() == ["value", "obs_id"] and len(lines) == 5
    assert lines[1].split()[1] == sf.load("observations")["obs_id"][0]
    code, out, _ = run(capsys, "show", "links", "--rows", "0")
    assert code == 0 and out.splitlines() == ["obs_id_a  obs_id_b  relation  note", f"[{len(sf.load('links'))} rows]"]
    code, out, err = run(capsys, "show", "observations", "--columns", "obs_id,colour")
    assert (code, out) == (1, "") and "unknown column(s) ['colour']" in err and "valid columns: obs_id, doc_id" in err
    code, out, err = run(capsys, "show", "observations", "--rows", "-1")
    assert (code, out) == (2, "") and "--rows -1: expected a number of rows, 0 or more" in err
    code, out, err = run(capsys, "show", "subject")
    assert (code, out) == (1, "") and "unknown table 'subject'" in err and "the closest: subjects" in err


# --- a reader that goes away ----------------------------------------------------------------

class _ClosedPipe(io.StringIO):
    """Standard output whose reader has gone: writing (or only flushing) fails with EPIPE."""

    def __init__(self, fd: int, on_write: bool) -> None:
        super().__init__()
        self.fd, self.on_write, self.flushed = fd, on_write, False

    def write(self, s: str) -> int:
        if self.on_write:
            raise BrokenPipeError(32, "Broken pipe")
        return super().write(s)

    def flush(self) -> None:
        self.flushed = True
        raise BrokenPipeError(32, "Broken pipe")

    def fileno(self) -> int:
        return self.fd


@pytest.mark.parametrize("on_write", [True, False], ids=["while-writing", "at-the-last-flush"])
def test_a_closed_pipe_ends_every_command_quietly(monkeypatch, capsys, tmp_path, on_write):
    with open(tmp_path / "stdout", "wb") as f:
        stdout = _ClosedPipe(f.fileno(), on_write)
        monkeypatch.setattr(sys, "stdout", stdout)
        assert main(["tables"]) == 0
        monkeypatch.undo()
    assert capsys.readouterr().err == ""
    assert on_write or stdout.flushed  # the output is flushed inside main, not at exit where EPIPE is a traceback


@pytest.mark.parametrize(("command", "reader", "first"), [
    ("export observations --format csv", "head -1", "obs_id,doc_id,topic,measure,value_kind,context,description,subject,place,period,"),
    ("show mentions --rows 5000", "head -1", "mention_id"),
    ("tables", "true", ""),  # a reader gone before a word is written: the pipe breaks at the final flush
])
def test_a_real_pipe_closed_early_exits_0_without_a_message(tmp_path, command, reader, first):
    assert SCRIPT.is_file(), f"{SCRIPT}: the console script is installed with the package"
    err = tmp_path / "stderr"
    done = subprocess.run(["bash", "-c", f'"$0" {command} 2>"$1" | {reader}; exit "${{PIPESTATUS[0]}}"', str(SCRIPT), str(err)],
                          capture_output=True, text=True, timeout=60, env={**os.environ, "PYTHONWARNINGS": ""})
    assert done.returncode == 0, err.read_text()
    assert err.read_text() == ""
    assert done.stdout.lstrip().startswith(first)
