"""Bulk writes: PostgreSQL COPY through psycopg 3, plain multi-row INSERTs elsewhere (SQLite, `make run`).

Shared by seed_demo and the importers that load tens of thousands of rows (transparency results,
historical experiences). Rows are tuples in the order of a table's columns; any other concrete
column gets its model default, so a column added later does not break a loader. seed_demo takes
ids from per-table counters started after the current maximum and resets the sequences once the
load is over (it loads into a database nobody else writes to at the same time); an importer
writes into a temporary table instead (`name=`), then merges it with one INSERT … SELECT.
"""

import queue
import threading
from collections.abc import Callable

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone


class Table:
    """One table the generator fills: its model, the columns it generates, and an id counter."""

    def __init__(self, model: type[models.Model], columns: tuple[str, ...], *, name: str = ""):
        """`name`: a temporary table holding exactly `columns` of the model's, not the model's own table."""
        self.model = model
        self.columns = columns
        self.next_id = 1
        self.temporary_name = name
        concrete = [f for f in model._meta.concrete_fields if not getattr(f, "generated", False)]
        by_column = {f.column: f for f in concrete}
        unknown = set(columns) - by_column.keys()
        if unknown:
            raise ValueError(f"{model._meta.db_table}: unknown columns {sorted(unknown)}")
        self.fields = [by_column[c] for c in columns]
        # An id left out is the database's to number (importers); seed_demo writes its own.
        left_out = [f for f in concrete if f.column not in columns and f is not model._meta.auto_field]
        self.extra_fields = [] if name else left_out
        self.extra_values = tuple(_default(f) for f in self.extra_fields)

    @property
    def name(self) -> str:
        return self.temporary_name or self.model._meta.db_table

    def create_temporary(self) -> None:
        """The empty temporary table `name`, with the model table's column types; dropped by `drop_temporary`."""
        quote = connection.ops.quote_name
        columns = ", ".join(quote(c) for c in self.columns)
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {quote(self.name)}")
            # LIMIT 0 copies the column types on both PostgreSQL and SQLite, and no constraint.
            cursor.execute(
                f"CREATE TEMPORARY TABLE {quote(self.name)} AS SELECT {columns} "
                f"FROM {quote(self.model._meta.db_table)} LIMIT 0"
            )

    def drop_temporary(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(self.name)}")

    def all_columns(self) -> list[str]:
        return [*self.columns, *(f.column for f in self.extra_fields)]

    def start_after_existing(self) -> None:
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT MAX({quote('id')}) FROM {quote(self.name)}")
            self.next_id = (cursor.fetchone()[0] or 0) + 1

    def take_id(self) -> int:
        pk = self.next_id
        self.next_id += 1
        return pk


def _default(field: models.Field):
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return timezone.now()  # what save() would have set
    return field.get_default()


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` ids of `model`'s table nobody else will be given, for rows whose children are written with them.

    PostgreSQL draws them from the table's sequence, safe with concurrent writers. SQLite (`make run`,
    one writer at a time) takes them after the current maximum; AUTOINCREMENT then moves past them.
    """
    if count == 0:
        return []
    table = connection.ops.quote_name(model._meta.db_table)
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [model._meta.db_table, column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT MAX({connection.ops.quote_name(column)}) FROM {table}")
        first = (cursor.fetchone()[0] or 0) + 1
    return list(range(first, first + count))


def write(table: Table, rows: list[tuple]) -> None:
    if not rows:
        return
    if table.extra_values:
        rows = [(*row, *table.extra_values) for row in rows]  # some writers build rows as lists
    if connection.vendor == "postgresql":
        _copy(table, rows)
    else:
        _insert(table, rows)


def _copy(table: Table, rows: list[tuple]) -> None:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in table.all_columns())
    with connection.cursor() as cursor:
        # Django's cursor wraps psycopg's; COPY needs the driver cursor itself.
        with cursor.cursor.copy(f"COPY {quote(table.name)} ({columns}) FROM STDIN") as copy:
            write_row = copy.write_row
            for row in rows:
                write_row(row)


def _insert(table: Table, rows: list[tuple]) -> None:
    """Multi-row INSERTs with Django's own value adaptation (aware datetimes become UTC text on SQLite)."""
    quote = connection.ops.quote_name
    fields = [*table.fields, *table.extra_fields]
    adapters = [(i, _adapter(f)) for i, f in enumerate(fields)]
    adapters = [(i, adapt) for i, adapt in adapters if adapt]
    placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
    columns = ", ".join(quote(c) for c in table.all_columns())
    # SQLite allows 32,766 parameters per statement.
    batch = max(1, 30000 // len(fields))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            params = []
            for row in chunk:
                row = list(row)
                for i, adapt in adapters:
                    if row[i] is not None:
                        row[i] = adapt(row[i])
                params.extend(row)
            values = ", ".join([placeholders] * len(chunk))
            cursor.execute(f"INSERT INTO {quote(table.name)} ({columns}) VALUES {values}", params)


def _adapter(field: models.Field):
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return connection.ops.adapt_datefield_value
    return None


def write_chunk(tables: dict[str, Table], rows: dict[str, list], *, skip_foreign_key_triggers: bool = False) -> None:
    """One chunk, parents first, in one transaction.

    PostgreSQL checks each foreign key of each row with a trigger at commit: 40 % of the load
    time. With `skip_foreign_key_triggers` (see `can_skip_foreign_key_triggers`), the chunk is
    written as `pg_restore --disable-triggers` does, and `check_foreign_keys` verifies the whole
    load afterwards in one anti-join per foreign key.
    """
    with transaction.atomic():
        if skip_foreign_key_triggers:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
        for key, table in tables.items():
            write(table, rows[key])


def can_skip_foreign_key_triggers(tables: list[Table]) -> bool:
    """On PostgreSQL, as a superuser, when the tables have no trigger but the foreign keys' own.

    `session_replication_role = replica` silences every trigger; a trigger of ours (a search
    column kept up to date, say) must keep firing, so its presence turns the shortcut off.
    """
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if not cursor.fetchone()[0]:
            return False
        cursor.execute(
            "SELECT COUNT(*) FROM pg_trigger WHERE NOT tgisinternal AND tgrelid = ANY(%s::regclass[])",
            [[t.name for t in tables]],
        )
        return cursor.fetchone()[0] == 0


def check_foreign_keys(tables: list[Table], first_ids: dict[str, int]) -> list[str]:
    """Foreign keys of the rows written since `first_ids` that point nowhere, one message per column."""
    quote = connection.ops.quote_name
    problems = []
    with connection.cursor() as cursor:
        for table in tables:
            for field in table.fields:
                if not field.is_relation or not field.many_to_one:
                    continue
                target = field.related_model._meta
                cursor.execute(
                    f"SELECT COUNT(*) FROM {quote(table.name)} AS child WHERE child.{quote('id')} >= %s "
                    f"AND child.{quote(field.column)} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
                    f"{quote(target.db_table)} AS parent WHERE parent.{quote(target.pk.column)} = "
                    f"child.{quote(field.column)})",
                    [first_ids[table.name]],
                )
                orphans = cursor.fetchone()[0]
                if orphans:
                    problems.append(f"{table.name}.{field.column} : {orphans} références introuvables")
    return problems


class ChunkWriter:
    """Writes chunks in order, in a thread with its own connection when it can.

    On PostgreSQL outside any transaction, the server checks and indexes a chunk while this
    process prepares the next one: two cores at work instead of one. Inside a transaction (a
    test) or on SQLite, chunks are written inline on the caller's connection.

    With `atomic=True`, used as a context manager, every chunk goes into one transaction of the
    writer's, committed on leaving the block, or rolled back if the block raised or called
    `rollback()`: an importer's all-or-nothing while its next chunk is read and checked. Inline,
    that transaction is an atomic block of the caller's connection.
    """

    def __init__(
        self, write: Callable[[object], None] | None = None, *, threaded: bool | None = None, atomic: bool = False
    ):
        """Without `write`, each chunk submitted is a step to run: a function without argument."""
        self.write = write or _run
        self.atomic = atomic
        self.error: BaseException | None = None
        self.rolled_back = False
        if threaded is None:
            threaded = connection.vendor == "postgresql" and not connection.in_atomic_block
        self.threaded = threaded
        self.inline_block = None
        if self.threaded:
            self.queue: queue.Queue = queue.Queue(maxsize=1)
            self.thread = threading.Thread(target=self._work, name="bulk-writer", daemon=True)
            self.thread.start()

    def __enter__(self) -> "ChunkWriter":
        if self.atomic and not self.threaded:
            self.inline_block = transaction.atomic()
            self.inline_block.__enter__()
        return self

    def __exit__(self, kind, error, trace) -> None:
        if error is not None:
            self.rolled_back = True
        if self.inline_block is not None:
            if self.rolled_back:
                transaction.set_rollback(True)
            self.inline_block.__exit__(kind, error, trace)
            self._raise_if_failed()
        elif error is None:
            self.close()
        else:
            self._stop()  # the caller's error is the one to raise

    def submit(self, chunk) -> None:
        if not self.threaded:
            self.write(chunk)
            return
        self._raise_if_failed()
        self.queue.put(chunk)

    def rollback(self) -> None:
        """Nothing of what was written is kept (an `atomic` writer only)."""
        self.rolled_back = True

    def close(self) -> None:
        """Wait for the last chunk (and the commit); re-raise here what failed in the thread."""
        self._stop()
        self._raise_if_failed()

    def _stop(self) -> None:
        if self.threaded and self.thread.is_alive():
            self.queue.put(None)
            self.thread.join()

    def _raise_if_failed(self) -> None:
        if self.error is not None:
            raise self.error

    def _work(self) -> None:
        try:
            if self.atomic:
                with transaction.atomic():
                    self._drain()
                    if self.error is not None or self.rolled_back:
                        transaction.set_rollback(True)
            else:
                self._drain()
        except BaseException as error:  # noqa: BLE001 — the commit itself (deferred constraints), handed over
            self.error = self.error or error
        finally:
            connection.close()  # the thread's own connection

    def _drain(self) -> None:
        # After a failure, keep draining so the producer never blocks on a full queue.
        while (chunk := self.queue.get()) is not None:
            if self.error is None:
                try:
                    self.write(chunk)
                except BaseException as error:  # noqa: BLE001 — handed over to the producer
                    self.error = error


def _run(step: Callable[[], None]) -> None:
    step()


def reset_sequences(tables: list[Table]) -> None:
    """Move each id sequence past the ids written explicitly (what `manage.py sqlsequencereset` prints)."""
    statements = connection.ops.sequence_reset_sql(no_style(), [t.model for t in tables])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def vacuum_analyze(tables: list[Table]) -> None:
    """Fresh statistics and visibility maps after a bulk load (DESIGN.md: autovacuum may be off).

    VACUUM cannot run inside a transaction (a test wrapping the seed in one): ANALYZE still can.
    """
    quote = connection.ops.quote_name
    command = "VACUUM ANALYZE" if connection.vendor == "postgresql" and not connection.in_atomic_block else "ANALYZE"
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"{command} {quote(table.name)}")
