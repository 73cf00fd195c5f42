#!/usr/bin/env python3
"""Fails when a statement the stores ran on SQLite was run by no PostgreSQL test (README,
"Running on PostgreSQL").

`make test` runs the Swift tests with AFTERCARE_SQL_LOG=DIR: each process's service databases (in
the tests and in the executables they start) log each distinct statement their stores run through
the database layer, SQLite's to statements-<pid>-<random>.sql and PostgreSQL's to
postgres-statements-<pid>-<random>.sql, both as the layer wrote them (the random part: a pid the
kernel gives again must not write over an earlier process's log). A statement only SQLite ran (a
page of the operator API, a listing no PostgreSQL test asks for) would meet PostgreSQL first in
production: run the test that reaches it on both drivers, or add one on PostgreSQL.

`IN (?, ?, …)` lists compare as one statement whatever their length: the layer writes them for a
list of values (sqlPlaceholders), and PostgreSQL parses and plans every length alike. Whitespace
is not compared either, nor the schema (CREATE, ALTER, DROP): the migrations spell it per dialect
(SQLDialect: BLOB or BYTEA), and every store's suite migrates a PostgreSQL database. A test that
reads SQLite's plan of a statement (`EXPLAIN QUERY PLAN …`) counts as running the statement itself:
that must have run on PostgreSQL too. The statements only SQLite ran are written to
DIR/sqlite-only.sql.

Usage: scripts/check-sql-coverage.py LOG_DIR
"""
import glob
import os
import re
import sys

IN_LIST = re.compile(r"\bIN \(\?(?:, \?)*\)")
SCHEMA = re.compile(r"\s*(CREATE|ALTER|DROP)\b", re.IGNORECASE)
EXPLAINED = re.compile(r"^\s*EXPLAIN\s+QUERY\s+PLAN\s+", re.IGNORECASE)


def statements(log_dir, prefix):
    seen, ordered = set(), []
    for path in sorted(glob.glob(os.path.join(log_dir, f"{prefix}-*.sql"))):
        with open(path, encoding="utf-8") as handle:
            for record in handle.read().split("\n--;\n"):
                sql = record.strip()
                if sql and sql not in seen:
                    seen.add(sql)
                    ordered.append(sql)
    return ordered


def shape(sql):
    return IN_LIST.sub("IN (?…)", " ".join(EXPLAINED.sub("", sql, count=1).split()))


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    log_dir = sys.argv[1]
    on_sqlite = [sql for sql in statements(log_dir, "statements") if not SCHEMA.match(sql)]
    on_postgres = {shape(sql) for sql in statements(log_dir, "postgres-statements")}
    if not on_sqlite or not on_postgres:
        sys.exit(f"sql-coverage: no statements logged for a driver in {log_dir} (run the tests with AFTERCARE_SQL_LOG)")
    only = [sql for sql in on_sqlite if shape(sql) not in on_postgres]
    with open(os.path.join(log_dir, "sqlite-only.sql"), "w", encoding="utf-8") as handle:
        handle.write("".join(sql + "\n--;\n" for sql in only))
    for sql in only:
        print(f"sql-coverage: ran on SQLite only\n  {' '.join(sql.split())}\n", file=sys.stderr)
    print(f"sql-coverage: of the {len(on_sqlite)} statements the SQLite runs ran, {len(on_sqlite) - len(only)} ran on PostgreSQL "
          f"too and {len(only)} did not ({log_dir}/sqlite-only.sql)")
    sys.exit(1 if only else 0)


if __name__ == "__main__":
    main()
