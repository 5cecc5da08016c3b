"""The static site in headless Chromium: it renders, its charts draw, a click shows a quote,
a line joins only the figures of one series, the search finds figures in either language,
and nothing outside the site is requested."""

from __future__ import annotations

import csv
import datetime as dt
import html
import json
import re
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest

import soviet_figures as sf
from soviet_figures import tableschema
from soviet_figures.charts import profiles_of, series_of
from soviet_figures.site import build_site

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
DATA = Path(__file__).resolve().parents[1] / "datapackage" / "data"
TOPICS = [t["name"] for t in tableschema.topic_tables()]


def _csv(name: str) -> list[dict[str, str]]:
    with open(DATA / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _records(df) -> list[dict]:
    return [{k: (None if not isinstance(v, str) and v != v else v) for k, v in r.items()} for r in df.astype(object).to_dict("records")]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    build_site(out)
    return out


def test_every_page_is_written_and_offline(site):
    names = {p.name for p in site.iterdir()}
    assert {"index.html", "party_membership.html", "search.html"} <= names
    assert {f"{t}.html" for t in TOPICS} <= names
    assert {f"doc-{d}.html" for d in sf.documents()["doc_id"]} <= names
    for page in site.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        # nothing is fetched from elsewhere (a DOI may be named in a citation's text, never loaded)
        assert not re.search(r"""(?:src|href|action|srcset)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//|@import""", text, re.I), page.name
        # one search box on every page, sending its words to search.html
        assert text.count('<form class="search" action="search.html" method="get"') == 1, page.name


def test_charts_never_join_two_subjects_and_draw_only_counted_or_disputed_figures():
    obs = _records(sf.load("observations"))
    links = _csv("links")
    counted = {r["obs_id"] for r in obs if r["counted"]}
    disagreeing = {x for link in links if link["relation"] == "disagrees_with" for x in (link["obs_id_a"], link["obs_id_b"])}
    series = _csv("series")
    sid = {s["obs_id"]: s["series_id"] for s in series}
    by_id = {r["obs_id"]: r for r in obs}
    charts = series_of(obs, series, disputed=disagreeing - counted)
    assert charts
    for chart in charts:
        ids = chart.obs_ids
        assert len({by_id[o]["subject"] for o in ids}) == 1, chart.title
        assert len({sid[o] for o in ids}) == 1, chart.title
        assert all(o in counted or o in disagreeing for o in ids), chart.title
        assert sum(o in counted for o in ids) >= 2, chart.title


def test_side_by_side_compares_one_kind_in_one_context():
    rows = _records(sf.load("observations"))
    for chart in profiles_of(rows, charted=set(), limit=100):
        ids = set(chart.obs_ids)
        keys = {tuple(r[k] for k in ("doc_id", "measure", "unit", "value_kind", "context")) for r in rows if r["obs_id"] in ids}
        assert len(keys) == 1, chart.title
        labels = [p["label"] for p in chart.groups[0].points]
        assert len(set(labels)) == len(labels), chart.title
    # the Communist Party of Cuba is never beside a battleship squadron
    for chart in profiles_of(rows, charted=set(), limit=100):
        subjects = {r["subject"] for r in rows if r["obs_id"] in set(chart.obs_ids)}
        assert not ({"Communist Party of Cuba"} & subjects and any("Battleship" in s for s in subjects)), chart.title


def _joins(site: Path) -> list[tuple[str, list[str]]]:
    """Every line of every page: (its group's data-series, the obs_ids it joins)."""
    out = []
    for page in site.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        for group in re.findall(r'<g class="series" data-series="([^"]*)">(.*?)</g>(?=<g class="series"|</svg>)', text):
            for joined in re.findall(r'<polyline[^>]*data-joins="([^"]*)"', group[1]):
                out.append((html.unescape(group[0]), joined.split()))
    return out


def test_the_known_false_lines_are_gone(site):
    joins = _joins(site)
    assert joins
    pairs = {frozenset((a, b)) for _, ids in joins for a in ids for b in ids if a != b}
    # 325 admitted during the 1929 purge, 5 recruited by a study group in 1932
    assert frozenset(("kokosalakis-2016-0238", "kokosalakis-2016-0326")) not in pairs
    # graduates of 1928-32 and 1933-37 (five years each) never run into one quarter of 1937
    assert not any("fitzpatrick-1979-0061" in ids for _, ids in joins)
    # the executed: 285 employees, the 80 communists among them, 'a couple' of coaches
    executed = {"kokosalakis-2016-0280", "kokosalakis-2016-0282", "kokosalakis-2016-0283", "kokosalakis-2016-0440"}
    assert not any(len(executed & set(ids)) > 1 for _, ids in joins)


def _days(period: str) -> int:
    def edge(part: str, end: bool) -> dt.date:
        bits = [int(b) for b in part.split("-")]
        if len(bits) == 1:
            return dt.date(bits[0] + end, 1, 1)
        if len(bits) == 2:
            return dt.date(bits[0] + bits[1] // 12, bits[1] % 12 + 1, 1) if end else dt.date(bits[0], bits[1], 1)
        return dt.date(*bits) + dt.timedelta(days=int(end))

    a, _, b = period.partition("/")
    return (edge(b or a, True) - edge(a, False)).days


def _check_line(series_id: str, joined: list[str], marks: list[str]) -> None:
    """A line joins marks of its own group, all of one series, value kind and context family."""
    series = {s["obs_id"]: s["series_id"] for s in _csv("series")}
    obs = {o["obs_id"]: o for o in _csv("observations")}
    family = {c["context_id"]: c["family"] for c in _csv("contexts")}
    assert series_id and len(joined) >= 2 and set(joined) <= set(marks), (series_id, joined)
    assert {series[o] for o in marks} == {series_id}, (series_id, marks)
    assert len({obs[o]["value_kind"] for o in marks}) == 1, marks
    assert len({family[obs[o]["context"]] for o in marks}) == 1, marks
    kind = obs[joined[0]]["value_kind"]
    assert kind not in {"change", "target"}, joined
    assert all(obs[o]["counted"] == "true" for o in joined), joined
    periods = [obs[o]["period"] for o in joined]
    assert len(set(periods)) == len(periods), joined
    if kind in {"flow", "duration"}:
        days = [_days(p) for p in periods]
        assert max(days) - min(days) <= max(3, 0.03 * max(days)), joined


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not (CHROMIUM and DRIVER):
        pytest.skip("Debian chromium and chromium-driver are not installed (.ci/run installs them)")
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    opts = Options()
    opts.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1200,1600", f"--user-data-dir={tmp_path_factory.mktemp('chrome')}"):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    yield driver
    driver.quit()


def _requests(driver) -> list[str]:
    urls = []
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg["method"] == "Network.requestWillBeSent":
            urls.append(msg["params"]["request"]["url"])
    return urls


def test_index_and_a_topic_page_in_chromium(site, browser, tmp_path):
    from selenium.webdriver.common.by import By

    browser.get((site / "index.html").as_uri())
    assert browser.save_screenshot(str(tmp_path / "index.png")) and (tmp_path / "index.png").stat().st_size > 10_000
    assert "party_membership" in browser.find_element(By.TAG_NAME, "main").text

    browser.get((site / "party_membership.html").as_uri())
    assert browser.save_screenshot(str(tmp_path / "topic.png")) and (tmp_path / "topic.png").stat().st_size > 10_000
    svgs = browser.find_elements(By.CSS_SELECTOR, "figure svg")
    assert svgs and all(s.size["width"] > 100 and s.size["height"] > 60 for s in svgs)  # a dot plot of two figures is short
    points = browser.find_elements(By.CSS_SELECTOR, "svg .pt")
    assert points
    point = points[0]
    obs_id = point.get_attribute("data-obs")
    point.click()
    detail = browser.find_element(By.ID, "detail")
    assert detail.is_displayed()
    row = sf.load("observations", obs_id=obs_id).iloc[0]
    assert row["quote"] in detail.text and row["value_text"] in detail.text and obs_id in detail.text

    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
    requests = _requests(browser)
    assert any(u.startswith("file://") for u in requests)
    # chrome:// are the browser's own pages; anything on a network would be http(s) or ws(s)
    outside = [u for u in requests if not u.startswith(("file://", "data:", "chrome://", "chrome-untrusted://", "about:"))]
    assert outside == []


def test_a_row_click_shows_its_quote(site, browser):
    from selenium.webdriver.common.by import By

    browser.get((site / "labour_and_injuries.html").as_uri())
    row = browser.find_elements(By.CSS_SELECTOR, "#rows tbody tr")[0]
    row.click()
    obs_id = row.get_attribute("data-obs")
    assert sf.load("observations", obs_id=obs_id).iloc[0]["quote"] in browser.find_element(By.ID, "detail").text


_LINES = """return Array.from(document.querySelectorAll('figure svg polyline')).map(p => {
  const g = p.closest('g[data-series]');
  return {series: g ? g.dataset.series : null, joins: (p.dataset.joins || '').split(' ').filter(Boolean),
          marks: g ? Array.from(g.querySelectorAll('[data-obs]')).map(m => m.dataset.obs) : [],
          points: p.getAttribute('points').trim().split(/\\s+/).length};
});"""
_LOOSE = "return Array.from(document.querySelectorAll('figure svg [data-obs]')).filter(m => !m.closest('g[data-series]')).length;"


@pytest.mark.parametrize("topic", TOPICS)
def test_every_line_joins_one_series_of_one_kind_and_family_in_chromium(site, browser, topic):
    browser.get((site / f"{topic}.html").as_uri())
    assert browser.execute_script(_LOOSE) == 0  # every mark sits in its series' group
    for line in browser.execute_script(_LINES):
        assert line["series"] is not None, line
        assert line["points"] == len(line["joins"]), line
        _check_line(line["series"], line["joins"], line["marks"])


def test_some_lines_are_drawn(site, browser):
    drawn = 0
    for topic in TOPICS:
        browser.get((site / f"{topic}.html").as_uri())
        drawn += len(browser.execute_script(_LINES))
    assert drawn >= 3


def test_the_search_page_finds_a_russian_stem_and_an_english_word_in_chromium(site, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    obs = _records(sf.load("observations"))
    folded = {r["obs_id"]: (r["quote"] or "").casefold().replace("ё", "е") for r in obs}

    browser.get((site / "search.html").as_uri() + "?q=" + quote("стахановц"))
    found = {a.get_attribute("href").split("#obs-")[1] for a in browser.find_elements(By.CSS_SELECTOR, "#results li a")}
    inflected = {o for o, q in folded.items() if "стахановц" in q and not re.search(r"стахановц(?![а-я])", q)}
    assert inflected, "the data has a quote with an inflected form (стахановцев, стахановцы …)"
    assert {o for o, q in folded.items() if "стахановц" in q} <= found

    # an English word, typed into the box of another page: the box sends it to search.html
    browser.get((site / "party_membership.html").as_uri())
    box = browser.find_element(By.CSS_SELECTOR, "form.search input[name=q]")
    box.send_keys("overtime Vostokstal", Keys.ENTER)
    assert "search.html?q=overtime+Vostokstal" in browser.current_url
    results = browser.find_elements(By.CSS_SELECTOR, "#results li a")
    hrefs = [a.get_attribute("href") for a in results]
    assert any(h.endswith("doc-nktp-second-plenum.html#obs-nktp-second-plenum-0009") for h in hrefs)
    assert browser.find_element(By.CSS_SELECTOR, "form.search input[name=q]").get_attribute("value") == "overtime Vostokstal"

    # a result opens the figure's row on its document page, with its quote
    results[0].click()
    obs_id = browser.current_url.split("#obs-")[1]
    assert "sel" in browser.find_element(By.ID, f"obs-{obs_id}").get_attribute("class")
    assert sf.load("observations", obs_id=obs_id).iloc[0]["quote"] in browser.find_element(By.ID, "detail").text
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


_ID = re.compile(r"\b[a-z]+_[a-z_]+\b")


@pytest.mark.parametrize("topic", TOPICS)
def test_chart_titles_and_labels_are_names_not_ids(site, topic):
    text = (site / f"{topic}.html").read_text(encoding="utf-8")
    captions = [re.sub(r"<[^>]+>", " ", c) for c in re.findall(r"<figcaption>(.*?)</figcaption>", text)]
    titles = re.findall(r'<svg [^>]*aria-label="([^"]*)"', text)
    assert captions and titles
    for t in captions + titles:
        assert not _ID.search(html.unescape(t)), t
    # a side-by-side chart's labels are distinct as drawn
    for svg in re.findall(r"<svg .*?</svg>", text):
        labels = [html.unescape(" ".join(re.findall(r"<tspan[^>]*>(.*?)</tspan>", t))) for t in re.findall(r'<text font-size="10" text-anchor="end">(.*?)</text>', svg)]
        assert len(set(labels)) == len(labels), labels


def test_axis_ticks_are_round(site):
    for topic in TOPICS:
        text = (site / f"{topic}.html").read_text(encoding="utf-8")
        for svg in re.findall(r"<svg .*?</svg>", text):
            ticks = [float(t.replace(",", "")) for t in re.findall(r'<text x="[^"]+" y="[^"]+" font-size="10" text-anchor="(?:end|middle)">(-?[\d,.]+)</text>', svg)
                     if "." in t or "," in t or len(t) < 4 or not 1900 < float(t.replace(",", "")) < 2000]
            if len(ticks) < 2:
                continue
            step = ticks[1] - ticks[0]
            assert ticks[0] <= 0, ticks  # from zero
            mantissa = step / 10 ** int(f"{step:e}".split("e")[1])
            assert round(mantissa, 6) in {1, 2, 2.5, 5}, ticks


@pytest.mark.parametrize("topic", TOPICS)
def test_a_topic_page_answers_its_question_and_lists_its_rows_by_date(site, topic):
    text = (site / f"{topic}.html").read_text(encoding="utf-8")
    answer = text.split("<h2>The figures that answer it</h2>")[1].split("<h2>")[0]
    assert "data-obs=" in answer or 'href="search.html?q=' in answer
    headings = re.findall(r'<th class="c-([a-z_]+)">([^<]*)</th>', text)
    keys = [k for k, _ in headings]
    assert keys[:3] == ["period", "subject", "measure"] and "obs_id" not in keys
    rows = sf.load(topic)
    for key, heading in headings:
        assert rows[key].notna().any(), key  # no column empty throughout
        assert heading == ("speaker" if key == "attributed_to" else key)
    assert ("attributed_to" in keys) == bool(rows["attributed_to"].notna().any())
    order = re.findall(r'<tr class="obs" id="obs-([^"]+)"', text)
    year = {r["obs_id"]: (9999 if r["year_start"] is None else int(r["year_start"])) for r in _records(rows)}
    assert [year[o] for o in order] == sorted(year[o] for o in order)
    assert len(order) == len(rows)
