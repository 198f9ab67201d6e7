#!/usr/bin/env python3
"""Drives headless Chromium through chromedriver's WebDriver HTTP API (standard library
only) against a running `newsdex serve`: search, facet click, article view, hostile URL,
screenshots. Usage: browser-test.py BASE_URL SCREENSHOT.png

Started by scripts/browser-test.sh, which builds, indexes sample-corpus and starts serve.
"""

import base64
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

QUERY = "talks"
COUNTRY = "UA"
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,1000",
]
checks = 0


def check(condition, message, got=None, wanted=None):
    global checks
    if not condition:
        detail = "" if got is None else f"\n  got:    {got!r}\n  wanted: {wanted!r}"
        raise AssertionError(message + detail)
    checks += 1
    print(f"  ok: {message}")


def http(method, url, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        url, data=data, method=method, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return json.loads(error.read() or b"null")


def api(base, path, **params):
    query = urllib.parse.urlencode(params, doseq=True)
    with urllib.request.urlopen(f"{base}{path}?{query}", timeout=30) as response:
        return json.loads(response.read())


class Browser:
    def __init__(self, driver):
        self.driver = driver
        self.profile = tempfile.mkdtemp(prefix="newsdex-chromium-")
        capabilities = {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": CHROMIUM_FLAGS + [f"--user-data-dir={self.profile}"],
            },
        }
        answer = http("POST", f"{driver}/session", {"capabilities": {"alwaysMatch": capabilities}})
        if "sessionId" not in answer.get("value", {}):
            raise RuntimeError(f"cannot start Chromium: {answer}")
        self.session = f"{driver}/session/{answer['value']['sessionId']}"

    def command(self, method, path, body=None):
        answer = http(method, f"{self.session}{path}", body)
        value = answer.get("value") if isinstance(answer, dict) else None
        if isinstance(value, dict) and "error" in value:
            raise RuntimeError(f"{method} {path}: {value['error']}: {value.get('message', '')[:300]}")
        return value

    def open(self, url):
        self.command("POST", "/url", {"url": url})

    def run(self, script, *args):
        return self.command("POST", "/execute/sync", {"script": script, "args": list(args)})

    def find(self, css):
        return self.command("POST", "/element", {"using": "css selector", "value": css})[ELEMENT]

    def click(self, css):
        self.command("POST", f"/element/{self.find(css)}/click", {})

    def type(self, css, text):
        element = self.find(css)
        self.command("POST", f"/element/{element}/clear", {})
        self.command("POST", f"/element/{element}/value", {"text": text})

    def alert_open(self):
        answer = http("GET", f"{self.session}/alert/text")
        return answer.get("value", {}).get("error") != "no such alert"

    def wait_loaded(self, what, condition="true"):
        """Waits until the page finished its requests and `condition` (JS) holds."""
        deadline = time.time() + 20
        script = f"return document.body.dataset.loading === 'false' && ({condition});"
        while time.time() < deadline:
            if self.run(script):
                return
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}")

    def screenshot(self, path):
        with open(path, "wb") as file:
            file.write(base64.b64decode(self.command("GET", "/screenshot")))

    def close(self):
        try:
            http("DELETE", self.session)
        finally:
            subprocess.run(["rm", "-rf", self.profile], check=False)


def shown(browser):
    """The status line's total and the hit titles the page shows."""
    return browser.run(
        "return [Number(document.getElementById('status').dataset.total),"
        " Array.from(document.querySelectorAll('#hits .hit h2')).map(h => h.textContent)];"
    )


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main():
    base, screenshot = sys.argv[1].rstrip("/"), sys.argv[2]
    port = free_port()
    driver = subprocess.Popen(
        ["chromedriver", f"--port={port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    driver_url = f"http://127.0.0.1:{port}"
    browser = None
    try:
        for _ in range(100):
            try:
                if http("GET", f"{driver_url}/status")["value"]["ready"]:
                    break
            except (OSError, KeyError, TypeError):
                pass
            time.sleep(0.1)
        browser = Browser(driver_url)

        print("page loads with every article, newest first")
        browser.open(f"{base}/")
        browser.wait_loaded("the first page")
        everything = api(base, "/api/search", limit=10)
        total, titles = shown(browser)
        check(total == everything["total"], f"status shows {everything['total']} articles")
        wanted = [hit["title"] or "(untitled)" for hit in everything["hits"]]
        check(titles == wanted, "hits are the API's, in order", titles, wanted)

        print(f"typing {QUERY!r} and pressing Enter")
        browser.type("#q", QUERY + "\ue007")
        browser.wait_loaded("the search", f"location.search.includes('q={QUERY}')")
        expected = api(base, "/api/search", q=QUERY)
        total, titles = shown(browser)
        check(total == expected["total"], f"{QUERY!r}: {expected['total']} articles, as the API says")
        wanted = [hit["title"] or "(untitled)" for hit in expected["hits"]]
        check(titles == wanted, "the same hits in the same order", titles, wanted)
        check(
            browser.run("return document.querySelectorAll('#hits .snippet b').length > 0"),
            "snippets highlight the query",
        )
        check(
            browser.run("return document.querySelectorAll('#bars .bar').length > 0"),
            "the timeline chart has bars",
        )

        print(f"clicking the country facet {COUNTRY}")
        facet = f"#facets button[data-kind='country'][data-value='{COUNTRY}']"
        browser.click(facet)
        browser.wait_loaded("the filtered search", f"location.search.includes('country={COUNTRY}')")
        filtered = api(base, "/api/search", q=QUERY, country=COUNTRY)
        total, titles = shown(browser)
        check(
            total == filtered["total"] and total < expected["total"],
            f"{QUERY!r} in {COUNTRY}: {filtered['total']} of {expected['total']} articles",
        )
        wanted = [hit["title"] or "(untitled)" for hit in filtered["hits"]]
        check(titles == wanted, "the filtered hits, in order", titles, wanted)
        chips = browser.run("return Array.from(document.querySelectorAll('#chips .chip')).map(c => c.textContent)")
        check(chips == ["Country: Ukraine×"], f"a chip names the filter: {chips}")
        check(
            browser.run(f"return document.querySelector(\"{facet}\").getAttribute('aria-pressed')") == "true",
            "the facet shows as chosen",
        )
        browser.screenshot(screenshot)
        print(f"  screenshot: {screenshot}")

        print("reloading restores the search from the URL")
        browser.run("location.reload()")
        time.sleep(0.3)
        browser.wait_loaded("the reload", f"location.search.includes('country={COUNTRY}')")
        check(shown(browser)[0] == filtered["total"], "same total after reload")
        check(browser.run("return document.getElementById('q').value") == QUERY, "query box restored")

        print("opening the first hit")
        first = filtered["hits"][0]
        browser.click("#hits .hit h2 a")
        browser.wait_loaded("the article", "!document.getElementById('article-view').hidden")
        article = api(base, f"/api/article/{urllib.parse.quote(first['id'], safe='')}")
        check(
            browser.run("return document.querySelector('#article-view h1').textContent") == first["title"],
            "the article's title",
        )
        marks = browser.run("return document.querySelectorAll('#article-view mark').length")
        stretches = {(m["field"], m["start"], m["end"]) for m in article["mentions"]}
        check(marks == len(stretches), f"{marks} mentions marked, as stored", marks, len(stretches))
        title = browser.run("return document.querySelector('#article-view .body mark').title")
        check(title.startswith(("Person: ", "Country: ", "Organization: ")), f"a mark says what it is: {title!r}")
        browser.run("history.back()")
        browser.wait_loaded("back to the results", "!document.getElementById('results-view').hidden")
        check(shown(browser)[0] == filtered["total"], "back shows the results again")

        print("removing the filter with its chip")
        browser.click("#chips .chip")
        browser.wait_loaded("the unfiltered search", f"!location.search.includes('country=')")
        check(shown(browser)[0] == expected["total"], "the chip removed the country filter")

        print("hostile URL is shown as text, never run")
        hostile = '<script>alert(1)</script>"\'><img src=x onerror=alert(2)>'
        query = urllib.parse.urlencode({"q": hostile, "person": hostile})
        browser.open(f"{base}/?{query}")
        browser.wait_loaded("the hostile search")
        check(not browser.alert_open(), "no alert ran")
        check(browser.run("return document.getElementById('q').value") == hostile, "the query box holds the text")
        check(
            browser.run("return document.querySelectorAll('img, #main script, #chips script').length") == 0,
            "no element was made from the URL",
        )
        error = browser.run("return document.getElementById('error').textContent")
        check(
            error.startswith("invalid query") and "<script>" in error,
            f"the API's error is shown as text: {error[:60]!r}",
        )

        print("phone width")
        browser.command("POST", "/window/rect", {"width": 390, "height": 844})
        browser.open(f"{base}/?q={QUERY}&country={COUNTRY}")
        browser.wait_loaded("the phone page")
        overflow = browser.run("return document.documentElement.scrollWidth <= window.innerWidth")
        check(overflow, "no horizontal scrolling at 390 px")
        phone = os.path.splitext(screenshot)[0] + "-phone.png"
        browser.screenshot(phone)
        print(f"  screenshot: {phone}")
    finally:
        if browser is not None:
            browser.close()
        driver.terminate()
        driver.wait(timeout=10)
    print(f"browser-test: {checks} passed, 0 failed")


if __name__ == "__main__":
    main()
