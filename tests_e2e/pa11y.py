"""pa11y with the HTML_CodeSniffer runner, the second engine beside axe
(shared/language-justice-accessibility.md §4.2: each catches faults the other misses).

pa11y is a Node tool (9.x runs on Node 20; 10.x needs Node 22), installed project-locally by
`.ci/run` (or by hand) without a browser download, and it drives Debian's Chromium like Playwright
does:

    PUPPETEER_SKIP_DOWNLOAD=1 npm install --prefix .tools/node pa11y@^9

Like the Chromium check in conftest.py: without pa11y a developer machine skips these checks, and
CI (`CI` set) fails them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")  # the browser conftest.py gives Playwright
MODULES = ROOT / ".tools" / "node" / "node_modules"
PA11Y = MODULES / ".bin" / "pa11y"
RUNNER = Path(__file__).resolve().parent / "pa11y_run.cjs"
INSTALL = "PUPPETEER_SKIP_DOWNLOAD=1 npm install --prefix .tools/node pa11y@^9"
STANDARD = "WCAG2AA"
TIMEOUT_MS = 60_000
CONCURRENCY = 3  # pages checked at once in the one browser


def require_pa11y() -> None:
    """Skip (developer machine) or fail (CI) when pa11y or Chromium is missing."""
    missing = [str(tool) for tool in (PA11Y, CHROMIUM) if not tool.exists()]
    if not shutil.which("node"):
        missing.append("node")
    if not missing:
        return
    message = f"{' and '.join(missing)} missing: {INSTALL}; apt-get install chromium"
    if os.environ.get("CI"):
        pytest.fail(message + " (CI is set: a missing tool is a broken set-up)")
    pytest.skip(message)


def pa11y_results(jobs: list[tuple[str, dict[str, str]]]) -> list[dict]:
    """pa11y with `runners: ["htmlcs"]` and `standard: WCAG2AA` on each (url, headers), in one
    Chromium (pa11y_run.cjs); per page: the URL it ended on, its title, and its issues."""
    config = {
        "chromeLaunchConfig": {
            "executablePath": str(CHROMIUM),
            "args": ["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-dev-shm-usage"],
        },
        "standard": STANDARD,
        "timeout": TIMEOUT_MS,
        "concurrency": CONCURRENCY,
        "jobs": [{"url": url, "headers": headers} for url, headers in jobs],
    }
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
        json.dump(config, file)
    try:
        result = subprocess.run(  # noqa: S603 - fixed program, our own script and file
            [shutil.which("node") or "node", str(RUNNER), str(MODULES), file.name],
            capture_output=True,
            text=True,
            timeout=len(jobs) * TIMEOUT_MS / 1000 + 30,
            check=False,
        )
    finally:
        os.unlink(file.name)
    if result.returncode != 0:
        raise AssertionError(f"pa11y failed (exit {result.returncode}):\n{result.stderr or result.stdout}")
    return json.loads(result.stdout)


def describe_errors(results: list[dict]) -> list[str]:
    """One entry per error (warnings and notices ask for a person's judgement, not a test's)."""
    return [
        f"{page['url']}: {issue['code']}\n    {issue['message']}\n    at {issue['selector']}: {issue['context'][:200]}"
        for page in results
        for issue in page["issues"]
        if issue["type"] == "error"
    ]
