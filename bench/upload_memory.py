#!/usr/bin/env python3
"""Memory of the production server under concurrent uploads.

    python3 bench/upload_memory.py [--binary PATH] [--clients 16] [--mb 9] [--rounds 3]

Starts `openings serve --production` (a release build; --binary to measure
another one, e.g. an older release) on 127.0.0.1 for a fresh `openings init`
site with `max_upload_mb = 10` and no rate limit, then:

  1. idle: RSS after a page was fetched;
  2. within the limit: CLIENTS applications at once, each with a valid PDF
     résumé of MB megabytes, ROUNDS times;
  3. over the limit: the same with a PDF of MB + 3 megabytes (over 10 MB, under
     the hard ceiling), which the server reads and discards.

It prints, as one JSON line per phase: the statuses, accepted applications per
second, and the server's RSS (VmRSS) before and its peak (VmHWM) after, in
MiB. Bounded: every request times out after 120 s. Standard library only.
"""

import argparse
import concurrent.futures
import http.client
import json
import os
import re
import subprocess
import sys
import tempfile
import time

from common import OPENINGS, stop

BOUNDARY = "----benchBoundary"


def pdf_of(megabytes):
    """A valid PDF (header, one object, trailer) padded to `megabytes` MB."""
    head = b"%PDF-1.4\n1 0 obj<<>>endobj\n% "
    tail = b"\ntrailer<<>>\n%%EOF\n"
    return head + b" " * (megabytes * 1_000_000 - len(head) - len(tail)) + tail


def form(pdf, n):
    fields = {
        "name": f"Bench Candidate {n}",
        "email": f"bench-{n}@example.com",
        "consent": "yes",
        "website_url": "",
    }
    out = bytearray()
    for name, value in fields.items():
        out += f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
    out += (f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="resume"; filename="cv.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n").encode()
    out += pdf + f"\r\n--{BOUNDARY}--\r\n".encode()
    return bytes(out)


def memory(pid):
    """(VmRSS, VmHWM) of the process, MiB."""
    with open(f"/proc/{pid}/status") as status:
        text = status.read()
    value = lambda key: int(re.search(rf"{key}:\s+(\d+) kB", text).group(1)) / 1024
    return value("VmRSS"), value("VmHWM")


def post(port, path, body):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("POST", path, body=body, headers={
            "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
            "Accept": "application/json",
        })
        response = conn.getresponse()
        response.read()
        return response.status
    except OSError as e:
        return f"error: {e.__class__.__name__}"
    finally:
        conn.close()


def phase(name, proc, port, path, body_for, clients, rounds):
    rss_before, _ = memory(proc.pid)
    statuses = {}
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        for r in range(rounds):
            bodies = [body_for(r * clients + i) for i in range(clients)]
            for status in pool.map(lambda b: post(port, path, b), bodies):
                statuses[str(status)] = statuses.get(str(status), 0) + 1
    took = time.monotonic() - started
    _, peak = memory(proc.pid)
    accepted = statuses.get("201", 0)
    print(json.dumps({
        "phase": name, "statuses": statuses, "seconds": round(took, 2),
        "accepted_per_s": round(accepted / took, 1), "rss_before_mib": round(rss_before, 1),
        "peak_rss_mib": round(peak, 1), "peak_minus_idle_mib": round(peak - IDLE, 1),
    }), flush=True)


def main():
    global IDLE
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--binary", default=OPENINGS)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--mb", type=int, default=9)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if args.binary == OPENINGS:
        subprocess.run(["cargo", "build", "--release", "-q"], check=True)
    with tempfile.TemporaryDirectory() as tmp:
        site = os.path.join(tmp, "site")
        subprocess.run([args.binary, "--quiet", "init", site], check=True, stdout=subprocess.DEVNULL)
        config = os.path.join(site, "site.toml")
        with open(config) as f:
            text = f.read()
        text = re.sub(r"max_upload_mb = \d+\n", "", text)
        with open(config, "w") as f:
            f.write(text.replace("[apply]\n", "[apply]\nrate_limit = 0\nmax_upload_mb = 10\n", 1))
        slug = sorted(os.listdir(os.path.join(site, "content", "jobs")))[0][:-3]
        log = open(os.path.join(tmp, "server.log"), "w+")
        proc = subprocess.Popen([args.binary, "serve", "--production", "--root", site, "--bind", "127.0.0.1",
                                 "--port", "0", "--data", os.path.join(tmp, "data")],
                                stderr=log, start_new_session=True)
        try:
            port = None
            for _ in range(300):
                log.seek(0)
                found = re.search(r"Serving http://127\.0\.0\.1:(\d+)(/\S*)", log.read())
                if found:
                    port, base = int(found.group(1)), found.group(2)
                    break
                time.sleep(0.1)
            if port is None:
                sys.exit("the server did not start")
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", base)
            conn.getresponse().read()
            time.sleep(1)
            IDLE, _ = memory(proc.pid)
            version = subprocess.run([args.binary, "--version"], capture_output=True, text=True).stdout.strip()
            print(json.dumps({"binary": args.binary, "version": version, "idle_rss_mib": round(IDLE, 1),
                              "clients": args.clients, "mb": args.mb, "rounds": args.rounds}), flush=True)
            path = f"{base}apply/{slug}"
            within, over = pdf_of(args.mb), pdf_of(args.mb + 3)
            phase("within the limit", proc, port, path, lambda n: form(within, n), args.clients, args.rounds)
            phase("over the limit", proc, port, path, lambda n: form(over, 10_000 + n), args.clients, args.rounds)
        finally:
            stop(proc)


if __name__ == "__main__":
    main()
