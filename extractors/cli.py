"""`delivery`: run or debug one pipeline step without Airflow.

delivery extract   --config F --source NAME [--scope SCOPE] [--until ISO]
delivery load      --config F
delivery transform --config F [dbt args...]
delivery publish   --config F
delivery run       --config F [--until ISO]        extract every source, load, transform, publish
delivery summary   --config F [--weeks N]
delivery simulate  generate|serve ...              the simulated org (see simulator/)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import sys

from extractors import pipeline
from extractors.core.config import ConfigError, load_config
from extractors.core.errors import ExtractError
from extractors.core.streams import parse_time
from extractors.summary import weekly_summary


def _until(value: str | None) -> dt.datetime:
    # The CLI's window ends now unless told otherwise; scheduled runs use Airflow's data interval instead.
    return parse_time(value) if value else dt.datetime.now(dt.UTC)


def _config_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config", default=os.environ.get("DELIVERY_CONFIG"), help="pipeline YAML (default: $DELIVERY_CONFIG)"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="delivery", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-v", "--verbose", action="store_true")
    commands = parser.add_subparsers(dest="command", required=True)
    extract = commands.add_parser("extract", help="land one source's records")
    _config_arg(extract)
    extract.add_argument("--source", required=True)
    extract.add_argument(
        "--scope", help="one scope: owner/name (GitHub, git), a Jira project key, the PagerDuty account; default: all"
    )
    extract.add_argument("--until", help="window end, ISO-8601 UTC (default: now)")
    extract.add_argument("--run-id")
    for name, text in (("load", "load landing files into raw"), ("publish", "write the BI snapshot")):
        _config_arg(commands.add_parser(name, help=text))
    transform = commands.add_parser("transform", help="dbt build")
    _config_arg(transform)
    transform.add_argument("dbt_args", nargs=argparse.REMAINDER)
    run = commands.add_parser("run", help="extract every source, load, transform, publish")
    _config_arg(run)
    run.add_argument("--until")
    summary = commands.add_parser("summary", help="print the weekly per-team table")
    _config_arg(summary)
    summary.add_argument("--weeks", type=int, default=4)
    simulate = commands.add_parser("simulate", help="the simulated org (python -m simulator --help)")
    simulate.add_argument("args", nargs=argparse.REMAINDER)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["simulate"]:  # the simulator has its own CLI; pass everything through
        from simulator.__main__ import main as simulate_main

        return simulate_main(argv[1:])
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if args.command == "simulate":
        from simulator.__main__ import main as simulate_main

        return simulate_main(args.args)
    try:
        return _run(args)
    except (ConfigError, ExtractError) as exc:
        print(f"delivery {args.command}: {exc}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    if not args.config:
        raise ConfigError("no config: pass --config FILE or set DELIVERY_CONFIG")
    config = load_config(args.config)
    if args.command == "extract":
        run_id = args.run_id or pipeline.new_run_id()
        until = _until(args.until)
        scopes = [args.scope] if args.scope else pipeline.plan_scopes(config, args.source, until, run_id)
        for scope in scopes:
            result = pipeline.extract_scope(config, args.source, scope, until, run_id)
            print(json.dumps(result.as_dict()))
    elif args.command == "load":
        print(json.dumps(pipeline.load(config).__dict__))
    elif args.command == "transform":
        pipeline.transform(config, *args.dbt_args)
    elif args.command == "publish":
        print(pipeline.publish(config))
    elif args.command == "run":
        run_id, until = pipeline.new_run_id(), _until(args.until)
        for source in config.sources:
            pipeline.extract_source(config, source.name, until, run_id)
        pipeline.load(config)
        pipeline.transform(config)
        print(pipeline.publish(config))
    elif args.command == "summary":
        print(weekly_summary(config.published_path, args.weeks))
    return 0


if __name__ == "__main__":
    sys.exit(main())
