#!/usr/bin/env python3
"""Screenshots of the HTML review report for the README (docs/report-*.png).

Screens data/examples/review.csv against the bundled sample lists, opens the
page in headless Chromium through ChromeDriver (Debian's chromium and
chromium-driver), takes the top of the page, then marks one hit a false
positive and takes the cards and the decisions control.

    cargo build --release && python3 scripts/report_screenshot.py
"""
import base64
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"


def main():
    tmp = tempfile.mkdtemp()
    report = os.path.join(tmp, "review.html")
    env = dict(os.environ, SANCTIONS_HOME=os.path.join(tmp, "home"))
    env.pop("SANCTIONS_LISTS", None)
    subprocess.run(
        [os.path.join(ROOT, "target/release/sanctions"), "screen", "data/examples/review.csv",
         "--format", "html", "--output", report],
        cwd=ROOT, env=env, check=False,
    )
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    driver = subprocess.Popen(["chromedriver", f"--port={port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"

    def call(method, path, body=None):
        data = json.dumps(body or {}).encode() if method == "POST" else None
        req = urllib.request.Request(base + path, method=method, data=data,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req) as r:
            return json.load(r)["value"]

    try:
        for _ in range(100):
            try:
                if call("GET", "/status")["ready"]:
                    break
            except OSError:
                time.sleep(0.1)
        session = call("POST", "/session", {"capabilities": {"alwaysMatch": {"goog:chromeOptions": {
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                     "--window-size=1200,1500"]}}}})
        s = "/session/" + session["sessionId"]
        call("POST", s + "/url", {"url": "file://" + report})

        def find(css):
            return call("POST", s + "/element", {"using": "css selector", "value": css})[ELEMENT]

        def shot(name):
            path = os.path.join(ROOT, "docs", name)
            with open(path, "wb") as f:
                f.write(base64.b64decode(call("GET", s + "/screenshot")))
            print(path)

        shot("report-top.png")
        call("POST", s + f"/element/{find('#reviewer')}/value", {"text": "a.ng"})
        card = 'article[data-row="3"]'
        call("POST", s + "/element/" + find(card + " .reason") + "/value",
             {"text": "our customer is another company (LEI checked)"})
        call("POST", s + "/element/" + find(card + " .mark-fp") + "/click")
        call("POST", s + "/execute/sync", {
            "script": "window.scrollTo(0, document.getElementById('filters').offsetTop - 10);",
            "args": []})
        shot("report-decisions.png")
        call("DELETE", s)
    finally:
        driver.kill()


if __name__ == "__main__":
    sys.exit(main())
