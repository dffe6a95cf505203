#!/usr/bin/env bash
# Exports validated by real consumers (jsonschema, mailbox/email, CommonMark): the exporter tests' fixtures, and
# what the CLI exports from a demo archive synced from the emulator.
set -euo pipefail
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
EXPORT_FIXTURE_DIR="$dir/fixtures" swift test --skip-build --filter ExportersTests >/dev/null
bash Tests/ExportValidation/run.sh "$dir/fixtures"
"$(swift build --show-bin-path)/chat-archive" demo --out "$dir/demo" --threads 8 --messages 800 >/dev/null
bash Tests/ExportValidation/run.sh "$dir/demo/exports"
