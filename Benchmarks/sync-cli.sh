#!/usr/bin/env bash
# Sync benchmark with the emulator and `chat-archive sync` as separate processes (release build), so the peak RSS
# is the sync's own. Usage: Benchmarks/sync-cli.sh THREADS MESSAGES   (e.g. 1000 1000000)
# Prints the sync's JSON summary and peak RSS for a first sync and a no-change re-sync, and the archive size.
set -euo pipefail
threads=${1:-100}
messages=${2:-100000}
swift build -c release --product chat-archive >/dev/null
bin="$(swift build -c release --show-bin-path)/chat-archive"
dir=$(mktemp -d)
trap 'kill -TERM "$emulator" 2>/dev/null || true; rm -rf "$dir"' EXIT
"$bin" emulator --port 0 --cert-out "$dir/ca.pem" --seed-threads "$threads" --seed-messages "$messages" --seed 42 \
    --seed-out "$dir/users.json" >"$dir/ready.txt" &
emulator=$!
for _ in $(seq 1 600); do grep -q '^ready ' "$dir/ready.txt" 2>/dev/null && break; sleep 0.2; done
connection=$(sed 's/^ready //' "$dir/ready.txt")
for pass in first no-change; do
    /usr/bin/time -v "$bin" sync --archive "$dir/archive.sqlite" --connection-string "$connection" \
        --users-file "$dir/users.json" --ca-cert "$dir/ca.pem" --page-size 200 --json 2>"$dir/time.txt"
    rss=$(awk '/Maximum resident/ {print int($6 / 1024)}' "$dir/time.txt")
    echo "$pass sync: peak RSS $rss MiB"
done
echo "archive: $(du -m "$dir/archive.sqlite" | cut -f1) MiB"
