#!/bin/sh
# The Depends: line of yardstick's Debian package, from the libraries the
# binary links (its ELF NEEDED entries), printed on stdout.
#
#   sh tools/deb-depends.sh path/to/yardstick
#
# With dpkg-shlibdeps (package dpkg-dev) the versions come from the
# libraries' symbols files, as in any Debian package. Without it, each
# NEEDED library is found through ldd and its package through dpkg -S, with
# the installed version as the lower bound.
set -eu
bin=${1:?usage: deb-depends.sh BINARY}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac

if command -v dpkg-shlibdeps >/dev/null 2>&1; then
	# dpkg-shlibdeps wants a source package around it: a minimal one.
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	mkdir "$tmp/debian"
	printf 'Source: yardstick\n\nPackage: yardstick\nArchitecture: any\n' >"$tmp/debian/control"
	line=$(cd "$tmp" && dpkg-shlibdeps -O "$bin" 2>/dev/null) || line=
	case $line in
	shlibs:Depends=?*) echo "${line#shlibs:Depends=}"; exit 0 ;;
	esac
	echo "deb-depends: dpkg-shlibdeps gave nothing; mapping libraries with dpkg -S" >&2
fi

needed=$(objdump -p "$bin" | awk '$1 == "NEEDED" { print $2 }')
[ -n "$needed" ] || { echo "deb-depends: $bin links no shared library?" >&2; exit 1; }
deps=
for lib in $needed; do
	path=$(ldd "$bin" | awk -v lib="$lib" '$1 == lib && $3 ~ /^\// { print $3; exit }')
	[ -n "$path" ] || { echo "deb-depends: ldd does not find $lib" >&2; exit 1; }
	pkg=
	# merged /usr: dpkg may know the file under /lib or /usr/lib, and by
	# the name of the link or of its target.
	for p in "$path" "$(readlink -f "$path")"; do
		for q in "$p" "/usr$p" "${p#/usr}"; do
			pkg=$(dpkg -S "$q" 2>/dev/null | head -n 1 | cut -d: -f1) && [ -n "$pkg" ] && break 2
		done
	done
	[ -n "$pkg" ] || { echo "deb-depends: no package owns $path ($lib)" >&2; exit 1; }
	version=$(dpkg-query -W -f='${Version}' "$pkg" | sed 's/-[^-]*$//')
	case ", $deps, " in *", $pkg "*) continue ;; esac
	deps="${deps:+$deps, }$pkg (>= $version)"
done
echo "$deps"
