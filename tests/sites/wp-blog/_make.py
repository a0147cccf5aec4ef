"""Writes the files of the `wp-blog` fixture site: a small WordPress blog, "Saltmarsh Kitchen".

Run `python tests/sites/wp-blog/_make.py` after changing POSTS; the files it writes are checked
in. `{{base}}` in them is what the test server replaces with its own address.

The site has what a WordPress 6 site serves: a home page announcing its feed and REST API, a
paged RSS feed (`/feed/`, `/feed/?paged=2`), a sitemap index (`/wp-sitemap.xml`) with post, page,
taxonomy and user sitemaps, REST API pages with X-WP-Total / X-WP-TotalPages headers, archive
pages, single post pages, and an export file (WXR). Edge cases as in WordPress's own test data:
a sticky post, a post without a title, a password-protected post, a post of three pages, a
draft and a scheduled post (in the export only, as the public site never shows them).
"""

# ruff: noqa: E501 - the markup templates read better a line per element
from __future__ import annotations

import datetime as dt
import json
import shutil
from dataclasses import dataclass
from email.utils import format_datetime
from html import escape
from pathlib import Path

HERE = Path(__file__).parent
BASE = "{{base}}"
SITE = "Saltmarsh Kitchen"
TZ = dt.timezone(dt.timedelta(hours=-5))
REST_PAGE_SIZES = (7, 5)  # the fixture's REST API answers in two pages
FEED_PAGE_SIZE = 10
LISTING_SIZE = 10


@dataclass
class Post:
    id: int
    slug: str
    title: str
    date: str  # local time, UTC-5
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    pages: tuple[str, ...]  # body HTML; more than one for a multi-page post
    author: str = "maren"
    sticky: bool = False
    password: str = ""
    status: str = "publish"

    @property
    def when(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.date).replace(tzinfo=TZ)

    @property
    def link(self) -> str:
        return f"{BASE}/{self.when:%Y/%m}/{self.slug}/"

    @property
    def body(self) -> str:
        return "\n<p><!--nextpage--></p>\n".join(self.pages)


AUTHORS = {"maren": ("Maren Holt", 1), "jonas": ("Jonas Reed", 2)}
CATEGORY_IDS = {"Baking": 3, "Vegetables": 4, "Notes": 5, "Fruit": 6, "Preserves": 7}

POSTS = [
    Post(
        101,
        "starting-a-sourdough-starter",
        "Starting a Sourdough Starter",
        "2023-01-14 08:30:00",
        ("Baking",),
        ("sourdough", "basics"),
        (
            "<p>Flour and water, a warm shelf, and a week of patience.</p>\n"
            "<p>Feed it at the same hour each morning; it likes a routine more than you do.</p>",
        ),
    ),
    Post(
        102,
        "winter-squash-three-ways",
        "Winter Squash, Three Ways",
        "2023-02-03 18:05:00",
        ("Vegetables",),
        ("squash", "winter"),
        ("<p>Roasted with sage, mashed with brown butter, and folded into a galette.</p>",),
    ),
    Post(
        103,
        "the-case-for-salted-butter",
        "The Case for Salted Butter",
        "2023-03-19 10:00:00",
        ("Notes",),
        ("butter",),
        ("<p>Salted butter keeps longer and tastes like the coast. I will not be moved.</p>",),
        sticky=True,
    ),
    Post(
        104,
        "an-untitled-morning",
        "",
        "2023-04-08 06:45:00",
        ("Notes",),
        (),
        ("<p>No title for this one: just the kettle and the first light on the marsh.</p>",),
    ),
    Post(
        105,
        "rhubarb-before-the-rain",
        "Rhubarb Before the Rain",
        "2023-05-22 16:20:00",
        ("Baking", "Fruit"),
        ("rhubarb", "spring"),
        ("<p>Picked the last stalks an hour before the storm and baked them into a crumble.</p>",),
    ),
    Post(
        106,
        "a-members-only-recipe",
        "A Members-Only Recipe",
        "2023-06-30 12:00:00",
        ("Baking",),
        ("pastry",),
        ("<p>The laminated dough my grandmother swore me to secrecy about.</p>",),
        password="butter",
    ),
    Post(
        107,
        "tomato-week-day-by-day",
        "Tomato Week, Day by Day",
        "2023-08-11 09:15:00",
        ("Vegetables",),
        ("tomatoes", "summer"),
        (
            "<p>Day one: forty pounds of tomatoes on the porch.</p>",
            "<p>Day three: passata, jar after jar, the kitchen a steam room.</p>",
            "<p>Day seven: one perfect sandwich, and we are done.</p>",
        ),
    ),
    Post(
        108,
        "pickles-and-patience",
        "Pickles & Patience: Quick Brines",
        "2023-09-02 19:40:00",
        ("Preserves",),
        ("pickles", "quick"),
        ("<p>A quick brine, a cold fridge, and crisp cucumbers by dinner.</p>",),
    ),
    Post(
        109,
        "apples-in-the-attic",
        "Apples in the Attic",
        "2023-10-15 14:00:00",
        ("Fruit", "Preserves"),
        ("apples", "autumn"),
        ("<p>Wrapped one by one in newspaper, they keep until March.</p>",),
        author="jonas",
    ),
    Post(
        110,
        "soup-season-notes",
        "Soup Season Notes",
        "2023-11-27 17:30:00",
        ("Vegetables",),
        ("soup", "winter"),
        ("<p>Leek and potato on Monday, the same soup improved on Wednesday.</p>",),
    ),
    Post(
        111,
        "what-the-oven-taught-me",
        "What the Oven Taught Me",
        "2024-01-09 07:10:00",
        ("Notes", "Baking"),
        ("bread",),
        ("<p>Every oven lies about its temperature. Mine lies by twenty degrees.</p>",),
    ),
    Post(
        112,
        "first-greens-of-march",
        "First Greens of March",
        "2024-03-02 11:55:00",
        ("Vegetables",),
        ("spring", "greens"),
        ("<p>Nettles, wild garlic and the first sorrel, all in one green omelette.</p>",),
    ),
]
HIDDEN = [
    Post(
        113,
        "half-written-thoughts-on-jam",
        "Half-Written Thoughts on Jam",
        "2024-03-10 10:00:00",
        ("Preserves",),
        ("jam",),
        ("<p>Draft.</p>",),
        status="draft",
    ),
    Post(
        114,
        "coming-soon-marmalade",
        "Coming Soon: Marmalade",
        "2024-04-01 09:00:00",
        ("Preserves",),
        ("marmalade",),
        ("<p>Scheduled.</p>",),
        status="future",
    ),
]
PAGES = [("about", "About", 2), ("recipe-index", "Recipe Index", 20)]


def newest_first() -> list[Post]:
    return sorted(POSTS, key=lambda p: p.when, reverse=True)


def write(path: str, text: str) -> None:
    target = HERE / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def shown_title(post: Post) -> str:
    return f"Protected: {post.title}" if post.password else post.title


# --- HTML ----------------------------------------------------------------------------------


def head(title: str, extra: str = "") -> str:
    return f"""<!doctype html>
<html lang="en-US">
<head>
<meta charset="UTF-8">
<title>{title}</title>
<link rel="alternate" type="application/rss+xml" title="{SITE} &raquo; Feed" href="{BASE}/feed/" />
<link rel="alternate" type="application/rss+xml" title="{SITE} &raquo; Comments Feed" href="{BASE}/comments/feed/" />
<link rel="https://api.w.org/" href="{BASE}/wp-json/" />
{extra}</head>
"""


def navigation() -> str:
    return f"""<header id="masthead"><p class="site-title"><a href="{BASE}/">{SITE}</a></p>
<nav><ul>
<li><a href="{BASE}/about/">About</a></li>
<li><a href="{BASE}/recipe-index/">Recipe Index</a></li>
<li><a href="{BASE}/category/baking/">Baking</a></li>
</ul></nav></header>
"""


def sidebar() -> str:
    recent = "\n".join(
        f'<li><a href="{p.link}">{escape(shown_title(p) or "(no title)")}</a></li>'
        for p in newest_first()[:3]
    )
    return f"""<aside class="widget-area"><section class="widget widget_recent_entries">
<h2 class="widget-title">Recent Posts</h2><ul>
{recent}
</ul></section></aside>
"""


def listing_entry(post: Post) -> str:
    classes = f"post-{post.id} post type-post status-publish hentry entry" + (
        " sticky" if post.sticky else ""
    )
    date_link = (
        f'<a href="{post.link}" rel="bookmark"><time datetime="{post.when.isoformat()}">'
        f"{post.when:%B %-d, %Y}</time></a>"
    )
    heading = (
        f'<h2 class="entry-title"><a href="{post.link}">{escape(shown_title(post))}</a></h2>'
        if post.title
        else ""
    )
    excerpt = (
        "<p>There is no excerpt because this is a protected post.</p>"
        if post.password
        else (post.pages[0])
    )
    return f"""<article id="post-{post.id}" class="{classes}">
<header class="entry-header">{heading}</header>
<div class="entry-content">{excerpt}</div>
<footer class="entry-footer"><span class="posted-on">Published {date_link}</span></footer>
</article>
"""


def listing(title: str, body_class: str, posts: list[Post], pagination: str) -> str:
    entries = "".join(listing_entry(p) for p in posts)
    return (
        head(title)
        + f'<body class="{body_class}">\n'
        + navigation()
        + f'<main id="main">\n{entries}<nav class="pagination">{pagination}</nav>\n</main>\n'
        + sidebar()
        + "</body>\n</html>\n"
    )


def home_pages() -> None:
    ordered = newest_first()
    first = ordered[:LISTING_SIZE]
    first = [p for p in first if p.sticky] + [p for p in first if not p.sticky]
    write(
        "index.html",
        listing(
            f"{SITE} &#8211; Notes from a kitchen by the marsh",
            "home blog",
            first,
            f'<span class="page-numbers current">1</span> <a class="page-numbers" href="{BASE}/page/2/">2</a> '
            f'<a class="next page-numbers" href="{BASE}/page/2/">Older posts</a>',
        ),
    )
    write(
        "page/2/index.html",
        listing(
            f"{SITE} &#8211; Page 2",
            "home blog paged paged-2",
            ordered[LISTING_SIZE:],
            f'<a class="prev page-numbers" href="{BASE}/">Newer posts</a> '
            f'<a class="page-numbers" href="{BASE}/">1</a> <span class="page-numbers current">2</span>',
        ),
    )


def category_pages() -> None:
    # Three posts a page, and pagination by page numbers only (no "next" link).
    baking = [p for p in newest_first() if "Baking" in p.categories]
    write(
        "category/baking/index.html",
        listing(
            f"Baking &#8211; {SITE}",
            "archive category category-baking",
            baking[:3],
            f'<span class="page-numbers current">1</span> '
            f'<a class="page-numbers" href="{BASE}/category/baking/page/2/">2</a>',
        ),
    )
    write(
        "category/baking/page/2/index.html",
        listing(
            f"Baking &#8211; Page 2 &#8211; {SITE}",
            "archive category category-baking paged",
            baking[3:],
            f'<a class="page-numbers" href="{BASE}/category/baking/">1</a> '
            f'<span class="page-numbers current">2</span>',
        ),
    )


def post_pages() -> None:
    for post in POSTS:
        body = (
            post.pages[0]
            if post.password == ""
            else (
                '<form action="{{base}}/wp-login.php?action=postpass" class="post-password-form" '
                'method="post"><p>This content is password protected.</p>'
                '<input name="post_password" type="password"></form>'
            )
        )
        if len(post.pages) > 1:
            body += f'<div class="page-links">Page: 1 <a href="{post.link}2/">2</a> <a href="{post.link}3/">3</a></div>'
        extra = (
            f'<link rel="alternate" type="application/json" href="{BASE}/wp-json/wp/v2/posts/{post.id}" />\n'
            f'<link rel="canonical" href="{post.link}" />\n'
            f"<link rel='shortlink' href='{BASE}/?p={post.id}' />\n"
            f'<meta property="og:type" content="article" />\n'
        )
        title = shown_title(post) or "(no title)"
        html = (
            head(f"{escape(title)} &#8211; {SITE}", extra)
            + f'<body class="post-template-default single single-post postid-{post.id}">\n'
            + navigation()
            + f'<main id="main"><article id="post-{post.id}" class="post-{post.id} post hentry">\n'
            + (
                f'<header class="entry-header"><h1 class="entry-title">{escape(title)}</h1></header>\n'
                if post.title
                else ""
            )
            + f'<div class="entry-content">\n{body}\n</div>\n</article></main>\n'
            + sidebar()
            + "</body>\n</html>\n"
        )
        write(f"{post.when:%Y/%m}/{post.slug}/index.html", html)
    for slug, title, _ in PAGES:
        write(
            f"{slug}/index.html",
            head(f"{title} &#8211; {SITE}")
            + f'<body class="page-template-default page">\n{navigation()}<main><article class="page">'
            + f'<h1 class="entry-title">{title}</h1><p>A page, not a post.</p></article></main></body></html>\n',
        )


# --- Feed ----------------------------------------------------------------------------------


def feed_item(post: Post) -> str:
    if post.password:
        content = (
            '<p class="post-password-message">This content is password protected.</p>\n'
            '<form action="{{base}}/wp-login.php?action=postpass" class="post-password-form" '
            'method="post"><input name="post_password" type="password" /></form>'
        )
        description = "There is no excerpt because this is a protected post."
    else:
        # As WordPress does, the feed carries page 1 of a multi-page post only.
        content = post.pages[0]
        description = content.replace("<p>", "").replace("</p>", " ").strip()
    terms = "".join(
        f"<category><![CDATA[{t}]]></category>\n\t\t" for t in post.categories + post.tags
    )
    return f"""	<item>
		<title>{escape(shown_title(post))}</title>
		<link>{post.link}</link>
		<dc:creator><![CDATA[{AUTHORS[post.author][0]}]]></dc:creator>
		<pubDate>{format_datetime(post.when)}</pubDate>
		{terms}<guid isPermaLink="false">{BASE}/?p={post.id}</guid>
		<description><![CDATA[{description}]]></description>
		<content:encoded><![CDATA[{content}]]></content:encoded>
	</item>
"""


def feeds() -> None:
    ordered = newest_first()
    for number, start in enumerate(range(0, len(ordered), FEED_PAGE_SIZE), start=1):
        items = "".join(feed_item(p) for p in ordered[start : start + FEED_PAGE_SIZE])
        query = "" if number == 1 else f"?paged={number}"
        write(
            f"feed/page-{number}.xml",
            f"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
	<title>{SITE}</title>
	<atom:link href="{BASE}/feed/{query}" rel="self" type="application/rss+xml" />
	<link>{BASE}</link>
	<description>Notes from a kitchen by the marsh</description>
	<language>en-US</language>
	<generator>https://wordpress.org/?v=6.4.3</generator>
{items}</channel>
</rss>
""",
        )


# --- Sitemaps ------------------------------------------------------------------------------


def urlset(urls: list[str]) -> str:
    entries = "".join(f"<url><loc>{u}</loc></url>" for u in urls)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">' + entries + "</urlset>\n"
    )


def sitemaps() -> None:
    # A custom post type (recipes) has a sitemap of its own: not blog posts either.
    names = [
        "posts-post-1",
        "posts-page-1",
        "posts-recipe-1",
        "taxonomies-category-1",
        "taxonomies-post_tag-1",
        "users-1",
    ]
    entries = "".join(f"<sitemap><loc>{BASE}/wp-sitemap-{n}.xml</loc></sitemap>" for n in names)
    write(
        "wp-sitemap.xml",
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + entries
        + "</sitemapindex>\n",
    )
    write("wp-sitemap-posts-post-1.xml", urlset([p.link for p in newest_first()]))
    write("wp-sitemap-posts-recipe-1.xml", urlset([f"{BASE}/recipe/rhubarb-crumble/"]))
    write(
        "wp-sitemap-posts-page-1.xml", urlset([f"{BASE}/"] + [f"{BASE}/{s}/" for s, _, _ in PAGES])
    )
    write(
        "wp-sitemap-taxonomies-category-1.xml",
        urlset([f"{BASE}/category/{c.lower()}/" for c in CATEGORY_IDS]),
    )
    tags = sorted({t for p in POSTS for t in p.tags})
    write("wp-sitemap-taxonomies-post_tag-1.xml", urlset([f"{BASE}/tag/{t}/" for t in tags]))
    write("wp-sitemap-users-1.xml", urlset([f"{BASE}/author/{a}/" for a in AUTHORS]))
    write("robots.txt", f"User-agent: *\nDisallow: /wp-admin/\n\nSitemap: {BASE}/wp-sitemap.xml\n")


# --- REST API ------------------------------------------------------------------------------


def rest_record(post: Post) -> dict[str, object]:
    utc = post.when.astimezone(dt.UTC)
    tag_ids = {t: 100 + i for i, t in enumerate(sorted({t for p in POSTS for t in p.tags}))}
    protected = bool(post.password)
    return {
        "id": post.id,
        "date": post.when.strftime("%Y-%m-%dT%H:%M:%S"),
        "date_gmt": utc.strftime("%Y-%m-%dT%H:%M:%S"),
        "guid": {"rendered": f"{BASE}/?p={post.id}"},
        "slug": post.slug,
        "status": "publish",
        "type": "post",
        "link": post.link,
        "title": {"rendered": escape(post.title).replace("&amp;", "&#038;")},
        "content": {"rendered": "" if protected else post.body + "\n", "protected": protected},
        "excerpt": {"rendered": "", "protected": protected},
        "author": AUTHORS[post.author][1],
        "sticky": post.sticky,
        "categories": [CATEGORY_IDS[c] for c in post.categories],
        "tags": [tag_ids[t] for t in post.tags],
        "_embedded": {
            "author": [
                {
                    "id": AUTHORS[post.author][1],
                    "name": AUTHORS[post.author][0],
                    "slug": post.author,
                }
            ],
            "wp:term": [
                [
                    {"id": CATEGORY_IDS[c], "taxonomy": "category", "name": c, "slug": c.lower()}
                    for c in post.categories
                ],
                [
                    {"id": tag_ids[t], "taxonomy": "post_tag", "name": t, "slug": t}
                    for t in post.tags
                ],
            ],
        },
    }


def rest_api() -> dict[str, object]:
    routes: dict[str, object] = {}
    ordered = newest_first()
    total_pages = len(REST_PAGE_SIZES)
    start = 0
    for number, size in enumerate(REST_PAGE_SIZES, start=1):
        records = [rest_record(p) for p in ordered[start : start + size]]
        start += size
        path = f"wp-json/wp/v2/posts-page-{number}.json"
        write(path, json.dumps(records, indent=1, ensure_ascii=False) + "\n")
        headers = {"X-WP-Total": str(len(POSTS)), "X-WP-TotalPages": str(total_pages)}
        routes[f"/wp-json/wp/v2/posts?_embed=1&page={number}&per_page=100"] = {
            "file": path,
            "headers": headers,
        }
    routes["/wp-json/wp/v2/posts"] = routes["/wp-json/wp/v2/posts?_embed=1&page=1&per_page=100"]
    single = POSTS[0]
    write("wp-json/wp/v2/posts/101.json", json.dumps(rest_record(single), indent=1) + "\n")
    routes["/wp-json/wp/v2/posts/101?_embed=1"] = {"file": "wp-json/wp/v2/posts/101.json"}
    routes["/wp-json/wp/v2/posts/101"] = {"file": "wp-json/wp/v2/posts/101.json"}
    write(
        "wp-json/index.json",
        json.dumps(
            {
                "name": SITE,
                "url": BASE,
                "home": BASE,
                "namespaces": ["oembed/1.0", "wp/v2"],
                "routes": {"/wp/v2/posts": {"namespace": "wp/v2", "methods": ["GET"]}},
            },
            indent=1,
        )
        + "\n",
    )
    return routes


# --- Export (WXR) --------------------------------------------------------------------------


def wxr_item(post: Post) -> str:
    utc = post.when.astimezone(dt.UTC)
    # An export holds posts as written: paragraphs are blank-line separated, and pages are
    # split by <!--nextpage-->.
    raw = "\n\n<!--nextpage-->\n\n".join(
        p.replace("<p>", "").replace("</p>", "").replace("\n", "\n\n") for p in post.pages
    )
    terms = "".join(
        f'\t<category domain="category" nicename="{c.lower()}"><![CDATA[{c}]]></category>\n'
        for c in post.categories
    )
    terms += "".join(
        f'\t<category domain="post_tag" nicename="{t}"><![CDATA[{t}]]></category>\n'
        for t in post.tags
    )
    gmt = "0000-00-00 00:00:00" if post.status == "draft" else f"{utc:%Y-%m-%d %H:%M:%S}"
    return f"""<item>
	<title>{escape(post.title)}</title>
	<link>{post.link if post.status == "publish" else f"{BASE}/?p={post.id}"}</link>
	<pubDate>{format_datetime(post.when)}</pubDate>
	<dc:creator><![CDATA[{post.author}]]></dc:creator>
	<guid isPermaLink="false">{BASE}/?p={post.id}</guid>
	<description></description>
	<content:encoded><![CDATA[{raw}]]></content:encoded>
	<excerpt:encoded><![CDATA[]]></excerpt:encoded>
	<wp:post_id>{post.id}</wp:post_id>
	<wp:post_date><![CDATA[{post.when:%Y-%m-%d %H:%M:%S}]]></wp:post_date>
	<wp:post_date_gmt><![CDATA[{gmt}]]></wp:post_date_gmt>
	<wp:post_name><![CDATA[{post.slug}]]></wp:post_name>
	<wp:status><![CDATA[{post.status}]]></wp:status>
	<wp:post_parent>0</wp:post_parent>
	<wp:post_type><![CDATA[post]]></wp:post_type>
	<wp:post_password><![CDATA[{post.password}]]></wp:post_password>
	<wp:is_sticky>{int(post.sticky)}</wp:is_sticky>
{terms}</item>
"""


def wxr_page(slug: str, title: str, page_id: int) -> str:
    return f"""<item>
	<title>{title}</title>
	<link>{BASE}/{slug}/</link>
	<dc:creator><![CDATA[maren]]></dc:creator>
	<guid isPermaLink="false">{BASE}/?page_id={page_id}</guid>
	<content:encoded><![CDATA[A page, not a post.]]></content:encoded>
	<wp:post_id>{page_id}</wp:post_id>
	<wp:post_date><![CDATA[2022-12-01 09:00:00]]></wp:post_date>
	<wp:post_date_gmt><![CDATA[2022-12-01 14:00:00]]></wp:post_date_gmt>
	<wp:status><![CDATA[publish]]></wp:status>
	<wp:post_type><![CDATA[page]]></wp:post_type>
	<wp:post_password><![CDATA[]]></wp:post_password>
</item>
"""


def export() -> None:
    authors = "".join(
        f"""<wp:author><wp:author_id>{n}</wp:author_id><wp:author_login><![CDATA[{login}]]></wp:author_login>
	<wp:author_display_name><![CDATA[{name}]]></wp:author_display_name></wp:author>
"""
        for login, (name, n) in AUTHORS.items()
    )
    items = "".join(wxr_item(p) for p in POSTS + HIDDEN)
    items += "".join(wxr_page(*page) for page in PAGES)
    write(
        "export/saltmarsh-kitchen.wordpress.xml",
        f"""<?xml version="1.0" encoding="UTF-8" ?>
<!-- This is a WordPress eXtended RSS file generated by WordPress as an export of your site. -->
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/1.2/"
>
<channel>
	<title>{SITE}</title>
	<link>{BASE}</link>
	<description>Notes from a kitchen by the marsh</description>
	<language>en-US</language>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>{BASE}</wp:base_site_url>
	<wp:base_blog_url>{BASE}</wp:base_blog_url>
{authors}	<generator>https://wordpress.org/?v=6.4.3</generator>
{items}</channel>
</rss>
""",
    )


def main() -> None:
    for child in HERE.iterdir():
        if child.name != "_make.py":
            shutil.rmtree(child) if child.is_dir() else child.unlink()
    home_pages()
    category_pages()
    post_pages()
    feeds()
    sitemaps()
    routes = rest_api()
    routes["/"] = {
        "file": "index.html",
        "headers": {"Link": f'<{BASE}/wp-json/>; rel="https://api.w.org/"'},
    }
    routes["/wp-json/"] = {"file": "wp-json/index.json"}
    routes["/feed/"] = {
        "file": "feed/page-1.xml",
        "content_type": "application/rss+xml; charset=UTF-8",
    }
    routes["/feed/?paged=2"] = {
        "file": "feed/page-2.xml",
        "content_type": "application/rss+xml; charset=UTF-8",
    }
    export()
    write("_routes.json", json.dumps(dict(sorted(routes.items())), indent=1) + "\n")


if __name__ == "__main__":
    main()
