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
# mkpcap.sh [-l linktype] out hex ...
#
# Write a pcap file holding one frame per hex argument, in order, for
# offline replay tests.  Whitespace inside an argument is ignored.  The
# link type is Ethernet (1) unless -l gives another LINKTYPE_ number
# (101 raw IP, 0 null, 108 loop, 113 and 276 Linux cooked, ...).  Needs
# text2pcap (Wireshark).

usage() {
	echo "usage: mkpcap.sh [-l linktype] out hex ..." >&2
	exit 1
}

lt=1
while getopts l: ch; do
	case $ch in
	l)	lt=$OPTARG ;;
	*)	usage ;;
	esac
done
shift $((OPTIND - 1))
case $lt in
""|*[!0-9]*)	usage ;;
esac
[ $# -ge 2 ] || usage
out=$1
shift
command -v text2pcap >/dev/null 2>&1 ||
    { echo "mkpcap.sh: text2pcap not found" >&2; exit 1; }
txt=$(mktemp /tmp/mkpcap.XXXXXX) || exit 1
trap 'rm -f "$txt" "$txt.err"' EXIT

# text2pcap reads od -Ax -tx1 style dumps; a frame starts at offset 0.
for h; do
	printf '%s\n' "$h" | tr -d ' \t\n' | awk '
	{
		if ($0 !~ /^([0-9a-fA-F][0-9a-fA-F])+$/) {
			print "mkpcap.sh: not hex: " substr($0, 1, 40) \
			    > "/dev/stderr"
			exit 1
		}
		for (i = 0; i < length($0) / 2; i += 16) {
			line = sprintf("%06x", i)
			for (j = i; j < i + 16 && j < length($0) / 2; j++)
				line = line " " substr($0, 2 * j + 1, 2)
			print line
		}
	}' || exit 1
done >"$txt"
# text2pcap says more than -q promises; show it only when it fails.
if ! text2pcap -q -l "$lt" "$txt" "$out" >"$txt.err" 2>&1; then
	cat "$txt.err" >&2
	rm -f "$txt.err"
	exit 1
fi
rm -f "$txt.err"
