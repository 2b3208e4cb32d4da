#!/bin/sh
# The Makefile finds libnet through libnet-config-1.1, the name OpenBSD's
# package gives it, when there is no libnet-config: under GNU make and
# under bmake, with a stand-in libnet-config-1.1 first on the PATH.

. "$TOP/regress/lib.sh"

mkdir -p "$TMPD/bin"
cat >"$TMPD/bin/libnet-config-1.1" <<'EOF'
#!/bin/sh
case $1 in
--cflags)	echo -I/nonexistent/include/libnet-1.1 ;;
--libs)		echo -L/nonexistent/lib/libnet-1.1 -lnet ;;
*)		exit 1 ;;
esac
EOF
chmod +x "$TMPD/bin/libnet-config-1.1"
CF=-I/nonexistent/include/libnet-1.1
LB="-L/nonexistent/lib/libnet-1.1 -lnet"

# flags MAKE: LIBNET_CFLAGS and LIBNET_LIBS as MAKE sets them, one line
# each, with libnet-config missing.
flags() {
	case $1 in
	bmake)
		(cd "$TOP" && PATH=$TMPD/bin:$PATH bmake \
		    LIBNET_CONFIG=/nonexistent/libnet-config \
		    -V LIBNET_CFLAGS -V LIBNET_LIBS) ;;
	make)
		(cd "$TOP" && PATH=$TMPD/bin:$PATH make -s \
		    LIBNET_CONFIG=/nonexistent/libnet-config \
		    --eval='print-libnet:; @echo "$(LIBNET_CFLAGS)"; echo "$(LIBNET_LIBS)"' \
		    print-libnet) ;;
	esac
}

for m in make bmake; do
	n="build: $m finds libnet-config-1.1"
	if ! command -v $m >/dev/null 2>&1; then
		fail "$n" "no $m"
		continue
	fi
	got=$(flags $m 2>&1)
	want=$(printf '%s\n%s' "$CF" "$LB")
	[ "$got" = "$want" ] && pass "$n" ||
	    fail "$n" "got '$(echo "$got" | tr '\n' '|')', want '$CF|$LB'"
done

# And libnet-config, when it is there, still comes first.
n="build: libnet-config first"
cat >"$TMPD/bin/libnet-config" <<'EOF'
#!/bin/sh
[ "$1" = --cflags ] && echo -DFROM_LIBNET_CONFIG || echo -lnet
EOF
chmod +x "$TMPD/bin/libnet-config"
got=$(cd "$TOP" && PATH=$TMPD/bin:$PATH bmake LIBNET_CONFIG=libnet-config \
    -V LIBNET_CFLAGS 2>&1)
[ "$got" = -DFROM_LIBNET_CONFIG ] && pass "$n" || fail "$n" "got '$got'"
