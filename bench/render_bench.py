"""Render benchmark: `reelforge render` against the plain-FFmpeg floor, in the same run.

Builds a 60 s 1080x1920 30 fps manifest like an episode's (8 moving scenes drawn by the
project's artist, cross-fades, espeak narration, a composed music bed with ducking, ~150
caption words), then times two subprocesses on the same inputs:

- ours:  `reelforge render MANIFEST --preset P` (the CLI, everything included);
- floor: one FFmpeg run that only concatenates the same stills for the same durations (concat
  demuxer, no motion, fades, captions or mixing) with the same x264 preset/CRF and the
  narration muxed as AAC: the least any renderer of these inputs has to spend.

Each command runs under its own wrapper process (measure.py), so the CPU time and peak RSS
reported are those of that command's process tree only: `peak RSS` sums the tree (the Python
CLI and its FFmpeg), `max_process_rss_mb` is ru_maxrss (the largest single process). Prints a
table and one JSON line; progress goes to stderr. Not a test: timings depend on the machine
and on its other load, which is why the commands take turns and medians are reported.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench_inputs import FPS, HEIGHT, SECONDS, WIDTH, build_inputs, floor_command
from measure import log, measured

TARGETS = {"ratio": 1.3, "rss_mb": 600.0, "speed": 1.0}


def ours_command(manifest: Path, preset: str, extra: list[str]) -> list[str]:
    cli = shutil.which("reelforge", path=str(Path(sys.executable).parent)) or "reelforge"
    return [cli, "render", str(manifest), "--preset", preset, *extra]


def baseline_command(src: Path, manifest: Path, preset: str) -> list[str]:
    """The same render by another checkout's engine (its `src` folder), e.g. before a change."""
    out = manifest.with_name("baseline.mp4")
    code = f"import sys; sys.path.insert(0, {str(src)!r}); from reelforge.cli import main; " + (
        "sys.exit(main(sys.argv[1:]))"
    )
    args = ["render", str(manifest), "--preset", preset, "--out", str(out)]
    return [sys.executable, "-c", code, *args]


def summarise(runs: dict[str, list[dict[str, float]]]) -> dict[str, Any]:
    """Medians over the repeats; ratios ours/floor of the medians."""
    med = {
        name: {k: statistics.median(r[k] for r in rs) for k in rs[0] if k != "code"}
        for name, rs in runs.items()
    }
    ours, floor = med["ours"], med["floor"]
    extra = {}
    if "baseline" in med:
        base = med["baseline"]
        extra = {
            "baseline": base,
            "baseline_ratio_wall": base["wall_s"] / floor["wall_s"],
            "baseline_ratio_cpu": base["cpu_s"] / floor["cpu_s"],
        }
    return {
        "seconds_of_video": SECONDS,
        "size": f"{WIDTH}x{HEIGHT}@{FPS}",
        "repeats": len(runs["ours"]),
        "ours": ours,
        "floor": floor,
        "ratio_wall": ours["wall_s"] / floor["wall_s"],
        "ratio_cpu": ours["cpu_s"] / floor["cpu_s"],
        "ours_speed_x_realtime": SECONDS / ours["wall_s"],
        "floor_speed_x_realtime": SECONDS / floor["wall_s"],
        "all_walls": {name: [round(r["wall_s"], 2) for r in rs] for name, rs in runs.items()},
        **extra,
    }


def print_table(s: dict[str, Any]) -> None:
    ours, floor = s["ours"], s["floor"]
    print(f"render bench: {s['seconds_of_video']:.0f} s of {s['size']}, median of {s['repeats']}")
    print(f"{'':8}{'wall s':>9}{'CPU s':>9}{'peak RSS MB':>13}{'video s / wall s':>18}")
    rows = [("ours", ours), ("floor", floor)]
    if "baseline" in s:
        rows.append(("baseline", s["baseline"]))
    for name, m in rows:
        speed = SECONDS / m["wall_s"]
        print(f"{name:8}{m['wall_s']:9.1f}{m['cpu_s']:9.1f}{m['peak_rss_mb']:13.0f}{speed:18.2f}")
    ok = lambda good: "ok" if good else "MISSED"  # noqa: E731
    print(
        f"ours/floor: wall {s['ratio_wall']:.2f}, CPU {s['ratio_cpu']:.2f} "
        f"(target <= {TARGETS['ratio']}: {ok(s['ratio_wall'] <= TARGETS['ratio'])}); "
        f"peak RSS {ours['peak_rss_mb']:.0f} MB (<= {TARGETS['rss_mb']:.0f}: "
        f"{ok(ours['peak_rss_mb'] <= TARGETS['rss_mb'])}); "
        f"{s['ours_speed_x_realtime']:.2f}x real time ({ok(s['ours_speed_x_realtime'] > 1)})"
    )
    if "baseline" in s:
        print(
            f"baseline/floor: wall {s['baseline_ratio_wall']:.2f}, "
            f"CPU {s['baseline_ratio_cpu']:.2f}, peak RSS {s['baseline']['peak_rss_mb']:.0f} MB"
        )
    print(json.dumps({"render_bench": s}, sort_keys=True))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="veryfast")
    parser.add_argument("--repeat", type=int, default=2, help="alternating runs of each")
    parser.add_argument("--work", type=Path, help="keep inputs and outputs here (reused)")
    parser.add_argument("--render-arg", action="append", default=[], help="extra CLI argument")
    parser.add_argument(
        "--baseline-src", type=Path, help="also time this checkout's src/ (before/after)"
    )
    args = parser.parse_args(argv)
    tmp = None if args.work else tempfile.TemporaryDirectory(prefix="reelforge-bench-")
    work = args.work or Path(tmp.name)  # type: ignore[union-attr]
    work.mkdir(parents=True, exist_ok=True)
    try:
        manifest = work / "manifest.json"
        if not manifest.exists():
            manifest = build_inputs(work)
        else:
            log(f"reusing the inputs in {work}")
        runs: dict[str, list[dict[str, float]]] = {"ours": [], "floor": []}
        commands = {
            "floor": floor_command(work, args.preset),
            "ours": ours_command(manifest, args.preset, args.render_arg),
        }
        if args.baseline_src:
            runs["baseline"] = []
            commands["baseline"] = baseline_command(args.baseline_src, manifest, args.preset)
        for k in range(args.repeat):  # interleaved, so load from elsewhere hits all alike
            log(f"round {k + 1}/{args.repeat}")
            for name, command in commands.items():
                runs[name].append(measured(name, command, work))
        print_table(summarise(runs))
    finally:
        if tmp is not None:
            tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
