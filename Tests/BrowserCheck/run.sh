#!/usr/bin/env bash
# Renders the sanitizer's output for every XSS vector in headless Chromium and fails if any script ran.
#
# 1. installs Debian's `chromium` if it is missing (apt-get; needs root, as in CI);
# 2. writes sanitized.html and control.html with `swift test --filter BrowserPageTests` (BROWSER_CHECK_OUTPUT);
# 3. dumps both DOMs after a virtual 10 s and checks the status line: the control page (raw vectors) must report
#    executions (our own corpus, raw) — proof that the detector works — and the sanitized page (every public and
#    own vector, sanitized, inline as in a transcript) must report STATUS:CLEAN with every case
#    rendered (END-OF-CASES present, nothing swallowed the rest of the page).
# Chromium gets no network: every host name resolves to NOTFOUND and every URL goes to a dead loopback proxy.
# Usage: Tests/BrowserCheck/run.sh [package directory, default: this repository]; PACKAGE_DIR works too.
set -euo pipefail
started=$(date +%s)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
package=${1:-${PACKAGE_DIR:-$(cd "$here/../.." && pwd)}}

if ! command -v chromium >/dev/null 2>&1; then
    echo "browser-check: installing chromium"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
installed=$(date +%s)

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
(cd "$package" && BROWSER_CHECK_OUTPUT="$out" swift test --filter BrowserPageTests >"$out/swift-test.log" 2>&1) || {
    cat "$out/swift-test.log"
    echo "browser-check: could not write the pages"
    exit 1
}
test -s "$out/sanitized.html" || { echo "browser-check: sanitized.html was not written"; exit 1; }
generated=$(date +%s)

render() {
    timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run \
        --no-default-browser-check --disable-background-networking --disable-component-update --disable-sync \
        --disable-domain-reliability --disable-client-side-phishing-detection --disable-default-apps --no-pings \
        --host-resolver-rules="MAP * ~NOTFOUND" --proxy-server="http://127.0.0.1:9" --proxy-bypass-list="<-loopback>" \
        --user-data-dir="$out/profile-$1" --virtual-time-budget=10000 --dump-dom "file://$out/$1.html" \
        >"$out/$1.dom" 2>"$out/$1.log" || true
}
render control
render sanitized
finished=$(date +%s)

root_tag() { grep -o '<html[^>]*>' "$out/$1.dom" | head -1 || true; }
executed() { root_tag "$1" | grep -o 'data-executed="[0-9]*"' | grep -o '[0-9]*' || echo 0; }
control_runs=$(executed control)
sanitized_runs=$(executed sanitized)
echo "browser-check: raw control vectors that ran script: $control_runs"
echo "browser-check: sanitized vectors that ran script: $sanitized_runs"
echo "browser-check: install $((installed - started)) s, pages $((generated - installed)) s," \
    "chromium $((finished - generated)) s, total $((finished - started)) s"

if [ "$control_runs" -lt 5 ]; then
    echo "browser-check: FAILED: the raw vectors did not trigger the detector"
    exit 1
fi
root_tag sanitized | grep -q 'data-finished="yes"' || { echo "browser-check: FAILED: page did not finish"; exit 1; }
grep -q 'END-OF-CASES' "$out/sanitized.dom" || { echo "browser-check: FAILED: page cut short"; exit 1; }
if [ "$sanitized_runs" != "0" ]; then
    echo "browser-check: FAILED: script ran in sanitized output"
    exit 1
fi
echo "browser-check: 1 passed, 0 failed"
