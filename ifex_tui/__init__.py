"""ifex-tui: an offline terminal browser for the IFEX archive of free-expression alerts."""

__version__ = "0.1.0"
