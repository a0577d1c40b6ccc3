"""bandit over src/, dashboards/, scripts/ and bench/: no finding left unsuppressed, and every
suppression says why.

Accepted findings carry `# nosec BXXX # reason` on the flagged line (the second `#` keeps
bandit from reading the reason as more test ids). A bare `# nosec` would silence every test on
its line, so it is refused too.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src"
# Everything that ships or runs on an operator's machine, not only the package.
SCANNED = [SRC, ROOT / "dashboards", ROOT / "scripts", ROOT / "bench"]
NOSEC = re.compile(r"#\s*nosec\b(?P<rest>.*)$")
# One or more test ids, then a separator and a reason of a few words.
JUSTIFIED = re.compile(r"^:?\s*(B\d{3})(\s*,\s*B\d{3})*\s*(#|-|—)\s*\S.{10,}$")


def test_bandit_finds_nothing_unsuppressed() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "bandit", "-r", *map(str, SCANNED), "-q", "-f", "json"],
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    report = json.loads(proc.stdout)
    findings = [
        f"{r['filename']}:{r['line_number']}: {r['test_id']} {r['issue_text']}"
        for r in report["results"]
    ]
    assert not findings, "bandit findings:\n" + "\n".join(findings)
    assert not report["errors"], report["errors"]
    assert report["metrics"]["_totals"]["loc"] > 10_000  # it really scanned the package


def test_every_nosec_names_its_tests_and_gives_a_reason() -> None:
    bad, seen = [], 0
    for path in sorted(p for folder in SCANNED for p in folder.rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            found = NOSEC.search(line)
            if found is None:
                continue
            seen += 1
            if not JUSTIFIED.match(found.group("rest").strip()):
                bad.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert seen > 0
    assert not bad, "nosec without test ids or a reason:\n" + "\n".join(bad)
