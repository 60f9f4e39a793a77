"""What the browser scripts share: headless Chromium at 800 px through selenium with the console
log kept, one-line checks, and console-error collection.

    from webdriver_common import Browser
    b = Browser(sys.argv[1])
    def checks():
        b.load("/ui/top"); b.check("rows", len(b.driver.find_elements(...)) > 0)
    b.run(checks)   # then "no console errors", quits, exits 1 on any failure or exception
"""
import os
import sys
import traceback

os.environ.setdefault("SE_OFFLINE", "true")
os.environ.setdefault("SE_AVOID_STATS", "true")

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait


class Browser:
    def __init__(self, base, timeout=30, tolerate_400=True):
        """`tolerate_400`: the browser's own console line for a 400 answer (a page that explains a
        bad parameter) is not counted as an error; pages that never expect one pass False."""
        self.base = base.rstrip("/")
        self.tolerate_400 = tolerate_400
        options = webdriver.ChromeOptions()
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=800,900"):
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        self.wait = WebDriverWait(self.driver, timeout)
        self.failures = []
        self.seen_errors = []

    def check(self, name, condition, detail=""):
        """Prints one line (with `detail` when it fails) and records a failure."""
        print(("ok   " if condition else "FAIL ") + name + ("" if condition or not detail else ": " + str(detail)), flush=True)
        if not condition:
            self.failures.append(name)

    def drain(self):
        """Collects console errors so far; the browser's own line for an expected 400 is not one."""
        for entry in self.driver.get_log("browser"):
            message = entry.get("message", "")
            if entry.get("level") == "SEVERE" and not (self.tolerate_400 and "status of 400" in message):
                self.seen_errors.append(message)

    def discard(self):
        """Drops the console lines so far (a page another check owns, whose errors are not ours)."""
        self.driver.get_log("browser")

    def ready(self):
        self.wait.until(lambda d: d.execute_script("return document.readyState") == "complete")

    def load(self, path):
        self.drain()
        self.driver.get(path if path.startswith("http") else self.base + path)
        self.ready()

    def menu(self, name):
        """The navigation bar's `details.ls-menu` whose summary reads `name` (any case)."""
        return [m for m in self.driver.find_elements(By.CSS_SELECTOR, "details.ls-menu")
                if m.find_element(By.TAG_NAME, "summary").text.strip().lower() == name][0]

    def run(self, checks):
        """Runs `checks()` (an exception is a failure, with its traceback), then `finish`."""
        try:
            checks()
        except Exception:
            traceback.print_exc()
            self.failures.append("checks stopped by an exception")
        self.finish()

    def finish(self):
        """Checks the console stayed clean, closes the browser, prints the verdict, exits 1 on failure."""
        try:
            self.drain()
            self.check("no console errors", not self.seen_errors, "; ".join(self.seen_errors)[:500])
        finally:
            self.driver.quit()
        if self.failures:
            print("FAILED: " + ", ".join(self.failures))
            sys.exit(1)
        print("all checks passed")
