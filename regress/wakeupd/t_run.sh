#!/bin/sh
# The run action (wakeupd.conf(5) run, wakeupd.8's run process): a
# magic packet from the peer namespace runs the host's command.  A real
# VM (qemu -daemonize, TCG, no disk, no NIC) outlives the daemon; a
# command that hangs is killed with its child at its time limit; the
# exit status is logged; argv reaches the program literally; the
# environment holds exactly the four variables; as and root; signals
# at their defaults, none blocked, stdin /dev/null and no other
# descriptor; one command per host at a time; a daemon that keeps the
# output pipe is read on and the host runs again at once; what a command
# left in its group ends after it; wakeupd's stop ends what still runs;
# an unknown user stops the start; no password in the run process; the
# run process's death ends the daemon.  No libvirtd: the file names
# hosts and no libvirt URI.

. "$TOP/regress/lib.sh"
. "$TOP/regress/libvirt.sh"
. "$TOP/regress/wakeupd/wdlib.sh"

needroot "run: setup" "run: unknown user at start" "run: a VM started" \
    "run: exit status logged" "run: argv literal" "run: environment" \
    "run: as nobody" "run: as root without as" "run: signals and mask" \
    "run: stdin and descriptors" "run: output escaped, cut and bounded" \
    "run: time limit kills the group" \
    "run: one per host" "run: a daemon keeps its output" \
    "run: what is left in the group ends" \
    "run: stop ends a command" \
    "run: the VM outlives the daemon" "run: no password in the run process" \
    "run: run process death is fatal"

C=$TMPD/run.conf
QPID=
D=$TMPD/out.d

# conf FILE: standard input, mode 0600 (the file holds no password, but
# it names what runs as root).
conf() {
	cat >"$1" && chmod 0600 "$1"
}

mac() {
	printf '02:00:5e:%02x:%02x:%02x' $(($$ / 256 % 256)) $(($$ % 256)) "$1"
}

# The test's VM, by the pid in its pid file, if that process is still
# the qemu named for this test.
qemu_kill() {
	[ -z "$QPID" ] && [ -r "$TMPD/qemu.pid" ] && QPID=$(cat "$TMPD/qemu.pid")
	[ -n "$QPID" ] && [ -r "/proc/$QPID/cmdline" ] &&
	    tr '\0' ' ' <"/proc/$QPID/cmdline" |
	    grep -q "^/usr/bin/qemu-system-x86_64 .*-name wut-run-$$ " &&
	    kill -9 "$QPID"
	QPID=
	return 0
}

# pids_kill FILE WORD: the processes whose pids FILE lists, if their
# command line still holds WORD (not a pid reused since).
pids_kill() {
	for _p in $(cat "$1" 2>/dev/null); do
		[ -r "/proc/$_p/cmdline" ] &&
		    tr '\0' ' ' <"/proc/$_p/cmdline" | grep -q -- "$2" &&
		    kill "$_p"
	done
	return 0
}

# What the test's commands started, if still there.
cmds_kill() {
	pids_kill "$D/daemon.pids" daemon.alive
	pids_kill "$D/left.pid" 'sleep 301'
	pids_kill "$D/hang.pids" 'sleep 300'
	pids_kill "$D/stop.pid" 'sleep 300'
}

# wake NAME: a magic packet for host NAME's address.
wake() {
	insa "$WAKEUP" wa0 "$(eval echo \$M_$1)" >/dev/null 2>&1
}

# exited N NAME WHAT: host NAME's command ended as WHAT, after line N.
ended() {
	waitline "$1" "host $2: [^ ]+ $3\$" "${4:-10}"
}

# out N NAME: host NAME's output lines after line N, without prefix.
out() {
	tail -n +$(($1 + 1)) "$LOG" | sed -n "s/^wakeupd\\[run\\]: host $2: //p" |
	    grep -Ev '^/.* (started \(pid [0-9]+\)|exited [0-9]+|killed .*)$'
}

ns_setup || { fail "run: setup" "namespaces"; exit 1; }
at_cleanup qemu_kill
at_cleanup wd_stop
at_cleanup cmds_kill
mkdir -m 0755 "$D" || { fail "run: setup" "mkdir"; exit 1; }

i=1
for h in vm false touch env asn root sigs fds hang slow stopme chatty daemon left; do
	eval M_$h=$(mac $i)
	i=$((i + 1))
done

# An unknown user is a one-line error at start, naming file, host, user.
conf "$C" <<EOF
listen on lo
libvirt "test:///default"
host "a" { mac $M_vm; run as "wut-nosuch" "/bin/true" }
EOF
expect_fail "run: unknown user at start" \
    "wakeupd: $C: host a: run as wut-nosuch: no such user" \
    "$WAKEUPD" -d -C "$WAKEUPD_CAPTURE" -u nobody -F "$C"

conf "$C" <<EOF
debounce 0
host "vm" {
	mac $M_vm
	run "/usr/bin/qemu-system-x86_64" "-accel" "tcg" "-nodefaults" \\
	    "-nic" "none" "-display" "none" "-m" "16" "-daemonize" \\
	    "-name" "wut-run-$$" \\
	    "-pidfile" "$TMPD/qemu.pid"
	timeout 30
}
host "false" { mac $M_false; run "/bin/false" }
host "touch" { mac $M_touch; run "/usr/bin/touch" "$D/a;b \$(x) \`y\` | z" }
host "env" { mac $M_env; run "/usr/bin/env" }
host "asn" { mac $M_asn; run as "nobody" "/bin/grep" "-E" "^(Uid|Gid|Groups|Cap(Prm|Eff|Amb)):" "/proc/self/status" }
host "root" { mac $M_root; run "/usr/bin/id" "-u" }
host "sigs" { mac $M_sigs; run "/bin/grep" "-E" "^Sig(Ign|Blk):" "/proc/self/status" }
host "fds" { mac $M_fds; run "/bin/ls" "-l" "/proc/self/fd/" }
host "hang" {
	mac $M_hang
	run "/bin/sh" "-c" "sleep 300 & echo \$! >$D/hang.pids; sleep 300 & echo \$! >>$D/hang.pids; wait"
	timeout 2
}
host "slow" { mac $M_slow; run "/bin/sleep" "4" }
host "stopme" { mac $M_stopme; run "/bin/sleep" "300"; timeout 300 }
host "left" { mac $M_left; run "/bin/sh" "-c" "sleep 301 & echo \$! >$D/left.pid" }
host "daemon" {
	mac $M_daemon
	run "/bin/sh" "-c" "setsid sh -c 'echo \$\$ >>$D/daemon.pids; sleep 2; echo late; echo alive >$D/daemon.alive' & exit 0"
}
EOF
# Output: control bytes (ESC, CR), a backslash and a byte past ASCII, a
# 300-byte line, 60 more.
cat >>"$C" <<'EOF'
host "chatty" {
	mac @M@
	run "/bin/sh" "-c" "printf 'a\\001b\\\\c\\033d\\re\\377f\\n'; printf '%0300d\\n' 0; i=0; while [ $i -lt 60 ]; do echo l$i; i=$((i + 1)); done"
}
EOF
sed -i "s/@M@/$M_chatty/" "$C"
wd_start -v -F "$C" || { fail "run: setup" "wakeupd: $(logtail)"; exit 1; }
RPID=$(sed -n 's/.*run process \([0-9]*\) started$/\1/p' "$LOG")
if [ -n "$RPID" ] && lv_alive "$RPID" &&
    tr '\0' ' ' <"/proc/$RPID/cmdline" | grep -q '\[run\]'; then
	pass "run: setup"
else
	fail "run: setup" "no run process: $(logtail)"
	exit 1
fi

# A VM: qemu's first process exits 0 once the daemonized one runs.
n0=$(nlines)
wake vm
if ended "$n0" vm "exited 0" 30 && QPID=$(cat "$TMPD/qemu.pid") &&
    lv_alive "$QPID" &&
    tr '\0' ' ' <"/proc/$QPID/cmdline" |
    grep -q "^/usr/bin/qemu-system-x86_64 .*-name wut-run-$$ "
then
	pass "run: a VM started"
else
	fail "run: a VM started" "pid ${QPID:-none}: $(logtail)"
fi

n0=$(nlines)
wake false
if ended "$n0" false "exited 1"; then
	pass "run: exit status logged"
else
	fail "run: exit status logged" "$(logtail)"
fi

n0=$(nlines)
wake touch
if ended "$n0" touch "exited 0" && [ -f "$D/a;b \$(x) \`y\` | z" ] &&
    [ "$(ls "$D" | wc -l)" -eq 1 ]; then
	pass "run: argv literal"
else
	fail "run: argv literal" "$(ls "$D" | tr '\n' '|') $(logtail)"
fi

n0=$(nlines)
wake env
printf '%s\n' "WAKEUPD_MAC=$M_env" "WAKEUPD_HOST=env" "WAKEUPD_IFACE=wb0" \
    "WAKEUPD_FROM=$IPA" >"$TMPD/want"
if ended "$n0" env "exited 0" && out "$n0" env >"$TMPD/got" &&
    diff -u "$TMPD/want" "$TMPD/got" >"$TMPD/diff"; then
	pass "run: environment"
else
	fail "run: environment" "$(tr '\n' '|' <"$TMPD/diff")"
fi

# uid and gid 65534 all four, its one group, no capability.
n0=$(nlines)
wake asn
{
	for l in Uid Gid; do
		printf '%s:\\x0965534\\x0965534\\x0965534\\x0965534\n' $l
	done
	printf 'Groups:\\x0965534\n'
	for l in Prm Eff Amb; do
		printf 'Cap%s:\\x090000000000000000\n' $l
	done
} >"$TMPD/want"
if ended "$n0" asn "exited 0" && out "$n0" asn | sed 's/ *$//' >"$TMPD/got" &&
    diff -u "$TMPD/want" "$TMPD/got" >"$TMPD/diff"; then
	pass "run: as nobody"
else
	fail "run: as nobody" "$(tr '\n' '|' <"$TMPD/diff")"
fi
n0=$(nlines)
wake root
if ended "$n0" root "exited 0" && [ "$(out "$n0" root)" = 0 ]; then
	pass "run: as root without as"
else
	fail "run: as root without as" "$(logtail)"
fi

# wakeupd ignores SIGPIPE and SIGINT and blocks signals around fork.
# The log escapes the tab.
n0=$(nlines)
wake sigs
printf 'SigBlk:\\x090000000000000000\nSigIgn:\\x090000000000000000\n' \
    >"$TMPD/want"
if ended "$n0" sigs "exited 0" && out "$n0" sigs | sort >"$TMPD/got" &&
    diff -u "$TMPD/want" "$TMPD/got" >"$TMPD/diff"; then
	pass "run: signals and mask"
else
	fail "run: signals and mask" "$(tr '\n' '|' <"$TMPD/diff")"
fi

# 0 /dev/null, 1 and 2 the same pipe, 3 ls's own directory: no more.
n0=$(nlines)
wake fds
if ended "$n0" fds "exited 0" && out "$n0" fds >"$TMPD/got" &&
    grep -Eq ' 0 -> /dev/null$' "$TMPD/got" &&
    grep -Eq ' 1 -> pipe:' "$TMPD/got" && grep -Eq ' 2 -> pipe:' "$TMPD/got" &&
    [ "$(grep -c ' -> ' "$TMPD/got")" -eq 4 ]; then
	pass "run: stdin and descriptors"
else
	fail "run: stdin and descriptors" "$(tr '\n' '|' <"$TMPD/got")"
fi

# Escaped, cut, and no more than 50 lines.
n0=$(nlines)
wake chatty
{
	printf '%s\n' 'a\x01b\\c\x1bd\x0de\xfff' "$(printf '%0200d' 0) (cut)"
	i=0
	while [ $i -lt 48 ]; do
		echo "l$i"
		i=$((i + 1))
	done
	echo "further output not logged"
} >"$TMPD/want"
if ended "$n0" chatty "exited 0" && out "$n0" chatty >"$TMPD/got" &&
    diff -u "$TMPD/want" "$TMPD/got" >"$TMPD/diff"; then
	pass "run: output escaped, cut and bounded"
else
	fail "run: output escaped, cut and bounded" "$(head -c 600 "$TMPD/diff" |
	    tr '\n' '|')"
fi

# The shell and both its sleeps: one process group, ended at 2 s.
n0=$(nlines)
t0=$(now_ms)
wake hang
hang_gone() {
	for p in $(cat "$D/hang.pids"); do
		lv_alive "$p" && return 1
	done
	return 0
}
if ended "$n0" hang "killed after 2 s \\(time limit\\)" 10 &&
    t=$(($(now_ms) - t0)) && [ "$t" -ge 2000 ] &&
    [ "$(wc -l <"$D/hang.pids")" -eq 2 ] && lv_poll 30 hang_gone; then
	pass "run: time limit kills the group"
else
	fail "run: time limit kills the group" "$(cat "$D/hang.pids" 2>/dev/null |
	    tr '\n' ' ') $(logtail)"
fi

# Debounce 0: the second packet reaches the run process, which refuses.
n0=$(nlines)
wake slow
waitline "$n0" "host slow: /bin/sleep started \\(pid [0-9]+\\)" &&
    spid=$(tail -n +$((n0 + 1)) "$LOG" |
    sed -n 's/.*host slow: .* started (pid \([0-9]*\))$/\1/p')
wake slow
if waitline "$n0" "host slow: still running \\(pid $spid\\): not run again" &&
    ended "$n0" slow "exited 0" 10 &&
    [ "$(count_lines "$n0" "host slow: /bin/sleep started")" -eq 1 ]; then
	pass "run: one per host"
else
	fail "run: one per host" "$(logtail)"
fi

# A daemon (its own session) that kept the pipe as its output: it is
# read on after the command exited, the host runs again at once, and
# the daemon's write neither fails nor kills it.
n0=$(nlines)
wake daemon
again() {
	[ "$(count_lines "$n0" "host daemon: /bin/sh started")" -ge 2 ] &&
	    return 0
	wake daemon
	return 1
}
lnum() {
	tail -n +$(($1 + 1)) "$LOG" | grep -En "$2" | sed -n "${3}s/:.*//p"
}
if ended "$n0" daemon "exited 0" && lv_poll 15 again &&
    waitline "$n0" "host daemon: late\$" && lv_poll 50 test -f "$D/daemon.alive" &&
    [ "$(lnum "$n0" "host daemon: /bin/sh started" 2)" -lt \
    "$(lnum "$n0" "host daemon: late\$" 1)" ]; then
	pass "run: a daemon keeps its output"
else
	fail "run: a daemon keeps its output" "$(logtail)"
fi

# The shell exits at once; the sleep it left in its group is ended a
# second later, the daemon above (its own session) is not.
n0=$(nlines)
wake left
if ended "$n0" left "exited 0" && lpid=$(cat "$D/left.pid") &&
    waitline "$n0" "host left: ending what /bin/sh left in its process group" &&
    lv_poll 50 lv_gone "$lpid"; then
	pass "run: what is left in the group ends"
else
	fail "run: what is left in the group ends" "pid ${lpid:-none}: $(logtail)"
fi

# The stop: the command ends (SIGTERM), wakeupd exits 0 within its
# bound, the run process with it; the VM stays.
n0=$(nlines)
wake stopme
waitline "$n0" "host stopme: /bin/sleep started \\(pid [0-9]+\\)" &&
    spid=$(tail -n +$((n0 + 1)) "$LOG" |
    sed -n 's/.*host stopme: .* started (pid \([0-9]*\))$/\1/p') &&
    echo "$spid" >"$D/stop.pid"
t0=$(now_ms)
wd_stop
rc=$?
t=$(($(now_ms) - t0))
if [ -n "$spid" ] && [ $rc -eq 0 ] && [ $t -lt 5000 ] && lv_gone "$spid" &&
    lv_gone "$RPID" && has_line "$n0" \
    "host stopme: /bin/sleep killed by signal 15 \\(wakeupd stopping\\)"; then
	pass "run: stop ends a command"
else
	fail "run: stop ends a command" "rc $rc, $t ms, pid ${spid:-none}: $(logtail)"
fi
if [ -n "$QPID" ] && lv_alive "$QPID"; then
	pass "run: the VM outlives the daemon"
else
	fail "run: the VM outlives the daemon" "pid ${QPID:-none}"
fi
qemu_kill

# mem PID: the writable memory of process PID (mappings up to 256 MiB).
mem() {
	grep ' rw' "/proc/$1/maps" | while read -r _r _rest; do
		_s=$((0x${_r%-*} / 4096))
		_e=$((0x${_r#*-} / 4096))
		[ $((_e - _s)) -le 65536 ] || continue
		dd if="/proc/$1/mem" bs=4096 skip=$_s count=$((_e - _s)) \
		    2>/dev/null
	done
}
# Under the sanitizers, freed memory sits in ASan's quarantine and its
# shadow is terabytes of mappings: the search is the plain build's.
SAN=
grep -q __asan_init "$WAKEUPD" && SAN=1

# The passwords, of -s, the file, a host and a relay, are in the
# parent's memory (which shows that the search finds them) but not in
# the run process's, which was forked from it.
PWS="c3:9e:71:4b:e5:b1 c3:9e:71:4b:e5:b2 c3:9e:71:4b:e5:b3 c3:9e:71:4b:e5:b4"
set -- $PWS
{
	echo "password $2"
	cat "$C"
	echo "host \"pw\" { mac $(mac 99); password $3; run \"/bin/true\" }"
	echo "host \"relaypw\" { mac $(mac 98); relay on wb0 password $4 }"
} >"$C.pw"
chmod 0600 "$C.pw"
wd_start -v -s "$1" -F "$C.pw" || { fail "run: no password in the run process" \
    "wakeupd: $(logtail)"; exit 1; }
RPID=$(sed -n 's/.*run process \([0-9]*\) started$/\1/p' "$LOG")
if [ -z "$SAN" ]; then
	mem "$WPID" >"$TMPD/mem.parent"
	mem "$RPID" >"$TMPD/mem.run"
fi
# has FILE PASSWORD: FILE holds PASSWORD's 6 bytes.
has() {
	_b=
	for _x in $(echo "$2" | tr ':' ' '); do
		_b="$_b\\$(printf '%03o' "0x$_x")"
	done
	LC_ALL=C grep -qaF "$(printf "$_b")" "$1"
}
inrun=
[ -n "$SAN" ] || for p in $PWS; do
	has "$TMPD/mem.run" "$p" && inrun="$inrun $p"
	# And as text: the file's bytes, as read and as lexed.
	LC_ALL=C grep -qaF "$p" "$TMPD/mem.run" && inrun="$inrun '$p'"
done
if [ -n "$SAN" ]; then
	echo "# sanitizer build: no search of the processes' memory"
elif [ -n "$RPID" ] && [ -s "$TMPD/mem.run" ] &&
    has "$TMPD/mem.parent" "$1" && has "$TMPD/mem.parent" "$3" &&
    [ -z "$inrun" ]; then
	pass "run: no password in the run process"
else
	fail "run: no password in the run process" "run process ${RPID:-none}:\
 $(wc -c <"$TMPD/mem.run") bytes, holds${inrun:- none}"
fi

# The run process killed: the daemon says so and exits 1.
[ -n "$RPID" ] && kill -9 "$RPID"
if lv_poll 100 lv_gone "$WPID"; then
	wait "$WPID"
	rc=$?
	WPID=
else
	rc=none
fi
if [ "$rc" = 1 ] && grep -q 'run process killed by signal 9, exiting' "$LOG"
then
	pass "run: run process death is fatal"
else
	fail "run: run process death is fatal" "rc $rc: $(logtail)"
fi
