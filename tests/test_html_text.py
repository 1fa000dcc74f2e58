"""An HTML body as the reader and the full-text index get it: paragraphs apart, list items,
links numbered as footnotes, nothing of scripts or styles, no markup, whatever the HTML."""

from __future__ import annotations

import pytest

from ifex_tui.archive.html_text import html_to_text


def test_paragraphs_lists_and_links_read_like_the_page() -> None:
    html = (
        "<h2>Background</h2>\n<p>Police  detained\n the editor of "
        '<a href="https://example.org/paper">the paper</a> on <strong>Monday</strong>&nbsp;night.</p>'
        "<ul><li>one charge</li><li>another, see "
        '<a href="http://example.org/law">the law</a></li></ul>'
        '<p>Again <a href="https://example.org/paper">the paper</a>.<br>A new line.</p>'
    )
    assert html_to_text(html) == (
        "Background\n\n"
        "Police detained the editor of the paper [1] on Monday night.\n\n"
        "- one charge\n- another, see the law [2]\n\n"
        "Again the paper [1].\nA new line.\n\n"
        "[1] https://example.org/paper\n[2] http://example.org/law"
    )


@pytest.mark.parametrize("html", [
    "<script>alert(1)</script><p>kept</p>",
    "<style>p { color: red }</style><p>kept</p>",
    "<p>kept</p><iframe src='https://evil.example'>frame text</iframe>",
    "<p>kept</p><template><p>hidden</p></template><svg><text>drawn</text></svg>",
])
def test_what_is_not_text_is_dropped_with_its_content(html: str) -> None:
    assert html_to_text(html) == "kept"


@pytest.mark.parametrize("href", ["javascript:alert(1)", "data:text/html,x", "#top", "", "ftp://x"])
def test_only_web_links_become_footnotes(href: str) -> None:
    assert html_to_text(f'<p>see <a href="{href}">here</a></p>') == "see here"


@pytest.mark.parametrize("html", ["", "   ", "<p></p>", "<br><br>", "<div><span> </span></div>"])
def test_an_empty_body_is_empty_text(html: str) -> None:
    assert html_to_text(html) == ""


def test_broken_html_still_reads() -> None:
    assert html_to_text("<p>unclosed <b>bold <i>both</p><p>next") == "unclosed bold both\n\nnext"
    assert html_to_text("text with < and > & &amp; &#8217; &bogus;") == "text with < and > & & \u2019 &bogus;"


def test_a_feed_cannot_forge_the_break_markers() -> None:
    """The private-use characters the walk uses for breaks are removed from the HTML first."""
    assert html_to_text("<p>a\ue000\ue000b\ue001c</p>") == "abc"


def test_markup_in_text_stays_text() -> None:
    text = html_to_text("<p>&lt;script&gt;alert(1)&lt;/script&gt; [bold] \x1b[31m</p>")
    assert text.startswith("<script>alert(1)</script> [bold]")  # shown inert by the app


def test_tables_keep_their_cells_apart() -> None:
    assert html_to_text("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>") == "a b\nc"


def test_numbered_and_nested_lists_keep_their_shape() -> None:
    html = ("<ul><li>one<ul><li>one-a</li><li>one-b<ol><li>deep</li><li>deeper</li></ol></li></ul>"
            "</li><li>two</li></ul><ol><li>first</li><li>second</li></ol>")
    assert html_to_text(html) == (
        "- one\n  - one-a\n  - one-b\n    1. deep\n    2. deeper\n- two\n\n1. first\n2. second")


def test_images_say_what_they_show_and_mail_links_are_listed() -> None:
    text = html_to_text('<p>Seen <img src="x.png" alt="a burnt office"> and '
                        '<a href="mailto:desk@example.org">the desk</a></p><img src="y.png">')
    assert text == "Seen [image: a burnt office] and the desk [1]\n\n[1] mailto:desk@example.org"



def test_thousands_of_links_each_keep_their_own_number() -> None:
    """A body of 9,000 links (one every tenth repeated): each URL listed once, in order, and
    every link's text followed by its URL's number."""
    html = "".join(
        f"<a href='https://example.org/{i - i % 10 if i % 10 == 9 else i}'>link {i}</a> "
        for i in range(9_000)
    )
    text = html_to_text(html)
    body, _, notes = text.partition("\n\n")
    urls = [line.split(" ", 1)[1] for line in notes.splitlines()]
    assert len(urls) == len(set(urls)) == 8_100
    assert "link 9 [1]" in body and "link 19 [10]" in body and "link 8999 [8092]" in body
    assert urls[-1] == "https://example.org/8998"


@pytest.mark.parametrize("limit", ["HTML_LIMIT", "TAG_LIMIT"])
def test_a_body_past_the_limits_is_read_to_them_and_says_how_much_was_not(monkeypatch, limit) -> None:
    """Characters or tags: either limit cuts the HTML read (the tags at a tag's start)."""
    from ifex_tui.archive import html_text

    monkeypatch.setattr(html_text, limit, 1_000 if limit == "HTML_LIMIT" else 3)
    html = "<p>" + "word " * 150 + "</p><p>" + "tail " * 300 + "</p>"
    text = html_to_text(html)
    read = 1_000 if limit == "HTML_LIMIT" else html.index("<p>", 5)  # the third tag
    assert text.startswith("word word")
    assert text.endswith(f"[{len(html) - read:,} more characters of this body's HTML were not "
                         "read: export the alert for all of it]")
    assert html_to_text("<p>short</p>") == "short"
