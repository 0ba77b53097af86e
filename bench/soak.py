#!/usr/bin/env python3
"""A long run of the production server: sparse traffic with idle gaps, a few
malformed, abandoned and slow clients, and every acknowledged application
looked up in the database at the end.

    python3 bench/soak.py [--minutes 12] [--binary PATH] [--seed 1]

Starts `openings serve --production` (release build) on 127.0.0.1 for a fresh
`openings init` site and, for MINUTES, sends one request every 0.2-2 s:
mostly page fetches, about one in ten an application (with a small PDF); 1% of
requests are malformed (a garbage head) or abandoned halfway (half a body, then
the socket closed); every 30 s a slow client trickles its head over 8 s, and
one sends a body at 4 KiB/s. Twice it stays silent for 75 s (longer than any
of the server's timeouts). At the start and at the end it records the
server's RSS and open file descriptors; afterwards it stops the server and
checks that every application answered 201 is in the database once.

Prints one JSON line per minute and a final summary. Bounded in time (each
request times out after 30 s). Standard library only; Linux (/proc).
"""

import argparse
import http.client
import json
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time

from common import OPENINGS, stop

BOUNDARY = "----soakBoundary"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n" + b"% padding\n" * 2000 + b"trailer<<>>\n%%EOF\n"


def form(email):
    out = bytearray()
    for name, value in (("name", "Soak Candidate"), ("email", email), ("consent", "yes"), ("website_url", "")):
        out += f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
    out += (f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="resume"; filename="cv.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n").encode() + PDF + f"\r\n--{BOUNDARY}--\r\n".encode()
    return bytes(out)


def process_state(pid):
    with open(f"/proc/{pid}/status") as f:
        rss = int(re.search(r"VmRSS:\s+(\d+) kB", f.read()).group(1)) / 1024
    return round(rss, 1), len(os.listdir(f"/proc/{pid}/fd"))


class Soak:
    def __init__(self, port, base, slug):
        self.port, self.base, self.slug = port, base, slug
        self.counts = {"answered": 0, "errors": 0, "malformed": 0, "abandoned": 0, "slow": 0, "applications": 0}
        self.acknowledged = []
        self.lock = threading.Lock()
        self.unexpected = []

    def count(self, key, n=1):
        with self.lock:
            self.counts[key] += n

    def fail(self, what):
        with self.lock:
            self.counts["errors"] += 1
            self.unexpected.append(what)

    def get(self, path):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request("GET", path)
            r = conn.getresponse()
            r.read()
            if r.status in (200, 404):
                self.count("answered")
            else:
                self.fail(f"GET {path}: {r.status}")
        except OSError as e:
            self.fail(f"GET {path}: {e}")
        finally:
            conn.close()

    def apply(self, n):
        email = f"soak-{n}@example.com"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request("POST", f"{self.base}apply/{self.slug}", body=form(email), headers={
                "Content-Type": f"multipart/form-data; boundary={BOUNDARY}", "Accept": "application/json"})
            r = conn.getresponse()
            r.read()
            if r.status == 201:
                self.count("answered")
                self.count("applications")
                with self.lock:
                    self.acknowledged.append(email)
            else:
                self.fail(f"POST: {r.status}")
        except OSError as e:
            self.fail(f"POST: {e}")
        finally:
            conn.close()

    def raw(self, data, then_close=True):
        with socket.create_connection(("127.0.0.1", self.port), timeout=30) as s:
            s.sendall(data)
            if then_close:
                return
            s.recv(1024)

    def malformed(self):
        try:
            self.raw(b"\x16\x03\x01 not http at all\r\n\r\n", then_close=False)
            self.count("malformed")
        except OSError:
            self.count("malformed")

    def abandoned(self, n):
        body = form(f"abandoned-{n}@example.com")
        head = (f"POST {self.base}apply/{self.slug} HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; "
                f"boundary={BOUNDARY}\r\nContent-Length: {len(body)}\r\n\r\n").encode()
        try:
            self.raw(head + body[: len(body) // 2])
        except OSError:
            pass
        self.count("abandoned")

    def slow_head(self):
        head = f"GET {self.base} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode()
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=30) as s:
                for i in range(0, len(head), 8):
                    s.sendall(head[i:i + 8])
                    time.sleep(8 / (len(head) / 8))
                answer = s.recv(64)
            if answer.startswith(b"HTTP/1.1 200"):
                self.count("slow")
                self.count("answered")
            else:
                self.fail(f"slow head: {answer[:30]!r}")
        except OSError as e:
            self.fail(f"slow head: {e}")

    def slow_body(self, n):
        email = f"slow-{n}@example.com"
        body = form(email)
        head = (f"POST {self.base}apply/{self.slug} HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; "
                f"boundary={BOUNDARY}\r\nContent-Length: {len(body)}\r\nAccept: application/json\r\n"
                "Connection: close\r\n\r\n").encode()
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=30) as s:
                s.sendall(head)
                for i in range(0, len(body), 4096):
                    s.sendall(body[i:i + 4096])
                    time.sleep(1)
                answer = s.recv(64)
            if answer.startswith(b"HTTP/1.1 201"):
                self.count("slow")
                self.count("answered")
                self.count("applications")
                with self.lock:
                    self.acknowledged.append(email)
            else:
                self.fail(f"slow body: {answer[:30]!r}")
        except OSError as e:
            self.fail(f"slow body: {e}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=12)
    parser.add_argument("--binary", default=OPENINGS)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    if args.binary == OPENINGS:
        subprocess.run(["cargo", "build", "--release", "-q"], check=True)
    with tempfile.TemporaryDirectory() as tmp:
        site, data = os.path.join(tmp, "site"), os.path.join(tmp, "data")
        subprocess.run([args.binary, "--quiet", "init", site], check=True, stdout=subprocess.DEVNULL)
        config = os.path.join(site, "site.toml")
        with open(config) as f:
            text = f.read()
        with open(config, "w") as f:
            f.write(text.replace("[apply]\n", "[apply]\nrate_limit = 0\n", 1))
        slug = sorted(os.listdir(os.path.join(site, "content", "jobs")))[0][:-3]
        log = open(os.path.join(tmp, "server.log"), "w+")
        proc = subprocess.Popen([args.binary, "serve", "--production", "--root", site, "--bind", "127.0.0.1",
                                 "--port", "0", "--data", data], stderr=log, start_new_session=True)
        try:
            for _ in range(300):
                log.seek(0)
                found = re.search(r"Serving http://127\.0\.0\.1:(\d+)(/\S*)", log.read())
                if found:
                    break
                time.sleep(0.1)
            else:
                sys.exit("the server did not start")
            soak = Soak(int(found.group(1)), found.group(2), slug)
            soak.get(soak.base)
            time.sleep(1)
            start_state = process_state(proc.pid)
            started = time.monotonic()
            end = started + args.minutes * 60
            gaps = [started + args.minutes * 60 * f for f in (0.3, 0.7)]
            last_slow, last_report, n, threads = started, started, 0, []
            pages = [soak.base, f"{soak.base}jobs/{slug}/", f"{soak.base}feed.xml", f"{soak.base}sitemap.xml",
                     f"{soak.base}no-such-page/"]
            while time.monotonic() < end:
                now = time.monotonic()
                if gaps and now >= gaps[0]:
                    gaps.pop(0)
                    time.sleep(75)
                    continue
                n += 1
                roll = rng.random()
                if roll < 0.005:
                    soak.malformed()
                elif roll < 0.01:
                    soak.abandoned(n)
                elif roll < 0.1:
                    soak.apply(n)
                else:
                    soak.get(rng.choice(pages))
                if now - last_slow > 30:
                    last_slow = now
                    for target, arg in ((soak.slow_head, ()), (soak.slow_body, (n,))):
                        t = threading.Thread(target=target, args=arg)
                        t.start()
                        threads.append(t)
                if now - last_report > 60:
                    last_report = now
                    rss, fds = process_state(proc.pid)
                    print(json.dumps({"minute": round((now - started) / 60, 1), **soak.counts,
                                      "rss_mib": rss, "fds": fds}), flush=True)
                time.sleep(rng.uniform(0.2, 2.0))
            for t in threads:
                t.join(timeout=60)
            time.sleep(2)
            end_state = process_state(proc.pid)
        finally:
            stop(proc)
        listed = subprocess.run([args.binary, "applications", "list", "--root", site, "--data", data,
                                 "--format", "json"], capture_output=True, text=True, check=True)
        stored = [a["answers"]["email"] for a in json.loads(listed.stdout)]
        missing = sorted(set(soak.acknowledged) - set(stored))
        twice = sorted(e for e in set(stored) if stored.count(e) > 1)
        print(json.dumps({
            "minutes": args.minutes, **soak.counts,
            "rss_mib_start": start_state[0], "rss_mib_end": end_state[0],
            "fds_start": start_state[1], "fds_end": end_state[1],
            "acknowledged": len(soak.acknowledged), "stored": len(stored),
            "missing": missing, "stored_twice": twice, "unexpected": soak.unexpected[:10],
        }), flush=True)
        if missing or twice or soak.counts["errors"]:
            sys.exit(1)


if __name__ == "__main__":
    main()
