#!/bin/sh
# apt-install.sh LABEL PACKAGE...: install Debian packages with apt-get, as
# root or through password-less sudo; otherwise print the exact command to
# run and fail. Every Makefile target and .ci/run that installs what is
# missing goes through here, so all of them refresh the package lists
# first (a fresh machine has none) and wait for another apt-get holding
# the lock (up to six tries, 20 s apart). LABEL starts every message.
set -u
label=$1
shift
[ $# -gt 0 ] || exit 0
echo "$label: installing missing packages: $*"
if [ "$(id -u)" = 0 ]; then
	sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	sudo="sudo"
else
	echo "$label: cannot install as $(id -un); run:"
	echo "  sudo apt-get update && sudo apt-get install -y $*"
	exit 1
fi
for try in 1 2 3 4 5 6; do
	if $sudo apt-get update -q &&
		DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q \
			-o DPkg::Lock::Timeout=120 "$@"; then
		exit 0
	fi
	[ "$try" = 6 ] && break
	echo "$label: apt-get failed (try $try of 6; another install holding the lock?); retrying in 20 s"
	sleep 20
done
echo "$label: apt-get failed; run: sudo apt-get install -y $*"
exit 1
