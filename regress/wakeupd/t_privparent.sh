#!/bin/sh
# What the privileged process keeps once it runs: on Linux, CAP_KILL
# alone, in every thread's effective, permitted and bounding sets (see
# wakeupd/privdrop.c), and libvirt still answers it: a domain is woken.

. "$TOP/regress/lib.sh"
. "$TOP/regress/libvirt.sh"
. "$TOP/regress/wakeupd/wdlib.sh"

needroot "privparent: setup" "privparent: CAP_KILL only, every thread" \
    "privparent: wakes with it"

M=$(printf '52:54:%02x:%02x:0c:01' $(($$ / 256 % 256)) $(($$ % 256)))
ns_setup || { fail "privparent: setup" "namespaces"; exit 1; }
lv_start || { fail "privparent: setup" "libvirtd"; exit 1; }
lv_define k "$M" || { fail "privparent: setup" "define"; exit 1; }
at_cleanup wd_stop
wd_start -c $LV_URI || { fail "privparent: setup" "wakeupd: $(logtail)"; exit 1; }
pass "privparent: setup"

# CAP_KILL is bit 5: 0x20.
bad=
n=0
for t in /proc/"$WPID"/task/*; do
	for f in CapEff CapPrm CapBnd CapInh; do
		v=$(sed -n "s/^$f:[[:space:]]*//p" "$t/status")
		want=0000000000000020
		[ $f = CapInh ] && want=0000000000000000
		[ "$v" = "$want" ] || bad="$bad ${t##*/}:$f=$v"
	done
	n=$((n + 1))
done
if [ -z "$bad" ] && [ $n -ge 2 ]; then
	pass "privparent: CAP_KILL only, every thread"
	echo "# $n threads"
else
	fail "privparent: CAP_KILL only, every thread" "$n threads:$bad"
fi

n0=$(nlines)
insa "$WAKEUP" wa0 "$M" >/dev/null 2>&1
if waitline "$n0" "wake $(lv_name k) mac $M .*: start: ok" &&
    lv_wait_state k running; then
	pass "privparent: wakes with it"
else
	fail "privparent: wakes with it" "$(logtail)"
fi
