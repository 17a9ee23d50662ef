"""Headless Chromium for the browser tests: found, installed from Debian's registry when absent, or skipped.

`browser` (session fixture) returns a `Browser` that takes screenshots and dumps the rendered DOM of a URL.
Each call is one short-lived Chromium process with a fresh profile, so no state leaks between pages. Use
it from a test package by importing the fixture into that package's conftest.py.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM_NAMES = ("chromium", "chromium-browser")
INSTALL_TIMEOUT_S = 900
# No network beyond the page itself, no first-run or sync machinery, no GPU (none here), no sandbox (root).
LAUNCH_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio",
)  # fmt: skip
# Virtual time lets the page's timers run ahead of the wall clock; Streamlit's websocket round trips and the
# charts' rendering still take real time, so callers pass a generous budget.
DEFAULT_BUDGET_MS = 20_000


def find_chromium() -> str | None:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def install_chromium() -> tuple[str | None, str]:
    """apt-get install Debian's chromium (we run as root in the test containers): (path or None, why not)."""
    if shutil.which("apt-get") is None:
        return None, "apt-get is not available to install chromium"
    install = ["apt-get", "install", "-y", "--no-install-recommends", "chromium"]
    env = {"DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"}
    result = _run(install, env)
    if result.returncode != 0:  # the package lists may be missing or stale
        _run(["apt-get", "update"], env)
        result = _run(install, env)
    if result.returncode != 0:
        return None, f"`{' '.join(install)}` failed: {(result.stderr or result.stdout)[-500:]}"
    return find_chromium(), "chromium installed but not found on PATH"


def _run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(command, capture_output=True, text=True, env=env, timeout=INSTALL_TIMEOUT_S,
                              check=False)  # fmt: skip
    except (OSError, subprocess.TimeoutExpired) as exc:
        return subprocess.CompletedProcess(command, 1, "", str(exc))


@dataclass(frozen=True)
class Browser:
    executable: str

    def _command(self, profile: str, width: int, height: int, budget_ms: int) -> list[str]:
        return [self.executable, *LAUNCH_FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}",
                f"--virtual-time-budget={budget_ms}"]  # fmt: skip

    def _run(self, extra: list[str], url: str, width: int, height: int, budget_ms: int) -> str:
        with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
            command = [*self._command(profile, width, height, budget_ms), *extra, url]
            result = subprocess.run(command, capture_output=True, text=True, timeout=budget_ms / 1000 + 120,
                                    check=False)  # fmt: skip
        assert result.returncode == 0, f"chromium failed on {url}: {result.stderr[-2000:]}"
        return result.stdout

    def dump_dom(self, url: str, width: int = 1400, height: int = 2000, budget_ms: int = DEFAULT_BUDGET_MS) -> str:
        """The DOM after scripts ran (serialised by Chromium), e.g. to find the charts' <svg>/<canvas>."""
        return self._run(["--dump-dom"], url, width, height, budget_ms)

    def screenshot(self, url: str, path: Path, width: int = 1400, height: int = 2000,
                   budget_ms: int = DEFAULT_BUDGET_MS) -> Path:  # fmt: skip
        """A PNG of the page's first `height` pixels."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self._run([f"--screenshot={path}"], url, width, height, budget_ms)
        assert path.is_file() and path.stat().st_size > 0, f"chromium wrote no screenshot for {url}"
        return path


@pytest.fixture(scope="session")
def browser() -> Browser:
    executable = find_chromium()
    reason = ""
    if executable is None:
        print("\nheadless chromium not found: installing Debian's chromium package")
        executable, reason = install_chromium()
    if executable is None:
        print(f"\nbrowser tests skipped: {reason}")
        pytest.skip(f"no headless chromium: {reason}")
    return Browser(executable)
