"""Datasette metadata for an archive: the facets, full-text search and labels ifex-tui uses.

A team shares one archive read-only with Datasette, an existing server, rather than one of
ours: ``datasette serve ARCHIVE --immutable -m metadata.json``.  The metadata makes Datasette's
alerts table facet by the same dimensions and search the same index, with the column labels
a researcher reads in the app.
"""

from __future__ import annotations

from ifex_tui import __version__

#: Alerts per country from the alerts' own lists (code, name, the name as written), grouped
#: by code (a name no table knows by itself), as ``ifex-tui stats --values country`` counts.
PER_COUNTRY = """SELECT coalesce(json_extract(c.value, '$.name'), json_extract(c.value, '$.written'))
         AS country,
       json_extract(c.value, '$.code') AS code,
       count(DISTINCT a.pk) AS alerts
FROM alerts a, json_each(a.countries) c
GROUP BY coalesce(code, '?' || country)
ORDER BY alerts DESC, country"""


def metadata(database: str, title: str = "IFEX alerts") -> dict:
    """The ``metadata.json`` Datasette reads for the archive it names ``database`` (the file's
    name without ``.db``)."""
    return {
        "title": title,
        "description": f"A free-expression alerts archive made by ifex-tui {__version__}.",
        "databases": {database: {"tables": {
            "alerts": {
                "label_column": "title",
                "sort_desc": "sort_date",
                "facets": ["year", "region", {"array": "violations"}, {"array": "targets"},
                           "source", "alert_type"],
                "fts_table": "alerts_fts",
                "fts_pk": "pk",
                "searchmode": "raw",
                "columns": {
                    "published": "Date as the feed wrote it",
                    "region": "IFEX region (given, or from the first country)",
                    "violations": "Violations (JSON list)",
                    "targets": "Targets (JSON list)",
                    "source": "Reporting organisation, as the feed wrote it",
                    "countries": "Countries: ISO code, name, the name as written (JSON)",
                },
            },
            "alert_facets": {"facets": ["kind", "value"],
                             "description": "One row per alert and facet value (country, region, violation, target, source as counted)."},
            **{name: {"hidden": True} for name in (
                "alerts_fts", "alerts_fts_data", "alerts_fts_idx", "alerts_fts_docsize",
                "alerts_fts_config", "facet_bitmaps", "item_hashes", "meta")},
        }, "queries": {
            "alerts_per_country": {
                "title": "Alerts per country",
                "description": "Every country with its alerts, named as ifex-tui names it (an "
                               "alert about two countries counts under each; alerts with no "
                               "country are not listed). Datasette cannot facet the alerts' "
                               "list of countries, which holds a code and names per country.",
                "sql": PER_COUNTRY,
            },
        }}},
    }
