"""The curated vocabulary and the cross-checks between figures, on the real data."""

from __future__ import annotations

import pandas as pd
import pytest

import soviet_figures as sf
from soviet_figures.validate.arithmetic import _bounds, evaluate

PLANT_PARTY = "Krasnyi Putilovets (Kirov) plant party organisation"


@pytest.fixture(scope="module")
def obs() -> pd.DataFrame:
    return sf.load("observations")


def test_every_measure_is_defined_and_used(obs):
    defined = set(sf.load("measures")["id"])
    used = set(obs["measure"])
    assert used - defined == set(), "undefined measures"
    assert defined - used == set(), "unused measures: remove them or use them"


def test_every_measure_is_used_only_with_its_units(obs):
    allowed = {m.id: set(m.allowed_units.split("|")) for m in sf.load("measures").itertuples()}
    wrong = obs[[u not in allowed[m] for m, u in zip(obs["measure"], obs["unit"])]]
    assert wrong.empty, wrong[["obs_id", "measure", "unit"]]


def test_every_subject_is_in_subjects_once(obs):
    subjects = sf.load("subjects")
    assert subjects["name"].is_unique and subjects["subject_id"].is_unique
    assert set(obs["subject"]) <= set(subjects["name"])
    assert set(subjects["name"]) <= set(obs["subject"]), "a subject no observation uses"


@pytest.mark.parametrize("name", [
    "Krasnyi Putilovets (Kirov) plant", PLANT_PARTY, "Leningrad party organisation", "VKP(b)", "NKTP",
    "Baltic Fleet", "Plant No. 19 (Stalin plant, Perm)", "Dzerzhinsky plant (Perm)", "Molotov plant (Perm)",
])
def test_the_main_subjects_have_exactly_one_id(name):
    subjects = sf.load("subjects")
    assert (subjects["name"] == name).sum() == 1
    # no other subject is another spelling of it
    others = subjects[subjects["name"] != name]
    assert not others["aliases"].fillna("").str.split(r" \| ").apply(lambda a: name in a).any()


def _interval(row) -> tuple[float, float]:
    return _bounds(row)


def test_linked_rows_agree_or_disagree_as_the_link_says(obs):
    o = obs.set_index("obs_id")
    for link in sf.load("links").itertuples():
        a, b = o.loc[link.obs_id_a], o.loc[link.obs_id_b]
        assert a["unit"] == b["unit"] or {a["unit"], b["unit"]} <= {"percent", "share"}, link
        (alo, ahi), (blo, bhi) = (_interval(x) for x in (a, b))
        if a["unit"] != b["unit"]:  # percent against share
            (alo, ahi) = (alo / 100, ahi / 100) if a["unit"] == "percent" else (alo, ahi)
            (blo, bhi) = (blo / 100, bhi / 100) if b["unit"] == "percent" else (blo, bhi)
        # "about half" and "47%" state the same quantity: allow the looseness of words and "about"
        slack = 1.07 if {a["qualifier"], b["qualifier"]} & {"approximate", "less_than", "more_than"} else 1.01
        overlap = alo <= bhi * slack + 1e-9 and blo <= ahi * slack + 1e-9
        if link.relation == "same_quantity_as":
            assert overlap, f"{link.obs_id_a} and {link.obs_id_b} are linked as the same quantity but do not agree"
        elif link.relation == "part_of":  # the part can be no larger than the largest the whole may be
            assert alo <= bhi * slack + 1e-9, f"{link.obs_id_a} is linked as part of {link.obs_id_b} but is larger"
        elif link.relation == "same_series_as":  # one quantity at two dates: the values may be anything, the dates differ
            assert a["period"] != b["period"], link
        else:
            assert (a["value"], a["value_low"], a["value_high"]) != (b["value"], b["value_low"], b["value_high"]), link


def test_counting_the_counted_rows_counts_each_quantity_once(obs):
    """1929 at the plant: 143 expelled, stated twice, and a disputed 140 — one is counted."""
    plant = obs[(obs["subject"] == "Krasnyi Putilovets (Kirov) plant party organisation") & (obs["measure"] == "party_members_expelled")]
    by_period = plant[plant["counted"]].groupby("period", observed=True)["value"].sum()
    assert by_period["1929"] == 143
    assert len(plant[plant["year_start"] == 1929]) == 3


def test_stated_arithmetic_agrees_within_rounding_or_is_a_documented_discrepancy(obs):
    o = obs.set_index("obs_id")
    checks = sf.load("arithmetic")
    assert len(checks) >= 15
    for c in checks.itertuples():
        verdict = evaluate(c.kind, o, c.result, c.operands.split(";"))
        assert verdict.agrees == bool(c.agrees), f"{c.check_id}: {verdict.explain}"
        if not c.agrees:
            assert "text" in c.note.lower() or "author" in c.note.lower(), f"{c.check_id}: say why the disagreement is the text's own"


def test_the_plant_membership_series_has_one_row_per_date_and_measure(obs):
    """Rows sharing a date and measure must be linked as one quantity stated twice."""
    table = sf.load("party_membership", subject=PLANT_PARTY)
    links = sf.load("links", relation="same_quantity_as")
    linked = set(links["obs_id_a"]) | set(links["obs_id_b"])
    repeated = table[table.duplicated(["period", "measure"], keep=False) & table["period"].notna()]
    assert set(repeated["obs_id"]) <= linked, repeated[["obs_id", "period", "measure", "value_text"]]


def test_each_purge_at_the_plant_has_its_expelled_and_rate():
    table = sf.load("party_expulsions", subject=PLANT_PARTY)
    for year in (1929, 1933):
        purge = table[table["year_start"] == year]
        assert (purge["measure"] == "party_members_expelled").any(), year
    rate_1929 = table[(table["year_start"] == 1929) & (table["measure"] == "expulsion_rate")]
    assert not rate_1929.empty
    assert all(v <= 5 for v in rate_1929["value"].dropna())


def test_no_series_counts_two_figures_at_one_date(obs):
    """One quantity has one value at a date: every series counts each of its dates once, and
    at least two of them."""
    members = sf.load("series").merge(obs, on="obs_id")
    counted = members[members["counted"]]
    assert not counted.duplicated(["series_id", "period"]).any()
    assert (counted.groupby("series_id")["period"].nunique() >= 2).all()


def _series_of() -> dict[str, set[str]]:
    series_of: dict[str, set[str]] = {}
    for member in sf.load("series").itertuples():
        series_of.setdefault(member.obs_id, set()).add(member.series_id)
    return series_of


def test_unlike_figures_of_one_measure_form_no_series(obs):
    """The Baltic Fleet's 1928 shares of peasants, workers and others and its 1931
    replacement rates share subject, measure, unit, kind and context; the speakers of one
    meeting and those of another; the disciplinary cases of one day and the resolutions of
    another; the plant's truancy rate of April 1926 (13.55 %) and the share of its absences
    caused by stoppages in 1930 (75 %) are two measures. No line joins any two of them."""
    series_of = _series_of()
    for unlike in (["kokosalakis-2016-0374", "kokosalakis-2016-0376", "kokosalakis-2016-0396"],
                   ["kokosalakis-2016-0197", "kokosalakis-2016-0272"], ["kokosalakis-2016-0167", "kokosalakis-2016-0191"],
                   ["kokosalakis-2016-0042", "kokosalakis-2016-0102"]):
        for i, a in enumerate(unlike):
            for b in unlike[i + 1:]:
                assert not series_of.get(a, set()) & series_of.get(b, set()), (a, b)
    assert obs.set_index("obs_id").loc["kokosalakis-2016-0102", "measure"] == "absences_by_cause"


def test_two_quantities_of_one_key_are_two_series():
    """Machine-builders (23 % to 31 %) and women (37.1 % to 43.5 %) as shares of the Leningrad
    workforce, 1928 and 1932: one subject, measure, unit, kind and context, two series."""
    series_of = _series_of()
    builders = series_of["kokosalakis-2016-0065"] & series_of["kokosalakis-2016-0066"]
    women = series_of["kokosalakis-2016-0072"] & series_of["kokosalakis-2016-0071"]
    assert len(builders) == len(women) == 1 and builders != women


def test_every_series_is_declared_by_its_links():
    """A series is never guessed from shared columns: its counted figures are joined by
    same_series_as links, and every such link of the package makes a series."""
    links = sf.load("links")
    declared = links[links["relation"] == "same_series_as"]
    series_of = _series_of()
    for link in declared.itertuples():
        assert series_of.get(link.obs_id_a, set()) & series_of.get(link.obs_id_b, set()), link
    joined = set(declared["obs_id_a"]) | set(declared["obs_id_b"])
    assert {o for o, ids in series_of.items()} <= joined | set(links[links["relation"] != "same_series_as"][["obs_id_a", "obs_id_b"]].to_numpy().ravel())
