"""`python -m simulator generate` and `serve` as real processes."""

import signal
import subprocess
import sys
from pathlib import Path

import requests
import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_generate_then_serve(tmp_path):
    out = tmp_path / "sim"
    done = subprocess.run(
        [sys.executable, "-m", "simulator", "generate", "--profile", "tiny", "--seed", "5", "--out", str(out),
         "--base-url", "http://127.0.0.1:1234"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    assert "generated tiny" in done.stdout
    assert yaml.safe_load((out / "config.yml").read_text())["sources"][0]["base_url"] == "http://127.0.0.1:1234"

    proc = subprocess.Popen(
        [sys.executable, "-m", "simulator", "serve", "--out", str(out), "--port", "0", "--token", "t0k"],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        base = proc.stdout.readline().strip()
        assert base.startswith("http://127.0.0.1:")
        r = requests.get(f"{base}/orgs/acme/repos", headers={"Authorization": "Bearer t0k"}, timeout=10)
        assert r.status_code == 200 and len(r.json()) == 3
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
