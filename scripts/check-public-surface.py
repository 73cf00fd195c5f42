#!/usr/bin/env python3
"""Checks that the package's public surface is what the README says applications may import.

The library products of Package.swift are the surface. A module that is not a product declares
nothing `public` (its declarations are `package`: visible in this package only), and the README's
"What applications may import" section names exactly the products. `make test` runs it.
"""
import pathlib
import re
import sys

root = pathlib.Path(__file__).resolve().parent.parent
products = set(re.findall(r'\.library\(name: "(\w+)"', (root / "Package.swift").read_text()))
# `public` as a declaration modifier; `public import` lines are allowed (a public type's
# retroactive conformance needs its protocol's module imported publicly, and declares nothing).
modifier = re.compile(r'(?<![.\w`])public(?=[\s(])')


def code(line: str) -> str:
    """The line without its string literals and its line comment (enough for our sources)."""
    line = re.sub(r'"(\\.|[^"\\])*"', '""', line)
    return line.split("//", 1)[0]


problems = []
sources = [p for p in (root / "Sources").iterdir() if p.is_dir() and p.name not in products]
for directory in sources + [root / "services", root / "Examples/Demo", root / "Examples/OrderJourney"]:
    for path in sorted(directory.rglob("*.swift")):
        in_block = False
        for number, line in enumerate(path.read_text().splitlines(), 1):
            stripped = line.strip()
            if in_block or stripped.startswith("/*"):
                in_block = "*/" not in stripped
                continue
            text = code(line)
            if modifier.search(text) and not text.lstrip().startswith("public import "):
                problems.append(f"{path.relative_to(root)}:{number}: `public` in a module that is not a product (use `package`)")

readme = (root / "README.md").read_text()
section = re.search(r"^## What applications may import\n(.*?)^## ", readme, re.S | re.M)
if section is None:
    problems.append("README.md: no '## What applications may import' section")
else:
    named = set(re.findall(r"`(Aftercare\w+)`", section.group(1)))
    for missing in sorted(products - named):
        problems.append(f"README.md: the product {missing} is not named under 'What applications may import'")
    for extra in sorted(named - products):
        problems.append(f"README.md: 'What applications may import' names {extra}, which is not a product")

for problem in problems:
    print(problem, file=sys.stderr)
if problems:
    sys.exit(1)
print(f"public surface: {len(products)} products, nothing public elsewhere")
