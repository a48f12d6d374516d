#!/usr/bin/env bash
# schemathesis (PyPI, requirements.txt, in .venv beside this script) against a running
# oin-server: the debug binary on a fresh SQLite database on a free loopback port, signed in
# as an account with every role (the session cookie, and the same-origin `Origin` the CSRF
# guard asks of writes), with a bounded number of examples per operation. Every check runs but
# the ones listed in schemathesis.toml with their reason. Exits non-zero on any finding.
#
#   server/tests/schemathesis/run.sh [extra st run options]     (./dev test-server runs it)
#
# SCHEMATHESIS_EXAMPLES sets the examples per operation (default 25).
set -euo pipefail
dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$dir/../../.." && pwd)"
venv="$dir/.venv"
stamp="$venv/installed-requirements.txt"
if ! { [ -f "$stamp" ] && cmp -s "$stamp" "$dir/requirements.txt" && [ -x "$venv/bin/st" ]; }; then
  echo "Installing schemathesis into $venv"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$dir/requirements.txt"
  cp "$dir/requirements.txt" "$stamp"
fi

bin="${CARGO_TARGET_DIR:-$root/target}/debug/oin-server"
(cd "$root" && cargo build --quiet -p oin-server --bin oin-server)

work="$(mktemp -d /tmp/oin-schemathesis.XXXXXX)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
origin="http://127.0.0.1:$port"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

common=(--database "sqlite://$work/oin.db" --key-file "$work/oin-server.key")
password="$(head -c 18 /dev/urandom | base64 | tr -d '/+=\n')"
email="fuzz@strawberry.example"
"$bin" "${common[@]}" user add "$email" --role SUPER_ADMIN CATALOG_REVIEWER \
  --first-name Fuzz --last-name Tester <<<"$password" >/dev/null
RUST_LOG=warn "$bin" "${common[@]}" --listen "127.0.0.1:$port" --dist /nonexistent \
  >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  curl -fsS "$origin/readyz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS "$origin/readyz" >/dev/null

# Sign in as the browser does; the session token goes to schemathesis through the environment
# (never on a command line).
cookie="$(curl -fsS -o /dev/null -D - -H 'Content-Type: application/json' -H "Origin: $origin" \
  --data "{\"email\":\"$email\",\"password\":\"$password\"}" "$origin/api/v1/session" \
  | tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: oin_session=\([^;]*\).*/\1/p')"
[ -n "$cookie" ] || { echo "schemathesis: could not sign in" >&2; exit 1; }
export OIN_SESSION="$cookie" OIN_ORIGIN="$origin"
# The config, with the ids of the seeded objects.
cp "$dir/schemathesis.toml" "$work/schemathesis.toml"
"$venv/bin/python" "$dir/seed.py" "$origin" >>"$work/schemathesis.toml"

status=0
started=$SECONDS
# From the temporary directory: schemathesis keeps its caches in the working directory.
(cd "$work" && "$venv/bin/st" --config-file "$work/schemathesis.toml" run "$origin/api/v1/openapi.json" \
  --max-examples "${SCHEMATHESIS_EXAMPLES:-25}" --seed "${SCHEMATHESIS_SEED:-1}" \
  --checks all --no-color "$@") || status=$?
echo "schemathesis finished in $((SECONDS - started)) s (exit $status)"
if grep -q 'panicked' "$work/server.log"; then
  echo "oin-server panicked during the run:" >&2
  grep -B2 -A8 'panicked' "$work/server.log" >&2
  status=1
fi
exit "$status"
