"""Furniture found by its shape (bookmaker/extract/shapes.py), the lead picture and media
placeholders (media.py): what a page builder's anonymous blocks and a theme's header hold."""

from __future__ import annotations

import datetime as dt

import lxml.html
import pytest

from bookmaker.extract.article import extract
from bookmaker.extract.overrides import Overrides
from bookmaker.extract.shapes import dateline_date

PARAGRAPH = "<p>{} is a sentence long enough to be counted as part of an article body.</p>"
BODY = PARAGRAPH.format("First") + PARAGRAPH.format("Second")


def page(body: str, head: str = "<title>Apple days</title>") -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"


def body_of(inner: str, **kwargs) -> str:
    return extract(page(f"<article><h1>Apple days</h1>{inner}</article>"), **kwargs).body_html


def text(fragment: str) -> str:
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    return " ".join(root.text_content().split())


# --- sign-up boxes --------------------------------------------------------------------------

SIGNUP = (
    "<section class='c1x'><h2>Stay in touch</h2><p>Letters about the orchard, four a year.</p>"
    "<form><label>Email</label><input type='email' name='e'><button>Join</button></form></section>"
)


def test_a_sign_up_box_goes_with_its_heading_and_pitch() -> None:
    body = text(body_of(BODY + SIGNUP + PARAGRAPH.format("After")))
    assert "First is a sentence" in body and "After is a sentence" in body
    assert "Stay in touch" not in body and "four a year" not in body


def test_a_form_field_named_email_is_enough() -> None:
    box = "<div><p>Get the next one.</p><form><input name='EMAIL'></form></div>"
    assert "Get the next one" not in text(body_of(BODY + box))


def test_text_around_a_sign_up_form_stays_when_it_is_more_than_a_pitch() -> None:
    long_text = PARAGRAPH.format("Kept") * 4
    box = f"<div>{long_text}<form><input type='email'></form></div>"
    assert text(body_of(BODY + box)).count("Kept is a sentence") == 4


def test_a_form_without_an_email_field_takes_no_text_with_it() -> None:
    box = "<div><p>Find a variety:</p><form><input type='search'></form></div>"
    assert "Find a variety" in text(body_of(BODY + box))


def test_a_short_post_about_its_newsletter_keeps_its_words() -> None:
    post = (
        "<div class='inner'><p>I have started a letter about the orchard, four a year. Sign up"
        " below if you would like it.</p><form><input type='email'></form></div>"
    )
    assert "I have started a letter" in text(body_of(post))


def test_a_post_showing_its_sign_up_form_keeps_the_text_around_it() -> None:
    flow = "<p>Here is the form I added to the shop page:</p><form><input type='email'></form>"
    body = text(body_of(BODY + flow + PARAGRAPH.format("After")))
    assert "Here is the form I added" in body and "After is a sentence" in body


# --- lists of other posts -------------------------------------------------------------------


def card(slug: str, title: str) -> str:
    return (
        f"<div class='g7'><a href='/journal/{slug}'><img src='/{slug}.jpg' alt=''>"
        f"<div class='i1'><span>{title}</span></div><div><span>A teaser for {title}.</span></div>"
        "</a></div>"
    )


def test_a_row_of_post_cards_goes_with_its_heading() -> None:
    more = (
        "<section><div><h2>More from the journal</h2></div><div class='q9'>"
        + card("pressing", "Pressing cider")
        + card("grafting", "Grafting in March")
        + "</div></section>"
    )
    body = text(body_of(BODY + more))
    assert "Second is a sentence" in body
    assert "More from the journal" not in body and "Pressing cider" not in body


def test_linked_pictures_and_a_single_card_stay() -> None:
    gallery = "<div>" + "".join(f"<a href='/p{i}.jpg'><img src='/p{i}.jpg'></a>" for i in range(3))
    body = body_of(BODY + gallery + "</div>" + card("one", "One card"))
    assert body.count("<img") == 4 and "One card" in text(body)


def test_a_gallery_of_captioned_pictures_linked_to_their_full_size_stays() -> None:
    pictures = "".join(
        f"<a href='/up/{month}.jpg'><img src='/up/{month}-300x200.jpg'>"
        f"<div class='cap'>The plot in {month}</div></a>"
        for month in ("May", "June", "July")
    )
    body = body_of(f"<p>A year of the plot in pictures.</p><div class='grid'>{pictures}</div>")
    assert body.count("<img") == 3 and "The plot in June" in text(body)


def shelf(address: str) -> str:
    covers = "".join(
        f"<a href='{address}/{name.lower()}'><img src='/covers/{name.lower()}.jpg'><h3>{name}</h3>"
        "</a>"
        for name in ("Pruning", "Grafting", "Cider")
    )
    return f"<div class='shelf'>{covers}</div>"


def test_a_list_of_favourite_books_linked_to_a_bookshop_stays() -> None:
    post = BODY + shelf("https://books.example/title")
    body = body_of(post, url="https://www.orchard.example/2024/apple-days")
    assert body.count("<img") == 3 and "Pruning Grafting Cider" in text(body)


def test_the_same_cards_linking_into_the_blog_are_a_list_of_other_posts() -> None:
    post = BODY + shelf("https://orchard.example/2023")
    body = body_of(post, url="https://www.orchard.example/2024/apple-days")
    assert "<img" not in body and "Pruning" not in text(body)


# --- calls to action ------------------------------------------------------------------------


def test_a_button_alone_in_its_block_is_a_call_to_action() -> None:
    button = (
        "<div class='x1'><div class='btn-wrap'><a class='btn' href='/shop'>Buy jam</a></div></div>"
    )
    assert "Buy jam" not in text(body_of(BODY + button))


def test_a_download_button_stays_apart_from_the_file_link() -> None:
    block = (
        "<div class='wp-block-file'><a href='/up/orchard-plan.pdf'>Orchard plan</a>"
        "<a href='/up/orchard-plan.pdf' class='wp-block-file__button' download>Download</a></div>"
    )
    assert "Orchard plan Download" in text(body_of(BODY + block))


def test_a_picture_linked_with_a_button_class_stays() -> None:
    figure = "<figure><a class='zoom-button' href='/big.jpg'><img src='/small.jpg'></a></figure>"
    assert "small.jpg" in body_of(BODY + figure)


def test_a_button_to_another_site_is_a_reference_and_stays() -> None:
    button = (
        "<div class='wp-block-buttons'><div class='wp-block-button'>"
        "<a class='wp-block-button__link' href='https://trust.example/orchard-survey'>"
        "Read the survey</a></div></div>"
    )
    body = text(body_of(BODY + button, url="https://orchard.example/apple-days"))
    assert "Read the survey" in body


def test_a_button_to_the_blogs_own_shop_goes_whatever_its_address_form() -> None:
    button = "<p><a class='button' href='https://www.orchard.example/shop'>Buy jam</a></p>"
    assert "Buy jam" not in text(body_of(BODY + button, url="https://orchard.example/apple-days"))


def test_a_button_styled_link_inside_a_sentence_stays() -> None:
    inline = "<p>Order yours <a class='button' href='/shop'>from the shop</a> before May.</p>"
    assert "Order yours from the shop before May." in text(body_of(BODY + inline))


# --- the dateline ---------------------------------------------------------------------------


def test_a_dateline_beside_the_title_goes_and_dates_the_post() -> None:
    html = page(
        "<main><div><p>JOURNAL · 14 FEBRUARY 2024</p></div><div><h1>Apple days</h1></div>"
        f"<div>{BODY}</div></main>"
    )
    found = extract(html)
    assert "JOURNAL" not in text(found.body_html) and "First is" in text(found.body_html)
    assert found.date == dt.datetime(2024, 2, 14)


def test_a_dated_first_paragraph_of_the_post_stays() -> None:
    first = "<p>On 3 March 2014 we planted the first six trees along the lane.</p>"
    body = text(body_of(first + BODY))
    assert "On 3 March 2014 we planted" in body


def test_a_diary_post_opening_with_its_date_keeps_that_sentence() -> None:
    found = extract(page(f"<article><h1>Apple days</h1><p>3 March 2014. Rain all day.</p>{BODY}"))
    assert text(found.body_html).startswith("3 March 2014. Rain all day. First")
    assert found.date is None


PUBLISHED = "<title>Apple days</title><meta property='article:published_time' content='{}'>"


def test_a_line_dated_another_day_than_the_page_stays() -> None:
    html = page(
        f"<article><h1>Apple days</h1><p>Monday, 3 March 2014</p>{BODY}</article>",
        PUBLISHED.format("2020-05-01"),
    )
    assert "Monday, 3 March 2014" in text(extract(html).body_html)


def test_a_dateline_agreeing_with_the_page_date_goes() -> None:
    html = page(
        f"<article><h1>Apple days</h1><p>Journal · 3 March 2014</p>{BODY}</article>",
        PUBLISHED.format("2014-03-02T23:30:00-05:00"),
    )
    found = extract(html)
    assert "Journal" not in text(found.body_html) and found.date.date() == dt.date(2014, 3, 2)


def test_the_page_metadata_date_wins_over_the_dateline() -> None:
    head = "<title>Apple days</title><meta property='article:published_time' content='2020-05-01'>"
    html = page(f"<article><p>1 June 2021</p><h1>Apple days</h1>{BODY}</article>", head)
    assert extract(html).date.date() == dt.date(2020, 5, 1)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Journal · 14 February 2024", dt.datetime(2024, 2, 14)),
        ("Posted on March 3rd, 2020 by Jo", dt.datetime(2020, 3, 3)),
        ("2021-04-12", dt.datetime(2021, 4, 12)),
        ("We picked the last apples on 14 February 2024 at dusk", None),
        ("Journal", None),
        ("3 March 2014. Rain all day.", None),
        ("14 February 2024: first frost on the lawn.", None),
    ],
)
def test_dateline_date(line: str, expected: dt.datetime | None) -> None:
    assert dateline_date(line) == expected


# --- related-post widgets and labels by their well-known names ------------------------------


@pytest.mark.parametrize(
    "widget",
    [
        "<div class='linkwithin_div'><div class='linkwithin_posts'>Related walk</div></div>",
        "<div id='jp-relatedposts' class='jp-relatedposts'><p>Related walk</p></div>",
        "<div class='yarpp yarpp-related'><ol><li>Related walk</li></ol></div>",
        "<div class='crp_related'><ul><li>Related walk</li></ul></div>",
        "<section class='related-posts'><h3>Related walk</h3></section>",
        "<a href='https://disqus.com' class='dsq-brlink'>Related walk powered by Disqus</a>",
    ],
)
def test_related_post_widgets_inside_the_body_go(widget: str) -> None:
    html = page(f"<div class='post-body'>{BODY}{widget}</div>")
    assert "Related walk" not in text(extract(html).body_html)


def test_a_top_highlight_label_goes() -> None:
    body = text(body_of(BODY + "<div class='qz'><span>Top highlight</span></div>"))
    assert "Top highlight" not in body


# --- media placeholders ---------------------------------------------------------------------


def test_a_video_file_becomes_a_short_label_linked_to_the_file() -> None:
    video = "<figure><video controls src='https://b.example/up/2013/12/apple-press.mov'></video>"
    body = body_of(BODY + video + "<figcaption>The press at work.</figcaption></figure>")
    link = '<a href="https://b.example/up/2013/12/apple-press.mov">apple-press.mov</a>'
    assert f'<p class="embed">Video: {link}</p>' in body
    assert "The press at work." in text(body)


def test_a_player_title_names_the_recording() -> None:
    audio = "<audio title='Orchard  birdsong' src='https://b.example/up/dawn%20chorus.mp3'></audio>"
    assert '">Orchard birdsong</a>' in body_of(BODY + audio)
    assert '">dawn chorus.mp3</a>' in body_of(BODY + audio.replace("title='Orchard  birdsong'", ""))


# --- the lead picture -----------------------------------------------------------------------

LEAD = (
    "<header class='entry-header'><h1>Apple days</h1><figure class='post-thumbnail'>"
    "<img src='/up/orchard-1200x800.jpg' alt='Trees'><figcaption>The orchard in May.</figcaption>"
    "</figure></header>"
)


def lead_page(content: str) -> str:
    return page(
        f"<article class='post hentry'>{LEAD}<div class='entry-content'>{content}</div></article>"
    )


def test_the_featured_image_and_its_caption_open_the_body() -> None:
    body = extract(lead_page(BODY)).body_html
    assert body.startswith("<figure>") and "orchard-1200x800.jpg" in body
    assert text(body).startswith("The orchard in May. First is a sentence")


def test_the_featured_image_is_not_shown_twice_when_the_body_opens_with_it() -> None:
    body = extract(lead_page("<p><img src='/up/orchard-300x200.jpg'></p>" + BODY)).body_html
    assert body.count("<img") == 1 and "The orchard in May." not in body


def test_thumbnails_after_the_body_are_other_posts() -> None:
    others = (
        "<div class='more'><figure class='post-thumbnail'><img src='/up/cider.jpg'></figure></div>"
    )
    html = page(
        f"<article class='post hentry'><div class='entry-content'>{BODY}</div>{others}</article>"
    )
    assert "<img" not in extract(html).body_html


def test_the_authors_remove_selector_keeps_the_featured_image_out() -> None:
    body = extract(lead_page(BODY), overrides=Overrides(remove=(".post-thumbnail",))).body_html
    assert "<img" not in body and "The orchard in May." not in body


# --- platform furniture ---------------------------------------------------------------------


def test_a_squarespace_button_block_goes() -> None:
    html = page(
        "<article><div class='blog-item-content'><div class='sqs-block html-block'>"
        f"<div class='sqs-block-content'>{BODY}</div></div><div class='sqs-block button-block "
        "sqs-block-button'><div class='sqs-block-content'><a href='/shop'>Shop the jams</a>"
        "</div></div></div></article>",
        head="<title>Apple days</title><meta name='generator' content='Squarespace'>",
    )
    assert "Shop the jams" not in text(extract(html).body_html)


def test_a_medium_subtitle_is_not_body_text() -> None:
    html = page(
        "<article><h1 data-testid='storyTitle'>Apple days</h1><h2 class='pw-subtitle-paragraph'>"
        f"A year in an orchard</h2>{BODY}</article>",
        head="<title>Apple days</title><meta property='og:site_name' content='Medium'>",
    )
    found = extract(html)
    assert found.platform == "Medium" and "A year in an orchard" not in text(found.body_html)


# --- links that touch -----------------------------------------------------------------------


def test_a_note_marker_keeps_to_the_linked_word_it_follows() -> None:
    inline = "<p>As <a href='/smith'>Smith</a><a href='#note-1'><sup>1</sup></a> wrote.</p>"
    assert "As Smith1 wrote." in text(body_of(BODY + inline))
