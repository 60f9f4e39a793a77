#!/usr/bin/env python3
"""Drives the graph view in headless Chromium (selenium): the drawn nodes carry exactly the labels
of `go tool pprof -dot`, clicking a node focuses on it (f= in the URL) and the focused graph again
matches pprof's. Then the flame graph's frame menu (right-click): focus, ignore, hide, show from
and show source, each kept in the URL. No console errors.

usage: graph_browser.py BASE_URL EXPECTED_JSON SCREENSHOT_DIR
EXPECTED_JSON: {"before": [dot labels in node order], "focus": "^regexp$", "after": [...]}, optionally
"tree": [go tool pprof -call_tree -dot labels], "treeEdges": N.
Prints one line per check; exit 1 on failure.
"""
import json
import os
import re
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webdriver_common import Browser
from selenium.webdriver.common.by import By
from selenium.webdriver.common.action_chains import ActionChains

base, expected_path, shots = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
expected = json.load(open(expected_path))
os.makedirs(shots, exist_ok=True)
# No page here expects a 400: every console error counts.
browser = Browser(base, timeout=60, tolerate_400=False)
driver, wait, check, drain = browser.driver, browser.wait, browser.check, browser.drain


def drawn_labels():
    """Each node's text lines joined as dot joins them (a literal backslash-n), in node order."""
    return driver.execute_script("""
        return Array.prototype.map.call(document.querySelectorAll('#graph g.node'), function (g) {
          return { id: g.id, label: Array.prototype.map.call(g.querySelectorAll('text'),
                                                             function (t) { return t.textContent; }).join('\\\\n') };
        }).sort(function (a, b) { return (+a.id.slice(4)) - (+b.id.slice(4)); }).map(function (n) { return n.label; });
    """)


def ready():
    wait.until(lambda d: d.execute_script("return document.readyState") == "complete")
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#graph g.node"))


def checks():
    driver.get(base + "/ui/graph")
    ready()
    got = drawn_labels()
    check("every node of go tool pprof -dot is drawn", len(got) == len(expected["before"]),
          "%d drawn, %d expected" % (len(got), len(expected["before"])))
    check("node labels equal pprof's", got == expected["before"], json.dumps(list(zip(got, expected["before"]))[:3]))
    edges = driver.execute_script("return document.querySelectorAll('#graph g.edge').length")
    check("edges drawn", edges == expected["edges"], "%s drawn, %s expected" % (edges, expected["edges"]))
    box = driver.execute_script("var r = document.getElementById('node1').getBoundingClientRect(); return [r.width, r.height];")
    check("node 1 is visible", box[0] > 0 and box[1] > 0, str(box))
    driver.save_screenshot(os.path.join(shots, "graph.png"))
    drain()

    driver.execute_script("document.getElementById('node1').dispatchEvent(new MouseEvent('click', {bubbles: true}))")
    wait.until(lambda d: "f=" in d.current_url)
    ready()
    query = urllib.parse.parse_qs(urllib.parse.urlparse(driver.current_url).query)
    check("click focuses the node (f= in the URL)", query.get("f") == [expected["focus"]], driver.current_url)
    got = drawn_labels()
    check("focused graph equals pprof -dot -focus", got == expected["after"], json.dumps(list(zip(got, expected["after"]))[:3]))
    chips = driver.find_elements(By.CSS_SELECTOR, ".ls-chip")
    check("focus chip shown", any("focus=" in c.text for c in chips))
    driver.save_screenshot(os.path.join(shots, "graph-focus.png"))

    driver.get(base + "/ui/graph?n=3")
    ready()
    check("n caps the nodes", 0 < len(drawn_labels()) <= 3)
    drain()

    if "tree" in expected:
        # calltree=1: pprof -call_tree's nodes, one per calling context, so names repeat; pprof
        # orders tied nodes by chance, so the labels compare as a multiset.
        driver.get(base + "/ui/graph?calltree=1")
        ready()
        got = drawn_labels()
        check("calltree=1 draws go tool pprof -call_tree's nodes", sorted(got) == sorted(expected["tree"]),
              "%d drawn, %d expected" % (len(got), len(expected["tree"])))
        edges = driver.execute_script("return document.querySelectorAll('#graph g.edge').length")
        check("calltree=1 draws its edges", edges == expected["treeEdges"],
              "%s drawn, %s expected" % (edges, expected["treeEdges"]))
        ids = driver.execute_script("return Array.prototype.map.call(document.querySelectorAll('#graph g.node'), "
                                    "function (g) { return g.id; })")
        check("calltree=1 keeps repeated names as distinct nodes", len(set(ids)) == len(ids) == len(got))
        driver.save_screenshot(os.path.join(shots, "graph-calltree.png"))
        drain()

    # The flame graph's frame menu: right-click a frame in the second row (under the root).
    def frame_menu(path):
        driver.get(base + path)
        wait.until(lambda d: d.execute_script("return document.readyState") == "complete")
        wait.until(lambda d: not d.find_elements(By.ID, "status"))
        canvas = driver.find_element(By.ID, "canvas")
        size = canvas.size
        ActionChains(driver).move_to_element_with_offset(canvas, 0, -size["height"] // 2 + 18 + 9).context_click().perform()
        wait.until(lambda d: d.find_elements(By.ID, "frame-menu"))
        return driver.find_element(By.ID, "frame-menu")

    def anchored(name):
        return "^" + re.sub(r"([.*+?^${}()|\[\]\\])", r"\\\1", name) + "$"

    menu = frame_menu("/ui/flamegraph?si=alloc_space")
    name = menu.get_attribute("data-name")
    actions = [b.get_attribute("data-action") for b in menu.find_elements(By.TAG_NAME, "button")]
    check("frame menu offers pivot, focus, ignore, hide, show from, source",
          actions == ["pivot", "f", "i", "h", "sf", "source"], str(actions))
    driver.save_screenshot(os.path.join(shots, "flame-menu.png"))
    for param in ["f", "i", "h", "sf"]:
        menu = frame_menu("/ui/flamegraph?si=alloc_space")
        menu.find_element(By.CSS_SELECTOR, "button[data-action=%s]" % param).click()
        wait.until(lambda d: (param + "=") in d.current_url)
        wait.until(lambda d: d.execute_script("return document.readyState") == "complete")
        query = urllib.parse.parse_qs(urllib.parse.urlparse(driver.current_url).query)
        check("frame menu %s= keeps the frame in the URL" % param, query.get(param) == [anchored(name)],
              driver.current_url)
        check("frame menu %s= keeps the sample type" % param, query.get("si") == ["alloc_space"], driver.current_url)
        check("frame menu %s= shows a filter chip" % param, bool(driver.find_elements(By.CSS_SELECTOR, ".ls-chip")))
    drain()
    menu = frame_menu("/ui/flamegraph?si=alloc_space")
    menu.find_element(By.CSS_SELECTOR, "button[data-action=source]").click()
    wait.until(lambda d: "/ui/source" in d.current_url)
    parsed = urllib.parse.urlparse(driver.current_url)
    query = urllib.parse.parse_qs(parsed.query)
    check("show source opens /ui/source?f=", parsed.path == "/ui/source" and query.get("f") == [anchored(name)],
          driver.current_url)
    # The source view is another view's; only its address is checked here.
    browser.discard()
    menu = frame_menu("/ui/flamegraph")
    ActionChains(driver).send_keys("\ue00c").perform()  # Escape
    check("Esc closes the frame menu", not driver.find_elements(By.ID, "frame-menu"))


browser.run(checks)
