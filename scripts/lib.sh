# Shared helpers for scripts/demo, scripts/test and .ci/run. Sourced, not run.
# Every `ensure_*` function installs what is missing and skips what is already present at the
# right version, so a second run costs seconds.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS_DIR="$ROOT/.tools"
TRUNK_VERSION="0.21.14"
BINARYEN_VERSION="132.0.0"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$TOOLS_DIR/node_modules/.bin:$PATH"

say() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
warn() { printf '\033[1;33mwarning:\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

STAGE_TIMES=()
# stage NAME COMMAND...: runs a command, printing how long it took.
stage() {
  local name="$1"; shift
  local start=$SECONDS
  say "[$name] $*"
  "$@"
  local took=$((SECONDS - start))
  STAGE_TIMES+=("$(printf '%-28s %4dm%02ds' "$name" $((took / 60)) $((took % 60)))")
  say "[$name] done in $((took / 60))m$((took % 60))s"
}

print_stage_times() {
  say "Stage times:"
  local line
  for line in "${STAGE_TIMES[@]}"; do printf '    %s\n' "$line" >&2; done
}

# Runs a command as root (directly, or through sudo when available).
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else return 1
  fi
}

APT_UPDATED=0
apt_install() {
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found: install $* with your package manager"
  if [ "$APT_UPDATED" = 0 ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq || die "apt-get update failed"
    APT_UPDATED=1
  fi
  say "installing $* (apt)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null \
    || die "could not install $* with apt-get"
}

wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

# Native libraries the server links: libpq (PostgreSQL client). SQLite is bundled.
ensure_native_libs() {
  if ! pkg-config --exists libpq 2>/dev/null && [ ! -e /usr/lib/x86_64-linux-gnu/libpq.so ] && ! command -v pg_config >/dev/null 2>&1; then
    apt_install libpq-dev pkg-config
  fi
}

ensure_wasm_target() {
  if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

ensure_trunk() {
  if trunk --version 2>/dev/null | grep -qx "trunk $TRUNK_VERSION"; then return; fi
  say "installing trunk $TRUNK_VERSION from source (the first time only; about 7 minutes on 2 cores)"
  # A debug build: Trunk only drives cargo, wasm-bindgen and wasm-opt, so an unoptimised Trunk
  # builds the app as fast (measured: 12 s either way) and installs in 7 minutes instead of the
  # 25+ that its fat-LTO release profile takes.
  cargo install --debug --locked trunk --version "$TRUNK_VERSION"
}

ensure_wasm_bindgen() {
  local version
  version="$(wasm_bindgen_version)"
  [ -n "$version" ] || die "no wasm-bindgen in Cargo.lock"
  if wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $version"; then return; fi
  say "installing wasm-bindgen-cli $version (must match Cargo.lock; the first time only, ~8 minutes)"
  # Not --locked: its lockfile pins a crate version the registry no longer has.
  cargo install wasm-bindgen-cli --version "$version"
}

WASM_SPLIT_VERSION="0.2.4"
# wasm-split-cli, which splits the web app's wasm at its lazy routes (scripts/split-wasm).
ensure_wasm_split() {
  # It has no --version; cargo's list of installed crates says which one is there.
  if command -v wasm-split-cli >/dev/null 2>&1 \
    && cargo install --list 2>/dev/null | grep -qx "wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
    return
  fi
  say "installing wasm-split-cli $WASM_SPLIT_VERSION (the first time only, about a minute)"
  cargo install --locked wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary
}

ensure_node() {
  if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then return; fi
  apt_install nodejs npm
}

ensure_binaryen() {
  if "$TOOLS_DIR/node_modules/.bin/wasm-opt" --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION%%.*}"; then return; fi
  ensure_node
  say "installing binaryen $BINARYEN_VERSION (wasm-opt) from npm into .tools/"
  mkdir -p "$TOOLS_DIR"
  npm install --prefix "$TOOLS_DIR" --no-save --no-audit --no-fund --loglevel=error "binaryen@$BINARYEN_VERSION" >/dev/null
}

MATH_FONT_VERSION="5.3.0"
MATH_FONT_DIR="$TOOLS_DIR/math-font"
# STIX Two Math (an OpenType MATH font, OFL) from npm, which Trunk copies into dist/ for MathML
# (frontend/index.html). Its own prefix: npm prunes packages it was not asked for from a prefix.
ensure_math_font() {
  if grep -qs "\"version\": \"$MATH_FONT_VERSION\"" "$MATH_FONT_DIR/node_modules/@fontsource/stix-two-math/package.json"; then return; fi
  ensure_node
  say "installing the STIX Two Math font $MATH_FONT_VERSION from npm into .tools/"
  mkdir -p "$MATH_FONT_DIR"
  npm install --prefix "$MATH_FONT_DIR" --no-save --no-audit --no-fund --loglevel=error "@fontsource/stix-two-math@$MATH_FONT_VERSION" >/dev/null
}

# Everything needed to build the server and the web app.
ensure_build_tools() {
  ensure_native_libs
  ensure_wasm_target
  ensure_trunk
  ensure_wasm_bindgen
  ensure_wasm_split
  ensure_binaryen
  ensure_math_font
  command -v brotli >/dev/null 2>&1 || apt_install brotli # scripts/precompress, after trunk builds
}

ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then return; fi
  apt_install chromium
}

ensure_e2e_deps() {
  ensure_node
  ensure_chromium
  if [ ! -x "$ROOT/e2e/node_modules/.bin/playwright" ]; then
    say "installing the e2e test packages (npm ci in e2e/; Playwright's own browsers are not downloaded)"
    (cd "$ROOT/e2e" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# Starts a local PostgreSQL and exports TEST_POSTGRES_URL for the test suite, unless it is set
# already. Installs PostgreSQL from apt when INSTALL_POSTGRES=1 (CI). Without PostgreSQL, the
# PostgreSQL half of the suite reports itself skipped.
ensure_postgres() {
  if [ -n "${TEST_POSTGRES_URL:-}" ]; then
    say "using TEST_POSTGRES_URL from the environment"
    return
  fi
  if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    if [ "${INSTALL_POSTGRES:-0}" = 1 ]; then
      apt_install postgresql
    else
      warn "PostgreSQL is not installed: the PostgreSQL tests will be skipped"
      return
    fi
  fi
  local version
  version="$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -n 1)"
  [ -n "$version" ] || { warn "no PostgreSQL server found: PostgreSQL tests skipped"; return; }
  if ! pg_lsclusters -h 2>/dev/null | awk -v v="$version" '$1 == v && $2 == "main"' | grep -q .; then
    as_root pg_createcluster "$version" main >/dev/null || { warn "could not create a PostgreSQL cluster: PostgreSQL tests skipped"; return; }
  fi
  if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" { print $4 }' | grep -q online; then
    say "starting PostgreSQL $version"
    as_root pg_ctlcluster "$version" main start || { warn "could not start PostgreSQL: PostgreSQL tests skipped"; return; }
  fi
  local port
  port="$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" { print $3 }')"
  # A role that may create (and drop) one database per test.
  as_root su postgres -c "psql -q -p $port -c \"DO \\\$\\\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'shortscience_test') THEN CREATE ROLE shortscience_test LOGIN CREATEDB PASSWORD 'shortscience_test'; END IF; END \\\$\\\$;\"" >/dev/null \
    || { warn "could not create the test role: PostgreSQL tests skipped"; return; }
  export TEST_POSTGRES_URL="postgres://shortscience_test:shortscience_test@127.0.0.1:$port/postgres"
  say "PostgreSQL $version is up on 127.0.0.1:$port"
}
