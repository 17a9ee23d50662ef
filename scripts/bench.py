"""`make bench [PROFILE=large]`: run the pipeline on a simulated profile and print throughput figures.

Each phase runs as its own process (the `delivery` CLI) so its wall time and peak memory are its own:
records and requests per stream, requests per record, records/s, wall time and peak RSS per phase.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import yaml

from simulator import SIM_TOKEN as TOKEN
from simulator import SimServer, generate, sim_credentials, write_pipeline_config

PROJECT_DIR = Path(__file__).resolve().parents[1]
DELIVERY = Path(sys.executable).with_name("delivery")


def run_phase(name: str, command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Run one phase; return wall seconds, peak RSS in MiB (this process tree), and its stdout."""
    started = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if process.returncode != 0:
        raise SystemExit(f"{name} failed ({process.returncode}):\n{stdout[-2000:]}\n{stderr[-3000:]}")
    return time.monotonic() - started, usage.ru_maxrss / 1024, stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--profile", default="demo")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--until", default=None, help="window end (default: the profile's end)")
    args = parser.parse_args(argv)
    state = PROJECT_DIR / ".state" / "bench" / args.profile
    started = time.monotonic()
    sim_dir = generate(profile=args.profile, seed=args.seed, out_dir=PROJECT_DIR / ".state" / "sim" / args.profile)
    generate_seconds = time.monotonic() - started
    until = args.until or json.loads((sim_dir / "org.json").read_text())["window"]["end"]
    subprocess.run(["rm", "-rf", str(state)], check=True)  # a cold run: every record fetched and loaded
    rows: list[tuple[str, float, float, int]] = []
    records: Counter[str] = Counter()
    requests: Counter[str] = Counter()
    with SimServer(sim_dir, token=TOKEN) as server:
        config = write_pipeline_config(sim_dir, base_url=server.base_url)
        env = {**os.environ, **sim_credentials(), "DELIVERY_STATE_DIR": str(state)}
        for source in (s["name"] for s in yaml.safe_load(config.read_text())["sources"]):
            seconds, rss, out = run_phase(
                f"extract {source}",
                [str(DELIVERY), "extract", "--config", str(config), "--source", source, "--until", until],
                env,
            )
            phase_records = 0
            for line in out.splitlines():
                result = json.loads(line)
                records.update({f"{source}.{k}": v for k, v in result["records"].items()})
                phase_records += sum(result["records"].values())
                requests[source] += result["requests"]
            rows.append((f"extract {source}", seconds, rss, phase_records))
        request_log = Counter(_stream_of(r["path"]) for r in server.request_log())
    for phase in ("load", "transform"):
        seconds, rss, _ = run_phase(phase, [str(DELIVERY), phase, "--config", str(config)], env)
        rows.append((phase, seconds, rss, sum(records.values()) if phase == "load" else 0))
    total_records = sum(records.values())
    print(f"profile {args.profile} (seed {args.seed}); simulator generate: {generate_seconds:.1f} s (cached if 0)")
    print(f"{'stream':36} {'records':>10}")
    for stream, count in sorted(records.items()):
        print(f"{stream:36} {count:>10}")
    print(f"{'requests by endpoint (server log)':36}")
    for endpoint, count in sorted(request_log.items()):
        print(f"  {endpoint:34} {count:>10}")
    for source, count in sorted(requests.items()):
        source_records = sum(v for k, v in records.items() if k.startswith(f"{source}."))
        print(
            f"{source}: records {source_records}, HTTP requests {count}, requests per record "
            f"{count / max(source_records, 1):.3f}"
        )
    print(
        f"all: records {total_records}, HTTP requests {requests.total()}, requests per record "
        f"{requests.total() / max(total_records, 1):.3f}"
    )
    print(f"{'phase':20} {'wall s':>8} {'peak MiB':>9} {'records/s':>10}")
    for phase, seconds, rss, phase_records in rows:
        rate = f"{phase_records / seconds:10.0f}" if phase_records else f"{'-':>10}"
        print(f"{phase:20} {seconds:8.1f} {rss:9.0f} {rate}")
    return 0


def _stream_of(path: str) -> str:
    """An endpoint without its ids: /repos/{o}/{r}/pulls/{id}/reviews, /jira/rest/api/3/issue/{id}/changelog."""
    parts = [p for p in path.split("?")[0].split("/") if p]
    if parts[:1] == ["repos"] and len(parts) >= 4:
        parts = ["repos", "{o}", "{r}", *parts[3:]]
    return "/" + "/".join(
        "{id}" if re.fullmatch(r"[0-9]+|[A-Z][A-Z0-9]*-[0-9]+|P[A-Z0-9]{5,}", p) else p for p in parts
    )


if __name__ == "__main__":
    sys.exit(main())
