# servplan - one non-recursive GNU Makefile.
#
#   make            build build/servplan (and build/libservplan.a)
#   make deps       install the Debian packages servplan needs, if missing
#   make run        build, then run the main job on the shipped data
#   make test       build and run every tests/test_*.c (Check) and tests/*.sh
#   make san        the same tests under ASan + UBSan + LeakSanitizer
#   make bench      build and run every tests/bench_*.c
#   make lint       cppcheck (and clang-tidy when installed) on src/
#   make install    PREFIX=/usr/local DESTDIR= : binary, data/, templates/
#   make clean      remove build/
#
# Layout of build/: obj/<source path>.o (+ .d), libservplan.a (everything but
# src/cli/main.c), servplan, tests/test_X, bench/bench_X; build/san/ mirrors
# it with sanitizers.  Dependencies are tracked with -MMD -MP.
#
# Test conventions: each tests/test_X.c is one program with its own main()
# (a Check suite) linked against libservplan.a; each tests/*.sh runs with
# SERVPLAN=<absolute path of the binary under test> in its environment; both
# run from the repository root, every one even after a failure, and the last
# line is exactly "N passed, N failed" (N counts programs and scripts).

VERSION := 0.1.0
PREFIX ?= /usr/local
DESTDIR ?=

# The Debian packages of SPEC.md "Dependencies" (a variable so a test can
# point `make deps` at a package that does not exist).
DEPS_PKGS ?= libxlsxwriter-dev libcairo2-dev libcsv-dev check pkg-config \
             python3-openpyxl fonts-dejavu-core fonts-wqy-microhei

# pkg-config is asked once, lazily, so that a machine that still lacks the
# packages can run `make deps` without a screen of pkg-config errors.
PKG_LIBS_NAMES := cairo xlsxwriter
PKG_CFLAGS = $(eval PKG_CFLAGS := $$(patsubst -I%,-isystem %,$$(shell pkg-config --cflags $(PKG_LIBS_NAMES) 2>/dev/null)))$(PKG_CFLAGS)
PKG_LDLIBS = $(eval PKG_LDLIBS := $$(shell pkg-config --libs $(PKG_LIBS_NAMES) 2>/dev/null))$(PKG_LDLIBS)
CHECK_CFLAGS = $(eval CHECK_CFLAGS := $$(patsubst -I%,-isystem %,$$(shell pkg-config --cflags check 2>/dev/null)))$(CHECK_CFLAGS)
CHECK_LDLIBS = $(eval CHECK_LDLIBS := $$(shell pkg-config --libs check 2>/dev/null || echo -lcheck))$(CHECK_LDLIBS)

# Library headers are included with -isystem (above) so that a warning in
# them never forces us to weaken our own flags.
WARN := -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Werror
CFLAGS ?= -O2 -g
CPPFLAGS += -Iinclude -D_POSIX_C_SOURCE=200809L \
            -DSVP_VERSION='"$(VERSION)"' -DSVP_DATADIR='"$(PREFIX)/share/servplan"'
ALL_CFLAGS = -std=c11 $(CFLAGS) $(WARN) $(PKG_CFLAGS)
LDLIBS_ALL = $(PKG_LDLIBS) -lcsv -lm

# Short build lines ("CC src/io/csv.c"); `make V=1` shows full commands.
ifeq ($(V),1)
Q :=
say = @:
else
Q := @
say = @printf '  %-6s %s\n' $(1) $(2)
endif

SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
             -fno-sanitize-recover=all

SRC      := $(wildcard src/core/*.c src/io/*.c src/cli/*.c)
MAIN_SRC := src/cli/main.c
LIB_SRC  := $(filter-out $(MAIN_SRC),$(SRC))
TEST_SRC := $(wildcard tests/test_*.c)
TEST_SH  := $(wildcard tests/*.sh)
BENCH_SRC := $(wildcard tests/bench_*.c)

# $(call objs,ROOT,SOURCES)
objs = $(patsubst %.c,$(1)/obj/%.o,$(2))

B  := build
BS := build/san

LIB        := $(B)/libservplan.a
BIN        := $(B)/servplan
TEST_BINS  := $(patsubst tests/%.c,$(B)/tests/%,$(TEST_SRC))
BENCH_BINS := $(patsubst tests/%.c,$(B)/bench/%,$(BENCH_SRC))

SAN_LIB       := $(BS)/libservplan.a
SAN_BIN       := $(BS)/servplan
SAN_TEST_BINS := $(patsubst tests/%.c,$(BS)/tests/%,$(TEST_SRC))

ALL_OBJS := $(call objs,$(B),$(SRC) $(TEST_SRC) $(BENCH_SRC)) \
            $(call objs,$(BS),$(SRC) $(TEST_SRC))

.PHONY: all deps run test test-build san san-build valgrind bench bench-build lint \
        install clean FORCE
.DEFAULT_GOAL := all
.DELETE_ON_ERROR:

all: $(BIN)

# Objects depend on the flags they were built with (PREFIX sets SVP_DATADIR):
# the stamp is rewritten only when the command line changes.
# The text travels in the environment, so no shell quoting can mangle it.
FLAGS_STAMP := $(B)/flags.stamp
$(FLAGS_STAMP): export SVP_BUILD_FLAGS = $(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS)
$(FLAGS_STAMP): FORCE
	@mkdir -p $(@D)
	@printf '%s\n' "$$SVP_BUILD_FLAGS" | cmp -s - $@ || \
	    printf '%s\n' "$$SVP_BUILD_FLAGS" > $@
FORCE:

# ---- compiling ---------------------------------------------------------------

$(B)/obj/%.o: %.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(call say,CC,$<)
	$(Q)$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(if $(filter tests/%,$<),$(CHECK_CFLAGS)) -MMD -MP -c $< -o $@

$(BS)/obj/%.o: %.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(call say,CC-SAN,$<)
	$(Q)$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(SAN_FLAGS) $(if $(filter tests/%,$<),$(CHECK_CFLAGS)) -MMD -MP -c $< -o $@

$(LIB): $(call objs,$(B),$(LIB_SRC))
	@mkdir -p $(@D)
	$(call say,AR,$@)
	$(Q)rm -f $@
	$(Q)$(AR) rcs $@ $^

$(SAN_LIB): $(call objs,$(BS),$(LIB_SRC))
	@mkdir -p $(@D)
	$(call say,AR,$@)
	$(Q)rm -f $@
	$(Q)$(AR) rcs $@ $^

$(BIN): $(call objs,$(B),$(MAIN_SRC)) $(LIB)
	$(call say,LINK,$@)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDFLAGS) $(LDLIBS_ALL)

$(SAN_BIN): $(call objs,$(BS),$(MAIN_SRC)) $(SAN_LIB)
	$(call say,LINK,$@)
	$(Q)$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -o $@ $^ $(LDFLAGS) $(LDLIBS_ALL)

$(B)/tests/%: $(B)/obj/tests/%.o $(LIB)
	@mkdir -p $(@D)
	$(call say,LINK,$@)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDFLAGS) $(CHECK_LDLIBS) $(LDLIBS_ALL)

$(BS)/tests/%: $(BS)/obj/tests/%.o $(SAN_LIB)
	@mkdir -p $(@D)
	$(call say,LINK,$@)
	$(Q)$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -o $@ $^ $(LDFLAGS) $(CHECK_LDLIBS) $(LDLIBS_ALL)

$(B)/bench/%: $(B)/obj/tests/%.o $(LIB)
	@mkdir -p $(@D)
	$(call say,LINK,$@)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDFLAGS) $(CHECK_LDLIBS) $(LDLIBS_ALL)

# ---- dependencies (Debian) ---------------------------------------------------

# Quiet when everything is installed.  Otherwise installs what is missing as
# root or through passwordless sudo, else prints the exact command and fails.
deps:
	@if ! command -v dpkg >/dev/null 2>&1; then \
	    echo "servplan: not a Debian system (no dpkg); make sure these are installed: $(strip $(DEPS_PKGS))" >&2; \
	    exit 0; \
	fi; \
	missing=""; \
	for p in $(DEPS_PKGS); do \
	    dpkg -s "$$p" 2>/dev/null | grep -q '^Status: install ok installed' || missing="$$missing $$p"; \
	done; \
	[ -z "$$missing" ] && exit 0; \
	echo "servplan: missing Debian packages:$$missing" >&2; \
	if [ "$$(id -u)" = 0 ]; then \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; \
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then \
	    sudo apt-get update && sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; \
	else \
	    echo "servplan: cannot install them (not root, no passwordless sudo); run:" >&2; \
	    echo "sudo apt-get install -y$$missing" >&2; \
	    exit 1; \
	fi

# ---- running -----------------------------------------------------------------

# Sub-makes keep `deps` strictly before any compilation, even under -j.
# The main job: every chip and scenario of the shipped data -> the workbook
# out/servplan-report.xlsx and the charts out/charts/*.png|pdf.
run: deps
	@$(MAKE) --no-print-directory $(BIN)
	./$(BIN) report --out out

# $(call run_suite,TEST_BINS,SERVPLAN,ENV[,PREFIX]): runs every test program
# (under PREFIX, e.g. valgrind, when given) and every tests/*.sh (with
# SERVPLAN set to the binary, absolute path), keeps going after a failure,
# and ends with exactly "N passed, N failed".
define run_suite
	@pass=0; fail=0; failed=""; \
	for t in $(1); do \
	    echo "== $$t"; \
	    if env $(3) $(4) ./$$t; then pass=$$((pass + 1)); \
	    else fail=$$((fail + 1)); failed="$$failed $$t"; fi; \
	done; \
	for s in $(TEST_SH); do \
	    echo "== $$s"; \
	    if env $(3) SERVPLAN="$(CURDIR)/$(2)" bash "$$s"; then pass=$$((pass + 1)); \
	    else fail=$$((fail + 1)); failed="$$failed $$s"; fi; \
	done; \
	[ -z "$$failed" ] || echo "FAILED:$$failed"; \
	echo "$$pass passed, $$fail failed"; \
	[ "$$fail" -eq 0 ]
endef

test: deps
	@$(MAKE) --no-print-directory test-build
	$(call run_suite,$(TEST_BINS),$(BIN),CK_FORK=yes)

# The binary is needed (and must link) only once there are shell tests.
test-build: $(TEST_BINS) $(if $(TEST_SH),$(BIN))
	@:

san: deps
	@$(MAKE) --no-print-directory san-build
	$(call run_suite,$(SAN_TEST_BINS),$(SAN_BIN),CK_FORK=no ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1)

san-build: $(SAN_TEST_BINS) $(if $(TEST_SH),$(SAN_BIN))
	@:

# make valgrind: the whole suite under valgrind's memcheck, every error fatal
# (--error-exitcode=1); the shell tests run servplan through a wrapper.  Slow
# (tens of minutes): not part of CI, which runs test and san.
VALGRIND := valgrind -q --error-exitcode=1 --leak-check=full \
            --errors-for-leak-kinds=definite --suppressions=$(CURDIR)/tests/valgrind.supp

valgrind: deps
	@$(MAKE) --no-print-directory test-build
	@mkdir -p $(B)/valgrind
	@printf '#!/bin/sh\nexec %s "%s" "$$@"\n' '$(VALGRIND)' '$(CURDIR)/$(BIN)' >$(B)/valgrind/servplan
	@chmod +x $(B)/valgrind/servplan
	$(call run_suite,$(TEST_BINS),$(B)/valgrind/servplan,CK_FORK=no,$(VALGRIND))

bench: deps
	@$(MAKE) --no-print-directory bench-build
	@if [ -z "$(strip $(BENCH_BINS))" ]; then echo "no benchmarks (tests/bench_*.c)"; fi
	@for b in $(BENCH_BINS); do echo "== $$b"; ./$$b || exit 1; done
	@$(MAKE) --no-print-directory $(BIN)
	@d=$$(mktemp -d); s=$$(date +%s.%N); \
	./$(BIN) report -q --out "$$d" || { rm -rf "$$d"; exit 1; }; e=$$(date +%s.%N); \
	rm -rf "$$d"; \
	awk -v s="$$s" -v e="$$e" 'BEGIN { printf "make run job (servplan report, shipped data): %.2f s wall\n", e - s }'

bench-build: $(BENCH_BINS)
	@:

# ---- checking ----------------------------------------------------------------

lint:
	cppcheck --quiet --std=c11 --enable=warning,style,performance,portability \
	    --inline-suppr --suppress=missingIncludeSystem --error-exitcode=1 \
	    -Iinclude -D_POSIX_C_SOURCE=200809L src
	@if command -v clang-tidy >/dev/null 2>&1; then \
	    echo "clang-tidy src/..."; \
	    clang-tidy --quiet \
	        --checks='-*,bugprone-*,clang-analyzer-*,cert-err34-c,misc-redundant-expression,-bugprone-easily-swappable-parameters,-bugprone-reserved-identifier,-bugprone-branch-clone,-clang-analyzer-valist.Uninitialized,-clang-analyzer-security.insecureAPI.DeprecatedOrUnsafeBufferHandling' \
	        $(SRC) -- $(CPPFLAGS) -std=c11 $(PKG_CFLAGS); \
	else echo "clang-tidy not installed; skipped"; fi

# ---- installing --------------------------------------------------------------

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/servplan
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/servplan
	rm -rf $(DESTDIR)$(PREFIX)/share/servplan/data $(DESTDIR)$(PREFIX)/share/servplan/templates
	cp -R data $(DESTDIR)$(PREFIX)/share/servplan/data
	cp -R templates $(DESTDIR)$(PREFIX)/share/servplan/templates

clean:
	rm -rf build

# Test and bench objects are intermediate to make; keep them for -MMD.
.SECONDARY:

-include $(ALL_OBJS:.o=.d)

# ---- fuzzing (libFuzzer) -----------------------------------------------------
#
#   make fuzz                    build build/fuzz/fuzz_X for every tests/fuzz/fuzz_X.c
#   make fuzz FUZZ_SECONDS=60    then run each target for 60 s, one after another
#   make fuzz FUZZ_SECONDS=60 FUZZ_TARGETS="csv model"    only those targets
#
# clang's libFuzzer with ASan + UBSan.  src/core and src/io (not src/cli) go
# into an instrumented archive, so a target links only the objects the
# readers reach and needs only -lcsv -lm (no cairo, no libxlsxwriter).  A run
# starts from a copy of tests/fuzz/corpus/X in build/fuzz/corpus-X (kept
# between runs, so new inputs never land in the repository) and writes
# crashes to build/fuzz/crash-X/.  Minimise one with
#   build/fuzz/fuzz_X -minimize_crash=1 -max_total_time=60 FILE
# and add it to tests/fuzz/regress/X/, which `make test` replays
# (tests/test_fuzz_regress.c).

FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 0
FUZZ_CFLAGS  := -std=c11 -g -O1 -fno-omit-frame-pointer -fno-sanitize-recover=all \
                -Wall -Wextra
FUZZ_SRC     := $(wildcard src/core/*.c src/io/*.c)
FUZZ_NAMES   := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_TARGETS ?= $(FUZZ_NAMES)
FUZZ_OBJS    := $(patsubst %.c,$(B)/fuzz/obj/%.o,$(FUZZ_SRC))
FUZZ_LIB     := $(B)/fuzz/libservplan-fuzz.a
FUZZ_BINS    := $(patsubst %,$(B)/fuzz/fuzz_%,$(FUZZ_TARGETS))

.PHONY: fuzz

fuzz: $(FUZZ_BINS)
	@[ "$(FUZZ_SECONDS)" -gt 0 ] 2>/dev/null || exit 0; \
	failed=""; \
	for t in $(FUZZ_TARGETS); do \
	    mkdir -p $(B)/fuzz/corpus-$$t $(B)/fuzz/crash-$$t; \
	    cp tests/fuzz/corpus/$$t/* $(B)/fuzz/corpus-$$t/; \
	    echo "== fuzz_$$t for $(FUZZ_SECONDS) s"; \
	    UBSAN_OPTIONS=print_stacktrace=1 ./$(B)/fuzz/fuzz_$$t \
	        -max_total_time=$(FUZZ_SECONDS) -timeout=10 -print_final_stats=1 \
	        -artifact_prefix=$(B)/fuzz/crash-$$t/ $(B)/fuzz/corpus-$$t \
	        || failed="$$failed $$t"; \
	done; \
	[ -z "$$failed" ] || { echo "fuzz: crashes in:$$failed (inputs in $(B)/fuzz/crash-*/)"; exit 1; }

$(B)/fuzz/obj/%.o: %.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(call say,CC-FUZZ,$<)
	$(Q)$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined \
	    $(PKG_CFLAGS) -MMD -MP -c $< -o $@

$(FUZZ_LIB): $(FUZZ_OBJS)
	$(call say,AR,$@)
	$(Q)rm -f $@
	$(Q)$(AR) rcs $@ $^

$(B)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIB)
	$(call say,LINK,$@)
	$(Q)$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer,address,undefined \
	    -MMD -MP -MF $@.d -o $@ $< $(FUZZ_LIB) -lcsv -lm

-include $(FUZZ_OBJS:.o=.d) $(FUZZ_BINS:=.d)
