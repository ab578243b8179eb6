#!/usr/bin/env bash
# browser-setup.sh: install the headless browser the web inspector's tests (uitest/) drive:
# Debian's chromium package, when /usr/bin/chromium is missing.
#
#   scripts/browser-setup.sh        (as root; .ci/run calls it before the tests)
#
# Idempotent: with chromium installed it only prints its version. Every network step is
# bounded by a timeout. Without root or apt-get it says what to do and exits non-zero;
# `go test ./...` then skips the browser tests, naming this script (under SDKTEST_REQUIRE=1
# they fail instead).
#
# Environment:
#   BROWSER_SETUP_TIMEOUT  seconds each apt-get step may take (default 600)
set -Eeuo pipefail

say() { printf 'browser-setup: %s\n' "$*"; }
die() { printf 'browser-setup: FAIL: %s\n' "$*" >&2; exit 1; }

chromium=/usr/bin/chromium
limit=${BROWSER_SETUP_TIMEOUT:-600}

version() { timeout 60 "$chromium" --headless --no-sandbox --version 2>/dev/null || timeout 60 "$chromium" --version; }

if [[ -x $chromium ]]; then
	say "chromium is installed: $(version)"
	exit 0
fi

command -v apt-get >/dev/null || die "$chromium is missing and there is no apt-get: install Chromium by hand"
[[ $(id -u) == 0 ]] || die "$chromium is missing: run this script as root (it runs apt-get install chromium)"

export DEBIAN_FRONTEND=noninteractive
say "chromium is missing: apt-get update (at most ${limit}s)"
timeout --kill-after=10 "$limit" apt-get update -qq || die "apt-get update failed or timed out"
say "apt-get install chromium (at most ${limit}s)"
timeout --kill-after=10 "$limit" apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null ||
	die "apt-get install chromium failed or timed out"
[[ -x $chromium ]] || die "apt-get installed chromium, but $chromium is still missing"
say "installed: $(version)"
