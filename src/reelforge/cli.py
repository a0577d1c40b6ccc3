"""The `reelforge` command: demo, render, simulate, scratch sweeping and config checks, with
terminal progress."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from reelforge.settings import load_settings

# Heavy modules (the channel config pulls in scipy through the music synthesiser) are imported
# by the commands that need them: `reelforge render` then starts in a fraction of the time and
# memory, which matters because it stays resident next to FFmpeg for the whole render.


def _check_config(args: argparse.Namespace) -> int:
    from reelforge.config import load_config

    settings = load_settings()
    path = Path(args.path).resolve() if args.path else settings.config_path
    config = load_config(path)
    print(f"{path}: ok, {len(config.channels)} channels: {', '.join(config.by_slug)}")
    return 0


def _render(args: argparse.Namespace) -> int:
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from reelforge.lib.render import RenderError, load_manifest, preview_manifest, render

    manifest = load_manifest(Path(args.manifest))
    if args.preview:
        manifest = preview_manifest(manifest)
    with Progress(TextColumn("rendering"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
                  TimeElapsedColumn(), transient=True) as bar:  # fmt: skip
        task = bar.add_task("render", total=1.0)
        try:
            result = render(
                manifest,
                out_path=Path(args.out) if args.out else None,
                preset=args.preset,
                progress=lambda done: bar.update(task, completed=done),
            )
        except RenderError as exc:  # FFmpeg's own words are the useful part, not a traceback
            bar.stop()
            print(f"error: {exc}", file=sys.stderr)
            return 1
    print(
        f"{result.path}: {result.width}x{result.height} {result.fps:g} fps, "
        f"{result.duration:.2f}s, {result.size_bytes / 1e6:.1f} MB in {result.wall_seconds:.1f}s"
    )
    return 0


def _demo(args: argparse.Namespace) -> int:
    from reelforge.config import load_config
    from reelforge.demo import run_demo

    settings = load_settings()
    config = load_config(settings.config_path)  # fail before anything is written
    start = config.calendar.start_date
    dates = args.dates or [start.isoformat(), (start + dt.timedelta(days=1)).isoformat()]
    channels = args.channels or [c.slug for c in config.channels[:2]]
    for c in channels:
        config.channel(c)
    for d in dates:
        dt.date.fromisoformat(d)
    return run_demo(settings, dates, channels)


def _instance_setup(args: argparse.Namespace) -> int:
    from reelforge.demo import prepare_dagster_home

    home = prepare_dagster_home(load_settings())
    print(f"{home / 'dagster.yaml'}: ready (run queue, pools, run monitoring)")
    return 0


def _simulate(args: argparse.Namespace) -> int:
    import json

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from reelforge.lib.audience import load_truth
    from reelforge.lib.policy import simulate
    from reelforge.lib.pricing import PriceTable

    settings = load_settings()
    truth_path = Path(args.truth).resolve() if args.truth else settings.sim_truth_path
    truth = load_truth(truth_path)
    prices = PriceTable.load(settings.prices_path)
    err = Console(stderr=True)
    show = not args.json or err.is_terminal
    columns = (TextColumn(f"simulating {args.strategy}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=err, transient=True, disable=not show) as bar:
        task = bar.add_task("days", total=args.days)
        result = simulate.run(
            truth, prices, days=args.days, channels=args.channels, per_day=args.per_day,
            strategy=args.strategy, seed=args.seed, explore_share=args.explore_share,
            progress=lambda day: bar.update(task, completed=day),
        )  # fmt: skip
    result["truth"] = str(truth_path)
    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    print(f"{'day':>4} {'plans':>5} {'explore':>7} {'views per $':>14} {'of oracle':>9}")
    for d in result["daily"]:
        print(f"{d['day']:>4} {d['plans']:>5} {d['explore']:>7} {d['mean_epd']:>14.6g} "
              f"{d['fraction_of_oracle']:>9.1%}")  # fmt: skip
    print(simulate.summary_line(result))
    return 0


def _sweep_scratch(args: argparse.Namespace) -> int:
    from reelforge.lib.scratch import sweep

    home = load_settings().home

    def progress(folder: Path, removed: int) -> None:
        if removed:
            print(f"{folder}: {removed} stale entries", flush=True)

    report = sweep(home, args.max_age_hours, dry_run=args.dry_run, progress=progress)
    print(f"{home}: {report.summary()}")
    return 0


def _csv(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="reelforge", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="materialize every asset for 2 channels × 2 dates")
    demo.add_argument("--dates", type=_csv, help="comma-separated dates (default: first two)")
    demo.add_argument("--channels", type=_csv, help="comma-separated slugs (default: first two)")
    demo.set_defaults(func=_demo)
    rnd = sub.add_parser("render", help="render one manifest (render_manifest v1)")
    rnd.add_argument("manifest")
    rnd.add_argument("--out", help="output path (default: the manifest's output.path)")
    rnd.add_argument("--preset", default="veryfast", help="x264 preset (default veryfast)")
    rnd.add_argument(
        "--preview",
        action="store_true",
        help="quick review copy: short side 480 px, written as NAME.preview.mp4 unless --out",
    )
    rnd.set_defaults(func=_render)
    inst = sub.add_parser(
        "instance-setup", help="write DAGSTER_HOME/dagster.yaml and size the Dagster pools"
    )
    inst.set_defaults(func=_instance_setup)
    sim = sub.add_parser(
        "simulate", help="run the learning loop on the audience simulator (no rendering)"
    )
    sim.add_argument("--days", type=int, default=21, help="simulated days (default 21)")
    sim.add_argument("--channels", type=int, default=3, help="simulated channels (default 3)")
    sim.add_argument("--per-day", type=int, default=2, help="episodes per channel and day")
    sim.add_argument("--strategy", choices=("policy", "random", "fixed"), default="policy")
    sim.add_argument("--truth", help="simulator truth file (default: REELFORGE_SIM_TRUTH)")
    sim.add_argument("--seed", type=int, default=0)
    sim.add_argument(
        "--explore-share", type=float, default=0.05, help="share of exploration plans (policy)"
    )
    sim.add_argument("--json", action="store_true", help="print the result as JSON")
    sim.set_defaults(func=_simulate)
    swp = sub.add_parser(
        "sweep-scratch", help="remove what killed writers left in REELFORGE_HOME's .scratch folders"
    )
    swp.add_argument(
        "--max-age-hours", type=float, default=24.0, help="untouched this long (default 24)"
    )
    swp.add_argument("--dry-run", action="store_true", help="count, remove nothing")
    swp.set_defaults(func=_sweep_scratch)
    chk = sub.add_parser("check-config", help="validate a channels file")
    chk.add_argument("path", nargs="?", help="default: REELFORGE_CONFIG or config/channels.yaml")
    chk.set_defaults(func=_check_config)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except (ValueError, KeyError, FileNotFoundError) as exc:  # ConfigError is a ValueError
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        print(f"error: {message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
