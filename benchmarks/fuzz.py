"""Fuzzing at scale (issue 17.5): the property-based test of bad input
(tests/security/test_fuzz.py — every ``yiyang_*`` action and the core actions the probe named,
through the HTTP action API, as three callers) run with many generated cases; the database and
the index compared after it (``index_check``: the same check as ``ckan yiyang index-check``).

    .venv/bin/python benchmarks/fuzz.py --per-action 240      # ≥ 10,000 cases
    .venv/bin/python benchmarks/fuzz.py --per-action 1        # the smoke run of the tests

Prints the cases run, the answers of 500 or more, the refused calls that wrote rows, whether the
index agrees with the database, and the time. It runs the test in a pytest process of its own
(one worker, the test configuration and its database: ``portal.sh test-db`` first).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEST = "tests/security/test_fuzz.py::test_no_action_answers_500_or_writes_on_refusal"
SUMMARY = re.compile(
    r"fuzz: (\d+) cases, (\d+) failures \((\d+) answers of 500 or more, (\d+) partial writes\)"
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-action", type=int, default=240, help="cases per action")
    parser.add_argument("--config", default="config/test.ini", help="the test configuration")
    args = parser.parse_args()
    env = {**os.environ, "YIYANG_FUZZ_EXAMPLES": str(args.per_action)}
    started = time.monotonic()
    done = subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "pytest"),
            "-p",
            "no:xdist",
            "-p",
            "no:cacheprovider",
            "-q",
            "-s",
            f"--ckan-ini={args.config}",
            TEST,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.monotonic() - started
    found = SUMMARY.search(done.stdout)
    if found is None:
        print(done.stdout[-4000:], done.stderr[-4000:], sep="\n", file=sys.stderr)
        print("the fuzz test printed no summary: it did not run", file=sys.stderr)
        return 2
    cases, failures, errors, writes = (int(g) for g in found.groups())
    agrees = "fuzz: index agrees with the database" in done.stdout
    print(f"cases run:                 {cases:,}")
    print(f"answers of 500 or more:    {errors}")
    print(f"refused calls that wrote:  {writes}")
    print(f"index and database:        {'agree' if agrees else 'DIFFER'}")
    print(f"time:                      {seconds:.0f} s ({cases / seconds:.1f} cases/s)")
    if failures or not agrees:
        print(done.stdout[-6000:], file=sys.stderr)
    return 0 if done.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
