# Table-driven bad-argument checks, sourced after regress/lib.sh by
# regress/wakeup/t_badargs.sh and regress/wakeupd/t_badargs.sh.
#
# badargs PROG TABLE runs PROG once per line of the file TABLE:
#
#	who|name|arguments|expected stderr
#
# and passes the line when PROG exits 1, prints nothing on stdout and
# on stderr exactly what is expected:
#
#	text		this one line
#	~ERE		one line that the extended regular expression
#			matches, whole
#	usage		the usage text, which must be PROG's SYNOPSIS
#	usage~ERE	a line that ERE matches, then the usage text
#
# who says where PROG runs: "ns" as root in namespace $BA_NS, "nobody"
# as nobody without capabilities in $BA_NS, "any" as the caller, right
# here (only for what fails before an interface is looked at), and
# "unpriv" right here as nobody when the caller is root, else as the
# caller.  "ns" and "nobody" lines are reported skipped without root.  Every run is
# bounded by timeout(1): a bad argument that is accepted shows as a
# program still running after 10 s, which is then killed.
#
# The arguments are split as the shell would (eval) after '@' becomes a
# MAC address of their own, 02:00:00:00:01:NN for line NN, so that a
# frame on the wire names the line that sent it; "$BA_MACS" lists them.
# Blank lines and lines starting with '#' are skipped.

BA_NS=
BA_MACS=$TMPD/badargs.macs
BA_NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups \
--inh-caps=-all --bounding-set=-all"

ba_squeeze() {
	tr '\n\t' '  ' | sed 's/  */ /g; s/^ //; s/ $//'
}

# ba_usage PROG MAN: PROG's usage text in $BA_USAGE, checked against
# the SYNOPSIS of the manual MAN.
ba_usage() {
	BA_USAGE=$("$1" 2>&1 </dev/null)
	if ! command -v mandoc >/dev/null; then
		fail "$(basename "$1") usage is the SYNOPSIS" "no mandoc"
		return
	fi
	_syn=$(mandoc -Tascii "$2" 2>/dev/null | col -b |
	    sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' | sed '1d;$d' | ba_squeeze)
	_use=$(printf '%s\n' "$BA_USAGE" | sed 's/^usage: //' | ba_squeeze)
	if [ -n "$_syn" ] && [ "$_syn" = "$_use" ]; then
		pass "$(basename "$1") usage is the SYNOPSIS"
	else
		fail "$(basename "$1") usage is the SYNOPSIS" \
		    "man '$_syn', usage '$_use'"
	fi
}

# ba_match WANT: does $TMPD/ba.err hold what WANT describes?
ba_match() {
	_lines=$(wc -l <"$TMPD/ba.err" | tr -d ' ')
	case $1 in
	usage)
		[ "$(cat "$TMPD/ba.err")" = "$BA_USAGE" ] ;;
	usage~*)
		head -n 1 "$TMPD/ba.err" | grep -Eqx -- "${1#usage~}" &&
		    [ "$(tail -n +2 "$TMPD/ba.err")" = "$BA_USAGE" ] ;;
	~*)
		[ "$_lines" -eq 1 ] && grep -Eqx -- "${1#\~}" "$TMPD/ba.err" ;;
	*)
		[ "$_lines" -eq 1 ] && [ "$(cat "$TMPD/ba.err")" = "$1" ] ;;
	esac
}

badargs() {
	_prog=$1 _n=0
	_uprog=$_prog
	[ "$(id -u)" -eq 0 ] && _uprog=$(reachable "$_prog")
	: >"$BA_MACS"
	while IFS='|' read -r _who _name _args _want; do
		case $_who in
		''|'#'*) continue ;;
		esac
		_n=$((_n + 1))
		_mac=$(printf '02:00:00:00:01:%02x' $_n)
		_name="$(basename "$_prog"): $_name"
		echo "$_mac $_name" >>"$BA_MACS"
		_args=$(printf '%s\n' "$_args" | sed "s/@/$_mac/g")
		_want=$(printf '%s\n' "$_want" | sed "s/@/$_mac/g")
		if [ "$(id -u)" -ne 0 ]; then
			case $_who in
			ns|nobody)
				skip "$_name" "needs root"
				continue ;;
			unpriv)	_who=any ;;
			esac
		fi
		eval "set -- $_args"
		case $_who in
		ns)	ip netns exec "$BA_NS" timeout 10 "$_prog" "$@" ;;
		nobody)	ip netns exec "$BA_NS" $BA_NOBODY \
			    timeout 10 "$_uprog" "$@" ;;
		any)	timeout 10 "$_prog" "$@" ;;
		unpriv)	$BA_NOBODY timeout 10 "$_uprog" "$@" ;;
		*)	echo "badargs: $_who: who?" >&2; false ;;
		esac >"$TMPD/ba.out" 2>"$TMPD/ba.err" </dev/null
		_rc=$?
		if [ $_rc -eq 124 ]; then
			fail "$_name" "still running after 10 s: accepted"
		elif [ $_rc -ne 1 ]; then
			fail "$_name" "exit $_rc, want 1; stderr:" \
			    "$(head -c 300 "$TMPD/ba.err")"
		elif [ -s "$TMPD/ba.out" ]; then
			fail "$_name" "stdout: $(head -c 200 "$TMPD/ba.out")"
		elif ! ba_match "$_want"; then
			fail "$_name" "stderr '$(head -c 300 "$TMPD/ba.err")'," \
			    "want '$_want'"
		else
			pass "$_name"
		fi
	done <"$2"
	BA_COUNT=$_n
}
