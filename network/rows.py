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
from django.db.models import Field, Model


@cache
def _statement(model: type[Model], vendor: str, names: tuple[str, ...]) -> tuple[str, tuple[Field, ...]]:
    meta = model._meta
    fields = tuple(meta.get_field(name) for name in names)
    connection = connections[router.db_for_write(model)]
    q = connection.ops.quote_name
    columns = ", ".join(q(field.column) for field in fields)  # type: ignore[union-attr]
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {q(meta.db_table)} ({columns}) VALUES ({marks}) RETURNING {q(meta.pk.column)}"  # type: ignore[union-attr]  # noqa: S608 (names)
    return sql, fields  # type: ignore[return-value]


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
