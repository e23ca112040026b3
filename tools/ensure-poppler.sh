#!/usr/bin/env bash
# Make sure pdfinfo and pdftoppm (Debian's poppler-utils) are there: the PDF test counts and
# renders the PDF edition's pages with them. Installed with apt-get when missing and we may
# (root, or sudo without a password), as tools/ensure-browser.sh installs chromium.
set -uo pipefail
have() { command -v pdfinfo >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1; }
have && exit 0
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "ensure-poppler: installing Debian's poppler-utils with apt-get" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null) || true
elif command -v apt-get >/dev/null 2>&1 && command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null) || true
fi
have && exit 0
echo "ensure-poppler: pdfinfo/pdftoppm (poppler-utils) could not be installed; the PDF test will fail" >&2
exit 1
