"""Speed and memory of a build, measured against baselines in the same run.

    python benchmarks/speed.py [--posts 50 100 200] [--repeat 3]

For each book size it writes a synthetic blog of Markdown posts (with headings, lists, a table,
a quote, code and an image), then times, in fresh processes so peak memory is each run's own:

- `bookmaker build --format epub` against a baseline that writes the same chapters with
  ebooklib directly (no parsing, sanitising or validation-grade markup);
- `bookmaker build --format pdf` against a baseline that renders the same HTML with plain
  WeasyPrint (no cover, contents, running heads or bookmarks).

Machines are noisy, so it prints ratios (bookmaker / baseline) next to the seconds, and the
median of --repeat runs. Peak memory is the child's maximum resident set size.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

from PIL import Image

WORDS = (
    "listen answer patience kitchen letter evening promise quarrel garden window morning "
    "distance silence laughter question habit weekend journey comfort honest"
).split()


def paragraph(seed: int, sentences: int = 6) -> str:
    out = []
    for s in range(sentences):
        n = 9 + (seed + s) % 9
        words = [WORDS[(seed * 7 + s * 3 + i * 5) % len(WORDS)] for i in range(n)]
        out.append(" ".join(words).capitalize() + ".")
    return " ".join(out)


def write_blog(folder: Path, posts: int) -> None:
    (folder / "images").mkdir(parents=True)
    buf = io.BytesIO()
    Image.new("RGB", (1200, 700), (90, 120, 140)).save(buf, "JPEG", quality=80)
    (folder / "images" / "figure.jpg").write_bytes(buf.getvalue())
    for i in range(posts):
        year, month = 2010 + i // 12, 1 + i % 12
        body = "\n\n".join(paragraph(i * 10 + p) for p in range(3))
        rest = "\n\n".join(paragraph(i * 10 + p) for p in range(3, 9))
        text = f"""---
title: "Essay number {i + 1}"
date: {year}-{month:02d}-15
author: Bench Writer
categories: [Category {i % 4}]
---
{body}

## A section heading

- {paragraph(i, 1)}
- {paragraph(i + 1, 1)}

> {paragraph(i + 2, 2)}

| Day | Plan |
| --- | --- |
| Monday | {paragraph(i + 3, 1)} |

```text
a small code block {i}
```

![A figure](images/figure.jpg)

{rest}
"""
        (folder / f"{year}-{month:02d}-essay-{i + 1}.md").write_text(text, encoding="utf-8")


def run(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one child process."""
    code = (
        "import resource, subprocess, sys, time, json\n"
        "t = time.perf_counter()\n"
        f"r = subprocess.run({cmd!r}, cwd={str(cwd)!r}, capture_output=True, text=True)\n"
        "dt = time.perf_counter() - t\n"
        "if r.returncode: sys.exit(r.stderr[-2000:])\n"
        "rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "print(json.dumps([dt, rss]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{out.stderr}")
    seconds, rss = json.loads(out.stdout)
    return seconds, rss


BASELINE_EPUB = textwrap.dedent("""
    import sys, pathlib, markdown
    from ebooklib import epub
    src, out = pathlib.Path(sys.argv[1]), sys.argv[2]
    book = epub.EpubBook(); book.set_identifier("bench"); book.set_title("Bench")
    book.set_language("en"); chapters = []
    for i, f in enumerate(sorted(src.glob("*.md"))):
        html = markdown.markdown(f.read_text().split("---", 2)[2], extensions=["extra"])
        ch = epub.EpubHtml(title=f.stem, file_name=f"c{i}.xhtml", content=html)
        book.add_item(ch); chapters.append(ch)
    img = epub.EpubItem(uid="img", file_name="images/figure.jpg", media_type="image/jpeg",
                        content=(src / "images" / "figure.jpg").read_bytes())
    book.add_item(img); book.toc = chapters
    book.add_item(epub.EpubNcx()); book.add_item(epub.EpubNav()); book.spine = ["nav", *chapters]
    epub.write_epub(out, book)
""")

BASELINE_PDF = textwrap.dedent("""
    import sys, pathlib, markdown, weasyprint
    src, out = pathlib.Path(sys.argv[1]), sys.argv[2]
    parts = [markdown.markdown(f.read_text().split("---", 2)[2], extensions=["extra"])
             for f in sorted(src.glob("*.md"))]
    html = "<html><body>" + "".join(f"<section style='break-before:page'>{p}</section>"
                                    for p in parts) + "</body></html>"
    weasyprint.HTML(string=html, base_url=str(src) + "/").write_pdf(out)
""")


def measure(posts: int, repeat: int) -> dict[str, tuple[float, float]]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_blog(root / "posts", posts)
        (root / "base_epub.py").write_text(BASELINE_EPUB)
        (root / "base_pdf.py").write_text(BASELINE_PDF)
        py = sys.executable
        cases = {
            "epub": [
                py,
                "-m",
                "bookmaker",
                "-q",
                "build",
                "posts",
                "-o",
                "out",
                "--format",
                "epub",
            ],
            "epub baseline": [py, "base_epub.py", "posts", "out/base.epub"],
            "pdf": [py, "-m", "bookmaker", "-q", "build", "posts", "-o", "out", "--format", "pdf"],
            "pdf baseline": [py, "base_pdf.py", "posts", "out/base.pdf"],
        }
        (root / "out").mkdir()
        results: dict[str, tuple[float, float]] = {}
        for name, cmd in cases.items():
            runs = [run(cmd, root) for _ in range(repeat)]
            results[name] = (statistics.median(r[0] for r in runs), max(r[1] for r in runs))
        return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print("| posts | format | bookmaker s | baseline s | time ratio | bookmaker MB | baseline MB |")
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: |")
    for posts in args.posts:
        results = measure(posts, args.repeat)
        for fmt in ("epub", "pdf"):
            (t, m), (bt, bm) = results[fmt], results[f"{fmt} baseline"]
            print(f"| {posts} | {fmt} | {t:.2f} | {bt:.2f} | {t / bt:.2f} | {m:.0f} | {bm:.0f} |")


if __name__ == "__main__":
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    main()
