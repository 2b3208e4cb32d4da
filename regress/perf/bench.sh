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
# make bench: the benchmarks of wakeup and wakeupd, as root, in two
# network namespaces joined by a veth pair (regress/lib.sh ns_setup);
# nothing leaves them.  regress/perf/README says what each figure is,
# how it is taken, the knobs, and holds the latest table.
#
# The table goes to stdout, to $RAW/results.txt (RAW is a new directory
# /tmp/wakeup-bench-DATE-TIME.XXXX, kept with every raw measurement) and
# to regress/perf/results.txt, or to $BENCH_RESULTS ("-": nowhere).
# Progress goes to stderr.  Exit 1 when a measurement could not be
# taken; a missed target is a row that says MISS, not an error.

: "${TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
export TOP
. "$TOP/regress/lib.sh"
. "$TOP/regress/libvirt.sh"

PERF=$TOP/regress/perf
PACE=$PERF/pace
TIMEIT=$PERF/timeit
MK=$TOP/regress/tools/mkframe.sh
BCAST=192.0.2.255

# Knobs; BENCH_QUICK=1 makes every default small (a minute or two).
if [ "${BENCH_QUICK:-0}" = 1 ]; then
	_d_rounds=30 _d_bulk=3 _d_wakes=15 _d_sizes="1 100 1000"
	_d_lvsizes="1 100" _d_lvwakes=10 _d_load=5 _d_idle=10 _d_check=2
	_d_calls=3 _d_hung=10
else
	_d_rounds=200 _d_bulk=5 _d_wakes=50 _d_sizes="1 100 1000 10000"
	_d_lvsizes="1 100 1000" _d_lvwakes=50 _d_load=10 _d_idle=30 _d_check=3
	_d_calls=5 _d_hung=20
fi
ROUNDS=${BENCH_ROUNDS:-$_d_rounds}		# 1: single-shot rounds
BULK_ROUNDS=${BENCH_BULK_ROUNDS:-$_d_bulk}	# 2: bulk rounds
NTARGETS=${BENCH_TARGETS:-10000}		# 2: targets in the bulk file
WAKES=${BENCH_WAKES:-$_d_wakes}			# 3: wakes a size, test
LAT_ROUNDS=${BENCH_LAT_ROUNDS:-5}		# 3: turns the sizes take
PIN_CPU=${BENCH_PIN_CPU:-1}			# 3: CPU of the pinned pass
[ "$(getconf _NPROCESSORS_ONLN)" -gt "$PIN_CPU" ] || PIN_CPU=0
TAG=
PIN=
SIZES=${BENCH_SIZES-$_d_sizes}			# 3: domains, test:///
LV_SIZES=${BENCH_LV_SIZES-$_d_lvsizes}		# 3: domains, qemu
LV_WAKES=${BENCH_LV_WAKES:-$_d_lvwakes}		# 3: wakes per size, qemu
LOAD_SECS=${BENCH_LOAD_SECS:-$_d_load}		# 4: seconds per load
IDLE_SECS=${BENCH_IDLE_SECS:-$_d_idle}		# 5: idle observation
CHECK_SECS=${BENCH_CHECK_SECS:-$_d_check}	# 4: libvirt call check
CALL_WAKES=${BENCH_CALL_WAKES:-$_d_calls}	# 3: traced wakes per size
BEFORE=${BENCH_BEFORE-33d9b93}			# 3, 6: the old code ("": none)
HUNG_WAKES=${BENCH_HUNG_WAKES:-$_d_hung}	# 6: wakes each side
HUNG_ADDR=192.0.2.1 HUNG_PORT=16509		# 6: nc in $NSA, never answers
PROFILE=${BENCH_PROFILE:-auto}			# 2: yes, no or auto
ONLY=${BENCH_ONLY:-"single bulk latency load libvirtd hung"}

# Targets, from the benchmark issue.
T_BULK_FPS=100000	# frames/s on veth
T_BULK_RATIO=10		# times wakeonlan
T_LAT_US=1000		# median decision latency
T_CALLS=1		# libvirt calls per wake, packet to action (median)
T_FLAT=1.5		# largest / smallest median over the sizes (ours)
T_CPU_NOISE=1		# % of one core, 20,000 frames/s non-WOL
T_CPU_UNKNOWN=5		# % of one core, 2,000 frames/s unknown MACs
T_MEM_KIB=8192		# PSS of both processes
T_GROWTH_KIB=64		# anonymous memory growth: a page or so

FAILED=0
STAMP=$(date -u +%Y%m%d-%H%M%S)
RAW=$(mktemp -d "/tmp/wakeup-bench-$STAMP.XXXX") || exit 1
TABLE=$RAW/results.txt
RESULTS=${BENCH_RESULTS:-$PERF/results.txt}

say() {
	echo "bench: $*" >&2
}

# A table line: id, what, result, target, verdict.  A FAIL verdict (a
# figure that could not be had) makes the exit status 1.
row() {
	[ "$5" = FAIL ] && FAILED=1
	printf '%-4s %-55s %-15s %-11s %s\n' "$1" "$2" "$3" "$4" "$5" \
	    >>"$TABLE"
	printf '%-4s %-55s %-15s %-11s %s\n' "$1" "$2" "$3" "$4" "$5" >&2
}

hdr() {
	printf '\n     %s\n' "$*" >>"$TABLE"
	say "== $*"
}

# A measurement that could not be taken.
broken() {
	row "$1" "$2" "failed" "" "FAIL"
	say "$1: $3"
	FAILED=1
}

# ok or MISS: verdict VALUE OP LIMIT, with OP one of le, ge, eq.
verdict() {
	awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN {
		if (v == "" || v == "nan") { print "FAIL"; exit }
		if (op == "le")
			ok = v + 0 <= t + 0
		else if (op == "ge")
			ok = v + 0 >= t + 0
		else
			ok = v + 0 == t + 0
		print ok ? "ok" : "MISS"
	}'
}

# The median of the numbers on stdin, one a line; "nan" if none.
median() {
	sort -g | awk '{ a[NR] = $1 } END {
		if (NR == 0) print "nan"
		else if (NR % 2) print a[(NR + 1) / 2]
		else print (a[NR / 2] + a[NR / 2 + 1]) / 2
	}'
}

# fmt FORMAT NUMBER: printf for numbers that may be "nan".
fmt() {
	case $2 in
	nan|"")	echo "n/a" ;;
	*)	awk -v f="$1" -v n="$2" 'BEGIN { printf f, n }' ;;
	esac
}

# 12345678 -> 12,345,678
commas() {
	case $1 in
	nan|"")	echo "n/a" ;;
	*)	echo "$1" | awk '{ s = sprintf("%.0f", $1); r = ""
		while (length(s) > 3) {
			r = "," substr(s, length(s) - 2) r
			s = substr(s, 1, length(s) - 3)
		}
		print s r }' ;;
	esac
}

ndoms() {
	[ "$1" -eq 1 ] && echo "1 domain" || echo "$(commas "$1") domains"
}

want() {
	case " $ONLY " in
	*" $1 "*) return 0 ;;
	esac
	return 1
}

insa() {
	ip netns exec "$NSA" "$@"
}

insb() {
	ip netns exec "$NSB" "$@"
}

rx_packets() {
	insb cat /sys/class/net/wb0/statistics/rx_packets
}

# poll TENTHS CMD...: CMD succeeds within TENTHS tenths of a second.
poll() {
	_pl=$1; shift
	_pi=0
	until "$@"; do
		_pi=$((_pi + 1))
		[ $_pi -gt "$_pl" ] && return 1
		sleep 0.1
	done
}

# Every process in our namespaces is ours: at the end, none survives.
ns_reap() {
	for _ns in "$NSA" "$NSB"; do
		[ -n "$_ns" ] || continue
		_p=$(ip netns pids "$_ns" 2>/dev/null)
		[ -n "$_p" ] || continue
		kill $_p 2>/dev/null
		sleep 0.5
		_p=$(ip netns pids "$_ns" 2>/dev/null)
		[ -n "$_p" ] && kill -9 $_p 2>/dev/null
	done
}

#
# wakeupd in $NSB.  wd_run LOG SECONDS CMD...: run CMD (wakeupd, or a
# tracer in front of it) in $NSB with stderr to LOG, wait at most
# SECONDS for "ready", and find its two processes by title among the
# processes of $NSB: WD_PARENT ("wakeupd: [priv]"), WD_CHILD
# ("wakeupd: capture wb0").
#
WD_JOB=
WD_PARENT=
WD_CHILD=
WD_LOG=

wd_ready() {
	grep -q ': ready: ' "$WD_LOG" && return 0
	kill -0 "$WD_JOB" 2>/dev/null || return 0
	return 1
}

wd_pids() {
	WD_PARENT= WD_CHILD=
	for _p in $(ip netns pids "$NSB" 2>/dev/null); do
		case $(ps -o args= -p "$_p" 2>/dev/null) in
		"wakeupd: [priv]"*)	WD_PARENT=$_p ;;
		"wakeupd: capture"*)	WD_CHILD=$_p ;;
		esac
	done
	[ -n "$WD_PARENT" ] && [ -n "$WD_CHILD" ]
}

wd_run() {
	WD_LOG=$1 _wl=$2
	shift 2
	: >"$WD_LOG"
	insb "$@" >>"$WD_LOG" 2>&1 &
	WD_JOB=$!
	poll $((_wl * 10)) wd_ready
	grep -q ': ready: ' "$WD_LOG" && kill -0 "$WD_JOB" 2>/dev/null &&
	    poll 50 wd_pids
}

wd_gone() {
	! kill -0 "$WD_JOB" 2>/dev/null
}

# Every process in $NSB is ours: a wakeupd that never got ready (so
# that wd_pids did not run) is found there.
wd_reap() {
	_rp=$(ip netns pids "$NSB" 2>/dev/null)
	[ -n "$_rp" ] || return 0
	kill $_rp 2>/dev/null
	poll 50 sh -c "[ -z \"\$(ip netns pids $NSB)\" ]" && return 0
	kill -9 $(ip netns pids "$NSB" 2>/dev/null) 2>/dev/null
}

wd_halt() {
	[ -n "$WD_JOB" ] || return 0
	[ -n "$WD_PARENT" ] || wd_pids || wd_reap
	# The parent first: a tracer in front of it ends with it.
	[ -n "$WD_PARENT" ] && kill "$WD_PARENT" 2>/dev/null
	poll 100 wd_gone || kill "$WD_JOB" 2>/dev/null
	if ! poll 50 wd_gone; then
		kill -9 "$WD_JOB" $WD_PARENT $WD_CHILD 2>/dev/null
	fi
	wait "$WD_JOB" 2>/dev/null
	WD_JOB= WD_PARENT= WD_CHILD=
}

# Lines of the log matching REGEX.
wd_count() {
	grep -Ec "$1" "$WD_LOG"
}

# wd_wait REGEX N SECONDS: at least N lines match, within SECONDS.
wd_has() {
	[ "$(wd_count "$1")" -ge "$2" ]
}

wd_wait() {
	poll $(($3 * 10)) wd_has "$1" "$2"
}

# CPU time of a process, every thread: nanoseconds from schedstat (the
# scheduler's own sum) and clock ticks from stat (utime + stime).
cpu_ns() {
	cat /proc/"$1"/task/*/schedstat 2>/dev/null |
	    awk '{ s += $1 } END { printf "%.0f\n", s }'
}

cpu_ticks() {
	awk '{ print $14 + $15 }' /proc/"$1"/stat 2>/dev/null
}

# mem PID: Rss Pss Anonymous (KiB), from smaps_rollup.  PSS depends on
# who else maps the same libraries (libvirtd does); Anonymous (heap,
# stacks, relocated data) does not, and is where a leak shows.
mem() {
	awk '/^Rss:/ { r = $2 } /^Pss:/ { p = $2 } /^Anonymous:/ { a = $2 }
	    END { print r + 0, p + 0, a + 0 }' /proc/"$1"/smaps_rollup
}

mib() {
	fmt "%.1f MiB" "$(echo "$1" | awk '{ print $1 / 1024 }')"
}

# mkframes KIND MAC...: one frame a line.
mkframes() {
	_mf_k=$1; shift
	for _mf_m; do
		sh "$MK" "$_mf_k" "$_mf_m" || return 1
	done
}

# perf that can sample here.
perf_ok() {
	command -v perf >/dev/null 2>&1 &&
	    perf stat -e task-clock -o /dev/null true >/dev/null 2>&1
}

#
# 1. Single shot: the whole process, from fork to exit, as a user or a
# cron job sees it.
#
sec_single() {
	hdr "1  sender, single shot: whole-process wall time," \
	    "$ROUNDS alternating rounds"
	_m=02:00:5e:aa:00:01
	_f=$RAW/single.txt
	_r0=$(rx_packets)
	if ! insa "$TIMEIT" -n "$ROUNDS" -w 1 "$WAKEUP wa0 $_m" \
	    "etherwake -b -i wa0 $_m" "wakeonlan -i $BCAST $_m" \
	    >"$_f" 2>"$RAW/single.err"; then
		broken 1 "single shot" "$(cat "$RAW/single.err")"
		return
	fi
	_r1=$(rx_packets)
	_exp=$(((ROUNDS + 1) * 3))
	_w=$(awk '$2 == 0 { print $3 / 1000 }' "$_f" | median)
	_e=$(awk '$2 == 1 { print $3 / 1000 }' "$_f" | median)
	_o=$(awk '$2 == 2 { print $3 / 1000 }' "$_f" | median)
	_we=$(awk '{ w[$1, $2] = $3; n = $1 > n ? $1 : n } END {
		for (r = 0; r <= n; r++) print w[r, 0] / w[r, 1] }' "$_f" |
	    median)
	_wo=$(awk '{ w[$1, $2] = $3; n = $1 > n ? $1 : n } END {
		for (r = 0; r <= n; r++) print w[r, 0] / w[r, 2] }' "$_f" |
	    median)
	_cw=$(awk '$2 == 0 { print ($4 + $5) / 1000 }' "$_f" | median)
	_ce=$(awk '$2 == 1 { print ($4 + $5) / 1000 }' "$_f" | median)
	_bw=$(awk '$2 == 0 { print ($3 - $4 - $5) / 1000 }' "$_f" | median)
	_be=$(awk '$2 == 1 { print ($3 - $4 - $5) / 1000 }' "$_f" | median)
	row 1a "wakeup wa0 MAC: median wall time" "$(fmt '%.2f ms' "$_w")" \
	    "" ""
	row 1b "etherwake -b -i wa0 MAC: median wall time" \
	    "$(fmt '%.2f ms' "$_e")" "" ""
	row 1c "wakeonlan -i $BCAST MAC: median wall time" \
	    "$(fmt '%.2f ms' "$_o")" "" ""
	row 1d "wakeup / etherwake: median of per-round ratios" \
	    "$(fmt '%.2f' "$_we")" "<= 1.00" "$(verdict "$_we" le 1)"
	row 1e "wakeup / wakeonlan: median of per-round ratios" \
	    "$(fmt '%.2f' "$_wo")" "" ""
	row 1f "CPU time (user + system), median: wakeup / etherwake" \
	    "$(fmt '%.2f' "$_cw") / $(fmt '%.2f ms' "$_ce")" "" ""
	row 1g "blocked, not on a CPU (wall - user - sys): wakeup" \
	    "$(fmt '%.2f ms' "$_bw")" "" ""
	row 1h "blocked, not on a CPU (wall - user - sys): etherwake" \
	    "$(fmt '%.2f ms' "$_be")" "" ""
	_v=ok
	[ $((_r1 - _r0)) -eq "$_exp" ] || _v=FAIL
	[ $_v = ok ] || FAILED=1
	row 1i "frames received in $NSB / frames sent" \
	    "$((_r1 - _r0)) / $_exp" "all" "$_v"
	# Where wakeup blocks: its slowest system call, five runs.
	if command -v strace >/dev/null 2>&1; then
		_k=0
		while [ $_k -lt 5 ]; do
			insa strace -T -o "$TMPD/single.strace" "$WAKEUP" wa0 \
			    "$_m" >/dev/null 2>&1
			awk -F'<' '/^close\(/ { t = $NF; sub(/>.*/, "", t)
			    if (t + 0 > m) m = t + 0 } END { print m * 1000 }' \
			    "$TMPD/single.strace"
			_k=$((_k + 1))
		done >"$RAW/single.close"
		row 1j "wakeup's slowest close() (its packet socket), median" \
		    "$(fmt '%.2f ms' "$(median <"$RAW/single.close")")" "" ""
	fi
}

#
# 2. Bulk: NTARGETS targets from a file in one run.  Counted on the
# receiving side: rx_packets of wb0 for the number, and a capture of
# the first and the last target's frames only (the kernel filter drops
# the others, so the capture costs almost nothing) for the time on the
# wire.
#
bulk_filter() {
	printf 'udp port 9 and (udp[16:4] = 0x5ec80000 or udp[16:4] = 0x%s)' \
	    "$(printf '5ec8%04x' $((NTARGETS - 1)))"
}

# bulk_run TOOL: one run; appends "TOOL wall user sys rx span" to bulk.txt.
bulk_run() {
	case $1 in
	wakeup)		_cmd="$WAKEUP -f $TMPD/targets wa0" ;;
	wakeonlan)	_cmd="wakeonlan -i $BCAST -f $TMPD/targets" ;;
	esac
	if ! cap_start "$TMPD/bulk.pcap" 2 "$(bulk_filter)"; then
		say "bulk: capture did not start"
		return 1
	fi
	_r0=$(rx_packets)
	if ! insa "$TIMEIT" -n 1 -w 0 "$_cmd" >"$TMPD/bulk.one" \
	    2>"$RAW/bulk.err"; then
		cap_stop
		return 1
	fi
	_r1=$(rx_packets)
	cap_wait || say "bulk: $1: capture incomplete"
	_span=$(tcpdump -r "$TMPD/bulk.pcap" -tt -n 2>/dev/null | awk '
	    NR == 1 { f = $1 } { l = $1 }
	    END { if (NR == 2 && l > f) printf "%.6f\n", l - f
		  else print "nan" }')
	awk -v t="$1" -v rx=$((_r1 - _r0)) -v s="$_span" \
	    '{ print t, $3, $4, $5, rx, s }' "$TMPD/bulk.one" >>"$RAW/bulk.txt"
}

sec_bulk() {
	hdr "2  sender, bulk: $(commas "$NTARGETS") targets from a file," \
	    "$BULK_ROUNDS alternating rounds"
	awk -v n="$NTARGETS" 'BEGIN { for (i = 0; i < n; i++)
	    printf "02:00:5e:c8:%02x:%02x\n", int(i / 256), i % 256 }' \
	    >"$TMPD/targets"
	: >"$RAW/bulk.txt"
	_r=0
	while [ $_r -lt "$BULK_ROUNDS" ]; do
		if [ $((_r % 2)) -eq 0 ]; then
			_order="wakeup wakeonlan"
		else
			_order="wakeonlan wakeup"
		fi
		for _t in $_order; do
			if ! bulk_run $_t; then
				broken 2 "bulk: $_t" "$(cat "$RAW/bulk.err")"
				return
			fi
		done
		_r=$((_r + 1))
	done
	_f=$RAW/bulk.txt
	# Per tool: wire rate, end-to-end rate; per round: the ratios.
	_ww=$(awk -v n="$NTARGETS" '$1 == "wakeup" && $6 != "nan" {
	    print (n - 1) / $6 }' "$_f" | median)
	_ow=$(awk -v n="$NTARGETS" '$1 == "wakeonlan" && $6 != "nan" {
	    print (n - 1) / $6 }' "$_f" | median)
	_we=$(awk '$1 == "wakeup" { print $5 / $2 * 1e6 }' "$_f" | median)
	_oe=$(awk '$1 == "wakeonlan" { print $5 / $2 * 1e6 }' "$_f" | median)
	_rw=$(awk '{ k[$1]++; s[$1, k[$1]] = $6 } END {
	    for (i = 1; i <= k["wakeup"]; i++)
		if (s["wakeup", i] != "nan" && s["wakeonlan", i] != "nan")
			print s["wakeonlan", i] / s["wakeup", i] }' "$_f" |
	    median)
	_re=$(awk '{ k[$1]++; s[$1, k[$1]] = $2 } END {
	    for (i = 1; i <= k["wakeup"]; i++)
		print s["wakeonlan", i] / s["wakeup", i] }' "$_f" | median)
	_us=$(awk -v n="$NTARGETS" '$1 == "wakeup" { print $3 / n }' "$_f" |
	    median)
	_sy=$(awk -v n="$NTARGETS" '$1 == "wakeup" { print $4 / n }' "$_f" |
	    median)
	_rx=$(awk '{ s += $5 } END { print s + 0 }' "$_f")
	_nr=$(awk 'END { print NR }' "$_f")
	_bad=$(awk '$6 == "nan"' "$_f" | wc -l | tr -d ' ')
	_v1=$(verdict "$_ww" ge $T_BULK_FPS)
	_v2=$(verdict "$_rw" ge $T_BULK_RATIO)
	row 2a "wakeup -f: on the wire (first to last frame), median" \
	    "$(commas "$_ww") /s" ">= $(commas $T_BULK_FPS)" "$_v1"
	row 2b "wakeonlan -f: on the wire, median" "$(commas "$_ow") /s" \
	    "" ""
	row 2c "wakeup / wakeonlan on the wire: median per-round ratio" \
	    "$(fmt '%.1f' "$_rw")" ">= $T_BULK_RATIO" "$_v2"
	row 2d "wakeup -f: end to end (frames / process wall), median" \
	    "$(commas "$_we") /s" "" ""
	row 2e "wakeonlan -f: end to end, median" "$(commas "$_oe") /s" "" ""
	row 2f "wakeup / wakeonlan end to end: median per-round ratio" \
	    "$(fmt '%.1f' "$_re")" "" ""
	row 2g "wakeup -f: CPU per frame, user + system, median" \
	    "$(fmt '%.2f' "$_us") + $(fmt '%.2f us' "$_sy")" "" ""
	_v=ok
	[ "$_rx" -eq $((_nr * NTARGETS)) ] || _v=FAIL
	[ "$_bad" -eq 0 ] || _v=FAIL
	[ $_v = ok ] || FAILED=1
	row 2h "frames received / sent (runs without a wire time)" \
	    "$_rx / $((_nr * NTARGETS)) ($_bad)" "all (0)" "$_v"
	if [ "$PROFILE" = yes ] || { [ "$PROFILE" = auto ] &&
	    { [ "$_v1" != ok ] || [ "$_v2" != ok ]; }; }; then
		bulk_profile
	fi
}

# Where wakeup -f spends its time: perf for the kernel and user split,
# callgrind for the user side.
bulk_profile() {
	if perf_ok; then
		insa perf record -q -o "$RAW/bulk.perf" -F 10000 -g -- \
		    "$WAKEUP" -f "$TMPD/targets" wa0 >/dev/null 2>&1
		perf report -i "$RAW/bulk.perf" --children --sort sym --stdio \
		    -g none 2>/dev/null >"$RAW/bulk.perf.txt"
		perf report -i "$RAW/bulk.perf" --sort dso --stdio -g none \
		    2>/dev/null >"$RAW/bulk.perf.dso"
		_pk=$(awk '/\[kernel.kallsyms\]/ { sub("%", "", $1)
		    print $1 }' "$RAW/bulk.perf.dso")
		_ps() {
			awk -v s="$1" '$NF == s { sub("%", "", $1); print $1
			    exit }' "$RAW/bulk.perf.txt"
		}
		_psend=$(_ps __x64_sys_sendto)
		_prx=$(_ps process_backlog)
		_pio=$(_ps __x64_sys_ioctl)
		row 2i "wakeup -f, perf: kernel / user share of samples" \
		    "$(fmt '%.0f' "$_pk") / $(fmt '%.0f %%' \
		    "$(echo "$_pk" | awk '{ print 100 - $1 }')")" "" ""
		row 2j "  sendto / of which the peer's receive path" \
		    "$(fmt '%.0f' "$_psend") / $(fmt '%.0f %%' "$_prx")" "" ""
		row 2k "  ioctl (SIOCGIFINDEX in libnet_write_link)" \
		    "$(fmt '%.0f %%' "$_pio")" "" ""
	else
		row 2i "wakeup -f: perf profile" "no perf" "" ""
	fi
	if command -v valgrind >/dev/null 2>&1; then
		insa valgrind --tool=callgrind \
		    --callgrind-out-file="$RAW/bulk.callgrind" \
		    "$WAKEUP" -f "$TMPD/targets" wa0 >/dev/null 2>&1
		callgrind_annotate --inclusive=yes "$RAW/bulk.callgrind" \
		    >"$RAW/bulk.callgrind.txt" 2>/dev/null
		_cg() {
			awk -v s="$1" 'index($0, s) {
			    gsub(/[(%)]/, "", $2); print $2; exit }' \
			    "$RAW/bulk.callgrind.txt"
		}
		_ct=$(awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }' \
		    "$RAW/bulk.callgrind.txt")
		row 2l "  user instructions per frame (callgrind)" \
		    "$(fmt '%.0f' "$(echo "$_ct" | awk -v n="$NTARGETS" \
		    '{ print $1 / n }')")" "" ""
		row 2m "  libnet_build_ipv4 / snprintf, % of user instr." \
		    "$(fmt '%.0f' "$(_cg ':libnet_build_ipv4 ')") / $(fmt \
		    '%.0f %%' "$(_cg ':__snprintf_chk ')")" "" ""
		row 2n "  libnet_write (coalesce, checksums, write_link)" \
		    "$(fmt '%.0f %%' "$(_cg ':libnet_write ')")" "" ""
		row 2o "  parsing the targets (parse_target)" \
		    "$(fmt '%.0f %%' "$(_cg ':parse_target ')")" "" ""
	fi
}

#
# 3. Decision latency: wakeupd -v logs "MAC: N us from capture to the
# libvirt call" for each action, from pcap's capture timestamp to just
# before virDomainCreate.  -w 0: no debounce.  Each wake is for a
# shut-off domain, each in its own frame, 50 ms apart (test:///) or one
# at a time (qemu:///system).
#
lat_values() {
	sed -n 's/.*: \([0-9-]*\) us from capture to the libvirt call.*/\1/p' \
	    "$WD_LOG"
}

# node XML for the test driver: N shut-off domains with one NIC each.
testdrv_node() {
	awk -v n="$1" -v s="$2" -v pfx="$LV_PFX" 'BEGIN {
	    print "<node>"
	    for (i = 0; i < n; i++) {
		printf "<domain type=\"test\" xmlns:test=\"http://libvirt." \
		    "org/schemas/domain/test/1.0\"><name>%sn%d</name>" \
		    "<memory unit=\"MiB\">32</memory><os><type>hvm</type>" \
		    "</os><devices><interface type=\"user\"><mac address=" \
		    "\"02:b0:00:%02x:%02x:%02x\"/></interface></devices>" \
		    "<test:runstate>5</test:runstate></domain>\n", pfx, i, s,
		    int(i / 256), i % 256
	    }
	    print "</node>" }'
}

# Domain index of wake number J of W over N domains: spread over all N,
# or round and round when N < W.
pick() {
	if [ "$2" -ge "$3" ]; then
		echo $(($1 * $2 / $3))
	else
		echo $(($1 % $2))
	fi
}

# lat_testdrv N S FROM COUNT: wakes number FROM .. FROM+COUNT-1 of WAKES
# for the N domains of size S, in as many wakeupd runs as it takes for
# no domain to be woken twice in one, with $PIN in front of wakeupd and
# of the sender.  Latencies are appended to lat-test-N$TAG.txt, the
# wakes that did not start to lat-test-N$TAG.lost.
lat_testdrv() {
	_n=$1 _s=$2 _j=$3 _end=$(($3 + $4))
	_node=$TMPD/node-$_n.xml
	_o=$RAW/lat-test-$_n$TAG
	[ -s "$_node" ] || testdrv_node "$_n" "$_s" >"$_node"
	while [ $_j -lt $_end ]; do
		_m=$((_end - _j))
		[ $_m -gt "$_n" ] && _m=$_n
		_k=0
		while [ $_k -lt $_m ]; do
			_i=$(pick $((_j + _k)) "$_n" "$WAKES")
			printf '02:b0:00:%02x:%02x:%02x\n' "$_s" $((_i / 256)) \
			    $((_i % 256))
			_k=$((_k + 1))
		done >"$TMPD/lat.macs"
		mkframes udp4 $(cat "$TMPD/lat.macs") >"$TMPD/lat.hex" ||
		    return 1
		if ! wd_run "$_o.log" $((30 + _n / 200)) $PIN "$WAKEUPD" -d -v \
		    -C "$WAKEUPD_CAPTURE" -w 0 -u nobody -c "test://$_node" wb0; then
			say "test:///, $_n domains: wakeupd did not start"
			wd_halt
			return 1
		fi
		# A first packet wakes the path up, as any earlier one would.
		insa $PIN "$PACE" -c 1 wa0 "$TMPD/unknown1.hex" >/dev/null
		wd_wait 'no domain has' 1 5
		insa $PIN "$PACE" -r 20 -c "$_m" -t $((_m / 20 + 5)) wa0 \
		    "$TMPD/lat.hex" >/dev/null
		wd_wait 'us from capture to the libvirt call' "$_m" 10
		echo $((_m - $(wd_count 'start: ok'))) >>"$_o.lost"
		lat_values >>"$_o.txt"
		wd_halt
		_j=$((_j + _m))
	done
}

# One pass over the sizes: they take turns, LAT_ROUNDS times, so that
# whatever else the machine does at some moment falls on every size
# alike.  lat_pass FIRSTID WHAT [INFO]: rows FIRSTID.. and the flatness
# row, judged unless INFO is given.
lat_pass() {
	_id=$1 _what=$2 _info=${3:-}
	for _n in $SIZES; do
		: >"$RAW/lat-test-$_n$TAG.txt"
		: >"$RAW/lat-test-$_n$TAG.lost"
	done
	_per=$(((WAKES + LAT_ROUNDS - 1) / LAT_ROUNDS))
	_r=0
	while [ $((_r * _per)) -lt "$WAKES" ]; do
		_from=$((_r * _per))
		_cnt=$_per
		[ $((_from + _cnt)) -gt "$WAKES" ] && _cnt=$((WAKES - _from))
		_s=0
		for _n in $SIZES; do
			_s=$((_s + 1))
			say "test:///$TAG, $(ndoms "$_n"), wakes $_from to" \
			    "$((_from + _cnt - 1))"
			lat_testdrv "$_n" "$_s" "$_from" "$_cnt" ||
			    echo "$_cnt" >>"$RAW/lat-test-$_n$TAG.lost"
		done
		_r=$((_r + 1))
	done
	_meds=
	for _n in $SIZES; do
		_med=$(median <"$RAW/lat-test-$_n$TAG.txt")
		_cnt=$(wc -l <"$RAW/lat-test-$_n$TAG.txt" | tr -d ' ')
		_lost=$(awk '{ s += $1 } END { print s + 0 }' \
		    "$RAW/lat-test-$_n$TAG.lost")
		_meds="$_meds $_med"
		_v=$(verdict "$_med" le $T_LAT_US)
		[ "$_cnt" -eq "$WAKES" ] && [ "$_lost" -eq 0 ] || _v=FAIL
		[ "$_v" = FAIL ] && FAILED=1
		row "3$_id" \
		    "test:///, $_what, $(ndoms "$_n"), median of $_cnt" \
		    "$(fmt '%.0f us' "$_med")" "<= $T_LAT_US us" "$_v"
		_id=$(echo "$_id" | tr a-y b-z)
	done
	lat_flat "3$_id" "$_what" "$_meds" $_info
	LAT_NEXT=$(echo "$_id" | tr a-y b-z)
}

sec_latency() {
	hdr "3  wakeupd decision latency, capture to libvirt call: test:///" \
	    "driver, $WAKES wakes per size in $LAT_ROUNDS turns"
	TAG=-cpu$PIN_CPU PIN="taskset -c $PIN_CPU"
	lat_pass a "on CPU $PIN_CPU"
	TAG= PIN=
	lat_pass "$LAT_NEXT" "any CPU" info
}

# lat_flat ID WHAT MEDIANS [INFO]: largest / smallest median; judged
# unless INFO is given.
lat_flat() {
	_fl=$(echo "$3" | tr ' ' '\n' | grep -v '^$' | grep -v nan |
	    sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 }
	    END { if (NR > 1 && lo > 0) print hi / lo; else print "nan" }')
	if [ -n "$4" ]; then
		row "$1" "$2: largest / smallest median of the sizes" \
		    "$(fmt '%.2f' "$_fl")" "" ""
	else
		row "$1" "$2: largest / smallest median of the sizes" \
		    "$(fmt '%.2f' "$_fl")" "<= $T_FLAT" \
		    "$(verdict "$_fl" le $T_FLAT)"
	fi
}

#
# Domains of the real libvirtd: the same tiny TCG domains as lv_define,
# named $LV_PFX$NAME, defined and undefined in batches through one
# virsh each (a virsh per domain takes minutes for 1,000).  lv_sweep
# removes what a killed run leaves.
#
LVB_MACPFX=02:b1:$(printf '%02x:%02x' $(($$ / 256 % 256)) $(($$ % 256)))
LVB_HOOKED=

lvb_mac() {
	printf '%s:%02x:%02x\n' "$LVB_MACPFX" $(($1 / 256)) $(($1 % 256))
}

lvb_xml() {
	lv_xml "$LV_PFX$1" "$2"
}

# lvb_define FROM TO: domains nFROM .. nTO-1.
lvb_define() {
	if [ -z "$LVB_HOOKED" ]; then
		LVB_HOOKED=1
		at_cleanup lvb_undefine_all
	fi
	mkdir -p "$TMPD/lv"
	_i=$1
	while [ $_i -lt "$2" ]; do
		lvb_xml "n$_i" "$(lvb_mac $_i)" >"$TMPD/lv/n$_i.xml"
		echo "$LV_PFX""n$_i" >>"$TMPD/lv/names"
		echo "define $TMPD/lv/n$_i.xml"
		_i=$((_i + 1))
	done >"$TMPD/lv/cmds"
	timeout $((60 + ($2 - $1) / 5)) virsh -q -c "$LV_URI" \
	    <"$TMPD/lv/cmds" >/dev/null 2>"$RAW/virsh-define.err"
}

lvb_undefine_all() {
	[ -s "$TMPD/lv/names" ] || return 0
	while read -r _d; do
		echo "destroy $_d"
		echo "undefine --managed-save $_d"
	done <"$TMPD/lv/names" >"$TMPD/lv/undef"
	timeout 300 virsh -q -c "$LV_URI" <"$TMPD/lv/undef" >/dev/null 2>&1
	: >"$TMPD/lv/names"
}

# Starting a domain needs virtlogd too, and a test that started one may
# have stopped it since; lv_stop stops it at the end if it is ours.
lv_ensure() {
	[ -S /run/libvirt/virtlogd-sock ] && return 0
	lv_start_virtlogd
}

lvb_destroy() {
	lv_virsh destroy "$LV_PFX$1" >/dev/null 2>&1
}

# One wake of domain nI through the real libvirtd, then back to shut off.
# Returns 0 when the start succeeded, 1 when libvirt refused it (the
# decision was made all the same: its latency counts), 2 when wakeupd
# did not get to the call within 30 s.  The time the packet is sent and
# the domain's name are appended to $LVP_STARTS.  The events: "domain
# NAME changed, " before commit 6f947d9, "domain NAME: lifecycle event"
# since.
lat_lv_wake() {
	_done="wake $LV_PFX""n$1 .*: start: (ok|failed)"
	_ok="wake $LV_PFX""n$1 .*: start: ok"
	_ev="domain $LV_PFX""n$1(: lifecycle event| changed, )"
	# Others' tests may stop virtlogd, which a start needs.
	lv_ensure
	_c0=$(wd_count 'us from capture to the libvirt call')
	_d0=$(wd_count "$_done")
	_k0=$(wd_count "$_ok")
	_e0=$(wd_count "$_ev")
	sed -n "$(($1 + 1))p" "$TMPD/lv.hex" >"$TMPD/lv1.hex"
	echo "$(date +%s.%N) $LV_PFX""n$1" >>"$LVP_STARTS"
	insa "$PACE" -c 1 wa0 "$TMPD/lv1.hex" >/dev/null
	if ! wd_wait "$_done" $((_d0 + 1)) 30; then
		lvb_destroy "n$1"
		return 2
	fi
	[ "$(wd_count 'us from capture to the libvirt call')" -gt "$_c0" ] ||
	    return 2
	# A start that failed may have started it all the same.
	lvb_destroy "n$1"
	[ "$(wd_count "$_ok")" -gt "$_k0" ] || return 1
	# Started and stopped: both events handled before the next wake.
	wd_wait "$_ev" $((_e0 + 2)) 10
	return 0
}

#
# lv_pass WAKEUPD OUT N WAKES TRACE WAIT URI...: one wakeupd (the given
# binary; under strace when TRACE is "trace") with the URIs, ready within
# WAIT seconds, then WAKES wakes spread over domains n0 .. nN-1, one at a
# time.  Appends the latencies to OUT.txt and the send times to
# OUT.starts; the log is OUT.log, the trace OUT.strace.  Sets LVP_OK,
# LVP_REF, LVP_LOST (counts as lat_lv_wake returns them) and LVP_READY
# (seconds from the start to "ready").  Returns 1 when wakeupd did not
# get ready.  $LVP_HOOK, when set, is run once it is ready.
#
LVP_OK=0 LVP_REF=0 LVP_LOST=0 LVP_READY=nan LVP_STARTS=/dev/null LVP_HOOK=

lv_pass() {
	_lb=$1 _lo=$2 _ln=$3 _lw=$4 _ltr=$5 _lwait=$6
	shift 6
	_la=
	for _u; do
		_la="$_la -c $_u"
	done
	# The tree's wakeupd execs its capture program; the old one forks.
	[ "$_lb" = "$WAKEUPD" ] && _la="-C $WAKEUPD_CAPTURE$_la"
	set --
	[ "$_ltr" = trace ] && set -- strace -f --seccomp-bpf \
	    -e trace=write,writev,sendmsg -xx -s 128 -ttt -o "$_lo.strace"
	LVP_OK=0 LVP_REF=0 LVP_LOST=0 LVP_READY=nan
	_lt0=$(date +%s%N)
	# shellcheck disable=SC2086
	if ! wd_run "$_lo.log" "$_lwait" "$@" "$_lb" -d -v -w 0 -u nobody \
	    $_la wb0; then
		wd_halt
		return 1
	fi
	LVP_READY=$(awk -v a="$_lt0" -v b="$(date +%s%N)" \
	    'BEGIN { printf "%.1f\n", (b - a) / 1e9 }')
	# "ready" may come while $LV_URI is still being listed (after
	# READY_MS, since commit 6f947d9): the wakes wait for the listing.
	wd_wait "$LV_URI: (connected|[0-9]+ domains)" 1 120
	[ -n "$LVP_HOOK" ] && $LVP_HOOK
	insa "$PACE" -c 1 wa0 "$TMPD/unknown1.hex" >/dev/null
	wd_wait 'no domain has' 1 5
	LVP_STARTS=$_lo.starts
	_lj=0 _lrun=0
	while [ $_lj -lt "$_lw" ]; do
		_li=$(pick $_lj "$_ln" "$_lw")
		lat_lv_wake $_li
		case $? in
		0)	LVP_OK=$((LVP_OK + 1)) _lrun=0 ;;
		1)	LVP_REF=$((LVP_REF + 1)) _lrun=0 ;;
		*)	LVP_LOST=$((LVP_LOST + 1)) _lrun=$((_lrun + 1)) ;;
		esac
		# Three in a row never reached libvirt: give up.
		[ $_lrun -ge 3 ] && break
		# Traced: the calls the events bring come before the next.
		[ "$_ltr" = trace ] && sleep 0.5
		_lj=$((_lj + 1))
	done
	LVP_STARTS=/dev/null
	lat_values >>"$_lo.txt"
	wd_halt
	return 0
}

# The old code, for the "before" rows: commit $BEFORE's wakeupd, built
# from git archive in $TMPD (no worktree, nothing in the repository
# changes).  Sets OLD_WAKEUPD, or leaves it empty when it cannot be had.
OLD_WAKEUPD=
OLD_TRIED=

build_before() {
	[ -n "$OLD_TRIED" ] && return 0
	OLD_TRIED=1
	[ -n "$BEFORE" ] || return 0
	_od=$TMPD/before
	mkdir -p "$_od"
	if ! git -C "$TOP" archive "$BEFORE" 2>"$RAW/before-build.log" |
	    tar -x -C "$_od" 2>>"$RAW/before-build.log" ||
	    ! make -C "$_od" wakeupd/wakeupd >>"$RAW/before-build.log" 2>&1 ||
	    [ ! -x "$_od/wakeupd/wakeupd" ]; then
		say "the old code ($BEFORE) did not build: $RAW/before-build.log"
		return 0
	fi
	OLD_WAKEUPD=$_od/wakeupd/wakeupd
}

# lv_calls_row ID WHAT OUT [JUDGE]: the libvirt RPC calls of each traced
# wake in OUT (see rpc_per_wake), median and largest; judged against
# T_CALLS when JUDGE is given.
lv_calls_row() {
	rpc_per_wake "$3.strace" "$3.starts" >"$3.calls"
	_cw=$(awk '$1 != "nan" { print $1 }' "$3.calls" | median)
	_ca=$(awk '$1 != "nan" { print $2 }' "$3.calls" | median)
	_cx=$(awk '$1 != "nan" { print $1 }' "$3.calls" | sort -g | tail -1)
	_cn=$(awk '$1 != "nan"' "$3.calls" | wc -l | tr -d ' ')
	_ct=$(wc -l <"$3.calls" | tr -d ' ')
	_cp=$(awk '$1 != "nan" { for (i = 3; i <= NF; i++) c[$i]++ }
	    END { for (k in c) printf "%s%s", (n++ ? " " : ""), k }' \
	    "$3.calls")
	if [ -n "$4" ]; then
		_v=$(verdict "$_cw" le $T_CALLS)
		[ "$_cn" -eq "$_ct" ] && [ "$_ct" -gt 0 ] || _v=FAIL
		[ "$_v" = FAIL ] && FAILED=1
		_tg="<= $T_CALLS"
	else
		_v= _tg=
	fi
	row "$1" "$2, median of $_cn/$_ct" \
	    "$(fmt '%g' "$_cw") / $(fmt '%g' "$_ca") (<= $(fmt '%g' "$_cx"))" \
	    "$_tg" "$_v"
	row "" "    calls seen: $_cp" "" "" ""
}

sec_libvirtd() {
	hdr "3  wakeupd decision latency and libvirt calls per wake:" \
	    "qemu:///system (real libvirtd), $LV_WAKES wakes per size," \
	    "$CALL_WAKES traced; before: $BEFORE"
	if [ -z "$LV_OK" ]; then
		broken 3q "qemu:///system" "no libvirtd"
		return
	fi
	build_before
	_have=0 _s=16 _meds=
	for _n in $LV_SIZES; do
		say "qemu:///system, $_n domains of ours"
		if [ "$_n" -gt $_have ]; then
			if ! lvb_define $_have "$_n"; then
				broken 3q "qemu:///system: $_n domains" \
				    "$(head -c 200 "$RAW/virsh-define.err")"
				return
			fi
			_have=$_n
		fi
		_all=$(lv_virsh list --all --name 2>/dev/null | grep -c .)
		lv_ensure
		awk -v n="$_n" 'BEGIN { for (i = 0; i < n; i++) print i }' |
		    while read -r _i; do lvb_mac "$_i"; done >"$TMPD/lv.macs"
		mkframes udp4 $(cat "$TMPD/lv.macs") >"$TMPD/lv.hex" || return
		_s=$((_s + 1))
		_id=3$(echo $_s | awk '{ printf "%c", 97 + $1 - 1 }')
		_o=$RAW/lat-lv-$_n
		: >"$_o.txt"
		if ! lv_pass "$WAKEUPD" "$_o" "$_n" "$LV_WAKES" "" 120 \
		    "$LV_URI"; then
			broken "$_id" "qemu:///system, $_n domains" \
			    "wakeupd did not start"
			continue
		fi
		_med=$(median <"$_o.txt")
		_cnt=$(wc -l <"$_o.txt" | tr -d ' ')
		_meds="$_meds $_med"
		_v=$(verdict "$_med" le $T_LAT_US)
		[ "$_cnt" -eq "$LV_WAKES" ] && [ $LVP_LOST -eq 0 ] || _v=FAIL
		[ "$_v" = FAIL ] && FAILED=1
		row "$_id" \
		    "qemu:///system, $(commas "$_n") ours, $_all in all:" \
		    "" "" ""
		row "" "  latency, median of $_cnt" \
		    "$(fmt '%.0f us' "$_med")" "<= $T_LAT_US us" "$_v"
		if [ $LVP_REF -gt 0 ] || [ $LVP_LOST -gt 0 ]; then
			_why=$(grep -m1 'start: failed' "$_o.log" |
			    sed 's/.*failed: //' | cut -c1-40)
			row "" "  starts refused by libvirt / lost: $_why" \
			    "$LVP_REF / $LVP_LOST" "" ""
		fi
		# The calls, wake path / all (largest wake path), traced.
		if command -v strace >/dev/null 2>&1; then
			: >"$_o-trace.txt"
			if lv_pass "$WAKEUPD" "$_o-trace" "$_n" \
			    "$CALL_WAKES" trace 120 "$LV_URI"; then
				lv_calls_row "" "  calls per wake" "$_o-trace" \
				    judge
			else
				broken "" "  calls per wake" \
				    "traced wakeupd did not start"
			fi
		fi
		[ -n "$OLD_WAKEUPD" ] || continue
		: >"$_o-before.txt"
		if ! lv_pass "$OLD_WAKEUPD" "$_o-before" "$_n" "$LV_WAKES" "" \
		    120 "$LV_URI"; then
			row "" "  before: latency" "did not start" "" ""
			continue
		fi
		_cnt=$(wc -l <"$_o-before.txt" | tr -d ' ')
		row "" "  before: latency, median of $_cnt" \
		    "$(fmt '%.0f us' "$(median <"$_o-before.txt")")" "" ""
		command -v strace >/dev/null 2>&1 || continue
		: >"$_o-before-trace.txt"
		if lv_pass "$OLD_WAKEUPD" "$_o-before-trace" "$_n" \
		    "$CALL_WAKES" trace 120 "$LV_URI"; then
			lv_calls_row "" "  before: calls per wake" \
			    "$_o-before-trace"
		else
			row "" "  before: calls per wake" "did not start" "" ""
		fi
	done
	lat_flat 3z "qemu:///system" "$_meds" info
	lvb_undefine_all
}

#
# 6. A hung remote URI: nc in $NSA accepts TCP on $HUNG_ADDR:$HUNG_PORT
# and never answers, so a qemu+tcp connection to it opens and then waits
# forever for libvirtd's first reply.  Local wakes (qemu:///system, one
# domain) with and without it as a second URI, in turns: alone, with,
# with, alone.  The old code, given the same two URIs, for comparison.
#
hung_held() {
	_h=$(insa ss -Htn state established "( sport = :$HUNG_PORT )" \
	    2>/dev/null | grep -c .)
	HUNG_HELD=$((HUNG_HELD + _h))
}

sec_hung() {
	_hu=qemu+tcp://$HUNG_ADDR:$HUNG_PORT/system
	hdr "6  a hung remote URI next to qemu:///system ($_hu, nc," \
	    "never answers): local wakes, $HUNG_WAKES each side"
	if [ -z "$LV_OK" ]; then
		broken 6a "hung URI" "no libvirtd"
		return
	fi
	if ! command -v nc >/dev/null 2>&1; then
		broken 6a "hung URI" "no nc (netcat-openbsd)"
		return
	fi
	lv_ensure
	lvb_define 0 1 || { broken 6a "hung URI" "define"; return; }
	mkframes udp4 "$(lvb_mac 0)" >"$TMPD/lv.hex" || return
	# -d: nothing read from stdin, so nothing is ever sent.
	ip netns exec "$NSA" nc -dlk "$HUNG_ADDR" "$HUNG_PORT" \
	    >/dev/null 2>&1 </dev/null &
	_nc=$!
	if ! poll 50 sh -c "ip netns exec $NSA ss -Hltn \
	    '( sport = :$HUNG_PORT )' | grep -q ."; then
		kill "$_nc" 2>/dev/null
		broken 6a "hung URI" "nc is not listening"
		return
	fi
	_o=$RAW/hung
	: >"$_o-alone.txt"
	: >"$_o-with.txt"
	_half=$(((HUNG_WAKES + 1) / 2))
	HUNG_HELD=0 _still=0 _conn=0 _ready= _lost=0 _bad=
	for _side in alone with with alone; do
		if [ $_side = alone ]; then
			set -- "$LV_URI"
			LVP_HOOK=
		else
			set -- "$_hu" "$LV_URI"
			LVP_HOOK=hung_held
		fi
		if ! lv_pass "$WAKEUPD" "$_o-$_side" 1 "$_half" "" 60 "$@"
		then
			_bad="wakeupd did not get ready ($_side)"
			break
		fi
		_lost=$((_lost + LVP_LOST + LVP_REF))
		cat "$_o-$_side.log" >>"$_o-$_side.logs"
		[ $_side = alone ] && continue
		_ready="$_ready $LVP_READY"
		grep -q "ready: .*still connecting to $_hu" "$_o-$_side.log" &&
		    _still=$((_still + 1))
		_conn=$((_conn + $(grep -c "$_hu: connected" \
		    "$_o-$_side.log")))
	done
	LVP_HOOK=
	if [ -n "$_bad" ]; then
		kill "$_nc" 2>/dev/null
		wait "$_nc" 2>/dev/null
		broken 6a "hung URI" "$_bad"
		lvb_undefine_all
		return
	fi
	_ma=$(median <"$_o-alone.txt")
	_mw=$(median <"$_o-with.txt")
	_na=$(wc -l <"$_o-alone.txt" | tr -d ' ')
	_nw=$(wc -l <"$_o-with.txt" | tr -d ' ')
	row 6a "qemu:///system alone: latency, median of $_na" \
	    "$(fmt '%.0f us' "$_ma")" "" ""
	_v=$(verdict "$_mw" le $T_LAT_US)
	[ "$_nw" -eq $((_half * 2)) ] && [ $_lost -eq 0 ] &&
	    [ $_conn -eq 0 ] || _v=FAIL
	[ "$_v" = FAIL ] && FAILED=1
	row 6b "the hung URI first, then qemu:///system: median of $_nw" \
	    "$(fmt '%.0f us' "$_mw")" "<= $T_LAT_US us" "$_v"
	row 6c "  with / alone: ratio of the medians" \
	    "$(fmt '%.2f' "$(echo "$_mw $_ma" | awk '$2 > 0 {
	    print $1 / $2 }')")" "" ""
	row 6d "  ready after (s); \"still connecting\"; held by nc" \
	    "$(echo $_ready | tr ' ' /); $_still of 2; $HUNG_HELD" "" ""
	row 6e "  starts failed or lost / hung URI connected" \
	    "$_lost / $_conn" "0 / 0" "$( [ $_lost -eq 0 ] &&
	    [ $_conn -eq 0 ] && echo ok || echo FAIL)"
	build_before
	if [ -n "$OLD_WAKEUPD" ]; then
		: >"$_o-before.txt"
		if lv_pass "$OLD_WAKEUPD" "$_o-before" 1 "$_half" "" 20 \
		    "$_hu" "$LV_URI"; then
			row 6f "before ($BEFORE), the same two URIs: median" \
			    "$(fmt '%.0f us' "$(median <"$_o-before.txt")")" \
			    "" ""
			row "" "  ready after" "$LVP_READY s" "" ""
		else
			row 6f "before ($BEFORE), the same two URIs: ready" \
			    "not in 20 s" "" ""
		fi
	fi
	kill "$_nc" 2>/dev/null
	wait "$_nc" 2>/dev/null
	lvb_undefine_all
}

#
# 4 and 5. Load and footprint: one wakeupd, production-like (no -v,
# qemu:///system), idle, then 20,000 frames/s of broadcast UDP that is
# no magic packet, then 2,000 frames/s of magic packets for addresses
# no domain has.  CPU time from /proc/PID/task/*/schedstat (the
# scheduler's sum, ns) and, as asked, /proc/PID/stat utime + stime.
#
cpu_both() {
	echo "$(cpu_ns "$WD_PARENT") $(cpu_ns "$WD_CHILD")" \
	    "$(cpu_ticks "$WD_PARENT") $(cpu_ticks "$WD_CHILD")" \
	    "$(date +%s%N)" "$(rx_packets)"
}

# load_phase NAME RATE FILE: RATE frames/s of FILE for LOAD_SECS, CPU
# sampled every second.  Prints: the median of the per-second CPU %
# (both processes), the mean over the whole window (both, parent,
# child), the mean from /proc/PID/stat ticks, and the rate received.
load_phase() {
	_la=$(cpu_both)
	insa "$PACE" -r "$2" -c $(($2 * LOAD_SECS)) -t $((LOAD_SECS + 2)) \
	    wa0 "$3" >"$RAW/load-$1.pace" &
	_lj=$!
	_li=0
	: >"$RAW/load-$1.samples"
	while [ $_li -lt "$LOAD_SECS" ] && kill -0 $_lj 2>/dev/null; do
		sleep 1
		cpu_both >>"$RAW/load-$1.samples"
		_li=$((_li + 1))
	done
	wait $_lj
	_lb=$(cpu_both)
	echo "$_la" | cat - "$RAW/load-$1.samples" | awk '
	    NR > 1 { print (($1 - p) + ($2 - c)) / ($5 - t) * 100 }
	    { p = $1; c = $2; t = $5 }' >"$RAW/load-$1.persec"
	_lm=$(median <"$RAW/load-$1.persec")
	echo "$_la $_lb" | awk -v hz="$(getconf CLK_TCK)" -v m="$_lm" '{
	    wall = ($11 - $5) / 1e9
	    p = ($7 - $1) / 1e9 / wall * 100
	    c = ($8 - $2) / 1e9 / wall * 100
	    t = (($9 - $3) + ($10 - $4)) / hz / wall * 100
	    printf "%s %.3f %.3f %.3f %.3f %.0f\n", m, p + c, p, c, t,
		($12 - $6) / wall }' | tee "$RAW/load-$1.txt"
}

# Syscalls of each process over IDLE_SECS, traced: what wakes it.
# Prints: parent wake-ups, parent syscalls, child wake-ups, child
# syscalls, keepalive messages written, then the parent's syscalls by
# name.  A wake-up is a run of syscalls with no gap over 50 ms.
idle_trace() {
	timeout -s INT "$IDLE_SECS" strace -f -tt -o "$RAW/idle.strace" \
	    -p "$WD_PARENT" -p "$WD_CHILD" >/dev/null 2>&1
	# Attaching interrupts a blocking call: restart_syscall is strace's.
	awk -v p="$WD_PARENT" -v c="$WD_CHILD" '
	    $3 ~ /^(restart_syscall|---|\+\+\+|<\.\.\.)/ { next }
	    {
		split($2, t, ":")
		now = t[1] * 3600 + t[2] * 60 + t[3]
		if (!($1 in last) || now - last[$1] > 0.05)
			w[$1]++
		last[$1] = now
		n[$1]++
		split($3, a, "(")
		if ($1 == p)
			s[a[1]]++
		if ($1 == p && a[1] == "write" && index($0, "keep"))
			k++
	    }
	    END {
		printf "%d %d %d %d %d", w[p], n[p], w[c], n[c], k
		for (x in s)
			printf " %s\t%d", x, s[x]
		printf "\n"
	    }' "$RAW/idle.strace"
}

sec_load() {
	hdr "4  wakeupd load, $LOAD_SECS s each, and 5 footprint" \
	    "(qemu:///system, no -v)"
	if [ -z "$LV_OK" ]; then
		broken 4 "load" "no libvirtd"
		return
	fi
	mkframes udp4 $(awk 'BEGIN { for (i = 0; i < 64; i++)
	    printf "02:b2:00:00:01:%02x\n", i }') >"$TMPD/unknown.hex" || return
	sh "$MK" -m junk -p 137 udp4 02:00:5e:99:00:01 >"$TMPD/junk.hex" ||
	    return
	if ! wd_run "$RAW/load.log" 60 "$WAKEUPD" -d -u nobody \
	    -C "$WAKEUPD_CAPTURE" -c "$LV_URI" wb0; then
		broken 4 "load" \
		    "wakeupd did not start: $(tail -2 "$RAW/load.log")"
		wd_halt
		return
	fi
	sleep 2
	_mp0=$(mem "$WD_PARENT") _mc0=$(mem "$WD_CHILD")

	# Idle: CPU over the traced window, and what the syscalls were.
	_a=$(cpu_both)
	if command -v strace >/dev/null 2>&1; then
		_it=$(idle_trace)
	else
		sleep "$IDLE_SECS"
		_it="nan nan nan nan nan"
	fi
	_b=$(cpu_both)
	_ic=$(echo "$_a $_b" | awk '{ w = ($11 - $5) / 1e9
	    printf "%.3f\n", (($7 - $1) + ($8 - $2)) / 1e9 / w * 100 }')

	# One second of each first: what is allocated once is not growth.
	insa "$PACE" -r 20000 -c 20000 -t 3 wa0 "$TMPD/junk.hex" >/dev/null
	insa "$PACE" -r 2000 -c 2000 -t 3 wa0 "$TMPD/unknown.hex" >/dev/null
	sleep 1
	_mpw=$(mem "$WD_PARENT") _mcw=$(mem "$WD_CHILD")
	say "load: $LOAD_SECS s of 20,000 frames/s, no magic packets"
	_l1=$(load_phase noise 20000 "$TMPD/junk.hex")
	say "load: $LOAD_SECS s of 2,000 frames/s, unknown MACs"
	_l2=$(load_phase unknown 2000 "$TMPD/unknown.hex")
	sleep 1
	_mp1=$(mem "$WD_PARENT") _mc1=$(mem "$WD_CHILD")
	for _p in "$WD_PARENT" "$WD_CHILD"; do
		cp /proc/"$_p"/smaps "$RAW/smaps-after.$_p" 2>/dev/null
	done
	echo "idle $_mp0 $_mc0 warm $_mpw $_mcw after $_mp1 $_mc1" \
	    >"$RAW/mem.txt"
	wd_halt

	set -- $_l1
	_m1=$1 _c1=$2 _p1=$3 _k1=$4 _t1=$5 _r1=$6
	set -- $_l2
	_m2=$1 _c2=$2 _p2=$3 _k2=$4 _t2=$5 _r2=$6
	row 4a "idle, $IDLE_SECS s (traced): CPU, % of one core" \
	    "$(fmt '%.3f %%' "$_ic")" "" ""
	row 4b "$(commas "$_r1") frames/s UDP, no WOL: CPU, median second" \
	    "$(fmt '%.3f %%' "$_m1")" "<= $T_CPU_NOISE %" \
	    "$(verdict "$_m1" le $T_CPU_NOISE)"
	row 4c "  whole window: both = parent + capture child" \
	    "$(fmt '%.3f' "$_c1") = $(fmt '%.3f' "$_p1") + $(fmt '%.3f' \
	    "$_k1")" "" ""
	row 4d "  whole window from /proc/PID/stat utime + stime" \
	    "$(fmt '%.2f %%' "$_t1")" "" ""
	row 4e "$(commas "$_r2") frames/s WOL, unknown MACs: CPU, median s." \
	    "$(fmt '%.2f %%' "$_m2")" "<= $T_CPU_UNKNOWN %" \
	    "$(verdict "$_m2" le $T_CPU_UNKNOWN)"
	row 4f "  whole window: both = parent + capture child" \
	    "$(fmt '%.2f' "$_c2") = $(fmt '%.2f' "$_p2") + $(fmt '%.2f' \
	    "$_k2")" "" ""
	row 4g "  whole window from /proc/PID/stat utime + stime" \
	    "$(fmt '%.2f %%' "$_t2")" "" ""
	sec_calls

	set -- $_mpw $_mcw
	_anw=$(($3 + $6))
	set -- $_mp0 $_mc0 $_mp1 $_mc1
	_pss0=$(($2 + $5)) _pss1=$(($8 + ${11}))
	row 5a "PSS, parent + child, idle" "$(mib $_pss0)" \
	    "<= $(mib $T_MEM_KIB)" "$(verdict $_pss0 le $T_MEM_KIB)"
	row 5b "PSS, parent + child, after the loads" "$(mib $_pss1)" \
	    "<= $(mib $T_MEM_KIB)" "$(verdict $_pss1 le $T_MEM_KIB)"
	_an1=$(($9 + ${12}))
	row 5c "  growth of anonymous memory over the loads" \
	    "$((_an1 - _anw)) KiB" "<= $T_GROWTH_KIB KiB" \
	    "$(verdict $((_an1 - _anw)) le $T_GROWTH_KIB)"
	row 5d "  parent / child, idle" "$(mib $2) / $(mib $5)" "" ""
	row 5e "RSS, parent + child, idle / after" \
	    "$(mib $(($1 + $4))) / $(mib $(($7 + ${10})))" "" ""
	row 5f "anonymous memory, parent + child, idle / after" \
	    "$(mib $(($3 + $6))) / $(mib $(($9 + ${12})))" "" ""
	set -- $_it
	row 5g "idle $IDLE_SECS s, wake-ups: parent / capture child" \
	    "$1 / $3" "" ""
	row 5h "  syscalls: parent / capture child" "$2 / $4" "" ""
	row 5i "  libvirt keepalive messages written by the parent" "$5" "" ""
	shift 5
	row 5j "  the parent's syscalls" \
	    "$(echo "$*" | awk '{ for (i = 1; i < NF; i += 2)
	    print $(i + 1), $i }' | sort -rn | awk '{ printf "%s%s %s",
	    (NR > 1 ? ", " : ""), $2, $1 }')" "" ""
}

#
# Zero libvirt calls for unknown MACs.  Every libvirt API call on a
# qemu:///system connection is an RPC message that the parent writes to
# libvirtd's socket: a header whose program is 0x20008086 (REMOTE) and
# whose type is 0 (CALL).  Keepalive messages have program 0x6b656570.
# So: trace the parent's writes (strace --seccomp-bpf stops only at
# write, writev and sendmsg), send CHECK_SECS s of unknown MACs, then
# one packet for a known domain as the control that the method sees
# calls at all, and count REMOTE CALL headers in each window.
#
# rpc_calls STRACE FROM TO: REMOTE CALL messages written between FROM
# and TO (epoch seconds): "total wake-path procs...", where the wake
# path is what wake() calls: DOMAIN_LOOKUP_BY_UUID (24), DOMAIN_GET_STATE
# (212), DOMAIN_CREATE (9), DOMAIN_RESUME (28), DOMAIN_PM_WAKEUP (267),
# numbers fixed by libvirt's remote_protocol.x.  Other calls come from
# the lifecycle events of other users' domains on a shared libvirtd.
RPC_AWK='
function rpc_proc(line,    s, i, j, p) {
	if (line !~ /(write|writev|sendmsg)\(/)
		return -1
	i = index(line, "\"")
	if (i == 0)
		return -1
	s = substr(line, i + 1)
	s = substr(s, 1, index(s, "\"") - 1)
	gsub(/\\x/, "", s)
	if (substr(s, 9, 8) != "20008086" || substr(s, 33, 8) != "00000000")
		return -1
	p = 0
	for (j = 25; j <= 32; j++)
		p = p * 16 + index("0123456789abcdef", substr(s, j, 1)) - 1
	return p
}
function rpc_wakepath(p) {
	return p == 9 || p == 24 || p == 28 || p == 212 || p == 267
}
function rpc_action(p) {
	return p == 9 || p == 28 || p == 267
}
# The name in a remote_nonnull_domain, the first argument of the calls
# on a domain; "" for the others (lookup_by_uuid takes a UUID).
function rpc_domain(line, p,    s, i, n, r) {
	if (p != 9 && p != 14 && p != 28 && p != 150 && p != 151 &&
	    p != 212 && p != 267)
		return ""
	i = index(line, "\"")
	s = substr(line, i + 1)
	s = substr(s, 1, index(s, "\"") - 1)
	gsub(/\\x/, "", s)
	n = 0
	for (i = 57; i <= 64; i++)
		n = n * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
	r = ""
	for (i = 0; i < n && 66 + 2 * i <= length(s); i++)
		r = r sprintf("%c", rpc_hex(substr(s, 65 + 2 * i, 2)))
	return r
}
function rpc_hex(h,    i, v) {
	v = 0
	for (i = 1; i <= length(h); i++)
		v = v * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1
	return v
}
function rpc_name(p) {
	if (p == 9) return "create"
	if (p == 14) return "get_xml_desc"
	if (p == 24) return "lookup_by_uuid"
	if (p == 28) return "resume"
	if (p == 150) return "is_active"
	if (p == 151) return "is_persistent"
	if (p == 212) return "get_state"
	if (p == 267) return "pm_wakeup"
	return "proc_" p
}
'

rpc_calls() {
	awk -v a="$2" -v b="$3" "$RPC_AWK"'
	    $2 + 0 < a + 0 || $2 + 0 >= b + 0 { next }
	    {
		p = rpc_proc($0)
		if (p < 0)
			next
		n++
		if (rpc_wakepath(p))
			w++
		c[rpc_name(p)]++
	    }
	    END {
		printf "%d %d", n, w
		for (k in c)
			printf " %s=%d", k, c[k]
		printf "\n"
	    }' "$1"
}

# rpc_per_wake STRACE STARTS: for each line "TIME NAME" in STARTS (when
# the packet to wake domain NAME was sent), the REMOTE CALL messages
# written from then up to and including the first action call on NAME
# (create, resume, pm_wakeup), not after it: "wakepath all proc..." in
# the order written, or "nan nan" when no action call came before the
# next wake.  What the action brings afterwards (the lifecycle events
# and the reads of the domain they cause) is not part of the wake, and
# neither is a call that names another domain (the reads that other
# users' domain events cause on a shared libvirtd).
rpc_per_wake() {
	awk -v list="$2" "$RPC_AWK"'
	    BEGIN {
		while ((getline l < list) > 0) {
			split(l, f, " ")
			st[++k] = f[1] + 0
			dn[k] = f[2]
		}
	    }
	    {
		t = $2 + 0
		for (i = k; i >= 1 && st[i] > t; i--)
			;
		if (i < 1 || done[i])
			next
		p = rpc_proc($0)
		if (p < 0)
			next
		d = rpc_domain($0, p)
		if (d != "" && d != dn[i])
			next
		a[i]++
		if (rpc_wakepath(p))
			w[i]++
		seq[i] = seq[i] " " rpc_name(p)
		if (rpc_action(p))
			done[i] = 1
	    }
	    END {
		for (i = 1; i <= k; i++)
			if (done[i])
				printf "%d %d%s\n", w[i], a[i], seq[i]
			else
				print "nan nan"
	    }' "$1"
}

sec_calls() {
	if ! command -v strace >/dev/null 2>&1; then
		row 4h "libvirt calls for unknown MACs" "no strace" "" ""
		return
	fi
	lv_ensure
	lvb_define 65534 65535 || { broken 4h "probe domain" "define"; return; }
	mkframes udp4 "$(lvb_mac 65534)" >"$TMPD/probe.hex" || return
	if ! wd_run "$RAW/calls.log" 60 strace -f --seccomp-bpf \
	    -e trace=write,writev,sendmsg -xx -s 64 -ttt \
	    -o "$RAW/calls.strace" "$WAKEUPD" -d -C "$WAKEUPD_CAPTURE" -u nobody \
	    -c "$LV_URI" wb0
	then
		broken 4h "libvirt calls" "traced wakeupd did not start"
		wd_halt
		return
	fi
	sleep 1
	_t0=$(date +%s.%N)
	insa "$PACE" -r 2000 -c $((2000 * CHECK_SECS)) \
	    -t $((CHECK_SECS + 2)) wa0 "$TMPD/unknown.hex" >"$RAW/calls.pace"
	sleep 0.5
	_t1=$(date +%s.%N)
	insa "$PACE" -c 1 wa0 "$TMPD/probe.hex" >/dev/null
	wd_wait "wake $LV_PFX""n65534 .*: start: ok" 1 30
	sleep 0.5
	_t2=$(date +%s.%N)
	wd_halt
	lvb_destroy n65534
	rpc_calls "$RAW/calls.strace" "$_t0" "$_t1" >"$RAW/calls.unknown"
	rpc_calls "$RAW/calls.strace" "$_t1" "$_t2" >"$RAW/calls.control"
	set -- $(cat "$RAW/calls.unknown")
	_n1=$1 _w1=$2
	shift 2
	_o1=$*
	set -- $(cat "$RAW/calls.control")
	_n2=$1 _w2=$2
	shift 2
	_o2=$*
	_sent=$(awk '{ print $2 }' "$RAW/calls.pace")
	row 4h "libvirt wake-path RPC calls, $(commas "$_sent") unknown MACs" \
	    "$_w1" "0" "$(verdict "$_w1" eq 0)"
	row 4i "  all RPC calls meanwhile (other users' domain events)" \
	    "$_n1" "" ""
	[ -n "$_o1" ] && row "" "    $_o1" "" "" ""
	_v=ok
	[ "$_w2" -ge 3 ] || { _v=FAIL; FAILED=1; }
	row 4j "  control, one packet for a shut-off domain: wake-path" \
	    "$_w2 of $_n2" ">= 3" "$_v"
	row "" "    $_o2" "" "" ""
}

#
# Main.
#
if [ "$(id -u)" -ne 0 ]; then
	echo "bench: needs root (network namespaces, raw sockets, libvirtd)" >&2
	exit 1
fi
for _p in "$WAKEUP" "$WAKEUPD" "$PACE" "$TIMEIT"; do
	if [ ! -x "$_p" ]; then
		echo "bench: $_p not built; run make bench" >&2
		exit 1
	fi
done
getent passwd nobody >/dev/null || { echo "bench: no user nobody" >&2; exit 1; }

T_START=$(date +%s)
{
	echo "wakeup benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC'), commit" \
	    "$(git -C "$TOP" rev-parse --short HEAD 2>/dev/null || echo '?')"
	echo "host: $(uname -sr) $(uname -m), $(getconf _NPROCESSORS_ONLN)" \
	    "CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg) at start"
	echo "knobs: rounds $ROUNDS, bulk $BULK_ROUNDS x $NTARGETS," \
	    "wakes $WAKES (test) $LV_WAKES (qemu), load $LOAD_SECS s," \
	    "idle $IDLE_SECS s"
	printf '\n%-4s %-55s %-15s %-11s %s\n' id measure result target ""
} >"$TABLE"
say "raw measurements in $RAW"

at_cleanup ns_reap
ns_setup || { echo "bench: cannot create the namespaces" >&2; exit 1; }
# No IPv6 autoconfiguration chatter in the counts.
for _ns in "$NSA" "$NSB"; do
	for _k in all default wa0 wb0; do
		ip netns exec "$_ns" sysctl -qw \
		    net.ipv6.conf.$_k.disable_ipv6=1 >/dev/null 2>&1
	done
done
sleep 0.5
mkframes udp4 02:b2:00:00:00:01 >"$TMPD/unknown1.hex" || exit 1

want single && sec_single
want bulk && sec_bulk
want latency && sec_latency
LV_OK=
if want load || want libvirtd || want hung; then
	if lv_start; then
		LV_OK=1
	else
		say "no libvirtd: the qemu:///system parts are skipped"
	fi
fi
want load && sec_load
want libvirtd && [ -n "$LV_SIZES" ] && sec_libvirtd
want hung && sec_hung

_el=$(($(date +%s) - T_START))
printf '\ntotal %d min %d s; raw data in %s\n' $((_el / 60)) $((_el % 60)) \
    "$RAW" >>"$TABLE"
cat "$TABLE"
[ "$RESULTS" = - ] || cp "$TABLE" "$RESULTS"
exit $FAILED
