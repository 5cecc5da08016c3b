"""Layers 1 and 2 of validation in two threads, so that reading overlaps importing.

Most of a validator run on a large file is either C++ that releases the interpreter
(pyarrow's CSV reader and compute functions, pandas' vectorised operations) or importing
pandas and pandera (Python, holding it). They are independent, so they run side by side:

* the **reading thread** reads every file with pyarrow (bytes, header, rows: layer 1) into
  Arrow tables and hands them over; once pandas is imported it makes its own DataFrames and
  checks the keys (layer 1) and the layer-2 rules across the cells of a row and across
  tables;
* the **main thread** imports pandas (then lets the reading thread go on), imports pandera,
  loads the schemas, makes its own DataFrames from the Arrow tables and runs pandera's checks
  and the rules on single cells.

The threads share only immutable Arrow tables. No module is first imported by both at once:
what the reading thread uses is imported before it starts (``structure.warm_up``) or before
it is let go on: ``semantics.prepare`` imports the rules' modules and ``_rehearse`` runs the
thread's pandas work once on a few rows, since pandas imports some of its modules only when
an operation first needs them. A test watches the imports of each thread.

>>> from soviet_figures import structure
>>> from soviet_figures._paths import datapackage_dir
>>> descriptor = datapackage_dir() / "datapackage.json"
>>> labels = {name: f"{name}.csv" for name in tableschema.table_names()}
>>> def read():
...     return structure.read_package(descriptor, structure.read_arrow)
>>> checked = check_tables(read, labels, given=set(), tables=["measures"])
>>> checked.structure, sum(len(found) for found in checked.semantics.values())
([], 0)
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from threading import Event
from typing import TYPE_CHECKING

from . import tableschema
from .report import Issue

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    import pyarrow as pa

__all__ = ["Checked", "check_tables", "semantic_tables"]

Reader = Callable[[], "tuple[list[Issue], dict[str, pa.Table]]"]


@dataclass
class Checked:
    """What layers 1 and 2 found. ``readable`` is False when a file could not be read
    (encoding, header, rows); then only ``structure`` has findings. Key errors (duplicate or
    dangling ids) do not stop layer 2: its findings are reported with them."""

    structure: list[Issue]
    frames: dict[str, pd.DataFrame]
    semantics: dict[str, list[Issue]] = field(default_factory=dict)
    readable: bool = True


def semantic_tables(names: list[str] | dict[str, object], given: set[str]) -> list[str]:
    """The tables layer 2 checks: a contributor's given ones, or every table of the package
    but the topic tables (checked as the exact derivation of observations, whose rows get
    every rule; checking their copies again would only repeat the findings).

    >>> semantic_tables(["observations", "workforce", "measures"], given=set())
    ['observations', 'measures']
    """
    topic_names = {t["name"] for t in tableschema.topic_tables()}
    if given:
        return [n for n in names if n in given]
    return [n for n in names if n in tableschema.table_names() and n not in topic_names]


def check_tables(read: Reader, labels: dict[str, str], given: set[str], tables: list[str]) -> Checked:
    """Run ``read`` and the checks of layers 1 and 2 (see the module's docstring).

    ``read`` returns the structure findings and the tables that read; ``labels`` names each
    table's file in findings (``read`` may update it); ``given`` are a contributor's tables
    (empty: the whole package); ``tables`` are the schemas to load.
    """
    from . import semantics, structure

    structure.warm_up()
    pandas_ready = Event()
    handed_over: Future[tuple[list[Issue], dict[str, pa.Table]]] = Future()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="soviet-figures-read") as pool:
        reading = pool.submit(_reading_thread, read, labels, given, pandas_ready, handed_over)
        try:
            semantics.prepare(tables, pandas_ready=lambda: (_rehearse(tables), pandas_ready.set()))
        finally:
            pandas_ready.set()  # never leave the reading thread waiting, even if pandera fails
        unreadable, arrow = handed_over.result()
        frames = {name: structure.to_frame(table) for name, table in arrow.items()}
        schema_found = {} if unreadable else {n: semantics.schema_issues(n, frames[n], labels[n]) + semantics.cell_issues(n, arrow[n], labels[n]) for n in semantic_tables(frames, given)}
        keys, rules = reading.result()
    if unreadable:
        return Checked(unreadable, frames, readable=False)
    return Checked(keys, frames, {n: schema_found[n] + rules[n] for n in schema_found})


def _reading_thread(
    read: Reader, labels: dict[str, str], given: set[str], pandas_ready: Event,
    handed_over: Future[tuple[list[Issue], dict[str, pa.Table]]],
) -> tuple[list[Issue], dict[str, list[Issue]]]:
    from . import semantics, structure

    try:
        found, arrow = read()
    except BaseException as exc:
        handed_over.set_exception(exc)
        raise
    handed_over.set_result((found, arrow))
    if found:
        return [], {}
    pandas_ready.wait()
    frames = {name: structure.to_frame(table) for name, table in arrow.items()}
    # checking a contributor's files: only their rows' keys (the package's own mentions
    # point at the package's observations, not at the file given in their place)
    keys = structure.check_keys(frames, labels, only=given or None)
    return keys, {n: semantics.row_issues(n, frames[n], labels[n], frames) for n in semantic_tables(frames, given)}


def _rehearse(tables: list[str]) -> None:
    """The reading thread's pandas work, once, on the first rows of the installed package's
    tables: pandas' lazy imports then happen in this thread (see the module's docstring).
    The rules of ``tables`` are run; the core tables are read as their context."""
    import csv
    import io

    from . import semantics, structure
    from ._paths import datapackage_dir

    topic_names = {t["name"] for t in tableschema.topic_tables()}
    try:
        frames = {}
        for name in tableschema.CORE_TABLES:
            with open(datapackage_dir() / "data" / f"{name}.csv", encoding="utf-8", newline="") as f:
                head = [row for _, row in zip(range(4), csv.reader(f))]
            text = io.StringIO()
            csv.writer(text, lineterminator="\n").writerows(head)
            frames[name] = structure.to_frame(structure._parse_strings(text.getvalue().encode("utf-8"), head[0]))
        labels = {name: f"{name}.csv" for name in frames}
        structure.check_keys(frames, labels)
        for name in {"observations" if n in topic_names else n for n in tables} & set(frames):
            semantics.row_issues(name, frames[name], labels[name], frames)
    except Exception:  # noqa: BLE001  a rehearsal only moves imports: if the installed
        pass  # package cannot be read, validation goes on without it
