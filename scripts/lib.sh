# Shared by scripts/run and scripts/test. Sourced, not run.
# Installs what Serai needs on a fresh Debian machine; skips what is already there.

SERAI_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${SERAI_VENV:-$SERAI_ROOT/.venv}"

log() { printf '\033[1m[serai]\033[0m %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    log "need root for: $*"; return 1; fi
}

_apt_updated=0
apt_install() {
  # apt_install PACKAGE... — install the Debian packages that are not installed yet.
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  if [ $_apt_updated = 0 ]; then as_root apt-get update -qq; _apt_updated=1; fi
  # Start no service while installing (nginx would take port 80, redis-server 6379; the tests start
  # their own): a policy-rc.d that denies every start, only for this install, unless one is in place.
  local policy=/usr/sbin/policy-rc.d added=0 status=0
  if [ ! -e "$policy" ]; then
    as_root sh -c "printf '#!/bin/sh\nexit 101\n' >$policy && chmod 755 $policy" && added=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || status=$?
  if [ "$added" = 1 ]; then as_root rm -f "$policy"; fi
  return $status
}

install_pdf_libraries() {
  # WeasyPrint (serai.core.pdf) draws text with pango; Noto CJK covers Hangul, Cyrillic and Latin.
  apt_install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk
}

find_python() {
  for candidate in "${SERAI_PYTHON:-}" python3.13 python3.12 python3.11 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      command -v "$candidate"; return 0
    fi
  done
  log "Python 3.11 or newer is needed"; return 1
}

setup_venv() {
  # setup_venv [EXTRAS] — create .venv and install Serai (editable) with the given extras.
  local extras="${1:-}"
  if [ ! -x "$VENV/bin/python" ]; then
    apt_install python3-venv 2>/dev/null || true
    log "creating $VENV"
    "$(find_python)" -m venv "$VENV"
  fi
  "$VENV/bin/python" -m pip install -q --upgrade pip
  log "installing Serai${extras:+ [$extras]}"
  "$VENV/bin/python" -m pip install -q -e "$SERAI_ROOT${extras:+[$extras]}"
  export PATH="$VENV/bin:$PATH"
}

compile_translations() {
  command -v msgfmt >/dev/null || apt_install gettext
  (cd "$SERAI_ROOT/src/serai" && "$VENV/bin/serai" compilemessages -v0 --ignore '.venv')
}

start_pg_cluster() {
  # Start a throwaway PostgreSQL cluster on a free loopback port; export DATABASE_URL and PG_DIR.
  # It is stopped and removed when the calling script exits, pass or fail.
  command -v initdb >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || apt_install postgresql
  PG_BIN="$(dirname "$(readlink -f "$(command -v initdb 2>/dev/null || ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n1)")")"
  PG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/serai-pg.XXXXXX")"
  PG_PORT="$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  # PostgreSQL refuses to run as root: run the cluster as an unprivileged user.
  pg() { "$PG_BIN/$1" "${@:2}"; }
  if [ "$(id -u)" = 0 ]; then
    PG_USER="$(getent passwd postgres >/dev/null && echo postgres || echo nobody)"
    chown "$PG_USER" "$PG_DIR"
    pg() { runuser -u "$PG_USER" -- "$PG_BIN/$1" "${@:2}"; }
  fi
  trap stop_pg_cluster EXIT INT TERM
  log "starting a throwaway PostgreSQL cluster ($("$PG_BIN/postgres" --version)) on 127.0.0.1:$PG_PORT"
  pg initdb -D "$PG_DIR/data" -U serai --auth=trust -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 \
    || { cat "$PG_DIR/initdb.log"; exit 1; }
  pg pg_ctl -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off ${PG_EXTRA_OPTS:-}" \
    start >/dev/null || { cat "$PG_DIR/server.log"; exit 1; }
  export DATABASE_URL="postgres://serai@127.0.0.1:$PG_PORT/serai"
  export PG_DIR
}

stop_pg_cluster() {
  local status=$?
  pg pg_ctl -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
  exit $status
}

npm_vendor() {
  # npm_vendor NAME VERSION FILE... : unpack FILEs of an npm package into var/vendor/NAME, once.
  local name="$1" version="$2"; shift 2
  local dest="$SERAI_ROOT/var/vendor/$name"
  [ -f "$dest/$(basename "$1")" ] && return 0
  command -v npm >/dev/null || apt_install npm
  local tmp file
  tmp="$(mktemp -d)"
  log "fetching from the npm registry: $name@$version"
  (cd "$tmp" && npm pack --silent "$name@$version" >/dev/null)
  tar -xzf "$tmp/$name-$version.tgz" -C "$tmp"
  mkdir -p "$dest"
  for file in "$@"; do cp "$tmp"/package/$file "$dest"/; done
  rm -rf "$tmp"
}

fetch_axe_core() {
  # The accessibility checker the browser tests inject.
  npm_vendor axe-core 4.10.3 axe.min.js "LICENSE*"
}

fetch_plotly_basic() {
  # plotly.js's basic bundle (bar and scatter: every chart Serai draws), a quarter of the full
  # plotly.js that the plotly Python package ships (which stays the fallback).
  npm_vendor plotly.js-basic-dist-min 4.1.1 plotly-basic.min.js "LICENSE*"
}

fetch_cytoscape() {
  # cytoscape.js (canvas graph drawing) for the cooperation network's graph page.
  npm_vendor cytoscape 3.35.0 dist/cytoscape.min.js "LICENSE*"
}

fetch_world_atlas() {
  # Map geometry (world-atlas: Natural Earth boundaries).
  npm_vendor world-atlas 2.0.2 countries-50m.json "countries-*.json" "LICENSE*"
}
