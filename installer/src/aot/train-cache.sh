#!/bin/bash
# Trains the JDK ahead-of-time cache both launchers share (docs/installer.md, "Start-up").
#
#   train-cache.sh IMAGE WORK OUT
#
# Runs the image's console in "this computer" mode (so the server runs in the same JVM) under a
# virtual display, with demo data, until its first live dashboard and a few live updates; then
# stops it with SIGTERM. The JVM writes the cache as it exits; it is xz-packed into OUT, which
# the launchers unpack into the user's cache folder at their first start.
set -euo pipefail
image=$1
work=$2
out=$3
cfg=$image/lib/app/steward.cfg

if ! command -v xvfb-run > /dev/null || ! command -v xz > /dev/null; then
    echo "train-cache: xvfb-run or xz is missing: the image gets no start-up cache (it starts slower)" >&2
    exit 0
fi
rm -rf "$work" "$out"
mkdir -p "$work/home"
cp "$cfg" "$work/steward.cfg"
trap 'cp "$work/steward.cfg" "$cfg"' EXIT
# the same options as a normal start, except that this run writes the cache instead of reading it
sed -i "s|^java-options=-XX:AOTCache=.*|java-options=-XX:AOTCacheOutput=$work/steward.aot|" "$cfg"
grep -q -- "-XX:AOTCacheOutput=" "$cfg"

HOME=$work/home xvfb-run -a "$image/bin/steward" --demo=100 --data-dir "$work/data" --config-dir "$work/config" \
    > "$work/console.log" 2>&1 &
runner=$!
for _ in $(seq 1 1800); do
    grep -q "first live dashboard laid out" "$work/console.log" && break
    kill -0 "$runner" 2> /dev/null || break
    sleep 0.1
done
if ! grep -q "first live dashboard laid out" "$work/console.log"; then
    echo "train-cache: the console did not reach its dashboard; its output:" >&2
    tail -n 40 "$work/console.log" >&2
    pkill -KILL -f -- "^$image/bin/steward --demo" || true
    exit 1
fi
sleep 5
# only the JVM (the launcher process), not xvfb-run, whose command line names it too
pkill -TERM -f -- "^$image/bin/steward --demo"
wait "$runner" || true
if [ ! -s "$work/steward.aot" ]; then
    echo "train-cache: the JVM wrote no cache; the console's output:" >&2
    tail -n 40 "$work/console.log" >&2
    exit 1
fi
xz -9 -T2 -c "$work/steward.aot" > "$out"
echo "train-cache: $(stat -c %s "$work/steward.aot") bytes, packed to $(stat -c %s "$out") bytes in $out"
