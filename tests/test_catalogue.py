"""The rule catalogue holds every rule the validator can report, and its document is current.

The rule ids are read from the validate package's source (every place a finding's rule is
written down), so a rule added to the code without a catalogue entry fails here; and from
what the validator actually reports on the bad-input corpus.
"""

from __future__ import annotations

import ast
import dataclasses
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from soviet_figures import tableschema
from soviet_figures._paths import data_root, datapackage_dir
from soviet_figures.derive import planned_files
from soviet_figures.validate import validate
from soviet_figures.validate.catalogue import LAYERS, RULES, Rule, rule, rules_markdown
from soviet_figures.validate.schema import schema

ROOT = Path(__file__).resolve().parents[1]
VALIDATE = ROOT / "src" / "soviet_figures" / "validate"
BAD = ROOT / "tests" / "bad_inputs"
FAMILIES = ("schema:", "frictionless:")


# --- the rule ids written in the source --------------------------------------------------

def _rule_positions(trees: dict[Path, ast.Module]) -> dict[str, int]:
    """Callables whose arguments include a finding's rule, with its position: the fields
    of a dataclass such as ``Issue(file, row, column, rule, …)``, and every function or
    method with a parameter ``rule`` (``flag(mask, column, rule, message)``)."""
    positions = {}
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                fields = [s.target.id for s in node.body if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)]
                if "rule" in fields:
                    positions[node.name] = fields.index("rule")
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                params = [a.arg for a in node.args.posonlyargs + node.args.args]
                if params and params[0] in {"self", "cls"}:
                    params = params[1:]
                if "rule" in params:
                    positions[node.name] = params.index("rule")
    return positions


def _called(call: ast.Call) -> str | None:
    return call.func.id if isinstance(call.func, ast.Name) else call.func.attr if isinstance(call.func, ast.Attribute) else None


class _Module:
    """The strings one module's code can put in a finding's rule: (string, is a prefix, line)."""

    def __init__(self, tree: ast.Module) -> None:
        self.tree = tree
        self.assigned: dict[str, list[ast.expr]] = {}
        self.unpacked: dict[str, list[tuple[int, int]]] = {}  # name -> (tuple arity, position)
        self.tuples: list[ast.Tuple] = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign):
                for t in node.targets:
                    if isinstance(t, ast.Name):
                        self.assigned.setdefault(t.id, []).append(node.value)
            elif isinstance(node, (ast.AnnAssign, ast.AugAssign)) and isinstance(node.target, ast.Name) and node.value is not None:
                self.assigned.setdefault(node.target.id, []).append(node.value)
            elif isinstance(node, (ast.For, ast.comprehension)) and isinstance(node.target, ast.Tuple):
                for k, elt in enumerate(node.target.elts):
                    if isinstance(elt, ast.Name):
                        self.unpacked.setdefault(elt.id, []).append((len(node.target.elts), k))
            elif isinstance(node, ast.Tuple) and isinstance(node.ctx, ast.Load):
                self.tuples.append(node)

    def strings(self, expr: ast.expr, seen: frozenset[str] = frozenset()) -> Iterator[tuple[str, bool, int]]:
        """Every string ``expr`` can be: constants, f-strings' constant prefixes, both
        branches of a conditional, and what a name is assigned or unpacked from (a tuple
        of the same shape elsewhere in the module: ``checks.append((mask, "no-formula", …))``
        read by ``for bad, rule, message in checks``)."""
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            yield expr.value, False, expr.lineno
        elif isinstance(expr, ast.JoinedStr):
            if expr.values and isinstance(expr.values[0], ast.Constant):
                yield str(expr.values[0].value), len(expr.values) > 1, expr.lineno
        elif isinstance(expr, ast.IfExp):
            yield from self.strings(expr.body, seen)
            yield from self.strings(expr.orelse, seen)
        elif isinstance(expr, ast.BoolOp):
            for v in expr.values:
                yield from self.strings(v, seen)
        elif isinstance(expr, ast.Name) and expr.id not in seen:
            seen = seen | {expr.id}
            for value in self.assigned.get(expr.id, []):
                yield from self.strings(value, seen)
            for arity, k in self.unpacked.get(expr.id, []):
                for t in self.tuples:
                    if len(t.elts) == arity:
                        yield from self.strings(t.elts[k], seen)

    def rule_strings(self, positions: dict[str, int]) -> Iterator[tuple[str, bool, int]]:
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Call):
                name = _called(node)
                if name in positions and len(node.args) > positions[name] and not any(isinstance(a, ast.Starred) for a in node.args[: positions[name] + 1]):
                    yield from self.strings(node.args[positions[name]])
                for kw in node.keywords:
                    if kw.arg == "rule":
                        yield from self.strings(kw.value)
            elif isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values):
                    if isinstance(key, ast.Constant) and key.value == "rule":
                        yield from self.strings(value)


def source_rules() -> dict[tuple[str, bool], list[str]]:
    """(rule or rule prefix, is a prefix) -> where it is written (``rules.py:123``)."""
    trees = {p: ast.parse(p.read_text(encoding="utf-8")) for p in sorted(VALIDATE.glob("*.py")) if p.name != "catalogue.py"}
    positions = _rule_positions(trees)
    found: dict[tuple[str, bool], set[str]] = {}
    for path, tree in trees.items():
        for text, prefix, line in _Module(tree).rule_strings(positions):
            found.setdefault((text, prefix), set()).add(f"{path.name}:{line}")
    return {k: sorted(v) for k, v in found.items()}


SOURCE = source_rules()


def test_the_source_scan_sees_every_way_a_rule_is_written():
    """The scan finds rules of each shape the code uses, so a silent miss would show here."""
    full = {text for text, prefix in SOURCE if not prefix}
    prefixes = {text for text, prefix in SOURCE if prefix}
    assert {
        "file-missing", "not-a-file",  # a conditional assigned to a name
        "encoding", "primary-key", "table-name",  # Issue(…, rule, …)
        "obs-id-prefix", "low<=value", "qualifier-bound",  # _Flagger.flag(mask, column, rule, …)
        "no-formula", "finite-number",  # checks.append((mask, rule, message)) read by a for loop
        "period-format", "years-from-period", "value-parses",  # finding tuples read by a comprehension
        "text-at-offsets", "mention-covered", "page-from-notes",
    } <= full
    assert set(FAMILIES) <= prefixes
    assert len(full) >= 60


@pytest.mark.parametrize("text, prefix", sorted(SOURCE), ids=[t for t, _ in sorted(SOURCE)])
def test_every_rule_in_the_source_is_catalogued(text, prefix):
    where = ", ".join(SOURCE[(text, prefix)])
    if prefix:
        assert any(r.id.startswith(text) for r in RULES), f"rules {text}… ({where}) have no catalogue entry"
    else:
        try:
            rule(text)
        except KeyError:
            pytest.fail(f"rule {text!r} ({where}) is not in soviet_figures/validate/catalogue.py: add it and run soviet-figures derive")


def test_every_catalogued_rule_is_still_reported_somewhere():
    """The document lists no rule the code no longer reports (the families aside)."""
    full = {text for text, prefix in SOURCE if not prefix}
    assert [r.id for r in RULES if not r.id.startswith(FAMILIES) and r.id not in full] == []


def test_every_pandera_check_the_schemas_build_is_catalogued():
    kinds = {"coerce_dtype", "dtype"}
    for name in tableschema.table_names():
        s = schema(name)
        if s.unique:
            kinds.add("multiple_fields_uniqueness")
        for col in s.columns.values():
            kinds |= {c.name for c in col.checks}
            kinds |= {"not_nullable"} if not col.nullable else set()
            kinds |= {"field_uniqueness"} if col.unique else set()
    assert [k for k in sorted(kinds) if not _known(f"schema:{k}")] == []


def _known(rule_id: str) -> bool:
    try:
        rule(rule_id)
        return True
    except KeyError:
        return False


# --- the rules the validator reports ------------------------------------------------------

def _reported(sources: Path | None) -> list[tuple[str, str]]:
    """The rules the validator reports on the bad-input corpus: every file without the texts;
    with them, the files whose errors only the text layers find (the others stop earlier
    and give the same findings)."""
    descriptor = datapackage_dir() / "datapackage.json"
    expected = json.loads((BAD / "expected.json").read_text(encoding="utf-8"))
    text_rules = {"text-at-offsets", "line-of-offset", "offsets-in-text", "quote-at-offsets", "source-text", "span-expression"}
    files = [p for p in sorted(BAD.glob("*.csv")) if sources is None or expected[p.name]["rule"] in text_rules]
    return [(path.name, i.rule) for path in files for i in validate(descriptor, sources, files=[path]).issues]


def test_every_finding_on_the_bad_inputs_is_catalogued():
    reported = _reported(None)
    assert len({r for _, r in reported}) >= 20
    assert [(name, r) for name, r in reported if not _known(r)] == []


@pytest.mark.texts
def test_every_finding_on_the_bad_inputs_with_the_texts_is_catalogued(sources):
    reported = _reported(sources)
    assert {"text-at-offsets", "quote-at-offsets"} <= {r for _, r in reported}
    assert [(name, r) for name, r in reported if not _known(r)] == []


# --- the catalogue itself -----------------------------------------------------------------

def test_each_entry_says_what_it_checks_and_how_to_fix_it():
    for r in RULES:
        for sentence in (r.checks, r.fix):
            assert sentence.strip() and sentence == sentence.strip() and "\n" not in sentence, r.id
            assert sentence.endswith("."), r.id


def test_ids_are_unique_and_layers_known_and_in_order():
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    assert {r.layer for r in RULES} == set(LAYERS)
    assert [r.layer for r in RULES] == sorted((r.layer for r in RULES), key=LAYERS.index)
    assert all(re.fullmatch(r"[a-z0-9*<=_:-]+", i) for i in ids), ids


def test_entries_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        RULES[0].fix = "x"  # type: ignore[misc]
    assert isinstance(RULES[0], Rule)


def test_rule_resolves_the_families_and_refuses_the_unknown():
    assert rule("schema:isin(['same_quantity_as', 'disagrees_with'])").id == "schema:isin"
    assert rule("schema:str_length(20, 400)").id == "schema:str_length"
    assert rule("schema:not_nullable").id == "schema:not_nullable"
    assert rule("frictionless:type-error").id == "frictionless:*"
    assert rule("low<=high").layer == "semantics"
    for unknown in ("no-such-rule", "schema:no_such_check(1)", "", "schema:"):
        with pytest.raises(KeyError):
            rule(unknown)


# --- the document -------------------------------------------------------------------------

def test_the_document_is_derived_and_lists_every_rule():
    path = data_root() / "docs" / "validation-rules.md"
    planned = planned_files()
    assert planned[path] == rules_markdown()  # so test_derived's stale_files() holds it current
    text = rules_markdown()
    assert text.startswith("# Validation rules\n") and "soviet-figures derive" in text
    assert all(f"| `{r.id}` |" in text for r in RULES)
    assert [line[3:] for line in text.splitlines() if line.startswith("## ")] == [layer.capitalize() for layer in LAYERS]


def test_readme_links_the_document():
    assert "`docs/validation-rules.md`" in (ROOT / "README.md").read_text(encoding="utf-8")
