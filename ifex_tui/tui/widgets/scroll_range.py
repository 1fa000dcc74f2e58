"""Change what a virtual view can scroll through without laying out the screen.

A ``ScrollView``'s ``virtual_size`` is a layout reactive: setting it reflows the whole screen,
and the scrollbar learns its new range only from that reflow, so it is drawn one frame after
the rows it belongs to.  The list and the detail pane have a size fixed by the stylesheet;
only their scroll range follows the data, so both update it here, in the frame that draws it.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.scroll_view import ScrollView


def set_scroll_range(view: ScrollView, size: Size) -> None:
    """Give ``view`` a new virtual size and scrollbar range (then it must be refreshed)."""
    if size != view.virtual_size:
        view.set_reactive(ScrollView.virtual_size, size)
        view._scroll_update(size)  # what the reflow would do for this view, done now
