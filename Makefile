# ducha — build, test and run the supervision office's batch chain.
#
#   make run      install what is missing, build, run the chain on the shipped 2023 sample
#   make check    all tests (unit tests with cmocka, end-to-end cases); SANITIZE=1 for ASan+UBSan
#   make bench    benchmarks (long; not part of check)
#   make deps     install the Debian packages the build and the programs need
#   make install  PREFIX=/usr/local DESTDIR=... ; make uninstall
#
# Quiet by default; V=1 shows every command.

PREFIX  ?= /usr/local
BINDIR_INSTALL ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/ducha
VERSION := 0.1.0

CC ?= cc
PKGS := xlsxwriter zlib uchardet libutf8proc inih nettle libzip expat freexl harfbuzz-subset

ifeq ($(SANITIZE),1)
  BUILD := build/asan
  SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
  OPT := -O1
  # Leaks inside other projects' libraries on damaged input, each named there (not ours).
  export LSAN_OPTIONS := suppressions=$(CURDIR)/tests/lsan.supp
else
  BUILD := build/rel
  SANFLAGS :=
  OPT := -O2
endif
BIN := $(if $(filter 1,$(SANITIZE)),$(BUILD)/bin,bin)

WARN := -std=c11 -Wall -Wextra -Wpedantic -Wstrict-prototypes -Wmissing-prototypes -Werror
DEFS := -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DDUCHA_VERSION='"$(VERSION)"' \
        -DDUCHA_DATADIR='"$(DATADIR)"'
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS ?= $(OPT) -g
ALL_CFLAGS = $(CFLAGS) $(WARN) $(DEFS) $(SANFLAGS) -iquote pipeline $(PKG_CFLAGS)
LDLIBS_ALL = $(PKG_LIBS) -lhpdf -lcsv -lm

Q := $(if $(filter 1,$(V)),,@)
say = $(if $(filter 1,$(V)),,@printf '  %-6s %s\n' $(1) $(2);)

LIB_SRC := $(sort $(wildcard pipeline/*.c))
LIB_OBJ := $(LIB_SRC:pipeline/%.c=$(BUILD)/pipeline/%.o)
LIB := $(BUILD)/libducha.a
CMD_SRC := $(sort $(wildcard cmd/ducha-*.c))
PROGRAMS := $(CMD_SRC:cmd/%.c=$(BIN)/%)
MANPAGES := $(sort $(wildcard cmd/*.1 pipeline/*.5 pipeline/*.7 templates/*.5 templates/*.7))
TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))
TESTS := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
BENCH_SRC := $(sort $(wildcard tests/bench/*.c))
BENCH_TOOLS := $(BENCH_SRC:tests/bench/%.c=$(BUILD)/bench/%)
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_NAMES := $(FUZZ_SRC:tests/fuzz/fuzz_%.c=%)
FUZZ_REPLAY := $(FUZZ_NAMES:%=$(BUILD)/fuzz/replay_%)
FUZZ_SECONDS ?= 60

# Debian packages: what building and running need, and what only the tests need.
DEPS_RUN := gcc make pkg-config libc6-dev libxlsxwriter-dev libhpdf-dev libcsv-dev \
            libuchardet-dev libutf8proc-dev uthash-dev libinih-dev nettle-dev libzip-dev libexpat1-dev libfreexl-dev \
            libharfbuzz-dev zlib1g-dev \
            fonts-arphic-uming fonts-wqy-zenhei fonts-arphic-ukai
DEPS_TEST := libcmocka-dev poppler-utils qpdf diffutils unzip zip strace libreoffice-calc python3-uno python3-openpyxl \
             clang libclang-rt-14-dev

.PHONY: all check unit e2e replay fuzz run preview bench install uninstall clean format deps deps-test valgrind

all: $(PROGRAMS)

$(BUILD)/pipeline/%.o: pipeline/%.c $(wildcard pipeline/*.h)
	$(call say,CC,$<)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJ)
	$(call say,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BIN)/%: cmd/%.c $(LIB)
	$(call say,CCLD,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB) $(LDLIBS_ALL)

$(BUILD)/tests/%: tests/unit/%.c $(LIB)
	$(call say,CCLD,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) $(shell pkg-config --cflags cmocka) -o $@ $< $(LIB) \
	    $(LDLIBS_ALL) $(shell pkg-config --libs cmocka)

# Fuzz targets replayed over their corpora by `make check`, with a plain main instead of
# libFuzzer; `make fuzz` builds them with clang's libFuzzer and runs each for FUZZ_SECONDS.
$(BUILD)/fuzz/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/driver.c $(LIB)
	$(call say,CCLD,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< tests/fuzz/driver.c $(LIB) $(LDLIBS_ALL)

replay: $(FUZZ_REPLAY)
	$(Q)status=0; for n in $(FUZZ_NAMES); do \
	  $(BUILD)/fuzz/replay_$$n $$(find tests/fuzz/corpus/$$n tests/fuzz/regressions/$$n -type f 2>/dev/null | sort) || status=1; \
	done; exit $$status

FUZZ_CFLAGS = -g -O1 -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DDUCHA_VERSION='"$(VERSION)"' \
	-DDUCHA_DATADIR='"$(DATADIR)"' -iquote pipeline $(PKG_CFLAGS) -fsanitize=address,undefined
fuzz: deps-test
	$(Q)mkdir -p build/fuzz
	$(Q)for n in $(FUZZ_NAMES); do \
	  echo "== fuzz $$n ($(FUZZ_SECONDS) s)"; \
	  clang $(FUZZ_CFLAGS) -fsanitize=fuzzer -o build/fuzz/fuzz_$$n tests/fuzz/fuzz_$$n.c $(LIB_SRC) $(LDLIBS_ALL) || exit 1; \
	  mkdir -p build/fuzz/corpus_$$n build/fuzz/crashes_$$n; \
	  build/fuzz/fuzz_$$n -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
	    -artifact_prefix=build/fuzz/crashes_$$n/ build/fuzz/corpus_$$n tests/fuzz/corpus/$$n 2>&1 | \
	    grep -E '^(#[0-9]+ +DONE|==[0-9]+==|SUMMARY|artifact_prefix|Done)' ; \
	done

$(BUILD)/bench/%: tests/bench/%.c $(LIB)
	$(call say,CCLD,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB) $(LDLIBS_ALL)

# The tests: every cmocka runner, then every end-to-end case. Each prints its own summary.
check: deps-test all $(TESTS) $(FUZZ_REPLAY)
	$(Q)$(MAKE) --no-print-directory unit e2e replay

unit: $(TESTS)
	$(Q)status=0; for t in $(TESTS); do echo "== $$t"; $$t || status=1; done; exit $$status

e2e: all
	$(Q)DUCHA_BIN=$(abspath $(BIN)) tests/run-cases.sh tests/cases tests/bad

# The main job on the shipped sample: what exists so far of the chain.
run: deps all
	$(Q)DUCHA_BIN=$(abspath $(BIN)) tests/run-sample.sh

# The pictures the README shows: the circular's first page and the summary workbook's first
# page, from the real outputs of `make run`.
preview: deps-test
	$(Q)test -f output/2023/2023H1/circular.pdf || $(MAKE) --no-print-directory run
	$(Q)mkdir -p output/preview build/preview
	$(Q)pdftoppm -png -r 60 -f 1 -l 1 -singlefile output/2023/2023H1/circular.pdf output/preview/circular-1
	$(Q)libreoffice --headless --convert-to pdf --outdir build/preview output/2023/2023H1/summary.xlsx >/dev/null 2>&1
	$(Q)pdftoppm -png -r 90 -f 1 -l 1 -singlefile build/preview/summary.pdf output/preview/summary-1
	@echo "output/preview/circular-1.png and output/preview/summary-1.png made from output/2023/2023H1/"

bench: deps-test all $(BENCH_TOOLS)
	$(Q)DUCHA_BIN=$(abspath $(BIN)) BENCH_TOOLS=$(abspath $(BUILD)/bench) tests/bench/run.sh

valgrind: all
	$(Q)DUCHA_BIN=$(abspath $(BIN)) DUCHA_WRAP='valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite' \
	    tests/run-cases.sh tests/cases tests/bad

install: all
	$(Q)install -d $(DESTDIR)$(BINDIR_INSTALL) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
	    $(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(DATADIR)
	$(Q)install -m 755 $(PROGRAMS) $(DESTDIR)$(BINDIR_INSTALL)/
	$(Q)for m in $(MANPAGES); do s=$${m##*.}; install -m 644 $$m $(DESTDIR)$(MANDIR)/man$$s/; done
	$(Q)for f in templates/*; do case $$f in *.[157]) ;; *) cp -R $$f $(DESTDIR)$(DATADIR)/ ;; esac; done
	@echo "installed ducha $(VERSION) under $(DESTDIR)$(PREFIX)"

uninstall:
	$(Q)for p in $(notdir $(PROGRAMS)); do rm -f $(DESTDIR)$(BINDIR_INSTALL)/$$p; done
	$(Q)for m in $(notdir $(MANPAGES)); do s=$${m##*.}; rm -f $(DESTDIR)$(MANDIR)/man$$s/$$m; done
	$(Q)rm -rf $(DESTDIR)$(DATADIR)
	@echo "removed ducha from $(DESTDIR)$(PREFIX)"

clean:
	rm -rf build bin

format:
	clang-format -i pipeline/*.c pipeline/*.h cmd/*.c tests/unit/*.c tests/bench/*.c

# Installs, with apt-get, the packages of the list that this machine lacks; says what it does.
deps:
	@$(call install_missing,$(DEPS_RUN))

deps-test: deps
	@$(call install_missing,$(DEPS_TEST))

define install_missing
missing=""; for p in $(1); do \
  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
done; \
if [ -n "$$missing" ]; then \
  echo "ducha: installing Debian packages:$$missing"; \
  if [ "$$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi; \
  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing >/dev/null \
    || { echo "ducha: apt-get could not install:$$missing" >&2; exit 1; }; \
fi
endef
