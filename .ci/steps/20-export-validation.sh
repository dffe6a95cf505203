#!/usr/bin/env bash
# Export fixtures written by the exporter tests, validated by real consumers (jsonschema, mailbox/email, CommonMark).
set -euo pipefail
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
EXPORT_FIXTURE_DIR="$dir" swift test --skip-build --filter ExportersTests >/dev/null
bash Tests/ExportValidation/run.sh "$dir"
