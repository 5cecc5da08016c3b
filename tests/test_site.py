"""The static site in headless Chromium: it renders, its charts draw, a click shows a quote,
and nothing outside the site is requested."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import soviet_figures as sf
from soviet_figures.charts import series_of
from soviet_figures.site import build_site

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    build_site(out)
    return out


def test_every_page_is_written_and_offline(site):
    names = {p.name for p in site.iterdir()}
    assert "index.html" in names and "party_membership.html" in names
    assert {f"doc-{d}.html" for d in sf.documents()["doc_id"]} <= names
    for page in site.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "http://" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "") and "https://" not in text, page.name


def test_charts_never_join_two_subjects():
    rows = [dict(r) for r in sf.load("party_membership").astype(object).to_dict("records")]
    for r in rows:
        for k, v in r.items():
            if not isinstance(v, str) and v != v:
                r[k] = None
    for title, _unit, points in series_of(rows):
        subjects = {r["subject"] for r in rows if r["obs_id"] in {p["obs_id"] for p in points}}
        assert len(subjects) == 1, title


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
    assert svgs and all(s.size["width"] > 100 and s.size["height"] > 100 for s in svgs)
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


def test_the_charted_measures_are_measures_of_the_vocabulary():
    from soviet_figures.charts import SERIES_MEASURES

    measures = sf.load("measures").set_index("id")
    assert SERIES_MEASURES <= set(measures.index)
    assert not (measures.loc[sorted(SERIES_MEASURES), "topic"] == "other").any()
