"""Write a large, deterministic alert feed for benchmarking `ifex-tui import`.

The bundled samples hold about 1,400 alerts; the archive has to stay usable with hundreds of
thousands. This script makes feeds of any size that follow docs/feed-format.md, in two shapes:

- `real` (the default): items shaped like real IFEX alerts, because the importer's cost is
  dominated by what real alerts carry. Most bodies are `content_html` of 1-4 KB (paragraphs,
  links, lists, emphasis, an occasional heading, HTML entities) that the importer turns into
  text and indexes; most items have a summary; countries are written as feeds and other
  datasets write them ("USA", "Burma", "Korea, Rep.", "Iran (Islamic Republic of)") plus a
  few names no table knows; sources under their acronyms and their full or translated names
  ("CPJ", "Committee to Protect Journalists", "Reporters sans frontières").
- `short`: the original shape (bodies of 300-1,500 characters, four in five as plain text),
  kept byte for byte so figures measured with it stay comparable.

Both draw skewed countries and sources, undated items, offsets in dates, several-country alerts
and alerts without a country, from a 2,000-word vocabulary so full-text search has varied terms.

The same N, shape and seed always give the same bytes, so runs can be compared. Items are
written as they are made, a thousand at a time, so memory stays flat for millions of items. And
`modified_fraction` produces the "same feed, some items revised" variant that exercises the
update path of a re-import (real shape: a new title, an update paragraph, a newer
date_modified; short shape: one more sentence and the newer date_modified).

Usage: python benchmarks/make_feed.py N OUTPUT [--shape real|short] [--format jsonfeed|jsonl]
       [--seed 1] [--gzip] [--modified-fraction 0.1] [--modified-stamp 2026-06-01T12:00:00Z]
(OUTPUT "-" is standard output.) Standard library only.
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import gzip
import itertools
import json
import os
import random
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

FORMATS = ("jsonfeed", "jsonl")
JSONFEED_VERSION = "https://jsonfeed.org/version/1.1"
# Later than every generated date, so a "modified" item is always newer than what is stored.
DEFAULT_MODIFIED_STAMP = "2026-06-01T12:00:00Z"
FIRST_DATE = 788918400  # 1995-01-01T00:00:00Z
LAST_DATE = 1775001599  # 2026-03-31T23:59:59Z
DAY = 86400
FLUSH_EVERY = 1000  # items joined per write: few syscalls, bounded memory

# Frequent first, so the skewed draw favours them as real alert archives do. Variants, former
# names, ISO codes and one name no ISO list knows are included on purpose.
COUNTRIES = (
    "Mexico", "Turkey", "Russia", "Philippines", "Pakistan", "India", "Brazil", "Colombia",
    "Iran", "China", "Syria", "Iraq", "Egypt", "Honduras", "Somalia", "Afghanistan", "Ukraine",
    "Belarus", "Azerbaijan", "Bangladesh", "USA", "Venezuela", "Nigeria", "Ethiopia", "Yemen",
    "Burma", "Saudi Arabia", "Sri Lanka", "Guatemala", "Peru", "Ecuador", "Cuba", "Nicaragua",
    "Cameroon", "DR Congo", "Uganda", "Kenya", "Zimbabwe", "Russian Federation", "Tanzania",
    "Sudan", "South Sudan", "Ghana", "Senegal", "Ivory Coast", "UK", "Burkina Faso", "Mali",
    "Niger", "Guinea", "Sierra Leone", "Liberia", "The Gambia", "Togo", "Benin", "Rwanda",
    "Burundi", "Zambia", "Malawi", "Mozambique", "Angola", "Namibia", "Swaziland",
    "South Africa", "Madagascar", "Eritrea", "Chad", "Libya", "Tunisia", "Algeria", "Morocco",
    "Mauritania", "Israel", "Palestine", "Lebanon", "Jordan", "Bahrain", "Kuwait", "Oman",
    "United Arab Emirates", "Qatar", "Kazakhstan", "Kyrgyzstan", "Tajikistan", "Uzbekistan",
    "Turkmenistan", "Georgia", "Armenia", "Serbia", "Yugoslavia", "Bosnia and Herzegovina",
    "Croatia", "Montenegro", "Kosovo", "North Macedonia", "Albania", "Bulgaria", "Romania",
    "Moldova", "Hungary", "Poland", "Slovakia", "Greece", "Italy", "Spain", "France",
    "Germany", "Malta", "Cambodia", "Thailand", "Vietnam", "Laos", "Malaysia", "Indonesia",
    "Singapore", "Nepal", "Maldives", "Hong Kong", "Argentina", "Bolivia", "Paraguay", "Chile",
    "Haiti", "Dominican Republic", "Panama", "El Salvador", "Canada", "Australia",
    "Papua New Guinea", "Fiji", "United States", "United Kingdom", "Côte d'Ivoire", "Myanmar",
    "Democratic Republic of the Congo", "Zaire", "East Timor", "Serbia and Montenegro", "USSR",
    "Czechoslovakia", "MX", "PHL", "Somaliland",
)
SOURCES = (
    "RSF", "CPJ", "MFWA", "ARTICLE 19", "MISA", "HRNJ-Uganda", "NUSOJ", "Fundamedios",
    "Human Rights Watch", "IPI", "IFJ", "CEMESP", "IAPA", "WiPC", "CJFE", "JED", "FLIP", "IPYS",
    "ABRAJI", "C-Libre", "PEN America", "WAN-IFRA", "Freedom House", "ANHRI",
    "Index on Censorship", "FXI", "CERIGUA", "CIJ", "CMFR", "WAJA", "ANP", "FOPEA", "MRA",
    "IFLA", "AJI", "SMEX", "GCHR", "BCHR", "CCHR", "PEN International", "PPF", "SEAPA",
    "Adil Soz", "IRFS", "MADA", "Maharat Foundation", "PINA", "TJA", "ANEM", "CRNI",
    "Bytes for All", "Freedom Forum", "FMM", "Globe International", "IJC Moldova", "AFIC",
    "Media Watch", "Mizzima", "Article 19 Brazil", "IFoX Turkey",
)
VIOLATIONS = (
    "Detained", "Attacked", "Threatened", "Legal action", "Censored", "Killed", "Other",
)
VIOLATION_PHRASES = {
    "Killed": "killed", "Attacked": "attacked", "Detained": "detained",
    "Threatened": "threatened", "Censored": "censored", "Legal action": "sued",
    "Other": "harassed",
}
TARGETS = ("Journalist", "Media outlet", "Blogger", "Writer", "Human rights defender", "Artist")
ALERT_TYPES = ("Alert",) * 14 + ("Update",) * 3 + ("Press release",) * 2 + ("Campaign",)
LANGUAGES = ("en",) * 16 + ("fr", "es", "pt", "ar", "ru")
OFFSETS = ("-05:00", "-03:00", "-06:00", "+01:00", "+03:00", "+05:30", "+08:00")
TOPICS = ("Radio", "Television", "Online", "Print", "Elections", "Protests", "Impunity",
          "Internet shutdown", "Defamation", "Conflict")

# Real words first (most frequent first); pseudo-words fill the vocabulary up to VOCABULARY_SIZE.
COMMON_WORDS = (
    "the", "of", "and", "to", "in", "a", "was", "journalist", "detained", "radio", "police", "by",
    "for", "on", "that", "with", "his", "her", "authorities", "reporter", "newspaper", "court",
    "arrested", "press", "freedom", "government", "were", "charged", "after", "station", "editor",
    "security", "released", "media", "said", "from", "report", "prison", "members", "officials",
    "human", "rights", "had", "has", "been", "against", "their", "who", "local", "public",
    "station's", "lawyer", "family", "independent", "online", "state", "army", "military",
    "forces", "article", "criticism", "interview", "protest", "election", "minister",
    "investigation", "corruption", "threats", "harassment", "broadcast", "website", "blogger",
    "photographer", "camera", "story", "coverage", "trial", "sentence", "judge", "prosecutor",
    "charges", "defamation", "law", "license", "shutdown", "internet", "censorship", "ban",
    "magazine", "channel", "program", "correspondent", "office", "raid", "confiscated",
    "equipment", "custody", "bail", "hearing", "appeal", "months", "years", "days", "week",
    "night", "morning", "colleagues", "union", "association", "statement", "condemned", "demanded",
    "release", "immediate", "safety", "attack", "unknown", "gunmen", "motorcycle", "shot",
    "wounded", "killed", "body", "found", "missing", "abducted", "kidnapped", "tortured", "beaten",
    "threatened", "warning", "message", "phone", "calls", "social", "posts", "accused",
    "spreading", "false", "news", "insulting", "president", "terrorism", "espionage", "treason",
    "sedition", "cybercrime", "regulator", "suspended", "closed", "blocked", "access", "articles",
    "printing", "copies", "distribution", "seized", "border", "crossing", "deported", "visa",
    "accreditation", "revoked", "denied", "expelled", "foreign", "international", "community",
    "organisation"
)
SYLLABLES = (
    "ka", "lo", "mi", "ren", "tu", "vos", "ba", "del", "ni", "ro", "sa", "te", "ul", "gor",
    "pe", "fan", "di", "quo", "zel", "ma", "ti", "bri", "sko", "han", "el", "ur", "mon", "ve",
)
VOCABULARY_SIZE = 2000
SENTENCE_POOL_SIZE = 4096
BODY_MIN, BODY_MAX = 300, 1500  # characters, before an "Update:" sentence


def make_vocabulary(rng: random.Random) -> list[str]:
    """Return the common words followed by distinct pseudo-words, 2,000 in all."""
    words = list(dict.fromkeys(COMMON_WORDS))
    seen = set(words)
    while len(words) < VOCABULARY_SIZE:
        word = "".join(rng.choices(SYLLABLES, k=rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def zipf_cumulative(count: int, exponent: float) -> list[float]:
    """Cumulative Zipf weights for ranks 1..count: a skewed but long-tailed draw."""
    return list(itertools.accumulate(1 / rank**exponent for rank in range(1, count + 1)))


def make_sentences(rng: random.Random, vocabulary: Sequence[str]) -> list[str]:
    """Pre-build a pool of sentences; bodies are assembled from it, which keeps items cheap."""
    weights = zipf_cumulative(len(vocabulary), 1.0)
    sentences = []
    for _ in range(SENTENCE_POOL_SIZE):
        words = rng.choices(vocabulary, cum_weights=weights, k=rng.randint(6, 20))
        sentences.append(" ".join(words).capitalize() + ".")
    return sentences


def rfc3339(timestamp: int, offset: str = "") -> str:
    """Format a UTC timestamp as RFC 3339, in `offset` ("-05:00") when given, else with Z."""
    if not offset:
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(timestamp))
    sign = -1 if offset[0] == "-" else 1
    shift = sign * (int(offset[1:3]) * 3600 + int(offset[4:6]) * 60)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(timestamp + shift)) + offset


class ItemMaker:
    """Turn item numbers into feed items, drawing every choice from one seeded generator.

    Whether an item gets the newer `date_modified` is drawn from a second generator, so the
    "modified" variant of a feed has the same items as the plain one apart from the revision.
    """

    def __init__(self, seed: int, modified_fraction: float, modified_stamp: str) -> None:
        self.rng = random.Random(seed)
        self.touch_rng = random.Random(f"modified-{seed}")
        self.modified_fraction = modified_fraction
        self.modified_stamp = modified_stamp
        self.vocabulary = make_vocabulary(random.Random(0))
        self.sentences = make_sentences(self.rng, self.vocabulary)
        self.country_weights = zipf_cumulative(len(COUNTRIES), 0.9)
        self.source_weights = zipf_cumulative(len(SOURCES), 0.8)
        self.touched = 0

    def pick_weighted(self, choices: Sequence[str], cumulative: Sequence[float]) -> str:
        """Draw from `choices` with the given cumulative weights (faster than rng.choices)."""
        return choices[bisect.bisect(cumulative, self.rng.random() * cumulative[-1])]

    def pick(self, choices: Sequence[str]) -> str:
        """Draw uniformly from `choices` (cheaper than rng.choice, which matters per item)."""
        return choices[int(self.rng.random() * len(choices))]

    def pick_some(self, choices: Sequence[str]) -> list[str]:
        """One value, or two distinct ones a quarter of the time."""
        if self.rng.random() < 0.25:
            return self.rng.sample(choices, 2)
        return [self.pick(choices)]

    def country(self) -> str | list[str] | None:
        """~10% no country, ~3% a list of two, otherwise one name drawn with a skew."""
        roll = self.rng.random()
        if roll < 0.10:
            return None
        first = self.pick_weighted(COUNTRIES, self.country_weights)
        if roll < 0.13:
            second = self.pick_weighted(COUNTRIES, self.country_weights)
            return [first, second] if second != first else first
        return first

    def published(self) -> int:
        """Draw a time between 1995 and March 2026; 40% at midnight, as in day-precision feeds."""
        timestamp = FIRST_DATE + int(self.rng.random() * (LAST_DATE - FIRST_DATE))
        return timestamp - timestamp % DAY if self.rng.random() < 0.4 else timestamp

    def body_text(self, lead: str, low: int = BODY_MIN, high: int = BODY_MAX) -> str:
        """Follow the lead with pooled sentences up to a length of `low`-`high` characters."""
        rand = self.rng.random
        sentences = self.sentences
        target = low + int(rand() * (high - low + 1))
        parts = [lead]
        length = len(lead)
        while length < target:
            sentence = sentences[int(rand() * SENTENCE_POOL_SIZE)]
            parts.append(sentence)
            length += len(sentence) + 1
        text = " ".join(parts)
        return text if len(text) <= high else text[:high].rsplit(" ", 1)[0] + "."

    def body_html(self, text: str, number: int) -> str:
        """Wrap a text body as two paragraphs with a bold word and a link, as publishers do."""
        words = text.split(" ")
        middle = len(words) // 2
        words[1] = f"<b>{words[1]}</b>"
        link = f'<a href="https://alerts.example.org/related/{number}">{words[middle]}</a>'
        words[middle] = f"{link}</p><p>"
        return "<p>" + " ".join(words) + "</p>"

    def dates(self) -> dict[str, str]:
        """Draw date_published (~2% undated, ~4% with an offset) and, for ~3%, date_modified."""
        rng = self.rng
        published = self.published()
        dates = {}
        if rng.random() >= 0.02:
            offset = self.pick(OFFSETS) if rng.random() < 0.04 else ""
            dates["date_published"] = rfc3339(published, offset)
        if rng.random() < 0.03:
            revised = min(published + DAY + int(rng.random() * 59 * DAY), LAST_DATE)
            dates["date_modified"] = rfc3339(revised)
        return dates

    def item(self, number: int) -> dict[str, object]:
        """Build item `number` as a JSON Feed item with an `_ifex` extension.

        The main generator is drawn the same way whether or not the item is modified, so both
        variants of a feed agree on every other item and field.
        """
        rng = self.rng
        country = self.country()
        place = (country if isinstance(country, str) else " and ".join(country)) if country \
            else "an undisclosed location"
        violations = self.pick_some(VIOLATIONS)
        targets = self.pick_some(TARGETS)
        source = self.pick_weighted(SOURCES, self.source_weights)
        phrase = VIOLATION_PHRASES[violations[0]]
        title = f"{targets[0]} {phrase} in {place}"
        if rng.random() < 0.5:
            title += f" after {self.pick(self.vocabulary)} report"
        target = targets[0].lower()
        article = "an" if target[0] in "aeiou" else "a"
        lead = f"{source} reports that {article} {target} was {phrase} in {place}."
        text = self.body_text(lead)
        modified = self.touch_rng.random() < self.modified_fraction
        if modified:
            self.touched += 1
            text += f" Update: {source} has published new details on this case."

        item: dict[str, object] = {
            "id": f"bench:{number}",
            "url": f"https://alerts.example.org/{source.lower().replace(' ', '-')}/{number}",
            "title": title,
        }
        if rng.random() < 0.3:
            item["summary"] = lead
        if rng.random() < 0.2:
            item["content_html"] = self.body_html(text, number)
        else:
            item["content_text"] = text
        item.update(self.dates())
        if modified:
            item["date_modified"] = self.modified_stamp
        tags = violations + targets + [self.pick(TOPICS), source]
        if isinstance(country, str) and rng.random() < 0.5:
            tags.append(country)
        item["tags"] = tags
        item["authors"] = [{"name": source}]
        item["language"] = self.pick(LANGUAGES)
        ifex: dict[str, object] = {} if country is None else {"country": country}
        ifex.update(violations=violations, targets=targets, source=source,
                    alert_type=self.pick(ALERT_TYPES))
        item["_ifex"] = ifex
        return item


# --- the `real` shape ---------------------------------------------------------------------------

#: Names other datasets give countries (from tests/data/country_names_other_datasets.csv; all
#: known to the country tables), written by feeds that copy them from those datasets.
OTHER_DATASET_NAMES = (
    "Congo, Dem. Rep.", "Egypt, Arab Rep.", "Iran, Islamic Rep.", "Korea, Rep.",
    "Kyrgyz Republic", "Lao PDR", "Turkiye", "Türkiye", "Venezuela, RB", "Yemen, Rep.",
    "West Bank and Gaza", "Cote d'Ivoire", "Congo, Democratic Republic of the",
    "Bolivia (Plurinational State of)", "Iran (Islamic Republic of)",
    "Venezuela (Bolivarian Republic of)", "Republic of Moldova", "United Republic of Tanzania",
    "State of Palestine", "Syrian Arab Rep.", "Russia (Soviet Union)", "Serbia (Yugoslavia)",
    "DR Congo (Zaire)", "Myanmar (Burma)", "Kingdom of eSwatini (Swaziland)", "Macedonia, FYR",
    "Bosnia-Herzegovina", "Belarus (Byelorussia)", "Sri Lanka (Ceylon)", "Korea, South",
    "Korea, North", "Burma/Myanmar", "Congo (Kinshasa)", "Congo (Brazzaville)", "Timor Leste",
    "Gambia, The", "Hong Kong SAR, China", "Taiwan, China", "Democratic Republic of Congo",
    "The former Yugoslav Republic of Macedonia", "Turkey (Turkiye)", "CÔTE D’ IVOIRE",
    "KOREA, SOUTH", "eSwatini",
)
#: Places feeds write that no country table knows: kept as written, counted as unrecognised.
UNKNOWN_PLACES = ("Somaliland", "Transnistria", "Abkhazia", "Northern Cyprus", "Kashmir",
                  "Puntland", "Crimea", "Zanzibar")
#: Other names feeds write for a member (the table of sources knows them all), used for about
#: a third of the alerts of these members.
SOURCE_VARIANTS = {
    "CPJ": ("Committee to Protect Journalists", "Committee to Protect Journalists (CPJ)"),
    "RSF": ("Reporters sans frontières", "Reporters Without Borders",
            "Reporters Without Borders (RSF)", "Reporteros sin Fronteras"),
    "ARTICLE 19": ("Article 19", "Article 19 International"),
    "IPI": ("International Press Institute",),
    "IFJ": ("International Federation of Journalists", "Fédération internationale des journalistes"),
    "MFWA": ("Media Foundation for West Africa",),
    "MISA": ("Media Institute of Southern Africa", "MISA Regional"),
    "Human Rights Watch": ("HRW",),
    "IAPA": ("Inter American Press Association", "Sociedad Interamericana de Prensa"),
    "WiPC": ("PEN International Writers in Prison Committee",),
}
HEADINGS = ("Background", "What happened", "Context", "Our recommendations", "Further reading",
            "Reactions", "The case so far")
TITLE_ENDINGS = ("", "", " after reporting on corruption", " over social media posts",
                 " while covering protests", " in the capital", " during election coverage",
                 "; colleagues fear for his safety", "; newspaper offices raided",
                 " as press freedom deteriorates")
LINK_HOSTS = ("ifex.org", "cpj.org", "rsf.org", "article19.org", "ipi.media", "ifj.org",
              "mfwa.org", "hrw.org", "pen-international.org", "freedomhouse.org")
PARAGRAPH_POOL_SIZE, LIST_POOL_SIZE = 2048, 512
HTML_MIN, HTML_MODE, HTML_MAX = 1000, 2200, 4000  # bytes of content_html, before an update
TEXT_MIN, TEXT_MAX = 700, 2500  # characters of content_text (one item in ten)


class RealItemMaker(ItemMaker):
    """Items shaped like real IFEX alerts; the same interface and determinism as ItemMaker.

    HTML paragraphs and lists are drawn from pools made once per feed (marked up with links,
    emphasis and entities as publishers' editors write them), so an item costs a few joins
    however long its body; the lead paragraph, title, summary and links are the item's own.
    """

    def __init__(self, seed: int, modified_fraction: float, modified_stamp: str) -> None:
        super().__init__(seed, modified_fraction, modified_stamp)
        self.paragraphs = [self.paragraph() for _ in range(PARAGRAPH_POOL_SIZE)]
        self.lists = [self.html_list() for _ in range(LIST_POOL_SIZE)]

    def marked_up(self, sentence: str) -> str:
        """One sentence with the inline markup and entities of an edited page."""
        rng = self.rng
        words = sentence.replace("'", "&#8217;").split(" ")
        if rng.random() < 0.35 and len(words) > 4:
            at = rng.randrange(1, len(words) - 2)
            host = self.pick(LINK_HOSTS)
            slug = "-".join(w.strip(".,").lower() for w in words[at:at + 3])
            words[at] = f'<a href="https://{host}/{slug}/">{words[at]}'
            words[at + 2] += "</a>"
        elif rng.random() < 0.3:
            at = rng.randrange(len(words) - 1)
            tag = "strong" if rng.random() < 0.5 else "em"
            words[at] = f"<{tag}>{words[at]}</{tag}>"
        text = " ".join(words)
        if rng.random() < 0.15:
            text = text.replace(" and ", " &amp; ", 1)
        if rng.random() < 0.1:
            text = text.replace(" ", "&nbsp;", 1)
        return text

    def paragraph(self) -> str:
        """A pooled paragraph of two to six sentences (about 150-900 bytes)."""
        count = self.rng.randint(2, 6)
        return "<p>" + " ".join(self.marked_up(self.pick(self.sentences))
                                for _ in range(count)) + "</p>"

    def html_list(self) -> str:
        """A pooled bulleted list: demands, recommendations, related cases."""
        items = "".join(f"<li>{self.marked_up(self.pick(self.sentences))}</li>"
                        for _ in range(self.rng.randint(3, 6)))
        return f"<ul>{items}</ul>"

    def written_country(self) -> str:
        """A country as a feed writes it: mostly everyday names (variants and former names
        among them), some as other datasets write them, a few that no table knows."""
        roll = self.rng.random()
        if roll < 0.82:
            return self.pick_weighted(COUNTRIES, self.country_weights)
        if roll < 0.97:
            return self.pick(OTHER_DATASET_NAMES)
        return self.pick(UNKNOWN_PLACES)

    def country(self) -> str | list[str] | None:
        """~10% no country, ~4% two, otherwise one (written as :meth:`written_country`)."""
        roll = self.rng.random()
        if roll < 0.10:
            return None
        first = self.written_country()
        if roll < 0.14:
            second = self.written_country()
            return [first, second] if second != first else first
        return first

    def source(self) -> str:
        """A member drawn with a skew, written as its acronym or another of its names."""
        source = self.pick_weighted(SOURCES, self.source_weights)
        variants = SOURCE_VARIANTS.get(source)
        if variants and self.rng.random() < 0.35:
            return self.pick(variants)
        return source

    def html_body(self, lead: str, number: int) -> str:
        """A lead paragraph, then pooled paragraphs (a list in ~40% of items, a heading in ~18%)
        until the body reaches its drawn length of 1-4 KB, then a "read more" link."""
        rng = self.rng
        target = int(rng.triangular(HTML_MIN, HTML_MAX, HTML_MODE))
        parts = [f"<p><strong>{lead}</strong></p>"]
        size = len(parts[0])
        list_at = rng.randint(1, 3) if rng.random() < 0.45 else -1
        heading_at = rng.randint(2, 4) if rng.random() < 0.25 else -1
        closing = (f'<p>Read the full alert on <a href="https://ifex.org/alerts/{number}/">'
                   "the IFEX website</a>.</p>")
        while size + len(closing) < target:
            if len(parts) == heading_at:
                parts.append(f"<h2>{self.pick(HEADINGS)}</h2>")
            if len(parts) == list_at:
                parts.append(self.pick(self.lists))
            paragraph = self.pick(self.paragraphs)
            if size + len(paragraph) + len(closing) > HTML_MAX and len(parts) > 1:
                break
            parts.append(paragraph)
            size = sum(map(len, parts))
        parts.append(closing)
        return "\n".join(parts)

    def dates(self) -> dict[str, str]:
        """date_published (~2% undated, ~10% with an offset); date_modified for ~25%."""
        rng = self.rng
        published = self.published()
        dates = {}
        if rng.random() >= 0.02:
            offset = self.pick(OFFSETS) if rng.random() < 0.10 else ""
            dates["date_published"] = rfc3339(published, offset)
        if rng.random() < 0.25:
            revised = min(published + int(rng.random() * 30 * DAY), LAST_DATE)
            dates["date_modified"] = rfc3339(revised)
        return dates

    def item(self, number: int) -> dict[str, object]:
        """Build item `number`; the revision of the "modified" variant is applied last, from
        the second generator only, so both variants agree on every other item and field."""
        rng = self.rng
        country = self.country()
        place = (country if isinstance(country, str) else " and ".join(country)) if country \
            else "an undisclosed location"
        violations = self.pick_some(VIOLATIONS) + ([self.pick(VIOLATIONS)]
                                                   if rng.random() < 0.1 else [])
        violations = list(dict.fromkeys(violations))
        targets = self.pick_some(TARGETS)
        source = self.source()
        phrase = VIOLATION_PHRASES[violations[0]]
        target = targets[0].lower()
        article = "an" if target[0] in "aeiou" else "a"
        title = f"{place}: {target} {phrase}{self.pick(TITLE_ENDINGS)}"
        lead = f"{source} reports that {article} {target} was {phrase} in {place}"
        lead += "" if lead.endswith(".") else "."
        item: dict[str, object] = {
            "id": f"bench:{number}",
            "url": f"https://ifex.org/alerts/{number}/",
            "title": title,
        }
        if rng.random() < 0.3:
            item["external_url"] = f"https://{self.pick(LINK_HOSTS)}/news/{number}/"
        if rng.random() < 0.85:
            item["summary"] = lead + " " + self.pick(self.sentences)
        if rng.random() < 0.9:
            item["content_html"] = self.html_body(lead, number)
        else:
            item["content_text"] = self.body_text(lead, TEXT_MIN, TEXT_MAX)
        item.update(self.dates())
        tags = violations + targets + [self.pick(TOPICS), source]
        if isinstance(country, str) and rng.random() < 0.5:
            tags.append(country)
        item["tags"] = tags
        slug = "-".join(source.lower().split())
        item["authors"] = [{"name": source, "url": f"https://ifex.org/members/{slug}/"}]
        item["language"] = self.pick(LANGUAGES)
        ifex: dict[str, object] = {} if country is None else {"country": country}
        ifex.update(violations=violations, targets=targets, source=source,
                    alert_type=self.pick(ALERT_TYPES))
        item["_ifex"] = ifex
        if self.touch_rng.random() < self.modified_fraction:
            self.touched += 1
            item["title"] = f"Update: {title}"
            update = f"<p><strong>Update:</strong> {source} has published new details.</p>"
            if "content_html" in item:
                item["content_html"] += "\n" + update
            else:
                item["content_text"] += f" Update: {source} has published new details."
            item["date_modified"] = self.modified_stamp
        return item


SHAPES = {"real": RealItemMaker, "short": ItemMaker}


def encoded_items(n: int, maker: ItemMaker, separator: str) -> Iterator[bytes]:
    """Yield the encoded items in chunks of FLUSH_EVERY, joined by `separator`."""
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    for start in range(0, n, FLUSH_EVERY):
        stop = min(start + FLUSH_EVERY, n)
        chunk = separator.join(encode(maker.item(number)) for number in range(start, stop))
        yield (chunk if start == 0 else separator + chunk).encode()


def feed_header(n: int, seed: int) -> bytes:
    """Encode the JSON Feed object up to the opening of its `items` array."""
    head = json.dumps({
        "version": JSONFEED_VERSION,
        "title": f"Synthetic alert feed for benchmarks ({n} items, seed {seed})",
        "home_page_url": "https://alerts.example.org/",
        "description": "Generated by benchmarks/make_feed.py; not real alerts.",
        "language": "en",
    }, ensure_ascii=False)
    return (head[:-1] + ', "items": [\n').encode()


def write_stream(n: int, out: BinaryIO, fmt: str, seed: int, maker: ItemMaker) -> None:
    """Write the feed to an open binary stream, item chunk by item chunk."""
    if fmt == "jsonfeed":
        out.write(feed_header(n, seed))
        out.writelines(encoded_items(n, maker, ",\n"))
        out.write(b"\n]}\n")
    else:
        out.writelines(encoded_items(n, maker, "\n"))
        if n:
            out.write(b"\n")


def write_feed(
    n: int,
    out: BinaryIO | str | os.PathLike[str],
    fmt: str = "jsonfeed",
    seed: int = 1,
    *,
    compress: bool = False,
    modified_fraction: float = 0.0,
    modified_stamp: str = DEFAULT_MODIFIED_STAMP,
    shape: str = "real",
) -> int:
    """Write an n-item feed to a binary stream or a path; return how many items were modified.

    `fmt` is "jsonfeed" or "jsonl"; `shape` "real" or "short" (see the module docstring);
    `compress` gzips the output. With `modified_fraction`, that
    share of items (the same ones for the same seed) carry `date_modified = modified_stamp` and
    one more sentence: re-importing it after the plain feed measures the update path.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if shape not in SHAPES:
        raise ValueError(f"unknown shape {shape!r}; expected one of {', '.join(SHAPES)}")
    maker = SHAPES[shape](seed, modified_fraction, modified_stamp)
    with contextlib.ExitStack() as stack:
        stream = stack.enter_context(open(out, "wb")) if isinstance(out, (str, os.PathLike)) \
            else out
        if compress:
            # mtime=0 keeps the gzip bytes identical across runs; level 1 because these feeds
            # are for timing the importer, and the default level 9 makes
            # generating them about 2.7 times slower.
            stream = stack.enter_context(
                gzip.GzipFile(fileobj=stream, mode="wb", mtime=0, compresslevel=1))
        write_stream(n, stream, fmt, seed, maker)
    return maker.touched


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Write a deterministic synthetic alert feed.")
    parser.add_argument("n", type=int, help="number of items")
    parser.add_argument("output", help='file to write, or "-" for standard output')
    parser.add_argument("--format", choices=FORMATS, default="jsonfeed")
    parser.add_argument("--shape", choices=tuple(SHAPES), default="real",
                        help="real: alerts shaped like IFEX's (default); short: the old shape")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--gzip", action="store_true", help="gzip the output")
    parser.add_argument("--modified-fraction", type=float, default=0.0,
                        help="share of items given a newer date_modified (default 0)")
    parser.add_argument("--modified-stamp", default=DEFAULT_MODIFIED_STAMP,
                        help=f"date_modified of those items (default {DEFAULT_MODIFIED_STAMP})")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    out = sys.stdout.buffer if args.output == "-" else Path(args.output)
    started = time.perf_counter()
    try:
        touched = write_feed(args.n, out, args.format, args.seed, compress=args.gzip,
                             modified_fraction=args.modified_fraction,
                             modified_stamp=args.modified_stamp, shape=args.shape)
    except BrokenPipeError:
        # The reader (`head`, say) stopped early; say so without a traceback, and keep Python's
        # final flush of stdout from raising again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        print("make_feed: output closed early", file=sys.stderr)
        return 1
    seconds = time.perf_counter() - started
    rate = args.n / seconds if seconds else 0.0
    print(f"wrote {args.n} items ({touched} modified) in {seconds:.2f} s ({rate:,.0f} items/s)",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
