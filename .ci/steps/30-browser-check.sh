#!/usr/bin/env bash
# Sanitized HTML rendered by headless Chromium: no script may run.
set -euo pipefail
bash Tests/BrowserCheck/run.sh "$PWD"
