#!/usr/bin/env python3
"""Checks that the services' SQL also runs on PostgreSQL, where no PostgreSQL suite ran it (README,
"Running on PostgreSQL").

`make test` runs the Swift tests with AFTERCARE_SQL_LOG=DIR: every service database (in the tests and
in the executables they start) logs each distinct statement it runs, SQLite's to statements-<pid>.sql
and PostgreSQL's to postgres-statements-<pid>.sql. Most statements run on both drivers, in the
suites that run the stores, the services and the executables on PostgreSQL; a statement only a
SQLite run reached (a page of the operator API, a listing no PostgreSQL test asks for) would
otherwise meet PostgreSQL first in production. This script starts a throw-away PostgreSQL server,
runs the logged schema statements (CREATE and ALTER TABLE, CREATE INDEX; SQLite's BLOB spelled BYTEA,
the one type name the dialects disagree on), then PREPAREs every other statement that no
PostgreSQL run ran — parsed, resolved against the tables and typed by PostgreSQL, not executed —
and fails listing each one PostgreSQL rejects. The statements it prepared are written to
DIR/sqlite-only.sql.

Skipped, because they are not the services' SQL: SQLite's PRAGMAs and transaction statements that
GRDB issues, GRDB's own tables (grdb_migrations and its probes), the health check's sqlite_version(), and test fixtures
that use SQLite triggers on purpose (and the statements SQLite reports from inside them, as "-- …").

Usage: scripts/check-postgres-sql.py LOG_DIR
"""
import glob
import os
import pwd
import re
import shutil
import subprocess
import sys
import tempfile

SKIP = re.compile(
    r"^\s*--|^\s*(PRAGMA|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|END)\b"
    r"|sqlite_master|sqlite_version|grdb_|TRIGGER|RAISE\(",
    re.IGNORECASE,
)


def statements(log_dir, prefix="statements"):
    seen, ordered = set(), []
    for path in sorted(glob.glob(os.path.join(log_dir, f"{prefix}-*.sql"))):
        with open(path, encoding="utf-8") as handle:
            for record in handle.read().split("\n--;\n"):
                sql = record.strip()
                if sql and sql not in seen:
                    seen.add(sql)
                    ordered.append(sql)
    return ordered


def numbered_parameters(sql):
    """SQLite's `?` placeholders as PostgreSQL's $1, $2, … (outside string literals)."""
    out, count, quoted = [], 0, False
    for char in sql:
        if char == "'":
            quoted = not quoted
        if char == "?" and not quoted:
            count += 1
            out.append(f"${count}")
        else:
            out.append(char)
    return "".join(out)


def postgres_bin():
    for directory in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if os.path.exists(os.path.join(directory, "initdb")):
            return directory
    initdb = shutil.which("initdb")
    return os.path.dirname(initdb) if initdb else None


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    every = statements(sys.argv[1])
    if not every:
        sys.exit(f"postgres-sql: no statements logged in {sys.argv[1]} (run the tests with AFTERCARE_SQL_LOG)")
    checked = [sql for sql in every if not SKIP.search(sql)]
    # Schema statements run (PostgreSQL cannot PREPARE them): tables, then later migrations' changes
    # to them, then indexes, each group in the order the migrations ran them.
    order = [r"CREATE\s+TABLE", r"ALTER\s+TABLE", r"CREATE\s+(UNIQUE\s+)?INDEX", r"DROP\s+(TABLE|INDEX)"]
    def schema_rank(sql):
        return next((rank for rank, pattern in enumerate(order) if re.match(r"\s*" + pattern + r"\b", sql, re.IGNORECASE)), None)
    creates = sorted((sql for sql in checked if schema_rank(sql) is not None), key=schema_rank)
    # What a PostgreSQL run ran needs no preparing (whitespace aside: the drivers log it as written).
    ran_on_postgres = {" ".join(sql.split()) for sql in statements(sys.argv[1], "postgres-statements")}
    others = [sql for sql in checked if sql not in creates and " ".join(sql.split()) not in ran_on_postgres]
    with open(os.path.join(sys.argv[1], "sqlite-only.sql"), "w", encoding="utf-8") as handle:
        handle.write("".join(sql + "\n--;\n" for sql in others))
    ran = len(checked) - len(creates) - len(others)

    binaries = postgres_bin()
    if binaries is None:
        sys.exit("postgres-sql: PostgreSQL is not installed (apt-get install postgresql)")
    work = tempfile.mkdtemp(prefix="ac-pg-", dir="/tmp")
    os.chmod(work, 0o755)
    run_as = []
    if os.geteuid() == 0:  # initdb refuses root
        user = pwd.getpwnam("postgres")
        os.chown(work, user.pw_uid, user.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    data = os.path.join(work, "data")
    failures = []
    try:
        subprocess.run(run_as + [f"{binaries}/initdb", "-D", data, "-A", "trust", "-U", "aftercare", "--no-sync", "-E", "UTF8"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        subprocess.run(run_as + [f"{binaries}/pg_ctl", "-D", data, "-l", os.path.join(work, "log"), "-w", "start",
                                 "-o", f"-k {work} -c listen_addresses= -c fsync=off"],
                       check=True, stdout=subprocess.DEVNULL)

        def psql(sql):
            return subprocess.run(
                [f"{binaries}/psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", work, "-U", "aftercare", "-d", "postgres", "-c", sql],
                capture_output=True, text=True)

        for sql in creates:
            result = psql(re.sub(r"\bBLOB\b", "BYTEA", sql))
            if result.returncode != 0:
                failures.append((sql, result.stderr.strip()))
        for index, sql in enumerate(others):
            result = psql(f"PREPARE check_{index} AS {numbered_parameters(sql)}")
            if result.returncode != 0:
                failures.append((sql, result.stderr.strip()))
    finally:
        subprocess.run(run_as + [f"{binaries}/pg_ctl", "-D", data, "-m", "immediate", "stop"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(work, ignore_errors=True)

    for sql, error in failures:
        print(f"postgres-sql: REJECTED\n  {' '.join(sql.split())}\n  {error}\n", file=sys.stderr)
    print(f"postgres-sql: {len(creates)} schema statements run; of the {ran + len(others)} others, {ran} ran on PostgreSQL "
          f"in the tests and {len(others)} only on SQLite, prepared here ({sys.argv[1]}/sqlite-only.sql): "
          f"{len(failures)} rejected ({len(every) - len(checked)} SQLite/GRDB-internal skipped)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
