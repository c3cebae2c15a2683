#!/usr/bin/env bash
# Debian packages the tests need: chromium for browser tests, fonts for every script the site is written in,
# pango for PDF rendering, nginx to run the publishing guide's configuration. Installed only when missing.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v fc-list >/dev/null 2>&1 || need+=(fontconfig)
[ -x /usr/sbin/nginx ] || need+=(nginx-light)  # the tests run the printed nginx configuration for real
for pkg in fonts-noto-core fonts-noto-ui-core libpango-1.0-0 libpangoft2-1.0-0; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${need[*]} …" >&2
  sudo_cmd=""
  [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
