"""Every container the feed contract accepts, and every way a whole file can be unreadable.

A readable container lands its items; an unreadable one is refused as a whole with one line on
stderr that names the file (and line and column where there is one), exit status 2, and the
archive exactly as it was.
"""

from __future__ import annotations

import gzip
import itertools
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import (
    DATA,
    FeedWriter,
    Invoke,
    export_json,
    import_json,
    item,
    load_items,
    snapshot,
    stats_json,
)
from hypothesis import given, settings
from hypothesis import strategies as st

ITEMS = [
    item("c-1", title="First", _ifex={"country": "Mexico", "violations": ["Killed"]}),
    item("c-2", title="Second", _ifex={"country": "PH"}),
    item("c-3", title="Third", date_published=None),
]


def _titles(cli: Invoke) -> dict[str, str]:
    return {record["id"]: record["title"] for record in export_json(cli)}


def _assert_landed(cli: Invoke, code: int, report: dict, items=ITEMS) -> None:
    assert code == 0, report
    assert (report["read"], report["new"], report["rejected"]) == (len(items), len(items), 0)
    assert _titles(cli) == {i["id"]: i["title"] for i in items}


# --- containers -----------------------------------------------------------------------------


def test_json_feed_1_1(cli: Invoke, write_feed: FeedWriter) -> None:
    code, report = import_json(cli, write_feed.jsonfeed(ITEMS))
    _assert_landed(cli, code, report)
    assert report["warnings"] == []


def test_json_feed_1_0_with_author_object(cli: Invoke, write_feed: FeedWriter) -> None:
    old = item("v1", author={"name": "Reporter One", "url": "https://example.org/r1"})
    code, report = import_json(
        cli, write_feed.jsonfeed([old], version="https://jsonfeed.org/version/1")
    )
    assert (code, report["new"], report["warnings"]) == (0, 1, [])
    [record] = export_json(cli)
    assert record["authors"] == [{"name": "Reporter One", "url": "https://example.org/r1"}]


def test_bare_array(cli: Invoke, write_feed: FeedWriter) -> None:
    _assert_landed(cli, *import_json(cli, write_feed.array(ITEMS)))


@pytest.mark.parametrize("name", ["alerts.jsonl", "alerts.ndjson", "alerts.txt", "alerts"])
def test_json_lines_by_suffix_or_detected(cli: Invoke, write_feed: FeedWriter, name: str) -> None:
    _assert_landed(cli, *import_json(cli, write_feed.jsonl(ITEMS, name)))


def test_json_lines_with_blank_lines_and_crlf(cli: Invoke, write_feed: FeedWriter) -> None:
    text = "\r\n".join(json.dumps(i) for i in ITEMS[:2]) + "\r\n\r\n\n" + json.dumps(ITEMS[2])
    _assert_landed(cli, *import_json(cli, write_feed.raw(text, "crlf.jsonl")))


@pytest.mark.parametrize("maker", ["jsonfeed", "array", "jsonl"])
@pytest.mark.parametrize("name", ["suffix", "magic"])
def test_gzip_by_suffix_or_magic_bytes(
    cli: Invoke, write_feed: FeedWriter, maker: str, name: str
) -> None:
    plain = getattr(write_feed, maker)(ITEMS)
    packed = write_feed.gzip(plain, None if name == "suffix" else "no-suffix-at-all")
    if name == "magic":
        assert not packed.name.endswith(".gz")
    _assert_landed(cli, *import_json(cli, packed))


def test_real_sample_gzipped_without_suffix(cli: Invoke, write_feed: FeedWriter, cpj_feed) -> None:
    code, report = import_json(cli, write_feed.gzip(cpj_feed, "cpj.bin"))
    assert (code, report["read"], report["new"]) == (0, 1043, 1043)


@pytest.mark.parametrize("maker", ["jsonfeed", "array", "jsonl"])
def test_stdin(cli: Invoke, write_feed: FeedWriter, maker: str) -> None:
    data = getattr(write_feed, maker)(ITEMS).read_bytes()
    code, report = import_json(cli, "-", input=data)
    _assert_landed(cli, code, report)


def test_stdin_gzipped(cli: Invoke, write_feed: FeedWriter) -> None:
    data = gzip.compress(write_feed.jsonfeed(ITEMS).read_bytes())
    _assert_landed(cli, *import_json(cli, "-", input=data))


def test_stdin_error_names_stdin(cli: Invoke, archive: Path) -> None:
    result = cli("import", "-", input="{not json")
    assert result.exit_code == 2
    assert "<stdin>" in result.stderr
    assert sorted(p.name for p in archive.parent.iterdir()) == []  # no archive, no WAL, no stdin copy


@pytest.mark.parametrize("maker", ["jsonfeed", "array", "jsonl"])
def test_utf8_bom_is_ignored(cli: Invoke, write_feed: FeedWriter, maker: str) -> None:
    plain = getattr(write_feed, maker)(ITEMS)
    with_bom = write_feed.raw(b"\xef\xbb\xbf" + plain.read_bytes(), "bom-" + plain.name)
    _assert_landed(cli, *import_json(cli, with_bom))


@pytest.mark.parametrize(
    ("version", "expected"),
    [(None, "no JSON Feed `version`"), ("https://example.org/feed/2", "unknown JSON Feed version"),
     (2, "unknown JSON Feed version")],
)
def test_missing_or_odd_version_warns_but_reads(
    cli: Invoke, write_feed: FeedWriter, version, expected: str
) -> None:
    feed = write_feed.jsonfeed(ITEMS, version=version)
    code, report = import_json(cli, feed)
    _assert_landed(cli, code, report)
    assert len(report["warnings"]) == 1
    assert expected in report["warnings"][0] and feed.name in report["warnings"][0]
    human = cli("import", feed)
    assert human.exit_code == 0 and "warning:" in human.stdout


def test_items_before_version_and_other_top_level_keys(cli: Invoke, write_feed: FeedWriter) -> None:
    text = json.dumps({"items": ITEMS, "title": "t", "version": "https://jsonfeed.org/version/1.1"})
    _assert_landed(cli, *import_json(cli, write_feed.raw(text)))


def test_several_files_in_one_import(cli: Invoke, write_feed: FeedWriter) -> None:
    first = write_feed.jsonfeed(ITEMS[:1])
    second = write_feed.gzip(write_feed.jsonl(ITEMS[1:]))
    _assert_landed(cli, *import_json(cli, first, second))


def test_real_samples_match_their_readme(cli: Invoke, sample_feeds: list[Path]) -> None:
    code, report = import_json(cli, *sample_feeds)
    assert code == 0
    assert report == {
        "read": 1403, "new": 1403, "updated": 0, "unchanged": 0, "rejected": 0,
        "unrecognised_countries": [], "rejections": [], "warnings": [], "dry_run": False,
        "landed": True,
    }
    assert stats_json(cli)["alerts"] == len(load_items(DATA / "cpj-sample.feed.json")) + 360


# --- whole-file errors ------------------------------------------------------------------------


@pytest.fixture
def before(cli: Invoke, imported: Path) -> dict:
    """The sample archive's state before a failing import: its stats and its rows."""
    return {"stats": stats_json(cli), **snapshot(imported)}


def _refused(cli: Invoke, archive: Path, before: dict, *args, input=None) -> str:
    """Run a failing import; check exit 2, one clean stderr line, archive untouched."""
    assert before["stats"]["alerts"] == 1403
    result = cli("import", *args, input=input)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("ifex-tui: error: ")
    assert {"stats": stats_json(cli), **snapshot(archive)} == before
    return lines[0]


INVALID = (
    '{"version": "https://jsonfeed.org/version/1.1",\n'
    ' "items": [\n'
    '  {"id": "a", "title": "fine"},\n'
    '  {"id": "b" "title": "a comma is missing"}\n'
    " ]}\n"
)


def test_invalid_json_names_file_line_and_column(cli, write_feed, archive, before) -> None:
    feed = write_feed.raw(INVALID, "broken.json")
    line = _refused(cli, archive, before, feed)
    assert f"{feed}: line 4, column 14: invalid JSON" in line


def test_invalid_json_position_is_the_stdlib_one(cli, write_feed, archive, before) -> None:
    text = json.dumps({"version": "x", "items": ITEMS}, indent=2)
    text = text.replace('"Second"', '"Second",', 1)  # trailing comma inside an object
    with pytest.raises(json.JSONDecodeError) as stdlib:
        json.loads(text)
    line = _refused(cli, archive, before, write_feed.raw(text))
    assert f"line {stdlib.value.lineno}, column {stdlib.value.colno}" in line


def test_invalid_json_in_gzip_still_gets_a_position(cli, write_feed, archive, before) -> None:
    feed = write_feed.gzip(write_feed.raw(INVALID, "broken.json"))
    assert "line 4, column 14" in _refused(cli, archive, before, feed)


def test_invalid_json_with_bom_counts_columns_without_it(cli, write_feed, archive, before):
    feed = write_feed.raw(b"\xef\xbb\xbf" + INVALID.encode(), "bom-broken.json")
    assert "line 4, column 14" in _refused(cli, archive, before, feed)


def test_truncated_json_feed(cli, write_feed, archive, before) -> None:
    text = json.dumps({"version": "x", "items": ITEMS})
    line = _refused(cli, archive, before, write_feed.raw(text[: len(text) // 2], "cut.json"))
    assert "cut.json" in line and "invalid JSON" in line


@pytest.mark.parametrize(("name", "content", "said"), [
    ("cut.json", b'{"items": [{"id": "a", "title": "never closed',
     "line 1, column 33: invalid JSON (a string starting here is never closed)"),
    ("tab.jsonl", b'{"id": "a", "title": "x"}\n{"id": "b", "title": "a\tb"}\n',
     "line 2, column 24: invalid JSON (a raw tab, line break or other control character in a "
     "string)"),
])
def test_invalid_json_says_what_is_wrong_where(
    cli, write_feed, archive, before, name: str, content: bytes, said: str
) -> None:
    """The json module's terse "… starting at" reasons, said whole (the position is given)."""
    feed = write_feed.raw(content, name)
    assert f"{feed}: {said}" in _refused(cli, archive, before, feed)


@pytest.mark.parametrize("content", [b"", b"   \n\t\n", b"\xef\xbb\xbf"])
def test_empty_file(cli, write_feed, archive, before, content: bytes) -> None:
    feed = write_feed.raw(content, "empty.json")
    assert f"{feed}: the file is empty" in _refused(cli, archive, before, feed)


@pytest.mark.parametrize(("codec", "name", "lead", "said"), [
    ("utf-16", "feed.json", "", "UTF-16"), ("utf-16-le", "feed.json", "", "UTF-16"),
    ("utf-16-le", "feed.json", "\r\n", "UTF-16"), ("utf-16-be", "feed.jsonl", "", "UTF-16"),
    ("utf-32", "feed.json", "", "UTF-32"), ("utf-32-le", "feed.json", "", "UTF-32"),
])
def test_a_utf16_or_utf32_feed_is_named_as_such(
    cli, write_feed, archive, before, codec: str, name: str, lead: str, said: str
) -> None:
    """Windows tools save "Unicode" as UTF-16: the error says so and how to convert."""
    text = lead + json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": ITEMS})
    feed = write_feed.raw(text.encode(codec), name)
    line = _refused(cli, archive, before, feed)
    assert f"{feed}: line 1, column 1: {said} text: feeds must be UTF-8" in line
    assert f"iconv -f {said} -t UTF-8" in line


@pytest.mark.parametrize(("content", "said"), [
    ("hello, world", "not JSON"), ("<?xml version='1.0'?><rss/>", "not JSON"),
    ("42", "one JSON value, not a feed"), ('"a"', "one JSON value, not a feed"),
    ("null", "one JSON value, not a feed"), ("true\n", "one JSON value, not a feed"),
    ("notes on a feed", "not JSON"), ("trueish", "not JSON"),
])
def test_not_a_feed_at_all(cli, write_feed, archive, before, content: str, said: str) -> None:
    feed = write_feed.raw(content, "notes.txt")
    line = _refused(cli, archive, before, feed)
    assert f"{feed}: line 1, column 1: {said}: expected a JSON Feed object" in line


def test_object_without_items(cli, write_feed, archive, before) -> None:
    feed = write_feed.raw(json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "x"}))
    assert "without an `items` array" in _refused(cli, archive, before, feed)


@pytest.mark.parametrize("items", [{"id": "a"}, "a", 3, None])
def test_items_not_an_array(cli, write_feed, archive, before, items) -> None:
    feed = write_feed.raw(json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": items}))
    line = _refused(cli, archive, before, feed)
    assert str(feed) in line and "`items`" in line


def test_missing_file(cli, tmp_path, archive, before) -> None:
    missing = tmp_path / "no-such-feed.json"
    line = _refused(cli, archive, before, missing)
    assert f"{missing}: cannot read" in line and "No such file" in line


def test_directory_instead_of_file(cli, tmp_path, archive, before) -> None:
    assert f"{tmp_path}: cannot read" in _refused(cli, archive, before, tmp_path)


def test_invalid_utf8_in_json_feed(cli, write_feed, archive, before) -> None:
    good = json.dumps({"version": "x", "items": ITEMS}, indent=1).encode()
    bad = good.replace(b"Second", b"Sec\xff\xfend", 1)
    line_no = bad[: bad.index(b"\xff")].count(b"\n") + 1
    line = _refused(cli, archive, before, write_feed.raw(bad, "latin.json"))
    assert "not UTF-8" in line and f"line {line_no}," in line


def test_invalid_utf8_in_json_lines(cli, write_feed, archive, before) -> None:
    lines = [json.dumps(i).encode() for i in ITEMS]
    lines[1] = lines[1].replace(b"Second", b"S\xe9cond")
    feed = write_feed.raw(b"\n".join(lines) + b"\n", "latin.jsonl")
    line = _refused(cli, archive, before, feed)
    assert "not UTF-8" in line and "line 2, column" in line


def test_truncated_gzip(cli, write_feed, archive, before, cpj_feed) -> None:
    packed = gzip.compress(cpj_feed.read_bytes())
    feed = write_feed.raw(packed[: len(packed) // 2], "cut.json.gz")
    assert f"{feed}: cannot read" in _refused(cli, archive, before, feed)


def test_corrupt_gzip(cli, write_feed, archive, before) -> None:
    packed = bytearray(gzip.compress(json.dumps(ITEMS).encode()))
    packed[12:20] = b"\x00" * 8
    feed = write_feed.raw(bytes(packed), "bad.gz")
    assert str(feed) in _refused(cli, archive, before, feed)


def test_json_lines_bad_line_names_that_line(cli, write_feed, archive, before) -> None:
    text = "\n".join([json.dumps(ITEMS[0]), json.dumps(ITEMS[1]), '{"id": "x", "title": }'])
    feed = write_feed.raw(text + "\n", "three.jsonl")
    line = _refused(cli, archive, before, feed)
    assert f"{feed}: line 3, column 22: invalid JSON" in line


def test_json_lines_line_numbers_count_leading_blank_lines(cli, write_feed, archive, before):
    text = "\n\n" + json.dumps(ITEMS[0]) + "\n{broken\n"
    line = _refused(cli, archive, before, write_feed.raw(text, "blank-start.jsonl"))
    assert "line 4, column" in line


#: Deeper than the stdlib's JSON recursion limit, shallow enough for ijson's memory use,
#: which grows with the square of the depth (see the report: 50,000 levels take 6 GB).
DEPTH = 3000


@pytest.mark.parametrize("depth", [257, DEPTH])
def test_deeply_nested_json_lines_are_refused_like_any_container(
    cli, write_feed, archive, before, depth: int
) -> None:
    deep = "[" * depth + "]" * depth
    ok = '{"id": "ok", "_x": ' + "[" * 250 + "]" * 250 + "}\n"
    feed = write_feed.raw(ok + '{"id": "deep", "_x": ' + deep + "}\n", "deep.jsonl")
    line = _refused(cli, archive, before, feed)
    assert "line 2" in line and "nested more than 256 levels deep" in line


def test_deeply_nested_feed_is_refused_cleanly(cli, write_feed, archive, before) -> None:
    deep = "[" * DEPTH + "]" * DEPTH
    text = '{"version": "x", "items": [{"id": "deep", "_x": ' + deep + '}, {"id": "ok"}]}\n'
    line = _refused(cli, archive, before, write_feed.raw(text, "deep.json"))
    assert "deep.json" in line and "nested more than 256 levels deep" in line


@pytest.mark.parametrize("container", ["feed", "array"])
def test_too_deep_json_is_placed_at_its_line_and_column(
    cli, write_feed, archive, before, container: str
) -> None:
    """The bracket that goes one level too deep, counted the way an editor shows it."""
    head = ('{"version": "https://jsonfeed.org/version/1.1",\n"items": [\n'
            if container == "feed" else "[\n")
    item = '{"id": "deep", "title": "x",\n  "_x": ' + "[" * 300 + "]" * 300 + "}"
    tail = "]}\n" if container == "feed" else "]\n"
    feed = write_feed.raw(head + item + tail, "deep.json")
    levels_before = 3 if container == "feed" else 2  # the root, the items, the item
    column = len('  "_x": ') + (256 - levels_before) + 1
    line = _refused(cli, archive, before, feed)
    assert f"line 4, column {column}: " in line if container == "feed" else (
        f"line 3, column {column}: " in line
    ), line


def test_pathological_nesting_is_refused_without_eating_memory(write_feed, tmp_path) -> None:
    """100,000 levels in a 200 KB file: the stream parser alone would need gigabytes."""
    deep = "[" * 100_000 + "]" * 100_000
    feed = write_feed.raw('[{"id": "a"}, ' + deep + "]", "bomb.json")
    code = (
        "import resource, subprocess, sys\n"
        "run = subprocess.run([sys.executable, '-m', 'ifex_tui', 'import', sys.argv[1],"
        " '--db', sys.argv[2]], capture_output=True, text=True)\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024\n"
        "print(run.returncode, peak, run.stderr.strip())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(feed), str(tmp_path / "bomb.db")],
        capture_output=True, text=True, check=True,
    )
    returncode, peak_mib, message = result.stdout.split(" ", 2)
    assert returncode == "2" and "nested more than 256 levels deep" in message
    assert int(peak_mib) < 300  # MiB: memory is not a timing, it does not depend on load


@pytest.mark.parametrize("maker", ["jsonfeed", "array", "jsonl"])
def test_a_number_too_long_for_python_refuses_the_file_in_every_container(
    cli, write_feed, archive, before, maker: str
) -> None:
    """Python reads no integer of more than 4,300 digits (and ijson's C backend crashed on one)."""
    feed = getattr(write_feed, maker)([item("a"), item("b", _n=7)])
    text = feed.read_text().replace("7", "7" * 5000)
    line = _refused(cli, archive, before, write_feed.raw(text, "long." + feed.name))
    where = "line 2, column" if maker == "jsonl" else "line 1, column"
    assert "a number of 5,000 digits in a row" in line and where in line


@pytest.mark.parametrize("maker", ["jsonfeed", "array", "jsonl"])
def test_an_exponent_beyond_any_number_refuses_the_file(cli, write_feed, archive, before, maker):
    feed = getattr(write_feed, maker)([item("a"), item("b", _n=7)])
    text = feed.read_text().replace("7", "1e999999999999999999999")
    line = _refused(cli, archive, before, write_feed.raw(text, "exp." + feed.name))
    where = "line 2, column" if maker == "jsonl" else "line 1, column"
    assert "the number 1e999999999999999999999 has an exponent" in line and where in line


def test_one_bad_file_lands_nothing_from_the_good_ones(cli, write_feed, archive, before) -> None:
    good = write_feed.jsonfeed(ITEMS)
    bad = write_feed.raw(INVALID, "broken.json")
    assert "broken.json" in _refused(cli, archive, before, good, bad)


def test_unreadable_file_into_a_new_archive_leaves_no_alerts(cli, write_feed, archive) -> None:
    result = cli("import", write_feed.raw(INVALID, "broken.json"))
    assert result.exit_code == 2
    assert sorted(p.name for p in archive.parent.iterdir()) == ["feeds"]  # no archive, no WAL
    assert "broken.json: line 4, column 14: invalid JSON" in result.stderr


def test_error_line_never_echoes_control_characters(cli, write_feed, archive, before) -> None:
    feed = write_feed.raw(INVALID, "evil\x1b[2J.json")
    line = _refused(cli, archive, before, feed)
    assert "\x1b" not in line and "\\x1b[2J" in line


# --- text and numbers: read alike in every container --------------------------------------------

#: Items written as JSON text (escapes exactly as given), and the titles that must be kept.
ESCAPED = [
    ('{"id": "pair", "title": "a\\ud83d\\udc41b"}', "a\U0001f441b"),
    ('{"id": "high", "title": "\\ud800"}', "\ufffd"),
    ('{"id": "low", "title": "\\udc00"}', "\ufffd"),
    ('{"id": "high then escape", "title": "x\\ud83d\\u0041y"}', "x\ufffdAy"),
    ('{"id": "two highs then low", "title": "\\ud83d\\ud83d\\udc41"}', "\ufffd\U0001f441"),
    ('{"id": "low then high", "title": "\\udc41\\ud83d"}', "\ufffd\ufffd"),
    ('{"id": "escaped backslash", "title": "\\\\ud800"}', "\\ud800"),
    ('{"id": "backslash then high", "title": "\\\\\\ud800"}', "\\\ufffd"),
    ('{"id": "\\udc00 in the id", "title": "id"}', "id"),
    ('{"id": "in a key", "title": "k", "_\\udc00": "\\ud800"}', "k"),
]


def _escaped_feed(write_feed: FeedWriter, container: str) -> Path:
    lines = [text for text, _ in ESCAPED]
    if container == "jsonl":
        return write_feed.raw("\n".join(lines) + "\n", "escaped.jsonl")
    array = "[\n" + ",\n".join(lines) + "\n]"
    if container == "array":
        return write_feed.raw(array, "escaped.json")
    head = '{"version": "https://jsonfeed.org/version/1.1", "title": "\\udc00 \\ud800", "items": '
    return write_feed.raw(head + array + "}", "escaped.feed.json")


@pytest.mark.parametrize("packing", ["plain", "gzip", "stdin"])
@pytest.mark.parametrize("container", ["jsonfeed", "array", "jsonl"])
def test_lone_surrogate_escapes_are_kept_as_u_fffd_in_every_container(
    cli: Invoke, write_feed: FeedWriter, container: str, packing: str
) -> None:
    """Valid JSON, so every item lands; a lone half is U+FFFD and nothing else changes."""
    feed = _escaped_feed(write_feed, container)
    if packing == "gzip":
        feed = write_feed.gzip(feed)
    args = ("-",) if packing == "stdin" else (feed,)
    code, report = import_json(cli, *args, input=feed.read_bytes() if packing == "stdin" else None)
    assert (code, report["new"], report["rejected"], report["warnings"]) == (0, len(ESCAPED), 0, [])
    records = {record["id"]: record for record in export_json(cli)}
    expected_ids = {json.loads(text)["id"].encode("utf-16", "surrogatepass").decode("utf-16", "replace")
                    for text, _ in ESCAPED}
    assert set(records) == expected_ids
    assert {records[json.loads(text)["id"]]["title"] for text, _ in ESCAPED[:8]} == {
        title for _, title in ESCAPED[:8]
    }
    for (text, title) in ESCAPED[:8]:
        assert records[json.loads(text)["id"]]["title"] == title, text
    assert records["in a key"]["extensions"] == {"_\ufffd": "\ufffd"}


def test_a_surrogate_pair_cut_by_a_read_chunk_is_still_one_character(
    cli: Invoke, write_feed: FeedWriter
) -> None:
    """The mending happens on a stream: an escape across a 1 MiB read boundary is whole."""
    items = []
    for shift in range(14):  # the pair starts at every offset around the boundary
        padding = "p" * ((1 << 20) - 16 - shift)
        items.append('{"id": "s' + str(shift) + '", "title": "' + padding + '\\ud83d\\udc41\\ud800"}')
    code, report = import_json(cli, write_feed.raw("\n".join(items) + "\n", "long.jsonl"))
    assert (code, report["new"]) == (0, 14)
    titles = {record["id"]: record["title"] for record in export_json(cli)}
    assert {title[-2:] for title in titles.values()} == {"\U0001f441\ufffd"}
    assert {len(title) for title in titles.values()} == {(1 << 20) - 16 - s + 2 for s in range(14)}


WIDE = 123456789012345678901234567890


@pytest.mark.parametrize("container", ["jsonfeed", "array", "jsonl"])
def test_wide_integers_are_kept_exactly_and_export_imports_back(
    cli: Invoke, write_feed: FeedWriter, tmp_path: Path, container: str
) -> None:
    items = [
        item(WIDE),
        item("x", _ifex={"country": "Mexico", "n": -WIDE, "f": [0.1, 2.5, 1e-300]}, _big={"k": WIDE}),
    ]
    code, report = import_json(cli, getattr(write_feed, container)(items))
    assert (code, report["new"], report["rejected"]) == (0, 2, 0), report
    feed = json.loads(cli("export", "--format", "jsonfeed").stdout)
    by_id = {i["id"]: i for i in feed["items"]}
    assert set(by_id) == {str(WIDE), "x"}
    assert by_id["x"]["_ifex"]["n"] == -WIDE and by_id["x"]["_big"] == {"k": WIDE}
    assert by_id["x"]["_ifex"]["f"] == [0.1, 2.5, 1e-300]
    exported = write_feed.raw(cli("export", "--format", "jsonfeed").stdout, "back.json")
    fresh = tmp_path / "fresh.db"
    assert import_json(cli, "--db", fresh, exported)[0] == 0
    assert stats_json(cli, "--db", fresh) == stats_json(cli)
    assert import_json(cli, exported)[1]["unchanged"] == 2


@pytest.mark.parametrize("container", ["jsonfeed", "array", "jsonl"])
def test_a_number_beyond_a_64_bit_float_rejects_its_item_naming_the_field(
    cli: Invoke, write_feed: FeedWriter, container: str
) -> None:
    feed = getattr(write_feed, container)([item("ok"), item("inf", _ifex={"x": [1, 7]}), item(7)])
    big = write_feed.raw(feed.read_text().replace("7", "1e400"), "inf." + feed.name)
    code, report = import_json(cli, big)
    assert (code, report["new"], report["rejected"]) == (1, 1, 2)
    first = 1 if container == "jsonl" else 0
    assert [(r["index"], r["id"], r["field"]) for r in report["rejections"]] == [
        (first + 1, "inf", "_ifex.x[1]"), (first + 2, None, "id"),
    ]
    assert all("1E+400" in r["reason"] and "64-bit float" in r["reason"]
               for r in report["rejections"])
    assert "Infinity" not in cli("export", "--format", "jsonfeed").stdout


def test_blank_region_and_country_are_absent(cli: Invoke, write_feed: FeedWriter) -> None:
    items = [
        item("blank", tags=["Mexico"], _ifex={"region": "  ", "country": " "}),
        item("empty", _ifex={"region": "", "country": ["", " "]}),
    ]
    assert import_json(cli, write_feed.jsonl(items))[0] == 0
    stats = stats_json(cli)
    assert stats["regions"] == [  # from the tag, not "": the other alert has none
        {"name": "Americas", "alerts": 1}, {"name": "No region", "alerts": 1}]
    assert [c["name"] for c in stats["countries"]] == ["Mexico", "Unknown country"]
    feed = json.loads(cli("export", "--format", "jsonfeed").stdout)
    assert all("region" not in i["_ifex"] or i["_ifex"]["region"] for i in feed["items"])


# --- the nesting guard, against a byte-by-byte reference --------------------------------------


def _reference_depths(data: bytes) -> list[int]:
    """The depth after every byte, followed one byte at a time (strings and escapes skipped)."""
    depth, inside, escaped, depths = 0, False, False, []
    for byte in data:
        char = chr(byte)
        if inside:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                inside = False
        elif char == '"':
            inside = True
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
        depths.append(depth)
    return depths


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='ab"\\[]{}é\n', max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.text(alphabet='k"\\[{', max_size=4), inner, max_size=3),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(value=_JSON_VALUES, cuts=st.lists(st.integers(min_value=0, max_value=400), max_size=8))
def test_the_nesting_guard_follows_any_json_cut_anywhere(value, cuts) -> None:
    from ifex_tui.archive.nesting import MAX_DEPTH, NestingGuard, TooDeep

    data = json.dumps(value, ensure_ascii=False).encode()
    guard = NestingGuard()
    edges = sorted({0, len(data), *(c for c in cuts if c < len(data))})
    reference = _reference_depths(data)
    for a, b in itertools.pairwise(edges):
        if max(reference[a:b], default=0) > MAX_DEPTH:
            with pytest.raises(TooDeep):
                guard.feed(data[a:b])
            return
        guard.feed(data[a:b])
        assert guard.depth == reference[b - 1]
    assert guard.depth == 0
