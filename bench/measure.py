"""Measuring one command for the benchmark: wall time, CPU time and peak RSS of its tree.

`python bench/measure.py LOG -- COMMAND...` runs COMMAND (output to LOG) and prints one JSON
line. The benchmark starts a fresh one of these per command, so the children's rusage it
reads is that command's alone.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess  # nosec B404 # times the bench's own commands, argument lists only
import sys
import threading
import time
from pathlib import Path


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _tree_rss_kb(root: int) -> int:
    """Sum of the resident sizes of `root` and all its descendants (Linux /proc)."""
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        try:
            with open(f"/proc/{pid}/status") as f:
                total += next((int(x.split()[1]) for x in f if x.startswith("VmRSS:")), 0)
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as f:
                    stack += [int(c) for c in f.read().split()]
        except (OSError, ValueError):
            continue  # the process ended while we looked
    return total


def measure(command: list[str], log_path: Path) -> dict[str, float]:
    """Run `command` to completion; wall, CPU (user+sys) and peak RSS of its process tree.

    ru_maxrss of RUSAGE_CHILDREN is the largest single descendant, which misses a Python
    parent and its FFmpeg child being resident together, so the tree is also sampled.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak_tree = 0
    started = time.perf_counter()
    with open(log_path, "wb") as out:
        proc = subprocess.Popen(  # nosec B603 # the bench's own command lines, no shell
            command, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT
        )
        done = threading.Event()

        def sample() -> None:
            nonlocal peak_tree
            while not done.wait(0.05):
                peak_tree = max(peak_tree, _tree_rss_kb(proc.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        code = proc.wait()
        done.set()
        sampler.join()
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {
        "code": code,
        "wall_s": wall,
        "cpu_s": cpu,
        "max_process_rss_mb": after.ru_maxrss / 1024,
        "peak_rss_mb": max(peak_tree, after.ru_maxrss) / 1024,
    }


def measured(name: str, command: list[str], work: Path) -> dict[str, float]:
    """Run `command` under a fresh wrapper process so its rusage is its own."""
    log(f"running {name}: {' '.join(command[:3])} ...")
    log_path = work / f"{name}.log"
    wrapper = [sys.executable, __file__, str(log_path), "--", *command]
    done = subprocess.run(wrapper, capture_output=True, text=True, check=True)  # nosec B603 # this interpreter and this file
    stats = json.loads(done.stdout)
    if stats["code"] != 0:
        tail = log_path.read_text(errors="replace")[-3000:]
        raise SystemExit(f"{name} failed (exit {stats['code']}):\n{tail}")
    log(f"{name}: {stats['wall_s']:.1f} s wall, {stats['cpu_s']:.1f} s CPU")
    return stats


if __name__ == "__main__":
    args = sys.argv[1:]
    print(json.dumps(measure(args[args.index("--") + 1 :], Path(args[0]))))
