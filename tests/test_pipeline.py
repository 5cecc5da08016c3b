"""The validator's two threads and its stored pandera schemas (see soviet_figures.pipeline)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandera
import pytest

from soviet_figures import semantics, tableschema

HERE = Path(__file__).resolve().parent

# run in a fresh interpreter, so that every import is a first import
PROBE = r"""
import json, sys, threading
imports = {}
def hook(event, args):
    if event == "import":
        imports.setdefault(threading.current_thread().name, []).append(args[0])
sys.addaudithook(hook)
from soviet_figures.cli import main
codes = [main(argv) for argv in json.loads(sys.argv[1])]
print(json.dumps({"codes": codes, "imports": imports}))
"""


def _probe(runs: list[list[str]]) -> dict:
    done = subprocess.run([sys.executable, "-c", PROBE, json.dumps(runs)], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.splitlines()[-1])


def test_the_reading_thread_imports_nothing(sources):
    """No module is first imported by two threads at once: the reading thread imports none."""
    bad = HERE / "bad_inputs"
    result = _probe([
        ["validate", "--sources", str(sources), "--format", "json"],
        ["validate", str(bad / "negative-count.observations.csv"), "--format", "json"],
        ["validate", str(bad / "unterminated-quote.observations.csv"), "--format", "json"],
    ])
    assert result["codes"] == [0, 1, 1]
    assert len(result["imports"]["MainThread"]) > 100  # the hook saw the main thread's imports
    assert {name: mods for name, mods in result["imports"].items() if name != "MainThread"} == {}


def test_the_validator_does_not_import_frictionless_when_the_stored_schemas_fit():
    stored = {json.loads(semantics.compiled_schema_path(n).read_text(encoding="utf-8"))["pandera_version"] for n in tableschema.CORE_TABLES}
    result = _probe([["validate", "--format", "json"]])
    imported = {m for mods in result["imports"].values() for m in mods}
    assert result["codes"] == [0]
    # with another pandera the stored schemas are not used: frictionless builds them
    assert ("frictionless" in imported) == (stored != {pandera.__version__})


@pytest.mark.parametrize("name", tableschema.CORE_TABLES)
def test_a_stored_pandera_schema_is_what_pandera_builds_or_is_not_used(name):
    stored = json.loads(semantics.compiled_schema_path(name).read_text(encoding="utf-8"))
    if stored["pandera_version"] == pandera.__version__:
        assert semantics._compiled(name) == semantics.build_schema(name)
    else:
        assert semantics._compiled(name) is None


def _clear_schema_caches() -> None:
    for cached in (tableschema._read, tableschema._schema, tableschema.pandas_dtypes, tableschema.topic_tables):
        cached.cache_clear()


def test_a_stored_schema_of_an_edited_table_schema_is_not_used(tmp_path, monkeypatch):
    """A contributor edits schemas/*.schema.json and forgets derive: the edit still counts."""
    import shutil

    schemas = tmp_path / "schemas"
    shutil.copytree(semantics.compiled_schema_path("links").parents[1], schemas)
    descriptor = json.loads((schemas / "links.schema.json").read_text(encoding="utf-8"))
    note = next(f for f in descriptor["fields"] if f["name"] == "note")
    note.setdefault("constraints", {})["maxLength"] = 5
    (schemas / "links.schema.json").write_text(json.dumps(descriptor), encoding="utf-8")
    monkeypatch.setattr(tableschema, "schemas_dir", lambda: schemas)
    monkeypatch.setattr(semantics, "schemas_dir", lambda: schemas)
    _clear_schema_caches()
    try:
        assert semantics.compiled_schema_path("links").exists()
        assert semantics._compiled("links") is None
        assert "str_length" in repr(semantics.build_schema("links").columns["note"].checks)
    finally:
        monkeypatch.undo()
        _clear_schema_caches()
