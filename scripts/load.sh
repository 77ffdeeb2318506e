#!/usr/bin/env bash
# Mixed-load benchmark on loopback: starts steward-server on its embedded PostgreSQL with demo
# data, drives it at increasing request rates (io.steward.server.benchmark.LoadTest), prints one
# table row per rate, and stops the server. See docs/benchmarks.md.
#
#   scripts/load.sh [USERS] [SECONDS_PER_RATE] [RATE ...]
#   scripts/load.sh 1000000 20 100 200 400 600 800
set -euo pipefail
cd "$(dirname "$0")/.."
users=${1:-1000000}
seconds=${2:-20}
shift $(( $# >= 2 ? 2 : $# ))
rates=("$@")
[ ${#rates[@]} -gt 0 ] || rates=(100 200 400 600 800)

export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
java="$JAVA_HOME/bin/java"
mvn -B -q -o -DskipTests install -pl server -am >/dev/null
(cd server && mvn -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt >/dev/null)
classpath="server/target/classes:server/target/test-classes:$(cat server/target/cp.txt)"

data=$(mktemp -d /tmp/steward-load.XXXXXX)
log="$data/server.log"
password="a long measured passphrase"
STEWARD_ADMIN_EMAIL=loadrunner@steward.local STEWARD_ADMIN_PASSWORD="$password" \
    "$java" -cp "$classpath" io.steward.server.Main --data-dir "$data" --port 0 --demo="$users" \
    --backup-daily off >"$log" 2>&1 &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT

url=""
for _ in $(seq 1 600); do
    url=$(grep -o 'Steward server listening on http://[^ "]*' "$log" | head -1 | sed 's/.* on //') || true
    [ -n "$url" ] && break
    kill -0 $server 2>/dev/null || { cat "$log"; exit 1; }
    sleep 1
done
[ -n "$url" ] || { echo "the server did not start"; exit 1; }
echo "server $url (pid $server), $users demo users, $(nproc) cores"

"$java" -cp "$classpath" io.steward.server.benchmark.LoadTest \
    "$url" loadrunner@steward.local "$password" "$server" "$(head -1 "$data/pg/postmaster.pid")" "$seconds" "${rates[@]}"
