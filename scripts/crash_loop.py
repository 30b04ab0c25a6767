"""Stress the notifier crash tests: N runs on each database while two CPU burners compete.

    python scripts/crash_loop.py [--runs 20] [--burners 2] [--engine sqlite|postgresql|both]

Runs tests/notifier/test_crash_recovery.py N times in a row on SQLite, then N times on
PostgreSQL when TEST_DATABASE_URL names one. The burners are started here and stopped here,
whatever happens. Prints one line per run and a summary; exits 1 when any run failed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TESTS = "tests/notifier/test_crash_recovery.py"


def say(line: str) -> None:
    """One line of the report, at once."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def burners(count: int) -> list[subprocess.Popen[bytes]]:
    """`count` processes that keep one core busy each."""
    spin = "while True:\n    pass"
    cmd = [sys.executable, "-c", spin]
    return [subprocess.Popen(cmd) for _ in range(count)]  # noqa: S603 - our own interpreter


def one_run(env: dict[str, str]) -> tuple[bool, str]:
    """The crash tests once, in a fresh pytest: passed?, and the output's tail."""
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider"]
    done = subprocess.run(  # noqa: S603 - our own interpreter and test file
        [*cmd, TESTS], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-25:])
    return done.returncode == 0, tail


def loop(name: str, env: dict[str, str], runs: int) -> int:
    """`runs` runs on one database; how many failed."""
    failed, started = 0, time.monotonic()
    for n in range(1, runs + 1):
        t0 = time.monotonic()
        ok, tail = one_run(env)
        failed += not ok
        verdict = "passed" if ok else "FAILED"
        say(f"{name} run {n}/{runs}: {verdict} in {time.monotonic() - t0:.0f}s")
        if not ok:
            say(tail)
    total = time.monotonic() - started
    say(f"crash-loop {name}: {runs - failed} passed, {failed} failed in {total:.0f}s")
    return failed


def main() -> int:
    """Start the burners, loop on each database, stop the burners."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--burners", type=int, default=2)
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    base = {k: v for k, v in os.environ.items() if k != "TEST_DATABASE_URL"}
    databases = [] if args.engine == "postgresql" else [("sqlite", base)]
    pg = os.environ.get("TEST_DATABASE_URL")
    if args.engine != "sqlite" and pg:
        databases.append(("postgresql", {**base, "TEST_DATABASE_URL": pg}))
    if not databases:
        parser.error("--engine postgresql needs TEST_DATABASE_URL")
    spinning = burners(args.burners)
    try:
        failed = sum(loop(name, env, args.runs) for name, env in databases)
    finally:
        for proc in spinning:
            proc.kill()
            proc.wait()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
