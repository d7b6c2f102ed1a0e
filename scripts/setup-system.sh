#!/usr/bin/env bash
# gongwen set-up, Debian/Ubuntu system part: Python, fontconfig, the free CJK fonts and
# poppler-utils; with --with-office also LibreOffice (Writer and Calc, no GUI), the
# PostgreSQL server (the tests of the shared 发文字号 registry start a throwaway one) and
# chromium (the `gongwen serve` page's browser test drives it with Playwright).
# Run as root. Safe to run again: apt-get installs only what is missing.
#
# Afterwards, as the user who renders documents: `gongwen fonts --install`.
set -euo pipefail

usage() {
    echo "用法：sudo $0 [--with-office]"
    echo "  --with-office  同时安装 LibreOffice（libreoffice-writer-nogui、libreoffice-calc-nogui）、"
    echo "                 PostgreSQL 服务器（测试共用登记簿时临时启动）和 chromium（网页测试）"
}

with_office=no
for argument in "$@"; do
    case "$argument" in
        --with-office) with_office=yes ;;
        -h | --help) usage; exit 0 ;;
        *) echo "未知参数：$argument" >&2; usage >&2; exit 2 ;;
    esac
done

if [ "$(id -u)" -ne 0 ]; then
    echo "请以 root 运行：sudo $0 $*" >&2
    exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "此脚本只适用于 Debian/Ubuntu（需要 apt-get）。" >&2
    exit 1
fi

packages=(
    python3 python3-venv python3-pip
    fontconfig fonts-arphic-gbsn00lp fonts-arphic-gkai00mp fonts-wqy-zenhei
    poppler-utils
)
if [ "$with_office" = yes ]; then
    packages+=(libreoffice-writer-nogui libreoffice-calc-nogui postgresql chromium)
fi

# Package maintainer scripts run `python3` from PATH; a pyenv or /usr/local python3 ahead
# of Debian's would byte-compile Debian's modules with the wrong interpreter, or fail.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
export DEBIAN_FRONTEND=noninteractive

apt-get update
apt-get install -y --no-install-recommends "${packages[@]}"

echo "系统部分已完成。接着以使用者身份运行：gongwen fonts --install"
