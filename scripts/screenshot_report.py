"""Screenshot a report.html with headless Debian Chromium (for the README).

    .venv/bin/python scripts/screenshot_report.py [REPORT_HTML] [PNG]

Defaults: outputs/report.html → docs/report.png; when REPORT_HTML does not
exist, a report is built from the small fixture corpus of the tests. Needs
the Debian packages chromium and chromium-driver (scripts/debian-packages.txt)
and the PyPI package selenium; nothing is downloaded: the system chromedriver
and chromium are named explicitly.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",  # containers often have a tiny /dev/shm
)
WINDOW_WIDTH = 1280
MAX_HEIGHT = 2400
ROOT = Path(__file__).resolve().parent.parent


def make_driver(user_data_dir: str, width: int = WINDOW_WIDTH, height: int = 900) -> webdriver.Chrome:
    """A headless Chromium with a fresh profile, logging the browser console."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={user_data_dir}")
    options.add_argument(f"--window-size={width},{height}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)


def screenshot(report: Path, png: Path, max_height: int = MAX_HEIGHT) -> Path:
    """Open the report via file:// and save a PNG of its first ``max_height`` pixels."""
    with tempfile.TemporaryDirectory(prefix="zhenggai-chromium-") as profile:
        driver = make_driver(profile)
        try:
            driver.get(report.resolve().as_uri())
            height = driver.execute_script("return document.documentElement.scrollHeight")
            driver.set_window_size(WINDOW_WIDTH, min(max_height, int(height) + 40))
            png.parent.mkdir(parents=True, exist_ok=True)
            driver.save_screenshot(str(png))
        finally:
            driver.quit()
    return png


def main(argv: list[str]) -> int:
    report = Path(argv[1]) if len(argv) > 1 else ROOT / "outputs" / "report.html"
    png = Path(argv[2]) if len(argv) > 2 else ROOT / "docs" / "report.png"
    if not report.exists():
        sys.path.insert(0, str(ROOT / "tests"))
        from test_analysis_fixtures import write_output_dir

        from extract.writers import html

        out = write_output_dir(Path(tempfile.mkdtemp(prefix="zhenggai-report-")))
        report = html.write(out)
    print(screenshot(report, png))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
