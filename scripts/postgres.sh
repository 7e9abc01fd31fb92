#!/usr/bin/env bash
# Make sure a PostgreSQL server answers at 127.0.0.1:5432 with trust auth and a database `test`
# (for the store tests). Uses a running server when there is one; otherwise, as root on
# Debian/Ubuntu, installs the `postgresql` package and starts a throwaway cluster on that port.
set -euo pipefail
answers() { .venv/bin/python - <<'PY'
import sys, psycopg
try:
    psycopg.connect("host=127.0.0.1 port=5432 dbname=test user=postgres connect_timeout=2").close()
except Exception:
    sys.exit(1)
PY
}
answers && exit 0
[[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1 || exit 1
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
data=/tmp/disclosure-nlp-pg
if [[ ! -d $data ]]; then
  mkdir -p $data && chown postgres: $data
  su postgres -c "$bin/initdb -D $data -A trust -U postgres" >/dev/null
fi
su postgres -c "$bin/pg_ctl -D $data -o '-p 5432 -k /tmp -c listen_addresses=127.0.0.1' -l $data/log -w start" >/dev/null
su postgres -c "$bin/createdb -h 127.0.0.1 -p 5432 test" 2>/dev/null || true
answers
