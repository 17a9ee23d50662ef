"""`delivery`: run or debug one pipeline step without Airflow.

delivery extract   --config F (--source NAME [--scope SCOPE] | --kind KIND) [--until ISO]
delivery load      --config F
delivery transform --config F [-- dbt args...]
delivery publish   --config F
delivery run       --config F [--until ISO]        extract every source, load, transform, publish
delivery summary   --config F [--weeks N]
delivery report    --config F [--out PATH]          the self-contained HTML report (default: beside the snapshot)
delivery kinds                                     the source kinds this installation knows, with streams
delivery events push --kind deployment|incident FILE [--source NAME]   a source package's own subcommand
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import sys
from pathlib import Path

from extractors import pipeline
from extractors.answer import team_answers
from extractors.core.config import ConfigError, load_config
from extractors.core.errors import ExtractError, TransformError, WarehouseError
from extractors.core.registry import source_commands, source_kinds
from extractors.core.streams import parse_time
from extractors.summary import health_summary, weekly_summary


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
    extract = commands.add_parser("extract", help="land one source's records, or those of every source of a kind")
    _config_arg(extract)
    which = extract.add_mutually_exclusive_group(required=True)
    which.add_argument("--source", help="a source's name in the config")
    which.add_argument("--kind", choices=list(source_kinds()), help="every configured source of this kind")
    extract.add_argument("--scope", help="one scope of --source (a repository, a project key ...); default: all")
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
    report = commands.add_parser("report", help="write the self-contained HTML report and print its path")
    _config_arg(report)
    report.add_argument("--out", help="the HTML file (default: delivery-report.html beside the published snapshot)")
    commands.add_parser("kinds", help="list the source kinds and their streams")
    for add_commands in source_commands():  # a source package's own subcommands (e.g. pushing files to it)
        add_commands(commands, _config_arg)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        return _run(args)
    except (ConfigError, ExtractError, TransformError, WarehouseError) as exc:
        print(f"delivery {args.command}: {exc}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    if args.command == "kinds":
        for name, kind in source_kinds().items():
            print(f"{name:<12} {kind.schedule:<12} {kind.description}")
            print(f"{'':<12} streams: {', '.join(kind.stream_names)}")
        return 0
    if not args.config:
        raise ConfigError("no config: pass --config FILE or set DELIVERY_CONFIG")
    config = load_config(args.config)
    if getattr(args, "source_command", None):
        return args.source_command(config, args)
    if args.command == "extract":
        run_id = args.run_id or pipeline.new_run_id()
        until = _until(args.until)
        sources = [config.source(args.source)] if args.source else config.sources_of_kind(args.kind)
        names = [source.name for source in sources]
        if not names:
            raise ConfigError(f"no source of kind {args.kind!r} in {config.path}")
        return _reported(pipeline.extract_sources(config, names, until, run_id, scope=args.scope))
    elif args.command == "load":
        print(json.dumps(pipeline.load(config).__dict__))
    elif args.command == "transform":
        dbt_args = args.dbt_args[1:] if args.dbt_args[:1] == ["--"] else args.dbt_args
        pipeline.transform(config, *dbt_args)
    elif args.command == "publish":
        print(pipeline.publish(config))
    elif args.command == "run":
        run_id, until = pipeline.new_run_id(), _until(args.until)
        report = pipeline.extract_sources(config, [s.name for s in config.sources], until, run_id)
        # what did land is loaded and published: each scope's cursor is its own, nothing is skipped for good
        pipeline.load(config)
        pipeline.transform(config)
        print(pipeline.publish(config))
        return _reported(report)
    elif args.command == "summary":
        print(weekly_summary(config.published_path, args.weeks))
        print()
        print(health_summary(config.published_path, config.landing_dir))
        print()
        print(team_answers(config.published_path))
    elif args.command == "report":
        from extractors.dashboards.report import default_report_path, write_report  # altair: only when asked

        out = Path(args.out) if args.out else default_report_path(config.published_path)
        print(write_report(config.published_path, out))
    return 0


def _reported(report: pipeline.ExtractReport) -> int:
    """Each landed scope as a JSON line; every failure at the end, and a non-zero exit when there was one."""
    for result in report.results:
        print(json.dumps(result.as_dict()))
    for failure in report.failures:
        print(f"delivery: {failure}", file=sys.stderr)
    if report.failures:
        print(f"delivery: {len(report.failures)} scope(s) failed, {len(report.results)} landed", file=sys.stderr)
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
