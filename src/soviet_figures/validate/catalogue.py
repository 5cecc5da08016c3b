"""Every rule the validator reports: its id, its layer, what it checks and how to fix it.

A finding's ``rule`` (:class:`~soviet_figures.validate.report.Issue`) is one of the ids
below. pandera's findings carry the check and its arguments (``schema:isin(['a', 'b'])``)
and are catalogued once per kind of check (``schema:isin``); frictionless's own findings
(``--frictionless``) once for all (``frictionless:*``). ``docs/validation-rules.md`` is
generated from :data:`RULES` by ``soviet-figures derive``; a test fails when a rule the code
reports is missing here.

This module imports nothing from the rest of :mod:`soviet_figures.validate`.

>>> rule("low<=high").layer
'semantics'
>>> rule("schema:isin(['same_quantity_as', 'disagrees_with'])").id
'schema:isin'
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Rule", "RULES", "LAYERS", "rule", "rules_markdown"]

LAYERS = ("structure", "semantics", "provenance", "completeness")


@dataclass(frozen=True)
class Rule:
    """One rule of the validator.

    Attributes
    ----------
    id : the ``rule`` of its findings (``schema:<check>`` for a kind of pandera check,
        ``frictionless:*`` for all of frictionless's)
    layer : the layer that reports it, one of :data:`LAYERS`
    checks : one sentence: what the rule checks
    fix : one sentence: how a contributor fixes a finding of it

    Examples
    --------
    >>> r = rule("primary-key")
    >>> isinstance(r, Rule), r.layer
    (True, 'structure')
    """

    id: str
    layer: str
    checks: str
    fix: str


_STRUCTURE = [
    ("file-missing", "A file to validate (named in datapackage.json or on the command line) exists.",
     "Check the path, or add the file where datapackage.json says it is."),
    ("not-a-file", "The path to validate is a regular file, not a directory, a pipe or another special file.",
     "Give the path of the CSV file itself."),
    ("file-too-large", "The file is no larger than the limit (20 MiB unless `SOVIET_FIGURES_MAX_BYTES` says otherwise).",
     "Split the transcription into one file per document and validate them one by one."),
    ("empty-file", "The file holds at least a header line.",
     "Export the table again with its header row."),
    ("encoding", "The file is UTF-8 without a byte-order mark and holds no NUL byte.",
     "Save the file as UTF-8 without BOM (not UTF-16, cp1251 or Latin-1)."),
    ("line-ends", "Lines end in LF only, never in CR or CRLF.",
     "Save the file with Unix (LF) line ends."),
    ("duplicate-label", "No column name appears twice in the header.",
     "Delete or rename the repeated column."),
    ("extra-label", "Every column of the header is a field of the table's schema.",
     "Delete the column, or propose the new field in `schemas/` first."),
    ("missing-label", "Every field of the table's schema is a column of the header.",
     "Add the column, leaving its cells empty where the schema does not require a value."),
    ("incorrect-label", "The header lists the fields in the order of the table's schema.",
     "Reorder the columns as `schemas/<table>.schema.json` lists them."),
    ("blank-row", "No data row is blank.",
     "Delete the blank line."),
    ("missing-cell", "No row has fewer cells than the header (an unterminated quote swallows the rest of the file and shows up here).",
     "Close the open quote or add the missing cells."),
    ("extra-cell", "No row has more cells than the header.",
     "Quote the cell that holds a comma, or delete the extra cells."),
    ("csv-parse", "The file can be read as CSV at all.",
     "Re-save the file as comma-separated UTF-8 from a spreadsheet or editor and validate it again."),
    ("datapackage", "datapackage.json can be read and lists every table of the contract, each with its path and the fields of its schema.",
     "Run `soviet-figures derive` to rewrite datapackage.json from `schemas/`, then restore any path you changed."),
    ("table-name", "Each file given to the validator names the table it holds, and no table is given twice.",
     "Name the file `<table>.csv` or `<anything>.<table>.csv` and validate one file per table at a time."),
    ("primary-key", "No two rows share the value of the table's primary key.",
     "Give the repeated row its own id, or delete it if it duplicates the earlier one."),
    ("foreign-key", "Every reference to another table (a doc_id, measure, subject, obs_id or arithmetic operand) names a row that exists there.",
     "Correct the reference, or first add the row it refers to in its own table."),
    ("frictionless", "frictionless can read the package at all when it is asked to validate it too (`--frictionless`).",
     "Fix what the message says frictionless cannot read (usually datapackage.json or a file it names)."),
    ("frictionless:*", "frictionless's own row-by-row validation (`--frictionless`) finds no error of its kind (the part after the colon).",
     "Fix the cell or file the message names; the rule of this catalogue that checks the same thing says how."),
]

_SEMANTICS = [
    ("no-rows", "A file given to the validator holds at least one data row below its header.",
     "Add the rows, or leave the header-only file out of the run."),
    ("columns", "pandera finds every column of the schema in the table and no column outside it.",
     "Make the header exactly the schema's fields (the structure rules on labels say which)."),
    ("schema:coerce_dtype", "A numeric, integer or boolean cell can be read as its column's type.",
     "Write the number with digits and a dot decimal only (no spaces, commas or words), or `true`/`false` for a boolean."),
    ("schema:dtype", "A column has the type its schema gives once its cells are read.",
     "Fix the cells that cannot be read as that type (see `schema:coerce_dtype`)."),
    ("schema:not_nullable", "A required cell is not empty.",
     "Fill in the cell; the codebook says what the column holds."),
    ("schema:isin", "A cell of a controlled vocabulary holds one of its values.",
     "Use one of the values the finding's rule lists (`schema:isin([…])`), also given in `docs/codebook.md`, spelled exactly."),
    ("schema:str_matches", "A cell matches the pattern its schema gives (an obs_id, a period, a date).",
     "Rewrite the cell in the pattern shown in the message (for example `<doc_id>-0001` for an obs_id)."),
    ("schema:str_length", "A text cell is no shorter and no longer than its schema allows.",
     "Lengthen or shorten the text to the bounds in the message (a quote holds the sentence around the figure)."),
    ("schema:in_range", "A number lies between the minimum and maximum its schema gives.",
     "Correct the number to what the text says, within the bounds in the message."),
    ("schema:greater_than_or_equal_to", "A number is at least the minimum its schema gives.",
     "Correct the number (offsets, lines and pages are never negative)."),
    ("schema:less_than_or_equal_to", "A number is at most the maximum its schema gives.",
     "Correct the number to what the text says."),
    ("schema:field_uniqueness", "A column whose values must be unique besides the table's key (such as documents.source_file) holds no value twice; a repeated key is `primary-key`.",
     "Give the repeated row its own value, or delete the duplicate row."),
    ("schema:multiple_fields_uniqueness", "No two rows share the values of a key made of several columns (such as a link's two obs_ids).",
     "Delete the repeated row."),
    ("no-formula", "A text cell does not start like a spreadsheet formula (=, +, -, @, tab or CR).",
     "Reword the start of the text, for example by writing the sign out or quoting from the word before it."),
    ("no-invisible-character", "A text cell holds no invisible character (zero-width, bidirectional control or BOM) that makes it look like other text.",
     "Delete the invisible character (retype the text around it if your editor does not show it)."),
    ("no-control-character", "A text cell holds no control character.",
     "Delete the control character."),
    ("mixed-script", "No word of a text cell mixes Latin, Cyrillic or Greek letters (a look-alike letter makes a new subject or id that prints like an existing one); the columns copied verbatim from the source text are exempt.",
     "Retype the word in one alphabet (a Latin name in Latin letters only)."),
    ("obs-id-issued", "Every obs_id of a document is at or below its documents.last_obs_id, the highest id ever issued for it, and last_obs_id is an obs_id of that document.",
     "Add figures with `soviet-figures add`, which issues the next id and raises last_obs_id; never reuse the id of a removed figure."),
    ("finite-number", "A numeric cell holds no NaN or infinity.",
     "Leave the cell empty when there is no value."),
    ("obs-id-prefix", "An obs_id starts with its row's doc_id and a hyphen.",
     "Rename the obs_id `<doc_id>-<number>` after the row's document."),
    ("low<=value", "value_low is not greater than value.",
     "Correct value_low, value or the qualifier to what the text says."),
    ("value<=high", "value_high is not less than value.",
     "Correct value_high, value or the qualifier to what the text says."),
    ("low<=high", "value_low is not greater than value_high.",
     "Correct the bounds of the range to what the text says (the lower one in value_low)."),
    ("qualifier-range", "A row with qualifier range has value empty and both value_low and value_high set.",
     "Move the two ends of the range into value_low and value_high and empty value."),
    ("qualifier-bound", "A more_than or at_least row has value_low equal to value and value_high empty, and a less_than or at_most row value_high equal to value and value_low empty.",
     "Set the bound on the side the qualifier names to value and empty the other one."),
    ("qualifier-point", "An exact or approximate row has value set and value_low, value_high empty.",
     "Set value and empty value_low and value_high, or use the qualifier the text's wording calls for."),
    ("non-negative", "Counts, amounts, shares and ratios are not negative.",
     "Correct the value to the figure the text prints, or the unit if the figure is not a count, amount, share or ratio."),
    ("share<=1", "A value with unit share is a fraction no greater than 1.",
     "Divide by 100 or use unit percent when the text gives a percentage."),
    ("unit-allowed", "The unit is one that the row's measure allows (measures.allowed_units).",
     "Use one of the measure's allowed units, or choose the measure that fits the figure."),
    ("percent-range", "A percentage lies within 0 to 100 unless its measure says it may exceed 100.",
     "Correct the value, or use a measure whose percent_may_exceed_100 is true (a growth rate, a plan fulfilment)."),
    ("offsets-order", "char_end is greater than char_start.",
     "Correct the offsets; `soviet-figures add` computes them from the quote."),
    ("offsets-length", "char_end minus char_start equals the length of the figure's text.",
     "Correct the offsets or the text so that they cover exactly the printed figure."),
    ("duplicate-span", "Two observations of one document sit on the same offsets only when each one's note names the other and says which quantity it reads from the same words.",
     "Delete the repeated observation, or write in each row's note the other's obs_id and the different quantity it reads."),
    ("quote-contains-value", "The quote contains value_text (whitespace collapsed in both).",
     "Quote the sentence that holds the figure, or copy value_text exactly as the quote prints it."),
    ("period-format", "period is an ISO 8601 date, year-month, year or interval of them whose start is not after its end.",
     "Write the period as `1936`, `1936-01`, `1936-06-25` or `1933/1935`, the earlier end first."),
    ("period-range", "period lies within 1800-1991.",
     "Correct the period to what the text says."),
    ("years-from-period", "year_start and year_end are the years of period (both empty when period is empty).",
     "Run `soviet-figures derive`, which derives them from period."),
    ("value-parses", "value, value_low, value_high and qualifier are what the number parser reads from value_text.",
     "Correct the values, or value_text to the figure as the text prints it; `sf.parse(value_text, language)` shows what it reads."),
    ("unit-from-text", "The unit does not contradict what the printed figure says it is: a percent sign or word (percent), a multiple (ratio), a bare fraction (share).",
     "Set unit to what value_text prints (percent for \"20%\", share for \"a third\", ratio for \"doubled\"), or correct value_text to the figure as printed."),
    ("mention-id", "A mention_id is `<doc_id>:<char_start>-<char_end>` of its row.",
     "Run `soviet-figures scan`, which writes the ledger's ids."),
    ("mention-obs", "A mention has an obs_id exactly when its status is observation.",
     "Set status to observation for a mention with an obs_id, or empty obs_id for any other status."),
    ("other-needs-reason", "A mention with status other says why in reason.",
     "Write in reason what the number is and why it is no observation."),
    ("unit-vocabulary", "Every unit in a measure's allowed_units is a unit of the observations schema.",
     "Correct the unit's spelling, or add the unit to the observations schema first."),
    ("default-unit-allowed", "A measure's default_unit is one of its allowed_units.",
     "Add the default unit to allowed_units or choose another default."),
    ("link-order", "In a same_quantity_as, disagrees_with or same_series_as link obs_id_a is the lower of two different ids; a part_of link joins two different rows.",
     "Swap obs_id_a and obs_id_b, or delete a link of a row with itself."),
    ("part-within-whole", "In a part_of link the part (obs_id_a) is in the unit of the whole (obs_id_b) and no larger than it.",
     "Check which row is the part and which the whole, or remove the link if the figures are not one within the other."),
    ("series-link", "A same_series_as link joins two dated figures at different dates with one subject, measure, unit, value kind and context family (and, for flows and durations, periods of one length), and the figures a series' links join count each date once.",
     "Correct the row the message names, or remove the link; mark one figure stated twice same_quantity_as, not same_series_as."),
    ("arithmetic", "A row of the arithmetic table says agrees as the figures it names give within the rounding the text uses.",
     "Check the operands and the result, then set agrees to what the message says the figures give."),
    ("derived-current", "Each topic table and datapackage.json is exactly what `soviet-figures derive` makes of observations and `schemas/`.",
     "Run `soviet-figures derive` and never edit a derived file by hand."),
]

_PROVENANCE = [
    ("source-text", "A document's source text is present and its SHA-256 equals documents.sha256.",
     "Give the right source directory (`--sources`), or correct source_file or sha256 after checking the text is the one transcribed."),
    ("offsets-in-text", "char_start and char_end lie within the source text.",
     "Correct the offsets; `soviet-figures add` computes them from the quote."),
    ("text-at-offsets", "The source text between char_start and char_end is exactly value_text (for a mention: text).",
     "Correct the offsets or value_text so that they point at the printed figure."),
    ("line-of-offset", "line is the line of the source text on which char_start lies.",
     "Set line to the line the message gives."),
    ("quote-at-offsets", "The quote (whitespace collapsed) occurs in the source text around the figure's offsets.",
     "Copy the quote from the text around the figure, or correct the offsets when the quote is the one meant."),
    ("span-expression", "An observation's offsets cover whole numeric expressions as the scanner reads them (with their scale word or percent sign), one or a range or ratio of them, never part of a word or of a number.",
     "Set value_text, char_start and char_end to the whole expression the message names."),
    ("pages-derivable", "The pages of a document whose page_method derives them can be established from its footnote blocks.",
     "Check the document's first and last page against the text, or give it a page_method that does not derive pages and record the pages by hand."),
    ("page-from-notes", "page is the page the document's footnote blocks give the figure.",
     "Run `soviet-figures pages` to set the pages."),
]

_COMPLETENESS = [
    ("mention-missing", "The ledger has a row for every numeric mention the scanner finds in the text.",
     "Run `soviet-figures scan` and classify the new mentions."),
    ("mention-unknown", "Every mention in the ledger is one the scanner finds in the text.",
     "Run `soviet-figures scan`, which removes mentions the text no longer holds."),
    ("mention-covered", "A mention inside an observation's offsets has status observation and that observation's obs_id.",
     "Run `soviet-figures scan`, which sets status and obs_id from the observations."),
    ("mention-not-covered", "A mention with status observation lies inside an observation's offsets.",
     "Add the observation, or classify the mention with the status it has (year, citation, other …)."),
    ("unclassified", "Every mention in the ledger has a status.",
     "Classify the mention (`soviet-figures classify`), giving a reason when the status is other."),
]

RULES: tuple[Rule, ...] = tuple(
    Rule(id, layer, checks, fix)
    for layer, entries in zip(LAYERS, (_STRUCTURE, _SEMANTICS, _PROVENANCE, _COMPLETENESS))
    for id, checks, fix in entries
)

_BY_ID = {r.id: r for r in RULES}


def rule(id: str) -> Rule:
    """The catalogue entry of a finding's rule.

    Parameters
    ----------
    id : a finding's ``rule``; pandera's ``schema:<check>(<arguments>)`` resolves to
        ``schema:<check>``, frictionless's ``frictionless:<type>`` to ``frictionless:*``

    Returns
    -------
    Rule : its id, layer, what it checks and how to fix it.

    Raises
    ------
    KeyError : no rule of the catalogue has that id.

    Examples
    --------
    >>> rule("schema:isin(['a'])").id, rule("frictionless:type-error").id
    ('schema:isin', 'frictionless:*')
    >>> rule("no-formula").layer
    'semantics'
    >>> rule("no-such-rule")
    Traceback (most recent call last):
    ...
    KeyError: 'no-such-rule'
    """
    key = id
    if id.startswith("frictionless:"):
        key = "frictionless:*"
    elif id.startswith("schema:"):
        key = id.split("(", 1)[0]
    if key not in _BY_ID:
        raise KeyError(id)
    return _BY_ID[key]


def _cell(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


def rules_markdown() -> str:
    """``docs/validation-rules.md``: one table per layer, rule | what it checks | how to fix.

    Returns
    -------
    str : the Markdown document, ending in a newline.

    Examples
    --------
    >>> text = rules_markdown()
    >>> text.splitlines()[0], "| `no-formula` |" in text
    ('# Validation rules', True)
    """
    lines = [
        "# Validation rules",
        "",
        "Generated from `soviet_figures.validate.catalogue` by `soviet-figures derive`; do not edit by hand.",
        "",
        "`soviet-figures validate` reports each error with its file, row, column, value and rule. Below is every rule,",
        "layer by layer: what it checks and how to fix a file it refuses. pandera's findings name the check with its",
        "arguments (`schema:isin(['same_quantity_as', 'disagrees_with'])`) and are listed by the kind of check",
        "(`schema:isin`); frictionless's findings (`--frictionless`) are `frictionless:<type>`.",
    ]
    for layer in LAYERS:
        lines += ["", f"## {layer.capitalize()}", "", "| rule | what it checks | how to fix |", "| --- | --- | --- |"]
        lines += [f"| `{r.id}` | {_cell(r.checks)} | {_cell(r.fix)} |" for r in RULES if r.layer == layer]
    return "\n".join(lines) + "\n"
