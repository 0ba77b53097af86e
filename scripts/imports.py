#!/usr/bin/env python3
"""The import graph of src/: which file uses which, and any cycle.

    python3 scripts/imports.py            # cycles between files and between top-level modules
    python3 scripts/imports.py --graph    # also every edge, file -> file

A file's module path comes from its place (src/apply/store/mod.rs is
apply::store). An edge A -> B is a path in A (`crate::x::y`, `super::y`,
`self::y` in `use` items and in expressions, or `child::y` for a module
declared in A) that names B's module or an item in it; `mod` declarations and tests (`#[cfg(test)] mod tests`) are left out,
so the graph is what the program's code depends on. Exits 1 when there is a
cycle. Standard library only.
"""

import os
import re
import sys

SRC = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src")


def module_of(path):
    rel = os.path.relpath(path, SRC)[:-3].split(os.sep)
    if rel[-1] in ("mod", "main", "lib"):
        rel = rel[:-1]
    return tuple(rel)


def without_tests(text):
    """The text before `#[cfg(test)]` followed by `mod tests`, and without comments."""
    cut = re.search(r"#\[cfg\(test\)\]\s*(pub\s+)?mod\s+tests", text)
    if cut:
        text = text[: cut.start()]
    text = re.sub(r"//[^\n]*", "", text)
    return text


def paths_in(text):
    """Every `crate::a::b`, `super::a`, `self::a` path, braces of `use` expanded."""
    found = []
    for use in re.finditer(r"\buse\s+([^;]+);", text):
        found.extend(expand(use.group(1).replace(" ", "").replace("\n", "")))
    for path in re.finditer(r"\b((?:crate|super|self)(?:::[A-Za-z_][A-Za-z0-9_]*)+)", text):
        found.append(path.group(1))
    return found


def expand(tree):
    """`a::{b, c::{d}}` -> `a::b`, `a::c::d`."""
    depth, start = 0, None
    for i, ch in enumerate(tree):
        if ch == "{":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                prefix, inner = tree[:start], tree[start + 1:i]
                parts, level, last = [], 0, 0
                for j, c in enumerate(inner):
                    level += c == "{"
                    level -= c == "}"
                    if c == "," and level == 0:
                        parts.append(inner[last:j])
                        last = j + 1
                parts.append(inner[last:])
                return [p for part in parts if part for p in expand(prefix + part)]
    return [tree.split(" as ")[0]]


def resolve(path, here, modules):
    """The module (a file) `path` names, seen from module `here`."""
    parts = path.split("::")
    if parts[0] == "crate":
        base, rest = (), parts[1:]
    else:
        base = list(here)
        rest = parts
        while rest and rest[0] in ("super", "self"):
            if rest[0] == "super":
                base = base[:-1]
            rest = rest[1:]
        base = tuple(base)
    best = None
    for n in range(len(rest) + 1):
        candidate = base + tuple(rest[:n])
        if candidate in modules:
            best = candidate
    return best


def cycles(edges):
    """Strongly connected components with more than one member (Tarjan)."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    sys.setrecursionlimit(10000)
    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def main():
    files = {}
    for folder, _, names in os.walk(SRC):
        for name in names:
            if name.endswith(".rs"):
                path = os.path.join(folder, name)
                files[module_of(path)] = path
    modules = set(files)
    edges = {}
    for module, path in files.items():
        with open(path, encoding="utf-8") as f:
            text = without_tests(f.read())
        targets = set()
        # A child module named in an expression (`conn::serve(...)`) is used too.
        for child in (m for m in modules if m[:-1] == module and m != module):
            if re.search(rf"(?<![:\w]){child[-1]}::", text):
                targets.add(child)
        for p in paths_in(text):
            target = resolve(p, module, modules)
            if target is not None and target != module:
                targets.add(target)
        edges[module] = targets
    name = lambda m: "::".join(m) or "main"
    if "--graph" in sys.argv:
        for m in sorted(edges):
            for t in sorted(edges[m]):
                print(f"{name(m)} -> {name(t)}")
    top = {}
    for m, targets in edges.items():
        for t in targets:
            if m[:1] != t[:1] and m[:1] and t[:1]:
                top.setdefault(m[:1], set()).add(t[:1])
    found = False
    for level, graph in (("top-level modules", top), ("files", edges)):
        for component in cycles(graph):
            found = True
            print(f"cycle between {level}: {' <-> '.join(name(m) for m in component)}")
    if not found:
        print(f"no import cycle among {len(files)} files")
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
