# Sourced by .ci/run: a throw-away PostgreSQL cluster for the library tests, from Debian's
# packages, on 127.0.0.1, in a temporary directory, run by an unprivileged user, removed on exit.
# Exports SLA_ESTIMATOR_TEST_POSTGRES (a URL with a random password; never printed).

pg_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

start_postgres() {
  if [ -z "$(pg_bin)" ]; then
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
  fi
  local bin; bin="$(pg_bin)"
  PG_DIR="$(mktemp -d /tmp/sla-pg.XXXXXX)"
  local run_as=()
  if [ "$(id -u)" -eq 0 ]; then
    id -u sla-ci >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin sla-ci
    chown sla-ci "$PG_DIR"
    run_as=(runuser -u sla-ci --)
  fi
  local password port
  password="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  printf '%s\n' "$password" > "$PG_DIR/pw"
  chmod 600 "$PG_DIR/pw"
  if [ "$(id -u)" -eq 0 ]; then chown sla-ci "$PG_DIR/pw"; fi
  "${run_as[@]}" "$bin/initdb" -D "$PG_DIR/data" -U postgres --auth=scram-sha-256 \
    --pwfile="$PG_DIR/pw" >/dev/null
  rm -f "$PG_DIR/pw"
  "${run_as[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$PG_DIR" start >/dev/null
  export SLA_ESTIMATOR_TEST_POSTGRES="postgresql+psycopg://postgres:${password}@127.0.0.1:${port}/postgres"
  trap stop_postgres EXIT
  echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') started on 127.0.0.1:$port for the tests"
}

stop_postgres() {
  local bin; bin="$(pg_bin)"
  if [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR/data" ]; then
    if [ "$(id -u)" -eq 0 ]; then
      runuser -u sla-ci -- "$bin/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null || true
    else
      "$bin/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null || true
    fi
    rm -rf "$PG_DIR"
  fi
}
