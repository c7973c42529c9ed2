"""CSV as the commands write it, read back by field name: the header row is in Chinese words
(`CSV_HEADERS`), so the tests keep naming the fields as the JSON does."""
from __future__ import annotations

import csv
import io

from policycli.cli.render import CSV_HEADERS

FIELDS = {header: field for field, header in CSV_HEADERS.items()}


def read_csv(text: str) -> list[dict[str, str]]:
    rows = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    return [{FIELDS.get(k, k): v for k, v in row.items()} for row in rows]
