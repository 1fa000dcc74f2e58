"""``export --format markdown`` as a CommonMark reader sees it: feed text is only ever text.

The export is parsed by markdown-it-py (the CommonMark preset, and its default preset, which
adds GFM tables and strikethrough), the YAML front matter by mdit-py-plugins.  Each alert must
come out as exactly one heading (the exporter's, ``##``), the list of fields the exporter
writes, and paragraphs whose text is the feed's text, character for character: no heading,
rule, code block, HTML, link, image or emphasis is made from what a feed wrote.  Expected
text is written out by hand.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import DATA, FeedWriter, Invoke, import_json, item
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

PRESETS = ("commonmark", "default")

#: The block tokens the exporter makes; anything else came from feed text.
BLOCKS = {
    "heading_open", "heading_close", "inline", "paragraph_open", "paragraph_close",
    "bullet_list_open", "bullet_list_close", "list_item_open", "list_item_close",
}
#: What a rendered export may hold: the heading, the field list with its labels, paragraphs.
TAGS = {"h2", "ul", "li", "strong", "p"}


def _text(children: list[Token]) -> str:
    """The text an inline run shows; fails on anything but text and soft line breaks."""
    shown = []
    for child in children:
        assert child.type in ("text", "softbreak"), (child.type, child.content, child.markup)
        shown.append(child.content if child.type == "text" else "\n")
    return "".join(shown)


def _sections(document: str, preset: str) -> dict[str, dict]:
    """Each alert of an exported document by its id: ``heading`` (its text), ``fields`` (label
    to value, as the list shows them) and ``paragraphs`` (their text) after the list.

    Fails on a block the exporter does not make, a heading but an ``h2``, a paragraph before
    the first heading, a rendered tag outside :data:`TAGS`."""
    md = MarkdownIt(preset).use(front_matter_plugin)
    tokens = md.parse(document)
    assert tokens[0].type == "front_matter"
    made = {}
    for line in tokens[0].content.splitlines():
        name, value = line.split(": ", 1)
        made[name] = json.loads(value)
    assert made["format"] == "markdown"
    sections: list[dict] = []
    in_list = False
    for i, token in enumerate(tokens[1:], start=1):
        assert token.type in BLOCKS, (token.type, token.content)
        if token.type == "heading_open":
            assert token.tag == "h2" and token.markup == "##", token
            sections.append({"heading": _text(tokens[i + 1].children), "fields": {},
                             "paragraphs": []})
        elif token.type in ("bullet_list_open", "bullet_list_close"):
            in_list = token.type == "bullet_list_open"
        elif token.type == "inline" and in_list:
            children = [c for c in token.children if c.type != "text" or c.content]
            strong_open, label, strong_close, *value = children
            assert (strong_open.type, label.type, strong_close.type) == (
                "strong_open", "text", "strong_close")
            assert label.content.endswith(":")
            shown = _text(value)
            assert shown.startswith(" ")
            sections[-1]["fields"][label.content[:-1]] = shown[1:]
        elif token.type == "inline" and tokens[i - 1].type == "paragraph_open":
            assert sections, "a paragraph before the first heading"
            sections[-1]["paragraphs"].append(_text(token.children))
    assert set(re.findall(r"</?([a-zA-Z0-9]+)", md.render(document))) <= TAGS
    assert made["rows"] == len(sections)
    by_id = {section["fields"]["Id"]: section for section in sections}
    assert len(by_id) == len(sections)
    return by_id


def _export(cli: Invoke, *args: str) -> str:
    result = cli("export", "--format", "markdown", *args)
    assert result.exit_code == 0, result.output
    return result.stdout


#: Titles and the one heading line each must show.
TITLES = {
    "t-heading": ("Innocent\n# Injected heading", "Innocent # Injected heading"),
    "t-h2": ("Line\n\n## Second heading", "Line ## Second heading"),
    "t-hr": ("Line\n---\nafter hr", "Line --- after hr"),
    "t-setext": ("Line\n=====", "Line ====="),
    "t-code": ("Line\n    indented", "Line indented"),
    "t-crlf": ("Windows\r\nline\rbreaks", "Windows line breaks"),
    "t-closing": ("Ends in hashes ##", "Ends in hashes ##"),
    "t-hash": ("#", "#"),
    "t-inline": ("**bold** [link](https://evil.example) <b>x</b> `c` AT&amp;T \\",
                 "**bold** [link](https://evil.example) <b>x</b> `c` AT&amp;T \\"),
    "t-blank": ("\n \n", "(untitled)"),
}


@pytest.mark.parametrize("preset", PRESETS)
def test_a_title_is_one_heading_whatever_its_lines(
    cli: Invoke, archive: Path, write_feed: FeedWriter, preset: str
) -> None:
    import_json(cli, write_feed([item(i, title=title) for i, (title, _) in TITLES.items()]))
    sections = _sections(_export(cli), preset)
    assert {i: section["heading"] for i, section in sections.items()} == {
        i: shown for i, (_, shown) in TITLES.items()}
    assert all(section["paragraphs"] == [] for section in sections.values())


#: Bodies and the paragraphs each must show.
BODIES = {
    "setext": ("Line\n=====\nLine\n---\nafter", ["Line\n=====\nLine\n---\nafter"]),
    "breaks": ("***\n___\n- - -\n* * *\n_ _ _\n---", ["***\n___\n- - -\n* * *\n_ _ _\n---"]),
    "code": ("Line\n    indented\n\n    code at a paragraph's start\n\n        deeper",
             ["Line\n    indented", "    code at a paragraph's start", "        deeper"]),
    # cell_text writes a tab as four spaces, in Markdown as in CSV
    "tab": ("\tafter a tab", ["    after a tab"]),
    "fences": ("```\ncode\n```\n\n~~~ python\ncode\n~~~", ["```\ncode\n```", "~~~ python\ncode\n~~~"]),
    "html": ("<div>\n<b>bold</b>\n</div>\n\n<!-- comment -->\n\n<script>alert(1)</script>",
             ["<div>\n<b>bold</b>\n</div>", "<!-- comment -->", "<script>alert(1)</script>"]),
    "linkref": ('[x]: http://evil.example/ "title"\n\n[x] and [y][x] and <http://auto.example>',
                ['[x]: http://evil.example/ "title"', "[x] and [y][x] and <http://auto.example>"]),
    "table": ("a | b\n--|--\nc | d", ["a | b\n--|--\nc | d"]),
    "blocks": ("# heading\n> quote\n+ plus\n- minus\n1) one\n2. two\n= equals\n- [ ] task",
               ["# heading\n> quote\n+ plus\n- minus\n1) one\n2. two\n= equals\n- [ ] task"]),
    "inline": ("*em* _em_ **strong** `code` ~~strike~~ [l](http://x.example) "
               "![i](http://y.example/i.png) <http://z.example> <b>tag</b>",
               ["*em* _em_ **strong** `code` ~~strike~~ [l](http://x.example) "
                "![i](http://y.example/i.png) <http://z.example> <b>tag</b>"]),
    "entities": ("AT&amp;T &copy; &#35; &#x41; & alone", ["AT&amp;T &copy; &#35; &#x41; & alone"]),
    "hard-breaks": ("two spaces  \nthen a backslash\\\nend  ",
                    ["two spaces  \nthen a backslash\\\nend  "]),
    "paragraphs": ("Line\n\n## Second heading\n\n\n\nlast", ["Line", "## Second heading", "last"]),
    # a line of white space only is a blank line: it ends a paragraph
    "blank-ish": ("a\n   \nb", ["a", "b"]),
}


@pytest.mark.parametrize("preset", PRESETS)
def test_a_body_is_paragraphs_of_exactly_its_text(
    cli: Invoke, archive: Path, write_feed: FeedWriter, preset: str
) -> None:
    import_json(cli, write_feed([item(i, content_text=body) for i, (body, _) in BODIES.items()]))
    sections = _sections(_export(cli), preset)
    assert {i: section["paragraphs"] for i, section in sections.items()} == {
        i: shown for i, (_, shown) in BODIES.items()}
    assert {i: section["heading"] for i, section in sections.items()} == {
        i: f"Alert {i}" for i in BODIES}


@pytest.mark.parametrize("preset", PRESETS)
def test_the_summary_is_shown_before_the_body(
    cli: Invoke, archive: Path, write_feed: FeedWriter, preset: str
) -> None:
    import_json(cli, write_feed([
        item("both", summary="A summary\n=====\n\n> quoted", content_text="The body\n---"),
        item("summary-only", summary="Only a summary"),
        item("same", summary="Said once", content_text="Said once"),
        item("body-only", content_text="Only a body"),
    ]))
    sections = _sections(_export(cli), preset)
    assert {i: section["paragraphs"] for i, section in sections.items()} == {
        "both": ["A summary\n=====", "> quoted", "The body\n---"],
        "summary-only": ["Only a summary"],
        "same": ["Said once"],
        "body-only": ["Only a body"],
    }


@pytest.mark.parametrize("preset", PRESETS)
def test_fields_are_one_line_each(
    cli: Invoke, archive: Path, write_feed: FeedWriter, preset: str
) -> None:
    import_json(cli, write_feed([item(
        "f", title="T", url="https://example.org/a_b*c*",
        _ifex={"source": "Evil\n# Source\n    code", "country": "Atlantis\n---",
               "violations": ["Threatened\n=====", "*Killed*"]},
    )]))
    (section,) = _sections(_export(cli), preset).values()
    assert section["fields"] == {
        "Date": "1 May 2012",
        "Countries": "Atlantis ---",
        "Source": "Evil # Source code",
        "Violations": "Threatened =====, *Killed*",
        "Link": "https://example.org/a_b*c*",
        "Id": "f",
    }
    assert section["paragraphs"] == []


def test_the_sample_archive_is_one_section_per_alert_of_plain_text(
    cli: Invoke, imported: Path, sample_items: list[dict]
) -> None:
    """Real feed text: every alert once, its title its heading, its body paragraphs of its text
    (paragraphs split at blank lines, read with the standard library)."""
    sections = _sections(_export(cli), "commonmark")
    assert len(sections) == len(sample_items) == 1403
    for i in sample_items:
        section = sections[i["id"]]
        assert section["heading"] == i["title"].strip()
        paragraphs = [p for p in re.split(r"\n[ \t]*\n", i["content_text"]) if p.strip()]
        assert section["paragraphs"] == paragraphs, i["id"]


def test_sample_text_holds_what_a_reader_could_take_for_markdown() -> None:
    """What the test above rests on: the samples' bodies hold Markdown's characters."""
    bodies = [i["content_text"] for name in ("cpj-sample.feed.json", "ifex-digest-sample.feed.json")
              for i in json.loads((DATA / name).read_text("utf-8"))["items"]]
    assert any(re.search(r"[*_\[\]<>]", body) for body in bodies)
