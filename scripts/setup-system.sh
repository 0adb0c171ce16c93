#!/usr/bin/env bash
# Debian packages the kit needs beyond Python: CJK fonts (Noto CJK; AR PL UKai for 楷体-style
# headings) that the PDF (Typst, a Python package) is typeset in, fontconfig (fc-list finds them),
# poppler-utils (pdftotext/pdffonts/pdfinfo, used by the tests), chromium (the browser test of the
# notebook in JupyterLab: Playwright drives /usr/bin/chromium, it downloads no browser).
# Installs them when run as root (CI is root); otherwise prints the exact command.
# `setup-system.sh report` asks only for what the report's PDF needs (the fonts), so a user without
# the test tools still gets the PDF from `make report`.
set -euo pipefail

PACKAGES=(fonts-noto-cjk fonts-arphic-ukai fonts-dejavu-core fontconfig)
if [ "${1:-}" != "report" ]; then
  PACKAGES+=(poppler-utils chromium)
fi
missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "安装系统软件包：${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "缺少系统软件包：${missing[*]}" >&2
  echo "请以管理员身份运行：sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 3
fi
