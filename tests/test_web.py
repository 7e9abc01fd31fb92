"""The reviewer web page in a real headless browser (Debian chromium + chromedriver, via Selenium).

Starts the service with uvicorn on a free loopback port, signs in, uploads a generated PDF, waits for
the result, checks the jurisdiction checklist and an evidence quote, marks a label wrong, exports
JSON/CSV/HTML, and saves a screenshot to test-artifacts/web-analysis.png.

Needs: apt-get install chromium chromium-driver (scripts/test.sh installs them); skips otherwise.
"""

from __future__ import annotations

import shutil
import socket
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
    pytest.skip("no headless browser: install the Debian packages chromium and chromium-driver "
                "(apt-get install -y --no-install-recommends chromium chromium-driver)", allow_module_level=True)
selenium = pytest.importorskip("selenium", reason="selenium is not installed (pip install selenium)")
uvicorn = pytest.importorskip("uvicorn")

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

from api import Settings, create_app  # noqa: E402
from disclosure_nlp.testing import render_pdf, sample_statement  # noqa: E402

ARTIFACTS = ROOT / "test-artifacts"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = tmp_path_factory.mktemp("web") / "web.db"
    app = create_app(Settings(database_url=f"sqlite:///{db}", rate_limit_per_minute=0))
    store = app.state.services.store
    _, key = store.create_key("reviewer-in-browser", "reviewer")
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}", key, store
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                 "--window-size=1280,2000"):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def pdf_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "acme-statement-2024.pdf"
    path.write_bytes(render_pdf(sample_statement(21, n_paragraphs=14, jurisdiction="UK").blocks))
    return path


def fetch(driver, url: str) -> dict:
    """GET from inside the page (same cookie as a click on the link would send)."""
    return driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(arguments[0], {credentials: 'same-origin'})"
        ".then(r => r.text().then(t => done({status: r.status, type: r.headers.get('content-type'),"
        " disposition: r.headers.get('content-disposition'), text: t})))"
        ".catch(e => done({status: 0, text: String(e)}));", url)


def test_reviewer_flow(server, browser, pdf_path):
    base, key, store = server
    d = browser
    d.set_script_timeout(30)
    wait = WebDriverWait(d, 30)

    # signed out: the page sends you to sign in; a wrong key is refused
    d.get(base + "/")
    assert d.current_url.endswith("/login")
    d.find_element(By.ID, "key").send_keys("dnlp_wrong_key")
    d.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    assert "not valid" in wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".error"))).text
    d.find_element(By.ID, "key").send_keys(key)
    d.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait.until(EC.presence_of_element_located((By.ID, "upload-form")))

    # drag and drop puts the file into the form (simulated drop of a small text file)
    d.execute_script(
        "const dt = new DataTransfer();"
        "dt.items.add(new File(['We audited 12 suppliers.'], 'dropped.txt', {type: 'text/plain'}));"
        "document.getElementById('dropzone').dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true}));")
    assert d.find_element(By.ID, "file-name").text == "dropped.txt"

    # upload the generated PDF through the file input, with a jurisdiction and supplier
    d.find_element(By.ID, "file").send_keys(str(pdf_path))
    Select(d.find_element(By.ID, "jurisdiction")).select_by_value("uk")
    d.find_element(By.ID, "supplier_name").send_keys("Acme Apparel Ltd")
    d.find_element(By.ID, "supplier_identifier").send_keys("GB-COH-09506232")
    d.find_element(By.ID, "upload-button").click()

    WebDriverWait(d, 180).until(EC.url_contains("/analyses/"))
    WebDriverWait(d, 180).until(EC.presence_of_element_located((By.ID, "checklist")))
    analysis_id = d.current_url.rstrip("/").rsplit("/", 1)[-1]

    # risk badge, checklist with verdicts, evidence quotes with page numbers
    assert "risk" in d.find_element(By.ID, "risk-badge").text
    verdicts = [e.text for e in d.find_elements(By.CSS_SELECTOR, "#checklist tr.req .badge")]
    assert verdicts and set(verdicts) <= {"met", "partial", "missing"}
    assert any(v == "met" for v in verdicts), verdicts
    quotes = d.find_elements(By.CSS_SELECTOR, "article.criterion blockquote.quote")
    assert quotes and len(quotes[0].text) > 20
    pages = d.find_elements(By.CSS_SELECTOR, "article.criterion .page")
    assert pages and pages[0].text.startswith("page ")

    # filter: a word from the first quote keeps it, nonsense hides all
    word = max(quotes[0].text.split(), key=len)
    filt = d.find_element(By.ID, "quote-filter")
    filt.send_keys(word)
    assert quotes[0].is_displayed()
    filt.clear()
    filt.send_keys("zzzzqqqq")
    assert not quotes[0].is_displayed()
    filt.send_keys("\b" * 8)
    d.execute_script("const f = document.getElementById('quote-filter'); f.value=''; f.dispatchEvent(new Event('input'));")
    assert quotes[0].is_displayed()

    # mark the first quote's label wrong -> feedback stored with the reviewer's name
    button = d.find_element(By.CSS_SELECTOR, "article.criterion button.fb[data-value=false]")
    sentence, label = int(button.get_attribute("data-sentence")), button.get_attribute("data-label")
    d.execute_script("arguments[0].scrollIntoView({block: 'center'});", button)
    button.click()
    status = button.find_element(By.XPATH, "following-sibling::span[contains(@class,'fb-status')]")
    WebDriverWait(d, 15).until(lambda _: "Saved" in status.text)
    assert button.get_attribute("aria-pressed") == "true"
    fb = store.list_feedback(analysis_id=analysis_id)
    assert [(f.sentence, f.labels, f.reviewer) for f in fb] == [(sentence, {label: False}, "reviewer-in-browser")]

    # exports: the links' targets, fetched with the page's own session
    for link_id, check in (
        ("export-json", lambda r: '"status": "done"' in r["text"] and "attachment" in (r["disposition"] or "")),
        ("export-csv", lambda r: r["text"].startswith("section,id,name,finding") and "attachment" in (r["disposition"] or "")),
        ("export-html", lambda r: r["type"].startswith("text/html") and "<html" in r["text"]),
    ):
        href = d.find_element(By.ID, link_id).get_attribute("href")
        r = fetch(d, href)
        assert r["status"] == 200 and check(r), (link_id, r["status"], r["text"][:200])

    ARTIFACTS.mkdir(exist_ok=True)
    height = d.execute_script("return document.body.scrollHeight")
    d.set_window_size(1280, min(max(height, 1000), 8000))
    d.execute_script("window.scrollTo(0, 0)")
    assert d.save_screenshot(str(ARTIFACTS / "web-analysis.png"))

    # no script errors (a CSP violation would show up here)
    # ("network" entries are the intended 401 of the wrong key and the favicon)
    severe = [e for e in d.get_log("browser") if e["level"] == "SEVERE" and e.get("source") != "network"]
    assert not severe, severe

    # the list of past analyses shows it, with its supplier
    d.get(base + "/")
    table = wait.until(EC.presence_of_element_located((By.ID, "analyses")))
    assert "acme-statement-2024.pdf" in table.text and "Acme Apparel Ltd" in table.text
