#!/usr/bin/env bash
# Validates a directory of chat-archive exports with real consumers (jsonschema, mailbox/email, markdown-it-py).
# Usage: Tests/ExportValidation/run.sh DIR   (venv in $EXPORT_VALIDATION_VENV, default .build/export-venv)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
if [ "$#" -ne 1 ]; then
    echo "usage: $0 EXPORT_DIR" >&2
    exit 2
fi
venv="${EXPORT_VALIDATION_VENV:-$root/.build/export-venv}"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt"
exec "$venv/bin/python" "$here/validate_exports.py" --schemas "$root/Schemas/JSON" "$1"
