#!/bin/sh
#
# Copyright (c) 2026 The wakeup authors
#
# Permission to use, copy, modify, and distribute this software for any
# purpose with or without fee is hereby granted, provided that the above
# copyright notice and this permission notice appear in all copies.
#
# THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
# WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
# MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
# ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
# WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
# ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
# OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
#
# mkdeb.sh OUTDIR: build the Debian packages (make deb) from a copy of
# the tree, so that the tree itself stays as it was, and put the .deb,
# .buildinfo and .changes files in OUTDIR.  The copy holds the files
# git knows and those it does not ignore, or, outside a git checkout,
# everything but the build products.  As root the build runs in a
# network namespace of its own: it must need no network.

set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$top}
mkdir -p "$out" && out=$(cd "$out" && pwd) || exit 1
version=$(cat "$top/VERSION") || exit 1
tmp=$(mktemp -d /tmp/wakeup-deb.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP
src=$tmp/wakeup-$version
mkdir "$src" || exit 1

if git -C "$top" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	(cd "$top" && git ls-files -z --cached --others --exclude-standard |
	    xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\n" "$f"; done' sh |
	    tar --no-recursion -cf - -T -) | tar -xf - -C "$src" || exit 1
else
	(cd "$top" && tar -cf - --exclude='./*.deb' --exclude='./*.changes' \
	    --exclude='./*.buildinfo' .) | tar -xf - -C "$src" &&
	    make -C "$src" clean >/dev/null || exit 1
fi

nonet=
[ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null && nonet="unshare -n"
(cd "$src" && $nonet dpkg-buildpackage -us -uc -b) >"$tmp/build.log" 2>&1 || {
	tail -n 40 "$tmp/build.log" >&2
	echo "mkdeb: dpkg-buildpackage failed" >&2
	exit 1
}
set -- "$tmp"/*.deb "$tmp"/*.buildinfo "$tmp"/*.changes
cp "$@" "$out/" || exit 1
for f; do
	echo "$out/${f##*/}"
done
