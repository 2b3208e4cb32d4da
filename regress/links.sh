# Sourced inside a private network namespace (unshare -n or -rn) by the
# tests that need fixed interfaces without ns_setup's two namespaces:
# wa0 02:00:5e:10:00:0a (192.0.2.10, fe80::a) paired with wb0, and wa1
# paired with wb1, all up.  Frames out of them stay in that namespace.
set -e
ip link set lo up
ip link add wa0 address 02:00:5e:10:00:0a type veth \
    peer name wb0 address 02:00:5e:10:00:0b
ip link add wa1 address 02:00:5e:10:00:0c type veth \
    peer name wb1 address 02:00:5e:10:00:0d
for i in wa0 wb0 wa1 wb1; do
	ip link set $i addrgenmode none
	ip link set $i up
done
ip addr add 192.0.2.10/24 dev wa0
ip addr add fe80::a/64 dev wa0 nodad
set +e
