#!/usr/bin/env python3
"""Drives `leakscope watch`'s pages in headless Chromium (selenium) at 800 px wide: the fleet,
a target's history, alerts, a capture, its diagnose report and a profile view. Fails on any
console error. Sparklines are checked against the JSON API's series.

usage: watch_browser.py BASE_URL LEAKY_URL HEALTHY_URL FUNCTION SCREENSHOT_DIR
BASE_URL is the watcher's root (http://127.0.0.1:PORT); LEAKY_URL has a diagnosed alert naming
FUNCTION; HEALTHY_URL carries the label service=healthy. Prints one line per check; exit 1 on failure.
"""
import json
import os
import sys
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webdriver_common import Browser
from selenium.webdriver.common.by import By
from selenium.webdriver.common.action_chains import ActionChains

base, leaky, healthy, function, shots = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
os.makedirs(shots, exist_ok=True)
SPARK_POINTS = 60
# No page here expects a 400: every console error counts.
browser = Browser(base, tolerate_400=False)
driver, wait, check, load, drain = browser.driver, browser.wait, browser.check, browser.load, browser.drain


def fits_800():
    """The page needs no horizontal scrolling at 800 px (wide tables scroll inside their box)."""
    return driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")


def api(path):
    with urllib.request.urlopen(base + path, timeout=20) as response:
        return json.load(response)


def series(target, metric):
    query = urllib.parse.urlencode({"target": target, "metric": metric})
    return api("/api/v1/series?" + query)["points"]


def checks():
    # Fleet: both targets, the leaking one first and firing, sparklines with the right points.
    load("/")
    rows = driver.find_elements(By.CSS_SELECTOR, "#fleet tbody tr")
    urls = [r.get_attribute("data-url") for r in rows]
    check("fleet lists both targets", sorted(urls) == sorted([leaky, healthy]), urls)
    check("the firing target comes first", urls[:1] == [leaky], urls)
    check("its row is marked firing", "firing" in (rows[0].get_attribute("class") or ""))
    check("its rules column names a firing rule", "firing" in rows[0].find_element(By.CSS_SELECTOR, "td.rules").text.lower())
    check("fleet fits 800 px", fits_800())
    driver.save_screenshot(os.path.join(shots, "watch-fleet.png"))

    sparks = driver.execute_script("""
        return Array.from(document.querySelectorAll('#fleet tbody tr')).map(function (row) {
          return Array.from(row.querySelectorAll('svg.spark')).map(function (svg) {
            var line = svg.querySelector('polyline');
            return {url: row.dataset.url, metric: svg.dataset.metric, count: +svg.dataset.count, end: svg.dataset.end,
                    drawn: line ? line.getAttribute('points').trim().split(/\\s+/).length : 0};
          });
        }).flat();""")
    check("four sparklines", len(sparks) == 4, sparks)
    for spark in sparks:
        name = "sparkline %s %s" % (spark["metric"], "leaky" if spark["url"] == leaky else "healthy")
        check(name + " draws data-count points", spark["drawn"] == spark["count"] and spark["count"] > 0, spark)
        # The API holds the same samples; the sparkline shows the latest up to its end (flushed within a second).
        index = -1
        for _ in range(50):
            times = [p["time"] for p in series(spark["url"], spark["metric"])]
            if spark["end"] in times:
                index = times.index(spark["end"])
                break
            time.sleep(0.2)
        check(name + " ends at an API sample", index >= 0, spark)
        check(name + " has min(60, samples so far) points", spark["count"] == min(SPARK_POINTS, index + 1),
              "count %d, API samples up to its end %d" % (spark["count"], index + 1))

    # Sorting by goroutines (descending on the first click) keeps the leaking target on top.
    header = [th for th in driver.find_elements(By.CSS_SELECTOR, "#fleet th") if th.text.startswith("Goroutines")][0]
    header.click()
    values = driver.execute_script("return Array.from(document.querySelectorAll('#fleet tbody tr td:nth-child(3)')).map(c => +c.dataset.v)")
    check("sorted by goroutines", values == sorted(values, reverse=True), values)
    header.click()
    values = driver.execute_script("return Array.from(document.querySelectorAll('#fleet tbody tr td:nth-child(3)')).map(c => +c.dataset.v)")
    check("second click reverses", values == sorted(values), values)

    # Filter by label: on the server (a chip link) and in the page as you type.
    load("/?label=" + urllib.parse.quote("service=healthy"))
    urls = [r.get_attribute("data-url") for r in driver.find_elements(By.CSS_SELECTOR, "#fleet tbody tr")]
    check("label filter keeps only the labelled target", urls == [healthy], urls)
    load("/")
    driver.find_element(By.ID, "filter").send_keys("orders")
    visible = [r.get_attribute("data-url") for r in driver.find_elements(By.CSS_SELECTOR, "#fleet tbody tr") if r.is_displayed()]
    check("the filter box narrows as you type", visible == [leaky], visible)

    # Target history: both charts from zero, alert marks, range links and drag selection.
    driver.find_element(By.ID, "filter").clear()
    driver.find_element(By.CSS_SELECTOR, "#fleet tbody tr[data-url='%s'] td.url a" % leaky).click()
    wait.until(lambda d: "/target?url=" in d.current_url)
    wait.until(lambda d: d.execute_script("return document.readyState") == "complete")
    charts = driver.find_elements(By.CSS_SELECTOR, "svg.history")
    check("two history charts", len(charts) == 2)
    check("goroutine chart has points", int(charts[0].get_attribute("data-points")) > 10, charts[0].get_attribute("data-points"))
    marks = driver.find_elements(By.CSS_SELECTOR, "svg.history a.alert-link")
    check("alert marked on the charts", len(marks) >= 2, len(marks))
    zero = driver.execute_script("""
        var svg = document.querySelector('svg.history');
        var labels = Array.from(svg.querySelectorAll('text')).filter(t => t.getAttribute('text-anchor') === 'end');
        return labels.length ? labels[0].textContent : '';""")
    check("y axis starts at zero", zero.strip() == "0.0" or zero.strip() == "0", zero)
    check("history fits 800 px", fits_800())
    driver.save_screenshot(os.path.join(shots, "watch-target.png"))
    driver.find_element(By.LINK_TEXT, "15m").click()
    wait.until(lambda d: "range=15m" in d.current_url)
    check("range link selects 15m", "current" in driver.find_element(By.LINK_TEXT, "15m").get_attribute("class"))
    chart = driver.find_element(By.CSS_SELECTOR, "svg.history")
    size = chart.size
    ActionChains(driver).move_to_element_with_offset(chart, size["width"] // 4 - size["width"] // 2, 0) \
        .click_and_hold().move_by_offset(size["width"] // 3, 0).release().perform()
    wait.until(lambda d: "from=" in d.current_url and "to=" in d.current_url)
    query = urllib.parse.parse_qs(urllib.parse.urlparse(driver.current_url).query)
    check("dragging selects a range", int(query["to"][0]) > int(query["from"][0]) and "range" not in query, query)

    # Alerts: the leaking target's alert with the function, file:line, evidence and fix.
    load("/alerts")
    rows = [r for r in driver.find_elements(By.CSS_SELECTOR, "#alerts tbody tr") if r.get_attribute("data-target") == leaky]
    check("alerts page lists the leak", len(rows) >= 1)
    diagnosed = [r for r in rows if function in r.text]
    check("an alert names the leaking function", len(diagnosed) >= 1, [r.text for r in rows])
    row = diagnosed[0] if diagnosed else rows[0]
    check("it gives file:line", "main.go:" in row.find_element(By.CSS_SELECTOR, "code.location").text)
    check("it gives the evidence", row.find_elements(By.CSS_SELECTOR, ".evidence") != [])
    check("it gives the fix", "Fix:" in row.text)
    check("alerts fit 800 px", fits_800())
    driver.save_screenshot(os.path.join(shots, "watch-alerts.png"))

    # The alert's own page: its function and every finding of its capture.
    alerts_url = driver.current_url
    row.find_element(By.CSS_SELECTOR, "td.rule a").click()
    wait.until(lambda d: "/alerts/" in d.current_url)
    check("alert page names the function", function in driver.find_element(By.ID, "alert").text)
    check("alert page lists its capture's findings", function in driver.find_element(By.ID, "findings").text)
    check("alert page fits 800 px", fits_800())
    load(alerts_url)
    rows = [r for r in driver.find_elements(By.CSS_SELECTOR, "#alerts tbody tr") if function in r.text]
    row = rows[0]

    # The capture link opens the capture, whose report link opens the diagnose report.
    row.find_element(By.CSS_SELECTOR, "a.capture-link").click()
    wait.until(lambda d: "/captures/" in d.current_url)
    check("capture page shows the finding", function in driver.find_element(By.ID, "findings").text)
    capture_url = driver.current_url
    driver.save_screenshot(os.path.join(shots, "watch-capture.png"))
    driver.find_element(By.CSS_SELECTOR, "a.report-link").click()
    wait.until(lambda d: d.current_url.endswith("/files/r/0"))
    wait.until(lambda d: d.execute_script("return document.readyState") == "complete")
    check("diagnose report opens", "leakscope diagnose" in driver.title, driver.title)
    check("the report names the function", function in driver.find_element(By.TAG_NAME, "body").text)
    driver.save_screenshot(os.path.join(shots, "watch-report.png"))

    # The capture's profiles: serve's index under the capture, then a flame graph.
    load(capture_url)
    driver.find_element(By.CSS_SELECTOR, "a.profiles-link").click()
    wait.until(lambda d: d.current_url.endswith("/files/"))
    flames = driver.find_elements(By.LINK_TEXT, "flame graph")
    check("capture index lists profiles", len(flames) > 0)
    flames[0].click()
    wait.until(lambda d: "/ui/flamegraph" in d.current_url)
    wait.until(lambda d: not d.find_elements(By.ID, "status"))
    check("flame graph of a captured profile draws", driver.execute_script("return document.getElementById('canvas').height") > 0)
    check("its bar links back to the capture", len(driver.find_elements(By.LINK_TEXT, "watch")) == 1)

    # The captures list.
    load("/captures")
    check("captures page lists the capture", len(driver.find_elements(By.CSS_SELECTOR, "#captures tbody tr")) >= 1)



browser.run(checks)
