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
from selenium.webdriver.support.ui import WebDriverWait


class Browser:
    def __init__(self, base, timeout=30):
        self.base = base.rstrip("/")
        options = webdriver.ChromeOptions()
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=800,900"):
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        self.wait = WebDriverWait(self.driver, timeout)
        self.failures = []
        self.seen_errors = []

    def check(self, name, condition):
        print(("ok   " if condition else "FAIL ") + name, flush=True)
        if not condition:
            self.failures.append(name)

    def drain(self):
        """Collects console errors so far; the browser's own line for an expected 400 is not one."""
        for entry in self.driver.get_log("browser"):
            if entry.get("level") == "SEVERE" and "status of 400" not in entry.get("message", ""):
                self.seen_errors.append(entry["message"])

    def ready(self):
        self.wait.until(lambda d: d.execute_script("return document.readyState") == "complete")

    def load(self, path):
        self.drain()
        self.driver.get(self.base + path)
        self.ready()

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
            self.check("no console errors" + (": " + str(self.seen_errors) if self.seen_errors else ""), not self.seen_errors)
        finally:
            self.driver.quit()
        if self.failures:
            print("FAILED: " + ", ".join(self.failures))
            sys.exit(1)
        print("all checks passed")
