#!/usr/bin/env python3
"""Drives the source view in headless Chromium (selenium): open it from a top row's "source"
link and from peek, check the annotated lines and the shaded hot lines, the VIEW menu entry, the
search box (/ focuses it, Enter shows the source of what it matches), a refused regexp; fails on
any console error.

usage: source_browser.py BASE_URL SCREENSHOT_DIR
Prints one line per check; exit 1 on failure.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webdriver_common import Browser
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

base, shots = sys.argv[1], sys.argv[2]
os.makedirs(shots, exist_ok=True)
browser = Browser(base, timeout=60)
driver, wait, check, load, ready = browser.driver, browser.wait, browser.check, browser.load, browser.ready

def checks():
    # From the top table: the first row whose function is main.* opens its source.
    load("/ui/top?si=alloc_space")
    links = [a for a in driver.find_elements(By.CSS_SELECTOR, "#toptable a.src")
             if "f=%5Emain" in a.get_attribute("href")]
    check("top rows link to their source", len(links) > 0)
    links[0].click()
    wait.until(lambda d: "/ui/source" in d.current_url)
    ready()
    rows = driver.find_elements(By.CSS_SELECTOR, "table.src tbody tr")
    check("source lines shown", len(rows) > 3)
    hot = driver.find_elements(By.CSS_SELECTOR, "table.src tr.hot")
    check("hot lines shaded", len(hot) > 0)
    shade = hot[0].find_element(By.TAG_NAME, "td").value_of_css_property("background-color") if hot else ""
    check("shading is visible", shade not in ("", "rgba(0, 0, 0, 0)"))
    check("lines read from the Go file", any("func " in r.text for r in rows))
    check("focus chip names the function", any("focus=^main" in c.text for c in driver.find_elements(By.CSS_SELECTOR, ".ls-chip")))
    check("fits 800 px", driver.execute_script("return document.querySelector('#ls-nav').getBoundingClientRect().width") <= 800)
    driver.save_screenshot(os.path.join(shots, "source.png"))

    # VIEW menu lists Source; the search box shows the source of what it matches.
    view = browser.menu("view")
    view.find_element(By.TAG_NAME, "summary").click()
    check("VIEW menu lists Source", len(view.find_elements(By.LINK_TEXT, "Source")) == 1)
    view.find_element(By.TAG_NAME, "summary").click()
    driver.find_element(By.TAG_NAME, "body").send_keys("/")
    box = driver.switch_to.active_element
    check("/ focuses the search box", box.get_attribute("id") == "ls-q")
    box.clear()
    box.send_keys("main\\.allocate$")
    box.send_keys(Keys.ENTER)
    wait.until(lambda d: "allocate" in d.current_url)
    ready()
    titles = [h.text for h in driver.find_elements(By.CSS_SELECTOR, "section.routine h2")]
    check("search shows the matched function", any(t.startswith("main.allocate") for t in titles))

    # Peek links to the source of the functions it shows.
    load("/ui/peek?f=main%5C.&si=alloc_space")
    driver.find_element(By.ID, "ls-source").click()
    wait.until(lambda d: "/ui/source" in d.current_url)
    ready()
    check("peek opens the source", len(driver.find_elements(By.CSS_SELECTOR, "section.routine")) > 0)

    # A regexp that matches nothing is a page saying so.
    load("/ui/source?f=nosuchfunction")
    check("no match explained", "no matches found" in driver.find_element(By.TAG_NAME, "body").text)

browser.run(checks)
