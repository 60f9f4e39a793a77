#!/usr/bin/env python3
"""Drives the web UI in headless Chromium (selenium): every view loads, search, REFINE, SAMPLE,
zoom and Esc, the top table's sorting and keys; fails on any console error.

usage: browser.py BASE_URL SCREENSHOT_DIR
BASE_URL is the server's root (http://127.0.0.1:PORT). Prints one line per check; exit 1 on failure.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webdriver_common import Browser
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.common.action_chains import ActionChains

base, shots = sys.argv[1], sys.argv[2]
os.makedirs(shots, exist_ok=True)
browser = Browser(base)
driver, wait, check, load = browser.driver, browser.wait, browser.check, browser.load


def flame_ready():
    wait.until(lambda d: not d.find_elements(By.ID, "status"))


def checks():
    # Flame graph: loads, draws, search highlights and reports a share.
    load("/ui/flamegraph?si=alloc_space")
    flame_ready()
    check("flame graph drawn", driver.execute_script("return document.getElementById('canvas').height") > 0)
    search = driver.find_element(By.ID, "search")
    search.send_keys("main\\.")
    wait.until(lambda d: d.find_element(By.ID, "matched").text != "")
    check("search reports the matched share", "matched" in driver.find_element(By.ID, "matched").text)
    driver.save_screenshot(os.path.join(shots, "flame-search.png"))

    # REFINE › Focus uses the search box and keeps the filter in the URL, shown as a chip.
    driver.find_element(By.CSS_SELECTOR, "#ls-refine summary").click()
    driver.find_element(By.CSS_SELECTOR, "#ls-refine button[data-param=f]").click()
    wait.until(lambda d: "f=main" in d.current_url)
    flame_ready()
    chips = driver.find_elements(By.CSS_SELECTOR, ".ls-chip")
    check("focus chip shown", any("focus=main" in c.text for c in chips))
    check("totals the filter changed", "total" in driver.find_element(By.ID, "ls-shown").text)

    # Zoom by clicking a frame in the second row, Esc resets the zoom and the search.
    canvas = driver.find_element(By.ID, "canvas")
    size = canvas.size
    ActionChains(driver).move_to_element_with_offset(canvas, -size["width"] // 2 + 30, -size["height"] // 2 + 27).click().perform()
    check("click zooms", "zoomed" in driver.find_element(By.ID, "crumb").text)
    driver.find_element(By.ID, "search").send_keys("runtime")
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.ESCAPE)
    check("Esc resets zoom and search", driver.find_element(By.ID, "crumb").text == ""
          and driver.find_element(By.ID, "search").get_attribute("value") == "")

    # SAMPLE menu switches the sample type in place.
    sample = browser.menu("sample")
    sample.find_element(By.TAG_NAME, "summary").click()
    sample.find_element(By.LINK_TEXT, "inuse_objects").click()
    wait.until(lambda d: "si=inuse_objects" in d.current_url)
    flame_ready()
    check("sample type switched, filter kept", "f=main" in driver.current_url)
    check("summary names the sample type", "inuse_objects" in driver.find_element(By.ID, "summary").text)

    # VIEW › Top: sortable table, arrows and Enter focus on a row.
    view = browser.menu("view")
    view.find_element(By.TAG_NAME, "summary").click()
    view.find_element(By.LINK_TEXT, "Top").click()
    wait.until(lambda d: "/ui/top" in d.current_url)
    rows = driver.find_elements(By.CSS_SELECTOR, "#toptable tbody tr")
    check("top table has rows", len(rows) > 0)
    driver.find_element(By.CSS_SELECTOR, "#toptable th[data-col='3']").click()
    cums = driver.execute_script("return Array.from(document.querySelectorAll('#toptable tbody tr')).map(r => +r.dataset.cum)")
    check("sorted by cum", cums == sorted(cums, reverse=True))
    driver.save_screenshot(os.path.join(shots, "top.png"))
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.ARROW_DOWN)
    first = driver.find_element(By.CSS_SELECTOR, "#toptable tbody tr.sel td.name").text
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.ENTER)
    wait.until(lambda d: "/ui/top" in d.current_url and "f=%5E" in d.current_url)
    chips = [c.text.replace("\\", "") for c in driver.find_elements(By.CSS_SELECTOR, ".ls-chip")]
    check("Enter focuses on the selected row", any(first in c for c in chips))

    # Peek via the VIEW menu keeps the focus regexp.
    load("/ui/peek?f=main%5C.")
    check("peek shows a report", "flat%" in driver.find_element(By.CSS_SELECTOR, "pre.report").text)
    driver.save_screenshot(os.path.join(shots, "peek.png"))

    # A bad regexp is a page with one line saying which parameter.
    load("/ui/top?f=%28")
    check("bad regexp explained", "parameter f" in driver.find_element(By.ID, "error").text)

    # Back to the flame graph at 800 px: no console errors anywhere else.
    load("/ui/flamegraph")
    flame_ready()
    driver.save_screenshot(os.path.join(shots, "flame.png"))


browser.run(checks)
