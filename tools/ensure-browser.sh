#!/usr/bin/env bash
# Make sure the browser tests have a Chromium to drive.
# 1. Debian's chromium at /usr/bin/chromium (installed with apt-get when missing and we may);
# 2. else Playwright's own Chromium, for machines where apt is not an option.
# The browser tests read BPKIT_CHROMIUM (written to .venv/chromium-path) to find it.
set -uo pipefail
PY=${1:-.venv/bin/python}
out=$(dirname "$PY")/../chromium-path
for c in /usr/bin/chromium /usr/bin/chromium-browser; do
  if [ -x "$c" ]; then echo "$c" > "$out"; exit 0; fi
done
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "ensure-browser: installing Debian's chromium with apt-get" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || true
  if [ -x /usr/bin/chromium ]; then echo /usr/bin/chromium > "$out"; exit 0; fi
elif command -v apt-get >/dev/null 2>&1 && command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || true
  if [ -x /usr/bin/chromium ]; then echo /usr/bin/chromium > "$out"; exit 0; fi
fi
echo "ensure-browser: no Debian chromium; trying Playwright's own browser" >&2
if "$PY" -m playwright install chromium >&2; then echo "playwright" > "$out"; exit 0; fi
echo "ensure-browser: no browser could be found or installed; the browser tests will fail" >&2
exit 1
