"""Capture the benchmark's WordPress pages from the real WordPress, under three themes.

    python benchmarks/extraction/capture_wordpress.py [--base http://127.0.0.1:8089]

Needs the loopback WordPress of ../shared/wordpress running (start.sh). For each theme in
THEMES it switches the site to that theme (start.sh with THEME=…), saves each post of POSTS as
served, into corpus/wordpress-<theme>/<slug>.html, and always switches back to twentytwentyone
at the end, failure or not, since other test suites use the site.

The truth of each page is the post's `content.rendered` from the REST API, as text, with the
hand corrections of wordpress_truth_fixes.toml applied (each says why); see README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tomllib
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from scoring import CORPUS, Truth, format_truth, html_to_text  # noqa: E402

START_SCRIPT = HERE.parents[2] / "shared" / "wordpress" / "start.sh"
THEMES_DIR = Path("/var/lib/wordpress/wp-content/themes")
THEMES = ("twentytwentyone", "twentytwentythree", "twentytwentytwo")
HOME_THEME = "twentytwentyone"  # the theme the site's other users expect
FIXES = HERE / "wordpress_truth_fixes.toml"

# Varied on purpose: threaded comments, pingbacks, every text element, captions, galleries,
# columns, quotes, nested lists, long text, a more-tag, a chat log, a short aside. Left out:
# posts whose body is itself widgets or embeds (a Latest Posts block, a YouTube URL), whose
# "article text" no reader would agree on, and the password-protected and empty posts.
POSTS = (
    "2012/01/template-comments",
    "2012/01/template-pingbacks-an-trackbacks",
    "2013/01/markup-html-tags-and-formatting",
    "2013/01/markup-image-alignment",
    "2013/01/markup-text-alignment",
    "2010/09/post-format-gallery",
    "2018/11/block-gallery",
    "2018/11/block-quotes",
    "2018/11/block-image",
    "2018/11/column-blocks",
    "2018/11/block-category-common",
    "2009/05/edge-case-nested-and-mixed-lists",
    "2010/10/post-format-standard",
    "2010/01/post-format-chat",
    "2010/05/post-format-aside",
    "2012/03/template-more-tag",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8089", help="the WordPress's URL")
    parser.add_argument("--truth-only", action="store_true", help="rewrite truth files only")
    args = parser.parse_args()
    base = args.base.rstrip("/")
    truths = {post: truth_of(base, post) for post in POSTS}
    if not args.truth_only:
        ensure_themes_installed()
        capture_pages(base)
    write_truths(truths, load_fixes())


def capture_pages(base: str) -> None:
    port = base.rsplit(":", 1)[-1]
    try:
        for theme in THEMES:
            switch_theme(theme, port)
            folder = CORPUS / f"wordpress-{theme}"
            folder.mkdir(parents=True, exist_ok=True)
            for post in POSTS:
                (folder / f"{slug_of(post)}.html").write_bytes(fetch(f"{base}/{post}/"))
            print(f"{theme}: {len(POSTS)} pages", file=sys.stderr)
    finally:
        switch_theme(HOME_THEME, port)


def switch_theme(theme: str, port: str) -> None:
    env = {**os.environ, "THEME": theme, "PORT": port}
    subprocess.run(["bash", str(START_SCRIPT)], env=env, check=True, capture_output=True)


def ensure_themes_installed() -> None:
    missing = [t for t in THEMES if not (THEMES_DIR / t).is_dir()]
    if missing:
        packages = [f"wordpress-theme-{t}" for t in missing]
        subprocess.run(["apt-get", "install", "-y", *packages], check=True)


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.read()


def slug_of(post: str) -> str:
    return post.rstrip("/").rsplit("/", 1)[-1]


# --- truth --------------------------------------------------------------------------------


def truth_of(base: str, post: str) -> Truth:
    """The post's body as the REST API renders it, as text; its title as text."""
    url = f"{base}/wp-json/wp/v2/posts?slug={slug_of(post)}&_fields=title,content"
    (found,) = json.loads(fetch(url))
    title = html_to_text(found["title"]["rendered"]).replace("\n", " ")
    # The API renders every page of a paginated post; the captured URL shows only the first.
    first_page = found["content"]["rendered"].split("<!--nextpage-->")[0]
    return Truth(title=title, text=html_to_text(first_page))


def load_fixes() -> list[dict[str, object]]:
    return tomllib.loads(FIXES.read_text(encoding="utf-8")).get("fix", [])


def write_truths(truths: dict[str, Truth], fixes: list[dict[str, object]]) -> None:
    for theme in THEMES:
        for post, truth in truths.items():
            text = truth.text
            for fix in fixes:
                if fix["post"] == post and theme in fix.get("themes", THEMES):
                    text = apply_fix(text, fix, f"{theme}/{post}")
            path = CORPUS / f"wordpress-{theme}" / f"{slug_of(post)}.txt"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(format_truth(Truth(truth.title, text)), encoding="utf-8")


def apply_fix(text: str, fix: dict[str, object], where: str) -> str:
    """One hand correction: `find` must occur exactly once (else the fix is stale)."""
    find, replace = str(fix["find"]), str(fix["replace"])
    if text.count(find) != 1:
        raise SystemExit(f"{where}: fix {find!r} matches {text.count(find)} times, not once")
    return text.replace(find, replace)


if __name__ == "__main__":
    main()
