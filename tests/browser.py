"""Headless Chromium for the browser tests: found, installed from Debian's registry when absent, or skipped.

`browser` (session fixture) returns a `Browser`. For a static page (a file:// report) `screenshot` and
`dump_dom` run Chromium once with a virtual-time budget. A live app (Streamlit talks over a websocket,
which virtual time does not wait for) is driven through the DevTools protocol instead: `browser.page(url)`
opens it, `wait_for` polls a JavaScript condition in wall-clock time, then `dom`, `evaluate` and
`screenshot`. Every Chromium process gets a fresh profile, so no state leaks between pages. Use it from a
test package by importing the fixture into that package's conftest.py.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from websockets.sync.client import connect as websocket_connect

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
            process = start(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            try:
                stdout, stderr = process.communicate(timeout=budget_ms / 1000 + 120)
            finally:
                stop(process, timeout_s=15)
        assert process.returncode == 0, f"chromium failed on {url}: {stderr[-2000:]}"
        return stdout

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

    @contextlib.contextmanager
    def page(self, url: str, width: int = 1400, height: int = 2000) -> Iterator[Page]:
        """A live page driven over the DevTools protocol; Chromium stops when the block ends."""
        with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
            command = [self.executable, *LAUNCH_FLAGS, f"--user-data-dir={profile}",
                       f"--window-size={width},{height}", "--remote-debugging-port=0", "about:blank"]  # fmt: skip
            process = start(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            try:
                socket_url = _page_socket(Path(profile), process)
                with websocket_connect(socket_url, max_size=None, open_timeout=30) as socket:
                    page = Page(socket)
                    page.call("Page.enable")
                    page.call("Page.navigate", url=url)
                    yield page
            finally:
                stop(process, timeout_s=15)


def stop(process: subprocess.Popen, timeout_s: float) -> None:
    """Terminate the process and its children (its own session, see `start`), kill what does not exit in time.

    Chromium's helper processes outlive its main process for a moment and keep writing the profile: removing
    the profile before they are gone fails with "Directory not empty"."""
    _signal_group(process, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=timeout_s)
    _signal_group(process, signal.SIGKILL)  # the helpers left behind, or all of it after the timeout
    process.wait()


def start(command: list[str], **popen_args) -> subprocess.Popen:
    """Popen in a new session, so that `stop` reaches every process it starts."""
    return subprocess.Popen(command, start_new_session=True, **popen_args)


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)


def _page_socket(profile: Path, process: subprocess.Popen, timeout_s: float = 60) -> str:
    """The about:blank tab's DevTools websocket, once Chromium wrote its port into the profile."""
    port_file = profile / "DevToolsActivePort"
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"chromium exited {process.returncode}: {process.stderr.read().decode()[-2000:]}")
        if port_file.is_file() and port_file.read_text().strip():
            port = port_file.read_text().split()[0]
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as response:
                targets = [t for t in json.load(response) if t.get("type") == "page"]
            if targets:
                return targets[0]["webSocketDebuggerUrl"]
        time.sleep(0.2)
    raise AssertionError(f"chromium opened no DevTools port within {timeout_s} s")


class Page:
    """One tab over the DevTools protocol: calls, JavaScript, screenshots."""

    def __init__(self, socket) -> None:
        self._socket = socket
        self._ids = itertools.count(1)

    def call(self, method: str, **params) -> dict:
        message_id = next(self._ids)
        self._socket.send(json.dumps({"id": message_id, "method": method, "params": params}))
        while True:  # events arrive in between; only our reply matters
            reply = json.loads(self._socket.recv(timeout=120))
            if reply.get("id") == message_id:
                assert "error" not in reply, f"{method}: {reply['error']}"
                return reply.get("result", {})

    def evaluate(self, expression: str):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        assert "exceptionDetails" not in result, f"{expression[:200]}: {result['exceptionDetails']}"
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout_s: float = 120, settle_s: float = 0) -> None:
        """Poll until `expression` is truthy, then let the page settle for `settle_s` (animations, layout)."""
        deadline = time.monotonic() + timeout_s
        while not self.evaluate(f"!!({expression})"):
            if time.monotonic() > deadline:
                raise AssertionError(f"page never satisfied {expression!r} within {timeout_s} s")
            time.sleep(0.5)
        time.sleep(settle_s)

    def dom(self) -> str:
        return self.evaluate("document.documentElement.outerHTML")

    def text(self) -> str:
        return self.evaluate("document.body.innerText")

    def screenshot(self, path: Path, height: int | None = None) -> Path:
        """A PNG of the viewport, or of the top `height` CSS pixels: apps that scroll inside their own
        container (Streamlit) are laid out again in a viewport that tall before the capture."""
        if height:
            width = self.evaluate("window.innerWidth")
            self.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1,
                      mobile=False)  # fmt: skip
            time.sleep(2)  # charts re-fit their containers
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(self.call("Page.captureScreenshot", format="png")["data"]))
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
