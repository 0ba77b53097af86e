#!/usr/bin/env python3
"""Shares of an `openings build` profile by build stage.

    perf record -F 500 --call-graph dwarf,32768 -o build.data -- target/release/openings build -q ...
    perf script -i build.data -F tid,ip,sym | python3 bench/perf_stages.py

Each sample goes to the first stage of STAGES with one of its markers
somewhere on the sample's stack (so a feed's writing counts as the feed's,
and the macros of a page as macros, not as page rendering). Stages follow
the pipeline in src/; a renamed function moves its samples to "rest", so
check that share when the code has changed. Standard library only.
"""
import collections
import sys

STAGES = [
    ("feeds: jobs.json", ["outputs::jobs_json::feed"]),
    ("feeds: Atom", ["outputs::atom::feed"]),
    ("feeds: jobs.xml", ["outputs::jobs_xml::feed", "jobs_xml::write_job"]),
    ("sitemap, robots.txt", ["outputs::sitemap"]),
    ("feeds: writing them", ["openings::outputs::Generated", "write::site::{closure_env#5}"]),
    ("pages: template macros", ["minijinja::vm::eval_macro"]),
    ("pages: rest of the rendering", ["openings::render::Renderer::render"]),
    ("pages: writing", ["openings::write::Staging::put"]),
    ("loading: Markdown", ["openings::markdown::render"]),
    ("loading: front matter", ["openings::node::parse_", "openings::content::posting::read", "content::frontmatter::"]),
    ("loading: reading files, the rest", ["openings::content::read_all", "load_file"]),
    ("job views: JSON-LD", ["outputs::jsonld::"]),
    ("job views: the rest", ["openings::render::job_values"]),
    ("page contexts", ["openings::render::Renderer::page"]),
    ("no-op fingerprint", ["openings::build::fresh"]),
    ("moving into place, removing", ["Staging::commit", "remove_unwanted"]),
    ("site model, sorting, grouping", ["openings::build::prepare", "openings::site::"]),
]


def samples(lines):
    """Yields each sample's stack (leaf first) from `perf script` output."""
    stack = []
    for line in lines:
        if line.strip() and line[0] in " \t":
            stack.append(line.strip())
            continue
        if stack:
            yield stack
        stack = []
    if stack:
        yield stack


def main():
    counts = collections.Counter()
    kernel = 0
    for stack in samples(open(sys.argv[1], errors="replace") if len(sys.argv) > 1 else sys.stdin):
        kernel += stack[0].startswith("ffffffff")
        text = "\n".join(stack)
        stage = next((name for name, marks in STAGES if any(m in text for m in marks)), "rest")
        counts[stage] += 1
    total = sum(counts.values()) or 1
    for stage, n in counts.most_common():
        print(f"{100 * n / total:5.1f}%  {n:6d}  {stage}")
    print(f"{total} samples, {100 * kernel / total:.1f}% of them in the kernel")


if __name__ == "__main__":
    main()
