"""One row in, one statement, without the model machinery: for the append-only rows every write adds
(its audit row, its outbox event), where `Model.objects.create` costs more Python than the INSERT itself.

Each value goes through its field's own `get_db_prep_save` (JSON, dates and times as the database wants
them), so what is stored is exactly what `create` would have stored; no signals are sent and no defaults
are filled in (give every column the row needs).
"""

from collections.abc import Mapping
from functools import cache
from typing import Any

from django.db import connections, router
from django.db.models import Model


@cache
def _statement(model: type[Model], vendor: str, names: tuple[str, ...]) -> tuple[str, tuple[Any, ...]]:
    meta = model._meta
    fields: tuple[Any, ...] = tuple(meta.get_field(name) for name in names)
    q = connections[router.db_for_write(model)].ops.quote_name
    columns = ", ".join(q(str(field.column)) for field in fields)
    marks = ", ".join(["%s"] * len(fields))
    table, pk = q(meta.db_table), q(str(meta.pk.column) if meta.pk is not None else "id")
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks}) RETURNING {pk}"  # noqa: S608 (names, not values)
    return sql, fields


def insert_row(model: type[Model], values: Mapping[str, Any]) -> Any:
    """INSERT one row of `model` with `values` (field names, or `<fk>_id` for a foreign key by id) and
    return its primary key."""
    connection = connections[router.db_for_write(model)]
    sql, fields = _statement(model, connection.vendor, tuple(values))
    params = [
        field.get_db_prep_save(value, connection)
        for field, value in zip(fields, values.values(), strict=True)
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row[0]
