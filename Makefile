# wakeup: Wake-on-LAN sender and libvirt wake daemon.
# Works with GNU make and BSD make: suffix rules, no pattern rules, no
# conditionals.  Library flags come from pkg-config and libnet-config (or
# libnet-config-1.1) and can be overridden on the command line, e.g. for a
# BSD port:
#	make LIBNET_CFLAGS=-I/usr/local/include/libnet-1.1 LIBNET_LIBS=...

# The one place the version lives; the manuals' .Os and
# debian/changelog repeat it (regress/pkg/t_deb.sh checks).
VERSION!=	cat VERSION

PREFIX?=	/usr/local
BINDIR?=	$(PREFIX)/bin
SBINDIR?=	$(PREFIX)/sbin
LIBEXECDIR?=	$(PREFIX)/libexec
MANDIR?=	$(PREFIX)/man
ETCDIR?=	/etc
SYSTEMDDIR?=	/lib/systemd/system
EXAMPLEDIR?=	$(PREFIX)/share/examples/wakeupd
DESTDIR?=
INSTALL?=	install

# The unprivileged user the packet child runs as, and its chroot.
WAKEUPD_USER?=	_wakeupd
WAKEUPD_CHROOT?= /var/empty
# The capture program wakeupd runs (its -C option overrides it).
WAKEUPD_CAPTURE?= $(LIBEXECDIR)/wakeupd-capture

CC?=		cc
YACC?=		yacc
CFLAGS?=	-O2 -g
WARNFLAGS?=	-Wall -Wextra
LDFLAGS?=

PKG_CONFIG?=	pkg-config
LIBNET_CONFIG?=	libnet-config
# OpenBSD's libnet package names it libnet-config-1.1 (headers in
# include/libnet-1.1): tried when libnet-config is not there.
LIBNET_CFLAGS!=	$(LIBNET_CONFIG) --cflags 2>/dev/null || \
		    libnet-config-1.1 --cflags 2>/dev/null || true
LIBNET_LIBS!=	$(LIBNET_CONFIG) --libs 2>/dev/null || \
		    libnet-config-1.1 --libs 2>/dev/null || echo -lnet
PCAP_CFLAGS!=	$(PKG_CONFIG) --cflags libpcap 2>/dev/null || true
PCAP_LIBS!=	$(PKG_CONFIG) --libs libpcap 2>/dev/null || echo -lpcap
VIRT_CFLAGS!=	$(PKG_CONFIG) --cflags libvirt libxml-2.0 2>/dev/null || true
VIRT_LIBS!=	$(PKG_CONFIG) --libs libvirt libxml-2.0 2>/dev/null || \
		    echo -lvirt -lxml2
THREAD_LIBS?=	-pthread

# _DEFAULT_SOURCE and _GNU_SOURCE matter to glibc only.
ALL_CPPFLAGS=	-Icommon -Iwakeupd -Iregress -D_DEFAULT_SOURCE -D_GNU_SOURCE \
		-DWAKEUPD_USER=\"$(WAKEUPD_USER)\" \
		-DWAKEUPD_CHROOT=\"$(WAKEUPD_CHROOT)\" \
		-DWAKEUPD_CAPTURE=\"$(WAKEUPD_CAPTURE)\" $(CPPFLAGS)
ALL_CFLAGS=	$(CFLAGS) $(WARNFLAGS) $(ALL_CPPFLAGS) $(LIBNET_CFLAGS) \
		$(PCAP_CFLAGS) $(VIRT_CFLAGS)

COMMON_OBJS=	common/wol.o common/frame.o common/compat.o
COMMON_HDRS=	common/wol.h common/compat.h
# The libnet frame builder: wakeup and wakeupd's relay, never the capture
# program.
SEND_OBJS=	common/send.o
WAKEUP_OBJS=	wakeup/wakeup.o
WAKEUPD_OBJS=	wakeupd/wakeupd.o wakeupd/capture.o wakeupd/loop.o \
		wakeupd/conn.o wakeupd/wake.o wakeupd/decide.o \
		wakeupd/report.o wakeupd/cache.o wakeupd/domxml.o \
		wakeupd/log.o wakeupd/sandbox.o wakeupd/known.o \
		wakeupd/privdrop.o wakeupd/known_send.o wakeupd/privsep.o \
		wakeupd/msg.o wakeupd/parse.o wakeupd/conf.o wakeupd/worker.o \
		wakeupd/relay.o wakeupd/runner.o \
		wakeupd/runproc.o
# The capture process: libpcap and the packet format (dissection and
# validation) only; no libvirt, libxml2 or libnet.
CAPTURE_OBJS=	wakeupd/wakeupd-capture.o wakeupd/capture.o wakeupd/sandbox.o \
		wakeupd/known.o wakeupd/log.o
CAPTURE_COMMON=	common/wol.o common/frame.o common/compat.o
WAKEUPD_HDRS=	wakeupd/wakeupd.h wakeupd/decide.h wakeupd/log.h \
		wakeupd/conf.h
TEST_PROGS=	regress/common/test_wol regress/wakeupd/test_decide \
		regress/wakeupd/sbcheck

PROGS=		wakeup/wakeup wakeupd/wakeupd wakeupd/wakeupd-capture

.SUFFIXES: .c .o .y
.c.o:
	$(CC) $(ALL_CFLAGS) -c $< -o $@
.y.c:
	$(YACC) -o $@ $<

all: $(PROGS)

# What the tests run besides the programs: unit tests, test tools and
# the fuzz replayers (below).  make test, asan-test and bench build it.
regress: $(PROGS) $(TEST_PROGS)

$(COMMON_OBJS) $(SEND_OBJS) $(WAKEUP_OBJS) $(WAKEUPD_OBJS) $(CAPTURE_OBJS): \
    $(COMMON_HDRS)
$(SEND_OBJS) $(WAKEUP_OBJS) wakeupd/relay.o: common/send.h
$(WAKEUPD_OBJS) $(CAPTURE_OBJS): $(WAKEUPD_HDRS)
wakeupd/conn.o wakeupd/worker.o: wakeupd/conn.h
wakeupd/runner.o wakeupd/runproc.o: wakeupd/runner.h
# Named, so that GNU make keeps the generated parser.
wakeupd/parse.o: wakeupd/parse.c

wakeup/wakeup: $(WAKEUP_OBJS) $(SEND_OBJS) $(COMMON_OBJS)
	$(CC) $(LDFLAGS) -o $@ $(WAKEUP_OBJS) $(SEND_OBJS) $(COMMON_OBJS) \
	    $(LIBNET_LIBS)

wakeupd/wakeupd: $(WAKEUPD_OBJS) $(SEND_OBJS) $(COMMON_OBJS)
	$(CC) $(LDFLAGS) -o $@ $(WAKEUPD_OBJS) $(SEND_OBJS) $(COMMON_OBJS) \
	    $(PCAP_LIBS) $(VIRT_LIBS) $(LIBNET_LIBS) $(THREAD_LIBS)

wakeupd/wakeupd-capture: $(CAPTURE_OBJS) $(CAPTURE_COMMON)
	$(CC) $(LDFLAGS) -o $@ $(CAPTURE_OBJS) $(CAPTURE_COMMON) $(PCAP_LIBS)

# The unit tests share their report (regress/unit.c).
regress/common/test_wol: regress/common/test_wol.o regress/unit.o \
    $(COMMON_OBJS)
	$(CC) $(LDFLAGS) -o $@ regress/common/test_wol.o regress/unit.o \
	    $(COMMON_OBJS)
regress/common/test_wol.o: $(COMMON_HDRS) regress/unit.h

# The wake decision's table, compiled from the daemon's own decide.c.
regress/wakeupd/test_decide: regress/wakeupd/test_decide.o regress/unit.o \
    wakeupd/decide.o common/compat.o
	$(CC) $(LDFLAGS) -o $@ regress/wakeupd/test_decide.o regress/unit.o \
	    wakeupd/decide.o common/compat.o
regress/wakeupd/test_decide.o: $(COMMON_HDRS) wakeupd/decide.h regress/unit.h
regress/unit.o: regress/unit.h

# The capture process's filter, exercised outside wakeupd (see
# regress/wakeupd/t_seccomp_arch.sh).
SBCHECK_OBJS=	regress/wakeupd/sbcheck.o wakeupd/sandbox.o wakeupd/log.o \
		common/compat.o
regress/wakeupd/sbcheck: $(SBCHECK_OBJS)
	$(CC) $(LDFLAGS) -o $@ $(SBCHECK_OBJS)
regress/wakeupd/sbcheck.o: $(COMMON_HDRS) $(WAKEUPD_HDRS)

# Install what the build and the tests need, when something is missing.
deps:
	@sh regress/deps.sh

# make test: dependencies, a fresh build, then the whole suite.  The
# build runs in a second make so that library flags are read after
# deps has installed the libraries.
test: deps
	@$(MAKE) regress
	@sh regress/run.sh

demo: deps
	@$(MAKE) regress
	@sh regress/demo.sh

# Debian packages, wakeup and wakeupd, built from a copy of the tree
# into DEBDIR (default: here).
DEBDIR?=	.
deb:
	@sh regress/pkg/mkdeb.sh $(DEBDIR)

version:
	@echo $(VERSION)

# Cross references between our pages resolve through a manual tree.
lint:
	rm -rf .lintman && mkdir -p .lintman/man5 .lintman/man8 && \
	    cp wakeupd/wakeupd.conf.5 .lintman/man5/ && \
	    cp wakeup/wakeup.8 wakeupd/wakeupd.8 .lintman/man8/ && \
	    MANPATH=$$(pwd)/.lintman:/usr/share/man mandoc -Tlint -Wstyle \
	    wakeup/wakeup.8 wakeupd/wakeupd.8 wakeupd/wakeupd.conf.5; \
	    rc=$$?; rm -rf .lintman; exit $$rc

install: $(PROGS)
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SBINDIR) \
	    $(DESTDIR)$(LIBEXECDIR) $(DESTDIR)$(MANDIR)/man5 \
	    $(DESTDIR)$(MANDIR)/man8
	$(INSTALL) -m 0555 wakeup/wakeup $(DESTDIR)$(SBINDIR)/wakeup
	$(INSTALL) -m 0555 wakeupd/wakeupd $(DESTDIR)$(SBINDIR)/wakeupd
	$(INSTALL) -m 0555 wakeupd/wakeupd-capture \
	    $(DESTDIR)$(WAKEUPD_CAPTURE)
	$(INSTALL) -m 0444 wakeup/wakeup.8 $(DESTDIR)$(MANDIR)/man8/wakeup.8
	$(INSTALL) -m 0444 wakeupd/wakeupd.8 \
	    $(DESTDIR)$(MANDIR)/man8/wakeupd.8
	$(INSTALL) -m 0444 wakeupd/wakeupd.conf.5 \
	    $(DESTDIR)$(MANDIR)/man5/wakeupd.conf.5
	@# The service file for the system's init: rc.d on OpenBSD, a
	@# systemd unit elsewhere when systemd is there.
	@if [ "$$(uname -s)" = OpenBSD ]; then \
		$(INSTALL) -d $(DESTDIR)$(ETCDIR)/rc.d; \
		sed 's|@SBINDIR@|$(SBINDIR)|' wakeupd/wakeupd.rc \
		    >$(DESTDIR)$(ETCDIR)/rc.d/wakeupd; \
		chmod 0555 $(DESTDIR)$(ETCDIR)/rc.d/wakeupd; \
		echo "installed $(DESTDIR)$(ETCDIR)/rc.d/wakeupd"; \
	elif [ -d /run/systemd/system ] || [ -d $(DESTDIR)$(SYSTEMDDIR) ] || \
	    [ -n "$(DESTDIR)" ]; then \
		$(INSTALL) -d $(DESTDIR)$(SYSTEMDDIR); \
		sed 's|@SBINDIR@|$(SBINDIR)|' wakeupd/wakeupd.service \
		    >$(DESTDIR)$(SYSTEMDDIR)/wakeupd.service; \
		chmod 0444 $(DESTDIR)$(SYSTEMDDIR)/wakeupd.service; \
		echo "installed $(DESTDIR)$(SYSTEMDDIR)/wakeupd.service"; \
		$(INSTALL) -d $(DESTDIR)$(EXAMPLEDIR); \
		$(INSTALL) -m 0444 wakeupd/wakeupd-run.conf \
		    $(DESTDIR)$(EXAMPLEDIR)/wakeupd-run.conf; \
		echo "installed $(DESTDIR)$(EXAMPLEDIR)/wakeupd-run.conf"; \
	fi

clean:
	rm -f $(PROGS) $(TEST_PROGS) $(COMMON_OBJS) $(SEND_OBJS) $(WAKEUP_OBJS) \
	    $(WAKEUPD_OBJS) $(CAPTURE_OBJS) regress/unit.o regress/common/*.o \
	    regress/wakeupd/*.o wakeupd/parse.c

# Test tools: sendframe writes any frame out an interface (the system
# tests' crafted frames); tunsend writes any IP packet into a tun, as
# the tunnel's far end (Linux); reaper runs a libvirtd the tests start as a
# child subreaper, so that a destroyed qemu is reaped at once (see
# regress/libvirt.sh).
TOOL_PROGS=	regress/tools/sendframe regress/tools/tunsend \
		regress/tools/reaper
TOOL_OBJS=	regress/tools/sendframe.o regress/tools/tunsend.o \
		regress/tools/reaper.o regress/tools/unhex.o

regress: $(TOOL_PROGS)

regress/tools/sendframe: regress/tools/sendframe.o regress/tools/unhex.o \
    common/compat.o
	$(CC) $(LDFLAGS) -o $@ regress/tools/sendframe.o regress/tools/unhex.o \
	    common/compat.o $(LIBNET_LIBS)
regress/tools/tunsend: regress/tools/tunsend.o regress/tools/unhex.o \
    common/compat.o
	$(CC) $(LDFLAGS) -o $@ regress/tools/tunsend.o regress/tools/unhex.o \
	    common/compat.o
regress/tools/reaper: regress/tools/reaper.o
	$(CC) $(LDFLAGS) -o $@ regress/tools/reaper.o
$(TOOL_OBJS): $(COMMON_HDRS) regress/tools/unhex.h

clean: tools-clean
tools-clean:
	rm -f $(TOOL_PROGS) $(TOOL_OBJS)

.PHONY: all regress deps test demo deb version lint install clean \
	tools-clean

# ---------------------------------------------------------------------
# Hardening: fuzz targets and their replay, sanitizer builds.
#
#   make fuzz       builds regress/fuzz/fuzz_* with libFuzzer (FUZZCC)
#                   and runs each for FUZZTIME seconds on its seed
#                   corpus; a crash is saved in regress/fuzz/crashes/.
#   make asan-test  rebuilds everything with ASan and UBSan (clang),
#                   runs the whole regress (or the tests named in
#                   ASAN_TESTS), then cleans again so that the next
#                   build is a normal one.
#
# The replay drivers regress/fuzz/replay_* are part of regress: they feed
# every corpus and crash file to each target without libFuzzer, with
# the ordinary compiler (regress/common/t_fuzzreplay.sh).

FUZZ_NAMES=	payload frame text domxml msg conf
FUZZ_BINS=	regress/fuzz/fuzz_payload regress/fuzz/fuzz_frame \
		regress/fuzz/fuzz_text regress/fuzz/fuzz_domxml \
		regress/fuzz/fuzz_msg regress/fuzz/fuzz_conf
FUZZ_REPLAY=	regress/fuzz/replay_payload regress/fuzz/replay_frame \
		regress/fuzz/replay_text regress/fuzz/replay_domxml \
		regress/fuzz/replay_msg regress/fuzz/replay_conf
FUZZ_OBJS=	regress/fuzz/replay.o regress/fuzz/fuzz_payload.o \
		regress/fuzz/fuzz_frame.o regress/fuzz/fuzz_text.o \
		regress/fuzz/fuzz_domxml.o regress/fuzz/fuzz_msg.o \
		regress/fuzz/fuzz_conf.o
FUZZ_COMMON=	common/wol.c common/frame.c common/compat.c
FUZZCC?=	clang
FUZZTIME?=	60
ASAN_TESTS?=
FUZZ_CFLAGS=	-g -O1 -fno-omit-frame-pointer \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		$(WARNFLAGS) $(ALL_CPPFLAGS)
SAN_FLAGS=	-g -O1 -fno-omit-frame-pointer \
		-fsanitize=address,undefined -fno-sanitize-recover=all
XML_CFLAGS!=	$(PKG_CONFIG) --cflags libxml-2.0 2>/dev/null || true
XML_LIBS!=	$(PKG_CONFIG) --libs libxml-2.0 2>/dev/null || echo -lxml2

regress: $(FUZZ_REPLAY)

$(FUZZ_OBJS): regress/fuzz/fuzz.h $(COMMON_HDRS)
regress/fuzz/fuzz_domxml.o regress/fuzz/fuzz_msg.o \
    regress/fuzz/fuzz_conf.o: $(WAKEUPD_HDRS)

regress/fuzz/replay_payload: regress/fuzz/replay.o \
    regress/fuzz/fuzz_payload.o $(COMMON_OBJS)
	$(CC) $(LDFLAGS) -o $@ regress/fuzz/replay.o \
	    regress/fuzz/fuzz_payload.o $(COMMON_OBJS)
regress/fuzz/replay_frame: regress/fuzz/replay.o \
    regress/fuzz/fuzz_frame.o $(COMMON_OBJS)
	$(CC) $(LDFLAGS) -o $@ regress/fuzz/replay.o \
	    regress/fuzz/fuzz_frame.o $(COMMON_OBJS)
regress/fuzz/replay_text: regress/fuzz/replay.o \
    regress/fuzz/fuzz_text.o $(COMMON_OBJS)
	$(CC) $(LDFLAGS) -o $@ regress/fuzz/replay.o \
	    regress/fuzz/fuzz_text.o $(COMMON_OBJS)
regress/fuzz/replay_domxml: regress/fuzz/replay.o \
    regress/fuzz/fuzz_domxml.o wakeupd/domxml.o $(COMMON_OBJS)
	$(CC) $(LDFLAGS) -o $@ regress/fuzz/replay.o \
	    regress/fuzz/fuzz_domxml.o wakeupd/domxml.o $(COMMON_OBJS) \
	    $(XML_LIBS)
# The parent's side of the socketpair: msg_check, then the decision.
regress/fuzz/replay_msg: regress/fuzz/replay.o regress/fuzz/fuzz_msg.o \
    wakeupd/msg.o wakeupd/decide.o $(COMMON_OBJS)
	$(CC) $(LDFLAGS) -o $@ regress/fuzz/replay.o regress/fuzz/fuzz_msg.o \
	    wakeupd/msg.o wakeupd/decide.o $(COMMON_OBJS)

regress/fuzz/replay_conf: regress/fuzz/replay.o \
    regress/fuzz/fuzz_conf.o wakeupd/parse.o wakeupd/conf.o $(COMMON_OBJS)
	$(CC) $(LDFLAGS) -o $@ regress/fuzz/replay.o \
	    regress/fuzz/fuzz_conf.o wakeupd/parse.o wakeupd/conf.o \
	    $(COMMON_OBJS)

# libFuzzer builds compile the sources afresh: other flags, other code.
regress/fuzz/fuzz_payload: regress/fuzz/fuzz_payload.c \
    regress/fuzz/fuzz.h $(FUZZ_COMMON) $(COMMON_HDRS)
	$(FUZZCC) $(FUZZ_CFLAGS) -o $@ regress/fuzz/fuzz_payload.c \
	    $(FUZZ_COMMON)
regress/fuzz/fuzz_frame: regress/fuzz/fuzz_frame.c \
    regress/fuzz/fuzz.h $(FUZZ_COMMON) $(COMMON_HDRS)
	$(FUZZCC) $(FUZZ_CFLAGS) -o $@ regress/fuzz/fuzz_frame.c \
	    $(FUZZ_COMMON)
regress/fuzz/fuzz_text: regress/fuzz/fuzz_text.c \
    regress/fuzz/fuzz.h $(FUZZ_COMMON) $(COMMON_HDRS)
	$(FUZZCC) $(FUZZ_CFLAGS) -o $@ regress/fuzz/fuzz_text.c \
	    $(FUZZ_COMMON)
regress/fuzz/fuzz_domxml: regress/fuzz/fuzz_domxml.c \
    regress/fuzz/fuzz.h wakeupd/domxml.c $(FUZZ_COMMON) $(COMMON_HDRS) \
    $(WAKEUPD_HDRS)
	$(FUZZCC) $(FUZZ_CFLAGS) $(XML_CFLAGS) -o $@ \
	    regress/fuzz/fuzz_domxml.c wakeupd/domxml.c $(FUZZ_COMMON) \
	    $(XML_LIBS)
regress/fuzz/fuzz_msg: regress/fuzz/fuzz_msg.c regress/fuzz/fuzz.h \
    wakeupd/msg.c wakeupd/decide.c $(FUZZ_COMMON) $(COMMON_HDRS) \
    $(WAKEUPD_HDRS)
	$(FUZZCC) $(FUZZ_CFLAGS) $(VIRT_CFLAGS) -o $@ regress/fuzz/fuzz_msg.c \
	    wakeupd/msg.c wakeupd/decide.c $(FUZZ_COMMON)

regress/fuzz/fuzz_conf: regress/fuzz/fuzz_conf.c \
    regress/fuzz/fuzz.h wakeupd/parse.c wakeupd/conf.c $(FUZZ_COMMON) \
    $(COMMON_HDRS) $(WAKEUPD_HDRS)
	$(FUZZCC) $(FUZZ_CFLAGS) -o $@ regress/fuzz/fuzz_conf.c \
	    wakeupd/parse.c wakeupd/conf.c $(FUZZ_COMMON)

fuzz: $(FUZZ_BINS)
	@sh regress/fuzz/run.sh $(FUZZTIME) $(FUZZ_NAMES)

asan-test: deps
	$(MAKE) clean
	$(MAKE) CC=clang CFLAGS="$(SAN_FLAGS)" LDFLAGS="$(SAN_FLAGS)" regress
	@# Without a list: every test but those that cannot work with the
	@# sanitizers (valgrind; the seccomp filter, which a sanitizer
	@# build leaves off; the systemd unit's system call list, which
	@# the sanitizers' runtime would lengthen) and the packages
	@# (regress/pkg: they build their own binaries, and run them in a
	@# chroot).
	@tests="$(ASAN_TESTS)"; [ -n "$$tests" ] || tests="regress/common/test_wol \
	    regress/wakeupd/test_decide $$(ls regress/*/t_*.sh | \
	    grep -v -e /t_valgrind.sh -e /t_sandbox.sh -e /t_seccomp_arch.sh \
	    -e /t_systemd.sh -e '^regress/pkg/')"; \
	    sh regress/sanitize.sh sh regress/run.sh $$tests; rc=$$?; \
	    $(MAKE) clean >/dev/null; exit $$rc

# What make fuzz learnt, regress/fuzz/work, outlives clean.
clean: fuzz-clean
fuzz-clean:
	rm -f $(FUZZ_BINS) $(FUZZ_REPLAY) $(FUZZ_OBJS)

.PHONY: fuzz asan-test fuzz-clean

# make bench: dependencies, a fresh build and the benchmark tools, then
# the benchmarks, as root; regress/perf/README has the method, the
# knobs and the latest table.  Nothing in make test depends on them.
PERF_PROGS=	regress/perf/pace regress/perf/timeit
PERF_OBJS=	regress/perf/pace.o regress/perf/timeit.o

bench: deps
	@$(MAKE) regress $(PERF_PROGS)
	@sh regress/perf/bench.sh

regress/perf/pace: regress/perf/pace.o regress/tools/unhex.o common/compat.o
	$(CC) $(LDFLAGS) -o $@ regress/perf/pace.o regress/tools/unhex.o \
	    common/compat.o $(LIBNET_LIBS)
regress/perf/timeit: regress/perf/timeit.o common/compat.o
	$(CC) $(LDFLAGS) -o $@ regress/perf/timeit.o common/compat.o
$(PERF_OBJS): $(COMMON_HDRS)

clean: perf-clean
perf-clean:
	rm -f $(PERF_PROGS) $(PERF_OBJS)

.PHONY: bench perf-clean
