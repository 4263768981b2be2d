"""What Close's ETL connectors send to read leads, copied from their code.

Singer's tap-closeio (`tap_closeio/streams.py`, `sync_leads`); Airbyte's source-close-com in
its Python CDK version (`source_close_com/source.py`), its low-code 0.29 manifest, and its 0.6
manifest, whose lead stream sends no query but a JSON body with its GET.
"""

SINGER = 'date_updated>="2026-01-31T09:15" sort:date_updated'
AIRBYTE_CDK = "sort:updated date_updated >= 2021-06-25T13:30:09.151000+00:00"
AIRBYTE_029 = "sort:updated date_updated > 2021-06-25 date_updated <= 2022-06-25"


def airbyte_06_slice(moment):
    """A slice bound as Airbyte 0.6's `DatetimeBasedCursor` writes it."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%f%z")


def airbyte_06_body(start_time, end_time):
    """The JSON body of Airbyte 0.6's lead stream (`manifest.yaml`), for one slice."""
    date_updated = {"type": "regular_field", "field_name": "date_updated", "object_type": "lead"}
    range_condition = {
        "type": "field_condition",
        "field": date_updated,
        "negate": False,
        "condition": {
            "type": "moment_range",
            "before": {"type": "fixed_local_date", "value": end_time, "which": "end"},
            "on_or_after": {"type": "fixed_local_date", "value": start_time, "which": "start"},
        },
    }
    return {
        "sort": [{"field": date_updated, "direction": "asc"}],
        "limit": 200,
        "query": {
            "type": "and",
            "negate": False,
            "queries": [
                {"type": "object_type", "negate": False, "object_type": "lead"},
                {
                    "type": "and",
                    "negate": False,
                    "queries": [{"type": "and", "negate": False, "queries": [range_condition]}],
                },
            ],
        },
        "results_limit": None,
    }
