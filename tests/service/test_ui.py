"""The web UI in a real headless browser (Debian's chromium + chromium-driver, selenium):
submit taskmanager, watch every unit of the DAG validate, read the policy table, open a
highlighted file, download the zip and compare it with the CLI, regenerate over a base job
and read the impact, and show a hostile file as text."""

from __future__ import annotations

import filecmp
import io
import json
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.service.conftest import TASKMANAGER, add_key, read_sse

STATIC = Path(__file__).resolve().parents[2] / "src" / "backforge" / "service" / "static"


def test_the_bundled_example_is_the_repository_example():
    assert filecmp.cmp(STATIC / "examples" / "taskmanager.yaml", TASKMANAGER, shallow=False)


@pytest.fixture
def browser(tmp_path):
    driver_path = shutil.which("chromedriver")
    assert driver_path, "chromedriver is missing: apt-get install chromium-driver (.ci/run)"
    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                "--disable-gpu", "--window-size=1400,1000"):
        options.add_argument(arg)
    if shutil.which("chromium"):
        options.binary_location = shutil.which("chromium")
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.downloads = downloads
    try:
        yield driver
    finally:
        driver.quit()


LABELLED = ("api-key", "example", "spec-file", "spec-name", "spec", "stack", "provider",
            "base-job")
HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'
FINAL = re.compile(r"^Job ([0-9a-f]{32}) (succeeded|failed|cancelled|interrupted)")


def _generate(browser, wait, previous: str | None = None) -> str:
    """Click Generate; wait until a job other than `previous` has ended and shows its
    result; its id."""
    browser.find_element(By.ID, "generate").click()

    def ended(d):
        found = FINAL.match(d.find_element(By.ID, "status").text)
        shown = d.find_element(By.ID, "download").is_displayed()
        return found.group(1) if found and found.group(1) != previous and shown else False

    job_id = wait.until(ended)
    status = browser.find_element(By.ID, "status").text
    assert "succeeded" in status, (status, browser.find_element(By.ID, "error").text)
    return job_id


def _set_spec(browser, text: str, name: str) -> None:
    # Typing a 3 kB spec key by key takes long; the textarea's value is what is sent.
    browser.execute_script("document.getElementById('spec').value = arguments[0];"
                           "document.getElementById('spec-name').value = arguments[1];",
                           text, name)


def _graph(server, key: str, job_id: str) -> dict[str, list[str]]:
    with server.client(key) as client, \
            client.stream("GET", f"/v1/jobs/{job_id}/events") as resp:
        for _, kind, data in read_sse(resp):
            event = json.loads(data)
            if event["event"] == "run_started":
                return event["data"]["graph"]
    raise AssertionError("no run_started event")


def _check_dag(browser, graph: dict[str, list[str]]) -> None:
    cards = browser.execute_script(
        "return [...document.querySelectorAll('#dag .layer')].flatMap((layer, n) => "
        "[...layer.querySelectorAll('.unit')].map((c) => ({unit: c.dataset.unit, layer: n, "
        "state: c.dataset.state, meta: c.querySelector('.meta').textContent, "
        "label: c.getAttribute('aria-label')})))")
    layer = {c["unit"]: c["layer"] for c in cards}
    assert set(layer) == set(graph) and len(cards) == len(graph) > 20
    for unit, deps in graph.items():  # the longest-path layering of the DAG
        assert layer[unit] == (1 + max(layer[d] for d in deps) if deps else 0), unit
    assert max(layer.values()) >= 3
    for card in cards:
        assert card["state"] == "validated", card
        assert re.fullmatch(r"attempt \d+( · \d+ retr(y|ies))? · \d+\.\d\d s", card["meta"]), card
        assert card["label"].startswith(f"{card['unit']}, validated, attempt ")


def _open_file(browser, wait, path: str) -> None:
    """Open `path` in the tree with the keyboard only: Enter on each folder, then the file."""
    parts = path.split("/")
    scope = browser.find_element(By.ID, "tree")
    for depth, folder in enumerate(parts[:-1]):
        details = scope.find_element(By.CSS_SELECTOR, f":scope > ul > li > details[data-dir='{folder}']")
        if details.get_attribute("open") is None:
            details.find_element(By.TAG_NAME, "summary").send_keys(Keys.ENTER)
        scope = details
        assert details.get_attribute("open") is not None, parts[:depth + 1]
    scope.find_element(By.CSS_SELECTOR, f"button[data-path='{path}']").send_keys(Keys.ENTER)
    wait.until(lambda d: d.find_element(By.ID, "file-name").text == path)


def _cli_tree(tmp_path: Path) -> dict[str, bytes]:
    spec = tmp_path / "taskmanager.yaml"
    spec.write_text(TASKMANAGER.read_text())
    done = subprocess.run([sys.executable, "-m", "backforge.cli", "generate", spec.name, "-o",
                           "cli"], cwd=tmp_path, capture_output=True, text=True, timeout=300,
                          check=False)
    assert done.returncode == 0, done.stderr
    return {p.relative_to(tmp_path / "cli").as_posix(): p.read_bytes()
            for p in (tmp_path / "cli").rglob("*") if p.is_file()}


def test_submit_taskmanager_watch_the_dag_download_the_cli_output(serve, browser, tmp_path):
    server = serve()
    key = add_key(server.config, "browser")
    browser.get(server.url + "/")
    wait = WebDriverWait(browser, 120)
    # Every control has a label a screen reader announces.
    for control in LABELLED:
        assert browser.find_element(By.CSS_SELECTOR, f"label[for='{control}']").text
    wait.until(lambda d: Select(d.find_element(By.ID, "provider")).options)
    browser.find_element(By.ID, "api-key").send_keys(key)
    Select(browser.find_element(By.ID, "example")).select_by_value("taskmanager.yaml")
    browser.find_element(By.ID, "load-example").click()
    wait.until(lambda d: "Task Manager" in d.find_element(By.ID, "spec").get_attribute("value"))
    job_id = _generate(browser, wait)
    _check_dag(browser, _graph(server, key, job_id))
    rows = browser.find_elements(By.CSS_SELECTOR, "#units tbody tr")
    states = {r.find_elements(By.TAG_NAME, "td")[1].get_attribute("textContent") for r in rows}
    assert len(rows) > 20 and states == {"validated"}
    # Arrow keys move between the units of the DAG.
    first = browser.find_element(By.CSS_SELECTOR, "#dag .layer .unit")
    first.send_keys(Keys.ARROW_RIGHT)
    focused = browser.switch_to.active_element
    assert focused.get_attribute("data-unit") != first.get_attribute("data-unit")
    assert "unit" in focused.get_attribute("class")
    # The access policy table: one row per table, as the report has it.
    policy = {r.find_elements(By.TAG_NAME, "td")[0].text: r.find_elements(By.TAG_NAME, "td")[1].text
              for r in browser.find_elements(By.CSS_SELECTOR, "#policy tbody tr")}
    assert policy == {"users": "users", "projects": "owned", "tasks": "owned",
                      "comments": "owned"}, policy
    # A file opens highlighted.
    _open_file(browser, wait, "src/app.js")
    view = browser.find_element(By.ID, "file-view")
    assert "express" in view.text and view.get_attribute("data-language") == "js"
    assert "const" in {s.text for s in view.find_elements(By.CSS_SELECTOR, ".tok-keyword")}
    assert view.find_elements(By.CSS_SELECTOR, ".tok-string")
    _open_file(browser, wait, "migrations/0001_initial.up.sql")
    assert "CREATE" in {s.text for s in view.find_elements(By.CSS_SELECTOR, ".tok-keyword")}
    browser.find_element(By.ID, "download").click()
    end = time.monotonic() + 60
    while not (zips := list(browser.downloads.glob("*.zip"))):
        assert time.monotonic() < end, "the zip was not downloaded"
        time.sleep(0.2)
    with zipfile.ZipFile(io.BytesIO(zips[0].read_bytes())) as z:
        served = {n: z.read(n) for n in z.namelist()}
    cli = _cli_tree(tmp_path)
    assert set(served) == set(cli)
    # report.json: the run's durations; stat-cache.json: this machine's inodes and times.
    assert [p for p in served if served[p] != cli[p]] == [".backforge/report.json",
                                                          ".backforge/stat-cache.json"]


def test_regenerate_over_a_base_job_and_hostile_files_stay_text(serve, browser):
    server = serve()
    key = add_key(server.config, "browser")
    browser.get(server.url + "/")
    wait = WebDriverWait(browser, 120)
    wait.until(lambda d: Select(d.find_element(By.ID, "provider")).options)
    browser.find_element(By.ID, "api-key").send_keys(key)
    text = TASKMANAGER.read_text()
    _set_spec(browser, text, "taskmanager.yaml")
    base = _generate(browser, wait)
    picker = Select(browser.find_element(By.ID, "base-job"))
    wait.until(lambda d: base in [o.get_attribute("value") for o in picker.options])
    assert picker.first_selected_option.get_attribute("value") == ""
    # A regeneration: one more column; the impact table says what changes.
    changed = text.replace("      - {name: title,",
                           "      - {name: priority_note, type: string}\n"
                           "      - {name: title,", 1)
    _set_spec(browser, changed, "taskmanager.yaml")
    picker.select_by_value(base)
    again = _generate(browser, wait, base)
    assert browser.find_element(By.ID, "impact-box").is_displayed()
    files = {r.find_elements(By.TAG_NAME, "td")[0].text: r.find_elements(By.TAG_NAME, "td")[1].text
             for r in browser.find_elements(By.CSS_SELECTOR, "#impact-files tbody tr")}
    added = [f for f, action in files.items() if action == "added"]
    assert added and all("priority_note" in f for f in added), files
    assert files.get("src/models/tasks.js") == "updated", files
    changes = browser.find_element(By.ID, "impact-changes").text
    assert "add column tasks.priority_note" in changes
    assert "regenerated" in browser.find_element(By.ID, "impact-summary").text
    # Spec text echoed into generated files is shown as text, never run or parsed as HTML.
    hostile = text.replace("description: Team task tracking API with projects, tasks and "
                           "comments.", "description: " + json.dumps(HOSTILE), 1)
    assert hostile != text
    picker.select_by_value("")
    _set_spec(browser, hostile, "taskmanager.yaml")
    _generate(browser, wait, again)
    for path in ("src/openapi.js", "package.json"):
        _open_file(browser, wait, path)
        view = browser.find_element(By.ID, "file-view")
        assert HOSTILE in view.text or HOSTILE.replace('"', '\\"') in view.text, path
        assert not view.find_elements(By.CSS_SELECTOR, "script, img, [onerror]"), path
        assert browser.execute_script("return window.__pwned === undefined"), path
        assert not browser.find_elements(By.CSS_SELECTOR, "img")


def test_retries_failures_and_blocked_units_show_in_the_dag(serve, browser):
    # The template provider never retries; these are the engine's own event shapes (as in
    # `generate --json` with a flaky model), fed to the page's event handler.
    server = serve()
    browser.get(server.url + "/")
    events = [
        {"event": "run_started", "time": 0.0, "unit": None, "attempt": None, "message": "",
         "data": {"units": 3, "modules": 3, "graph": {"a": [], "b": ["a"], "c": ["b"]}}},
        {"event": "unit_started", "time": 0.1, "unit": "a", "attempt": 1, "message": "",
         "data": {}},
        {"event": "unit_retried", "time": 0.5, "unit": "a", "attempt": 1,
         "message": "<b>bad</b>", "data": {"delay": 1}},
        {"event": "unit_started", "time": 1.5, "unit": "a", "attempt": 2, "message": "",
         "data": {}},
        {"event": "unit_failed", "time": 2.35, "unit": "a", "attempt": 2, "message": "",
         "data": {}},
        {"event": "unit_blocked", "time": 2.4, "unit": "b", "attempt": None, "message": "",
         "data": {"by": "a"}},
    ]
    cards = browser.execute_script(
        "for (const e of arguments[0]) onEvent(e);"
        "return [...document.querySelectorAll('#dag .unit')].map((c) => [c.dataset.unit, "
        "c.closest('.layer').querySelector('h4').textContent, c.dataset.state, "
        "c.querySelector('.meta').textContent])", events)
    assert cards == [["a", "Layer 1", "failed", "attempt 2 · 1 retry · 2.25 s"],
                     ["b", "Layer 2", "blocked", ""],
                     ["c", "Layer 3", "pending", ""]]
