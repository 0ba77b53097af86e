#!/usr/bin/env python3
"""Hostile postings at the sizes of issue 17 (items 7 and 8): how long
`openings build` takes on each, how much memory it peaks at and how much it
writes to stderr. Standard library only.

    python3 bench/hostile.py                        # target/release/openings
    python3 bench/hostile.py --binary /tmp/old/openings --timeout 300
    python3 bench/hostile.py --cases yaml-flow-300k,toml-tags-300k

Each case is a one-posting site in a temporary folder; the table has one row
per case: exit code, wall time, peak RSS of the build (from wait4, so only
that process) and the bytes it wrote to stderr. A build still running after
--timeout seconds is killed and shown as `> N s`; one that passes
--max-memory (an address-space limit, so a quadratic build cannot take the
machine down) aborts, exit -6.
"""
import argparse
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import OPENINGS  # noqa: E402

SITE_TOML = """title = "Careers at Hostileco"
base_url = "https://hostile.example/"

[company]
name = "Hostileco"

[locations.berlin]
name = "Berlin, Germany"
country = "DE"
"""


def toml_posting(extra):
    return (
        '+++\ntitle = "Backend Engineer"\ndepartment = "Engineering"\n'
        f"date = 2026-11-02\n{extra}\n+++\n\nBody.\n"
    )


def yaml_posting(extra):
    return (
        "---\ntitle: Backend Engineer\ndepartment: Engineering\n"
        f"date: 2026-11-02\n{extra}\n---\n\nBody.\n"
    )


def unknown_locations(n):
    """`n` location keys site.toml does not have, on one line."""
    items = ", ".join(f'"nowhere-{i:06}"' for i in range(n))
    return toml_posting(f"locations = [{items}]")


def yaml_block_tags(n):
    return yaml_posting("tags:\n" + "".join(f"  - tag{i}\n" for i in range(n)).rstrip("\n"))


def yaml_flow_tags(n, name="tag"):
    return yaml_posting("tags: [" + ", ".join(f"{name}{i}" for i in range(n)) + "]")


def toml_tags(n, name="tag"):
    return toml_posting("tags = [" + ", ".join(f'"{name}{i}"' for i in range(n)) + "]")


# The sizes; the 100k and 300k ones are over the 1 MB front-matter
# limit, so the `-short` and 50k cases are the largest that still get parsed.
CASES = {
    "toml-locations-10k": lambda: unknown_locations(10_000),
    "toml-locations-50k": lambda: unknown_locations(50_000),
    "toml-locations-100k": lambda: unknown_locations(100_000),
    "yaml-block-30k": lambda: yaml_block_tags(30_000),
    "yaml-flow-30k": lambda: yaml_flow_tags(30_000),
    "yaml-flow-100k-short": lambda: yaml_flow_tags(100_000, name="t"),
    "yaml-flow-300k": lambda: yaml_flow_tags(300_000),
    "toml-tags-30k": lambda: toml_tags(30_000),
    "toml-tags-100k-short": lambda: toml_tags(100_000, name="t"),
    "toml-tags-300k": lambda: toml_tags(300_000),
}


def count(stream, counted):
    while chunk := stream.read(1 << 20):
        counted[0] += len(chunk)


def run(binary, text, timeout, max_memory_mib):
    """(exit code or None when killed, wall s, peak RSS MiB, stderr bytes)."""
    work = tempfile.mkdtemp(prefix="hostile-")
    try:
        os.makedirs(os.path.join(work, "content", "jobs"))
        with open(os.path.join(work, "site.toml"), "w") as f:
            f.write(SITE_TOML)
        with open(os.path.join(work, "content", "jobs", "role.md"), "w") as f:
            f.write(text)
        limit = max_memory_mib << 20
        start = time.monotonic()
        proc = subprocess.Popen(
            [binary, "build", "--today", "2026-11-23", "--root", work, "--output", os.path.join(work, "public")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
            # A quadratic build is stopped by the limit, not by the machine running out.
            preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (limit, limit)),
        )
        # Counted as it comes, not stored: an old build writes gigabytes.
        counted = [0]
        reader = threading.Thread(target=count, args=(proc.stderr, counted))
        reader.start()
        code, usage = None, None
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                code = os.waitstatus_to_exitcode(status)
                break
            if time.monotonic() - start > timeout:
                os.killpg(proc.pid, signal.SIGKILL)
                _, _, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.02)
        wall = time.monotonic() - start
        reader.join()
        proc.returncode = code  # reaped by wait4 above: Popen must not wait again
        return code, wall, usage.ru_maxrss / 1024, counted[0]
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", default=OPENINGS)
    parser.add_argument("--cases", default=",".join(CASES), help="comma-separated: " + ", ".join(CASES))
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds before a build is killed")
    parser.add_argument("--max-memory", type=int, default=8192, help="address-space limit of a build, MiB")
    args = parser.parse_args()
    if not os.path.exists(args.binary):
        sys.exit(f"no binary at {args.binary}: cargo build --release")
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    print(f"binary: {args.binary}\n")
    print("| case | front matter | exit | wall | peak RSS | stderr |")
    print("|---|---:|---:|---:|---:|---:|")
    for name in args.cases.split(","):
        text = CASES[name]()
        code, wall, rss, err = run(args.binary, text, args.timeout, args.max_memory)
        shown_wall = f"{wall:.2f} s" if code is not None else f"> {args.timeout:.0f} s (killed)"
        size = len(text.encode())
        print(
            f"| {name} | {size / 1e6:.2f} MB | {code if code is not None else '-'} | {shown_wall} "
            f"| {rss:.0f} MiB | {err:,} B |",
            flush=True,
        )


if __name__ == "__main__":
    main()
