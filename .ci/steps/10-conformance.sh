#!/usr/bin/env bash
# Microsoft's official Python SDKs (PyPI) against `chat-archive emulator`, over HTTPS.
set -euo pipefail
bash Tests/Conformance/run.sh "$(swift build --show-bin-path)/chat-archive"
