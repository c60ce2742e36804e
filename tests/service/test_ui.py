"""The web UI in a real headless browser (Debian's chromium + chromium-driver, selenium):
submit taskmanager, watch every unit validate, download the zip, compare with the CLI."""

from __future__ import annotations

import filecmp
import io
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
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.service.conftest import TASKMANAGER, add_key

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


def test_submit_taskmanager_watch_units_download_the_cli_output(serve, browser, tmp_path):
    server = serve()
    key = add_key(server.config, "browser")
    browser.get(server.url + "/")
    wait = WebDriverWait(browser, 120)
    # Every control has a label a screen reader announces.
    for control in ("api-key", "example", "spec-file", "spec-name", "spec", "stack",
                    "provider"):
        assert browser.find_element(By.CSS_SELECTOR, f"label[for='{control}']").text
    wait.until(lambda d: Select(d.find_element(By.ID, "provider")).options)
    browser.find_element(By.ID, "api-key").send_keys(key)
    Select(browser.find_element(By.ID, "example")).select_by_value("taskmanager.yaml")
    browser.find_element(By.ID, "load-example").click()
    wait.until(lambda d: "Task Manager" in d.find_element(By.ID, "spec").get_attribute("value"))
    browser.find_element(By.ID, "generate").click()
    wait.until(ec.visibility_of_element_located((By.ID, "download")))
    status = browser.find_element(By.ID, "status").text
    assert "succeeded" in status, (status, browser.find_element(By.ID, "error").text)
    rows = browser.find_elements(By.CSS_SELECTOR, "#units tbody tr")
    states = {r.find_elements(By.TAG_NAME, "td")[0].text:
              r.find_elements(By.TAG_NAME, "td")[1].text for r in rows}
    assert len(states) > 20 and set(states.values()) == {"validated"}, states
    # A file opens in the viewer.
    Select(browser.find_element(By.ID, "files")).select_by_value("src/app.js")
    wait.until(lambda d: "express" in d.find_element(By.ID, "file-view").text)
    browser.find_element(By.ID, "download").click()
    end = time.monotonic() + 60
    while not (zips := list(browser.downloads.glob("*.zip"))):
        assert time.monotonic() < end, "the zip was not downloaded"
        time.sleep(0.2)
    with zipfile.ZipFile(io.BytesIO(zips[0].read_bytes())) as z:
        served = {n: z.read(n) for n in z.namelist()}
    spec = tmp_path / "taskmanager.yaml"
    spec.write_text(TASKMANAGER.read_text())
    done = subprocess.run([sys.executable, "-m", "backforge.cli", "generate", spec.name, "-o",
                           "cli"], cwd=tmp_path, capture_output=True, text=True, timeout=300,
                          check=False)
    assert done.returncode == 0, done.stderr
    cli = {p.relative_to(tmp_path / "cli").as_posix(): p.read_bytes()
           for p in (tmp_path / "cli").rglob("*") if p.is_file()}
    assert set(served) == set(cli)
    # report.json: the run's durations; stat-cache.json: this machine's inodes and times.
    assert [p for p in served if served[p] != cli[p]] == [".backforge/report.json",
                                                          ".backforge/stat-cache.json"]
