"""Writing many plain rows in one statement, for the hot paths that skip model instances."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection as default_connection
from django.db.models import Model


def insert_rows(
    model: type[Model],
    fields: Sequence[str],
    rows: Iterable[Sequence],
    *,
    conflict: str = "",
    params: Sequence = (),
    chunk: int = 500,
    db=None,
) -> list[tuple]:
    """INSERT ``rows`` of plain values (one per name in ``fields``, ready for the
    database: datetimes through ``get_db_prep_save``) into ``model``'s table, ``chunk``
    rows a statement; return what a RETURNING clause gives.

    ``conflict`` is SQL that follows the VALUES list (an ``ON CONFLICT …`` clause, a
    ``RETURNING``), with its own ``params``. Used where a page or a signal writes rows
    often enough that building a model instance a row shows in the profile.
    """
    db = db or default_connection
    qn = db.ops.quote_name
    table = qn(model._meta.db_table)
    columns = ", ".join(qn(model._meta.get_field(name).column) for name in fields)
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    rows = list(rows)
    out: list[tuple] = []
    with db.cursor() as cursor:
        for start in range(0, len(rows), chunk):
            part = rows[start : start + chunk]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * len(part))} {conflict}".rstrip(),
                [value for row in part for value in row] + list(params),
            )
            if cursor.description is not None:
                out += cursor.fetchall()
    return out
