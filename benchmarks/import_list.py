#!/usr/bin/env python3
"""How long importing and validating an official list takes: `policy import LIST -o DRAFT` then
`policy validate DRAFT`, whole processes, for a text export of 200 items (the 20 items of the
official text, repeated in 10 parts of 20, each item's text varied) and, with --formats, the
same list as a Word file, an Excel sheet, a saved web page and a PDF printed from that page by
Chromium (the `import` extra must be installed). Goal: both commands together under 2 s each.
With --per-part 0 every item is in one part, numbered 1 to N (numbers past 10000 for a large N);
the goal for 20,000 items is the import alone under 5 s (reading is linear in the items).

Usage: python benchmarks/import_list.py [--items 200] [--runs 5] [--formats txt,docx,xlsx,html,pdf] [--per-part 20]
       python benchmarks/import_list.py --items 20000 --per-part 0 --runs 1
"""
from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OFFICIAL = HERE.parent / "tests" / "fixtures" / "policy-list-2024-batch1.txt"
NUMERALS = "一二三四五六七八九十"


def synthetic_list(items: int, per_part: int = 20) -> str:
    """A text export like the official one with `items` items, `per_part` a part (part headings
    with their counts; 0: all in one part), each item's text marked with its place so that no two
    are the same."""
    per_part = per_part or items
    text = OFFICIAL.read_text(encoding="utf-8")
    blocks = [b for b in text.split("\n\n") if b.strip()]
    title = "\n".join(blocks[0].splitlines()[:3])
    rows = [b for b in blocks if re.match(r"\t\d+\n", b)]
    header = next(b for b in blocks if b.startswith("\t序号"))
    out = [title.replace("一、2024年新实施政策（共15项）", "").rstrip()]
    parts = (items + per_part - 1) // per_part
    for part in range(parts):
        count = min(per_part, items - per_part * part)
        out.append(f"\t{NUMERALS[part % 10]}、第{part + 1}部分政策（共{count}项）")
        out.append(header)
        for n in range(1, count + 1):
            row = rows[(n - 1) % len(rows)].split("\n")
            row[0] = f"\t{n}"
            row[1] = f"{row[1]}（第{part + 1}部分第{n}项）"
            out.append("\n".join(row))
    return "\n\n".join(out) + "\n"


def copies(text_file: Path, formats: list[str], folder: Path) -> dict[str, Path]:
    """The list at `text_file` in each of `formats` other than txt, made as the tests make them."""
    sys.path.insert(0, str(HERE.parent / "tests"))
    from listfiles import build_docx, build_html, build_xlsx, print_to_pdf

    text = text_file.read_text(encoding="utf-8")
    made: dict[str, Path] = {}
    for kind in formats:
        if kind == "docx":
            made[kind] = build_docx(text, folder / "list.docx")
        elif kind == "xlsx":
            made[kind] = build_xlsx(text, folder / "list.xlsx")
        elif kind == "html":
            made[kind] = folder / "list.html"
            made[kind].write_text(build_html(text), encoding="utf-8")
        elif kind == "pdf":
            pdf = print_to_pdf(build_html(text, site=False), folder)
            if pdf is None:
                sys.exit("pdf: Chromium is not installed (it prints the web page to PDF)")
            made[kind] = pdf
    return made


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one whole process, in seconds. On a busy
    machine the wall time includes waiting for a core; the CPU time does not."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.strip()}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--formats", default="txt", help="comma-separated: txt,docx,xlsx,html,pdf")
    parser.add_argument("--per-part", type=int, default=20, help="items a part (0: one part)")
    args = parser.parse_args()
    policy = [sys.executable, "-m", "policycli"]
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "POLICY_CACHE_DIR": os.path.join(folder, "cache")}
        sources = {"txt": Path(folder) / "list.txt"}
        sources["txt"].write_text(synthetic_list(args.items, args.per_part), encoding="utf-8")
        sources.update(copies(sources["txt"], args.formats.split(","), Path(folder)))
        print("| list | items | import, median | import (CPU) | validate, median | together (wall) | together (CPU) | goal |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
        for kind, source in sources.items():
            runs = []
            for i in range(args.runs):
                draft = Path(folder) / f"draft-{kind}-{i}.yaml"
                a = timed([*policy, "import", str(source), "-o", str(draft)], env)
                b = timed([*policy, "validate", str(draft)], env)
                runs.append((a[0], b[0], a[0] + b[0], a[1] + b[1], a[1]))
            imp, val, wall, cpu, imp_cpu = (statistics.median(r[k] for r in runs) for k in range(5))
            goal = f"{'met' if wall < 2 else 'MISSED'} (< 2 s wall)" if args.items <= 200 else \
                f"{'met' if imp < 5 else 'MISSED'} (import < 5 s wall)"
            print(f"| .{kind} | {args.items} | {imp * 1000:.0f} ms | {imp_cpu * 1000:.0f} ms | {val * 1000:.0f} ms | {wall * 1000:.0f} ms | "
                  f"{cpu * 1000:.0f} ms | {goal} |")


if __name__ == "__main__":
    main()
