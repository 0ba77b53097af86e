#!/usr/bin/env python3
"""Rebuild times of openings: nothing changed, and one posting changed.

    python3 bench/rebuild.py [--sizes 1000,10000,50000] [--runs 5] [--work /tmp/openings-bench]

For each size (corpus from bench/gen_corpus.py, generated unless present):

- no-op: `openings build` into a folder holding the build of the same inputs
  (median wall time and peak RSS of RUNS runs; GNU time);
- one change, `openings build`: one posting gets a new paragraph, then the same
  command (everything is built again, only changed files are written);
- one change, serve path: `openings serve` runs on the site, one posting gets
  a new paragraph RUNS times; the time is from the server's own log line
  ("N pages re-rendered in X ms (served after Y ms)"), measured from the first
  file event of the save to the new version being served, with the 30 ms
  wait for the end of an editor's burst of events included.

Output goes to tmpfs (/dev/shm). Needs a release build (CARGO_TARGET_DIR is
honoured). Only 127.0.0.1 is contacted; every wait is bounded.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from common import OPENINGS, free_port, stop

HERE = os.path.dirname(os.path.abspath(__file__))
TODAY = "2026-11-23"


def timed(cmd):
    """Runs cmd under GNU time; returns (wall ms, peak RSS MiB, stderr)."""
    with tempfile.NamedTemporaryFile("r") as report:
        run = subprocess.run(["/usr/bin/time", "-o", report.name, "-f", "%e %M"] + cmd,
                             check=True, capture_output=True, text=True, timeout=1800)
        wall, rss_kb = report.read().split()[-2:]
    return float(wall) * 1000, int(rss_kb) / 1024, run.stderr


def append(path, text):
    with open(path, "a", encoding="utf-8") as f:
        f.write(text)


def serve_rebuilds(site, posting, runs):
    """The serve path's own timings of `runs` one-posting edits: (rebuilt ms, served ms)."""
    log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)
    cmd = [OPENINGS, "serve", "--port", str(free_port()), "--today", TODAY, "--root", site]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=log, start_new_session=True)
    line = re.compile(r"changed: \d+ pages? re-rendered in (\d+) ms \(served after (\d+) ms\)")
    try:
        deadline = time.time() + 600
        while "Serving" not in open(log.name).read():
            if time.time() > deadline or proc.poll() is not None:
                sys.exit("openings serve did not start")
            time.sleep(0.1)
        time.sleep(1)
        for i in range(runs):
            append(posting, f"\n\nServe edit {i}.\n")
            deadline = time.time() + 60
            while len(line.findall(open(log.name).read())) <= i:
                if time.time() > deadline:
                    sys.exit("no rebuild line in the serve log:\n" + open(log.name).read())
                time.sleep(0.01)
            time.sleep(0.3)
        found = line.findall(open(log.name).read())
        return [int(a) for a, _ in found], [int(b) for _, b in found]
    finally:
        stop(proc)
        os.unlink(log.name)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1000,10000,50000")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--work", default="/tmp/openings-bench")
    args = ap.parse_args()
    print("| postings | no-op build | RSS | one change, build | one change, serve path: rebuilt / served (median, max) |")
    print("|---:|---:|---:|---:|---:|")
    for size in [int(s) for s in args.sizes.split(",")]:
        corpus = os.path.join(args.work, f"corpus-{size}")
        if not os.path.isdir(os.path.join(corpus, "openings")):
            subprocess.run([sys.executable, os.path.join(HERE, "gen_corpus.py"), "--postings", str(size),
                            "--out", corpus], check=True, stdout=subprocess.DEVNULL)
        # A copy, so that the edits leave the shared corpus as generated.
        site = f"/dev/shm/openings-rebuild-{size}"
        shutil.rmtree(site, ignore_errors=True)
        shutil.copytree(os.path.join(corpus, "openings"), site)
        out = site + "-out"
        shutil.rmtree(out, ignore_errors=True)
        build = [OPENINGS, "build", "--root", site, "--output", out, "--today", TODAY]
        timed(build)
        noop = [timed(build) for _ in range(args.runs)]
        assert all("nothing changed" in r[2] for r in noop), noop[0][2]
        posting = os.path.join(site, "content/jobs", sorted(os.listdir(os.path.join(site, "content/jobs")))[0])
        changed = []
        for i in range(args.runs):
            append(posting, f"\n\nBuild edit {i}.\n")
            changed.append(timed(build))
        rebuilt, served = serve_rebuilds(site, posting, args.runs)
        med = statistics.median
        print(f"| {size:,} | {med(r[0] for r in noop):.0f} ms | {med(r[1] for r in noop):.0f} MiB "
              f"| {med(r[0] for r in changed):.0f} ms | {med(rebuilt):.0f} / {med(served):.0f} ms "
              f"(max {max(rebuilt)} / {max(served)}) |", flush=True)
        shutil.rmtree(site, ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
