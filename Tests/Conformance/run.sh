#!/usr/bin/env bash
# Runs Microsoft's official Python SDKs against the emulator binary: Tests/Conformance/run.sh PATH/TO/chat-archive
# The venv lives in $CONFORMANCE_VENV (default .build/conformance-venv) and is reused when present.
set -euo pipefail

if [[ $# -lt 1 ]]; then
    echo "usage: $0 PATH/TO/chat-archive [pytest args...]" >&2
    exit 2
fi
binary="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
shift
if [[ ! -x "$binary" ]]; then
    echo "conformance: $binary is not an executable" >&2
    exit 2
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="${CONFORMANCE_VENV:-.build/conformance-venv}"
case "$venv" in
    /*) ;;
    *) venv="$PWD/$venv" ;;
esac

if [[ ! -x "$venv/bin/python" ]]; then
    python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    -r "$here/requirements.txt"

export CHAT_ARCHIVE_BIN="$binary"
export PYTHONDONTWRITEBYTECODE=1  # keep the source tree clean
cd "$here"
exec "$venv/bin/python" -m pytest -p no:cacheprovider -q "$@"
