"""CLI: `python -m simulator generate ...` and `python -m simulator serve ...`."""

import argparse
import signal
import sys
import threading
import time
from pathlib import Path

from simulator.config_writer import write_pipeline_config
from simulator.generate import generate
from simulator.github.server import SIM_TOKEN, SimServer


def _generate(args) -> int:
    started = time.monotonic()
    out = generate(
        profile=args.profile,
        seed=args.seed,
        out_dir=Path(args.out),
        workers=args.workers,
        cutoff_hours_before_end=args.cutoff_hours_before_end,
    )
    cfg = write_pipeline_config(out, github_base_url=args.base_url, token_env=args.token_env)
    print(f"generated {args.profile} seed={args.seed} in {time.monotonic() - started:.1f}s: {out} ({cfg.name})")
    return 0


def _serve(args) -> int:
    server = SimServer(Path(args.out), host=args.host, port=args.port, token=args.token).start()
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    print(server.base_url, flush=True)
    stop.wait()
    server.stop()
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m simulator", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate", help="generate an org (git repos, org.sqlite, ground truth, config.yml)")
    gen.add_argument("--profile", default="demo")
    gen.add_argument("--seed", type=int, default=7)
    gen.add_argument("--out", required=True)
    gen.add_argument("--base-url", default="http://127.0.0.1:8765", help="GitHub base URL for config.yml")
    gen.add_argument("--token-env", default="SIM_GITHUB_TOKEN")
    gen.add_argument("--workers", type=int, default=None)
    gen.add_argument(
        "--cutoff-hours-before-end",
        type=int,
        default=0,
        metavar="N",
        help="observe the org N hours before the window end (same ids and shas; 24 = yesterday)",
    )
    gen.set_defaults(func=_generate)
    srv = sub.add_parser("serve", help="serve a generated org as the GitHub API until SIGINT/SIGTERM")
    srv.add_argument("--out", required=True)
    srv.add_argument("--host", default="127.0.0.1")
    srv.add_argument("--port", type=int, default=8765)
    srv.add_argument("--token", default=SIM_TOKEN)
    srv.set_defaults(func=_serve)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
