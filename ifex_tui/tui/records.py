"""Full alerts the detail pane may show next, kept by the screen.

Moving the list's cursor one row should change the list and the detail in the same frame.
A database read in a worker costs the detail a frame or two after the list, so the screen
keeps the alerts a keypress away (the rows next to the cursor, read with the one shown) and
the one the list already fetched with its rows.  The cache is bounded by size, not count:
one hostile alert can be megabytes.
"""

from __future__ import annotations

from collections import OrderedDict

#: Roughly how many characters of alerts are kept: some 200 alerts of the usual size, far more
#: than the rows next to the cursor need.  It is memory the app holds for good once a long
#: session has filled it (8 million characters was up to ~10 MB of a 150 MB goal at 1M).
BUDGET = 2_000_000
_TEXT_FIELDS = ("title", "summary", "content_html", "content_text", "body_text")


def _size(record: dict) -> int:
    return 1_000 + sum(len(record.get(field) or "") for field in _TEXT_FIELDS)


class RecordCache:
    """Alert records by pk, least recently used dropped first once over :data:`BUDGET`."""

    def __init__(self, budget: int = BUDGET):
        self.budget = budget
        self._records: OrderedDict[int, dict] = OrderedDict()
        self._used = 0

    def __contains__(self, pk: int) -> bool:
        return pk in self._records

    def get(self, pk: int) -> dict | None:
        record = self._records.get(pk)
        if record is not None:
            self._records.move_to_end(pk)
        return record

    def add(self, records: dict[int, dict]) -> None:
        for pk, record in records.items():
            if pk in self._records:
                self._used -= _size(self._records.pop(pk))
            self._records[pk] = record
            self._used += _size(record)
        while self._used > self.budget and len(self._records) > 1:
            _, dropped = self._records.popitem(last=False)
            self._used -= _size(dropped)

    def clear(self) -> None:
        """Forget everything (the archive changed: a kept alert may be out of date)."""
        self._records.clear()
        self._used = 0
