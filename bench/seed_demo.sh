#!/usr/bin/env bash
# Load the demo with a million generated experiences into a fresh PostgreSQL database and time it.
# Usage: bench/seed_demo.sh [experiences]   (PGHOST/PGUSER as for psql; database `spplus_bench`, dropped first)
set -euo pipefail
cd "$(dirname "$0")/.."

EXPERIENCES="${1:-1000000}"
DATABASE="${BENCH_DATABASE:-spplus_bench}"
export PGHOST="${PGHOST:-127.0.0.1}" PGUSER="${PGUSER:-postgres}"
export DATABASE_URL="postgres://${PGUSER}@${PGHOST}:5432/${DATABASE}"
export DEBUG=true

psql -q -d postgres -c "DROP DATABASE IF EXISTS ${DATABASE}" -c "CREATE DATABASE ${DATABASE}"
.venv/bin/python manage.py migrate --noinput -v0

started=$(date +%s.%N)
.venv/bin/python manage.py seed_demo --experiences "${EXPERIENCES}"
ended=$(date +%s.%N)

echo
echo "Machine : $(nproc) cœurs, $(free -g | awk '/^Mem:/ {print $2}') Go de mémoire, PostgreSQL $(psql -d "${DATABASE}" -tAc 'SHOW server_version')"
# Exact row counts of the experiences tables, and the database size.
counts="SELECT table_name, (xpath('/row/c/text()', query_to_xml(format('SELECT COUNT(*) AS c FROM %I', table_name),
    false, true, '')))[1]::text::bigint AS n FROM information_schema.tables
    WHERE table_schema = 'public' AND table_name LIKE 'experiences\_%'"
psql -d "${DATABASE}" -tA -F ' ' -c "${counts} ORDER BY n DESC" | column -t
psql -d "${DATABASE}" -tAc "SELECT 'taille de la base : ' || pg_size_pretty(pg_database_size('${DATABASE}'))"
rows=$(psql -d "${DATABASE}" -tAc "SELECT SUM(n) FROM (${counts}) AS t")
python3 - "$started" "$ended" "$rows" <<'PY'
import sys
started, ended, rows = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
seconds = ended - started
print(f"seed_demo : {seconds:.0f} s ({seconds / 60:.1f} min), {rows:,} lignes dans les tables experiences_*, "
      f"{rows / seconds:,.0f} lignes/s".replace(",", " "))
PY
