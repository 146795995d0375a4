#!/bin/sh
# deps.sh [--check]: installs the Debian packages that the build and the
# tests need, when any is missing; does nothing when all are there.
# With --check it only reports the missing ones and fails.
PKGS="build-essential pkg-config zlib1g-dev libcsv-dev libicu-dev libharfbuzz-dev
libfontconfig-dev libpng-dev libhyphen-dev hyphen-en-us hyphen-ru fonts-noto-core
fonts-dejavu-core poppler-utils qpdf libqpdf-dev libjansson-dev clang libclang-rt-14-dev
valgrind time python3"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "${1:-}" = "--check" ]; then
	echo "dossier: missing Debian packages:$missing (run 'make deps')" >&2
	exit 1
fi
echo "installing:$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
$SUDO apt-get update -qq || exit 1
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
