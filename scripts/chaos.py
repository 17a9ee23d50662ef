"""`make chaos [TRIALS=20]`: kill the pipeline at random points of each phase, re-run once, compare.

Against the simulator's `tiny` org on loopback. A reference run goes through every phase uninterrupted
(extract each source, load, transform, publish), timing each step. Each trial starts from empty state, runs
the steps before its victim, starts the victim, SIGKILLs it at a random moment within the reference's
duration of that step (phases taken in turn), then runs `delivery run` once, as an operator would. The
trial is identical when marts, raw record counts, quarantine, cursors and the set of loaded files equal
the reference and nothing is left over (pending landing files, temp files, a dbt process). A re-run that
fails means someone would have had to step in: a manual action. Every trial has a time limit.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import yaml

from simulator import SIM_TOKEN, SimServer, generate, sim_credentials, write_pipeline_config

PROJECT_DIR = Path(__file__).resolve().parents[1]
DELIVERY = Path(sys.executable).with_name("delivery")
PHASES = ("extract", "load", "transform", "publish")


@dataclass
class Step:
    phase: str
    args: list[str]
    seconds: float = 0.0


def steps(sources: list[str], until: str) -> list[Step]:
    extract = [Step("extract", ["extract", "--source", name, "--until", until]) for name in sources]
    later = [Step(phase, [phase]) for phase in PHASES[1:]]
    return [*extract, *later]


def run(step: Step, config: Path, env: dict[str, str], timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(DELIVERY), *step.args, "--config", str(config)],
        env=env, capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip


def state_of(state_dir: Path) -> dict[str, object]:
    """What must equal the reference: marts, raw counts, quarantine, cursors, loaded files; and the debris."""
    landing = state_dir / "landing"
    with duckdb.connect(str(state_dir / "warehouse.duckdb"), read_only=True) as conn:
        tables = [r[0] for r in conn.execute(
            "select table_schema || '.' || table_name from information_schema.tables "
            "where table_schema in ('raw', 'marts') and table_name not in ('_loaded_files', '_rejected_files') "
            "order by 1").fetchall()]  # fmt: skip
        contents = {}
        for table in tables:
            if table.startswith("marts."):
                query = f"select count(*) || ':' || coalesce(bit_xor(hash(t::varchar)), 0) from {table} as t"
            elif table == "raw._cursors":
                query = "select string_agg(concat_ws('|', source_instance, stream, scope, cursor), ';' order by all) " \
                        "from raw._cursors"  # fmt: skip
            else:
                query = f"select count(*) from {table}"
            contents[table] = conn.execute(query).fetchone()[0]
        loaded = {r[0] for r in conn.execute("select landing_file from raw._loaded_files").fetchall()}
    manifests = {str(p.with_name(json.loads(p.read_text())["data_file"]).relative_to(landing))
                 for p in landing.glob("*/*/*/*.manifest.json")}  # fmt: skip
    return {
        "contents": contents,
        "pending": sorted(manifests - loaded),
        "temp files": sorted(str(p.relative_to(state_dir)) for p in state_dir.rglob(".*tmp*")),
    }


def differences(got: dict[str, object], want: dict[str, object]) -> list[str]:
    found = [f"{t}: {got['contents'].get(t)} != {v}" for t, v in want["contents"].items()
             if got["contents"].get(t) != v]  # fmt: skip
    found += [f"{t}: not in the reference" for t in got["contents"] if t not in want["contents"]]
    found += [f"landing file never loaded: {f}" for f in got["pending"]]
    found += [f"left over: {f}" for f in got["temp files"]]
    return found


def dbt_processes(state_dir: Path) -> list[int]:
    """dbt processes still working on this trial's warehouse (a kill must not leave one holding the lock)."""
    pids = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            environ = (proc / "environ").read_bytes()
            cmdline = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        if b"dbt" in cmdline and str(state_dir).encode() in environ:
            pids.append(int(proc.name))
    return pids


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1, help="which kill points (the org is always seed 7)")
    parser.add_argument("--profile", default="tiny")
    parser.add_argument("--trial-timeout", type=float, default=600, help="seconds one trial may take")
    parser.add_argument("--first-phase", choices=PHASES, default=PHASES[0], help="phases are taken in turn from here")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    sim_dir = generate(profile=args.profile, seed=7, out_dir=PROJECT_DIR / ".state" / "sim" / args.profile)
    until = json.loads((sim_dir / "org.json").read_text())["window"]["end"]
    work = Path(tempfile.mkdtemp(prefix="chaos-", dir=PROJECT_DIR / ".state"))
    identical, manual, failures = 0, 0, []
    with SimServer(sim_dir, token=SIM_TOKEN) as server:
        config = write_pipeline_config(sim_dir, base_url=server.base_url)
        sources = [s["name"] for s in yaml.safe_load(config.read_text())["sources"]]
        base_env = {**os.environ, **sim_credentials()}
        plan = steps(sources, until)
        reference_dir = work / "reference"
        env = {**base_env, "DELIVERY_STATE_DIR": str(reference_dir)}
        for step in plan:
            started = time.monotonic()
            result = run(step, config, env, args.trial_timeout)
            step.seconds = time.monotonic() - started
            if result.returncode != 0:
                raise SystemExit(f"reference {step.args} failed:\n{result.stderr[-3000:]}")
        reference = state_of(reference_dir)
        print("reference: " + ", ".join(f"{' '.join(s.args[:3])} {s.seconds:.1f}s" for s in plan), flush=True)
        for trial in range(args.trials):
            phase = PHASES[(PHASES.index(args.first_phase) + trial) % len(PHASES)]
            victim = rng.choice([i for i, s in enumerate(plan) if s.phase == phase])
            delay = rng.uniform(0, plan[victim].seconds)
            state_dir = work / f"trial-{trial:02d}"
            env = {**base_env, "DELIVERY_STATE_DIR": str(state_dir)}
            started = time.monotonic()
            for step in plan[:victim]:
                run(step, config, env, args.trial_timeout)
            process = subprocess.Popen([str(DELIVERY), *plan[victim].args, "--config", str(config)], env=env,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
            try:
                process.wait(timeout=delay)
                killed = "finished before the kill"
            except subprocess.TimeoutExpired:
                process.send_signal(signal.SIGKILL)
                process.wait()
                killed = f"killed at {delay:.1f}s"
            time.sleep(1.0)  # the kernel's parent-death signal reaches the children
            leftover = dbt_processes(state_dir)
            remaining = max(args.trial_timeout - (time.monotonic() - started), 30)
            rerun = run(Step("run", ["run", "--until", until]), config, env, remaining)
            found = [f"dbt still running after the kill: {leftover}"] if leftover else []
            if rerun.returncode != 0:
                manual += 1
                found.append(f"re-run failed ({rerun.returncode}): {rerun.stderr.strip()[-500:]}")
            else:
                found += differences(state_of(state_dir), reference)
            identical += not found
            label = f"trial {trial + 1:>2}: {phase:<9} {' '.join(plan[victim].args[:3]):<28} {killed:<25}"
            print(f"{label} {'identical' if not found else 'DIFFERENT'}", flush=True)
            failures += [f"  trial {trial + 1}: {line}" for line in found]
    print("\n".join(failures))
    print(f"trials {args.trials} / identical {identical} / manual actions needed {manual}")
    if identical == args.trials:
        shutil.rmtree(work)  # kept only when a trial differs, for a look at its state
    return 0 if identical == args.trials else 1


if __name__ == "__main__":
    sys.exit(main())
