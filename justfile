# Developer tasks; they mirror what CI runs (.ci/run → scripts/test).
# `just` is optional: every recipe is a plain command you can copy.

set shell := ["bash", "-euo", "pipefail", "-c"]

# List the recipes.
default:
    @just --list

# Build everything and serve the app with demo data at http://localhost:8080 (SQLite).
demo:
    ./scripts/demo

# Run the whole suite exactly as CI does (installs missing tools, starts PostgreSQL).
ci:
    ./scripts/test

# Serve the API (no web app rebuild) on SQLite with demo data.
serve:
    cargo run -p shortscience-server -- serve --demo

# Rebuild the web app on change and serve it on :8081, proxying /api to :8080 (run `just serve` too).
web:
    trunk serve

# Check formatting.
fmt:
    cargo fmt --all -- --check

# Lints, as CI runs them.
lint:
    cargo clippy --workspace --all-targets --locked -- -D warnings
    cargo check -p shortscience-types --target wasm32-unknown-unknown --locked

# Server and unit tests on SQLite (and PostgreSQL when TEST_POSTGRES_URL is set).
test:
    cargo test --workspace --locked

# Tests on both backends, starting the local PostgreSQL first.
test-all:
    bash -c 'source scripts/lib.sh && ensure_postgres && cargo test --workspace --locked'

# Browser tests against the release build (builds it first).
e2e:
    bash -c 'source scripts/lib.sh && ensure_build_tools && ensure_e2e_deps && trunk build --release && cargo build --release -p shortscience-server && cd e2e && npx playwright test'

# Regenerate api-spec/openapi.json from the code (a test fails while it is stale).
spec:
    cargo run -q -p shortscience-server -- openapi > api-spec/openapi.json

# Apply, revert or list migrations: `just migrate up|down|redo|status`.
migrate action="status":
    cargo run -q -p shortscience-server -- migrate {{action}}

# Schemathesis against the release server on SQLite and PostgreSQL (ST_TIME seconds each, default 240).
fuzz *backends:
    bash -c 'source scripts/lib.sh && ensure_postgres && ./scripts/schemathesis {{backends}}'

# The benchmark on 100k papers (release build, generated data, wrk, Chromium): writes docs/performance.md.
bench *args:
    ./scripts/bench {{args}}

# The small benchmark CI runs to prove the harness works (nothing timed is asserted): target/bench/quick.md.
bench-quick *args:
    ./scripts/bench --quick {{args}}
