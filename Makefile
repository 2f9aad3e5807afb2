# yardstick — a plain Makefile. `make` builds ./yardstick, `make site`
# renders the example, `make test` runs every test layer.
#
#   make SANITIZE=address,undefined   build with sanitizers (into build-san/;
#                                     SANITIZE=thread into build-tsan/)
#   make WERROR=1                     warnings are errors (CI sets this)
#   make install PREFIX=/usr/local DESTDIR=...

CC      ?= cc
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin

# pkg-config module -> Debian package
DEPS_PKG_CONFIG = yaml-0.1 libcmark libcurl jansson sqlite3 inih
DEPS_TEST       = cmocka
DEBIAN_yaml-0.1 = libyaml-dev
DEBIAN_libcmark = libcmark-dev
DEBIAN_libcurl  = libcurl4-openssl-dev
DEBIAN_jansson  = libjansson-dev
DEBIAN_sqlite3  = libsqlite3-dev
DEBIAN_inih     = libinih-dev
DEBIAN_cmocka   = libcmocka-dev

WARNINGS = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wformat=2
ifneq ($(WERROR),)
WARNINGS += -Werror
endif

ifneq ($(SANITIZE),)
BUILD    = $(if $(findstring thread,$(SANITIZE)),build-tsan,build-san)
SANFLAGS = -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
OPT      = -O1 -g
else
BUILD    = build
SANFLAGS =
OPT      = -O2 -g
endif

VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)

# Recursively expanded on purpose: evaluated when a recipe runs, after
# the `deps` step has had the chance to install what was missing.
PKG_CFLAGS = $(shell pkg-config --cflags $(DEPS_PKG_CONFIG))
PKG_LIBS   = $(shell pkg-config --libs $(DEPS_PKG_CONFIG))
TEST_LIBS  = $(shell pkg-config --libs $(DEPS_TEST))

ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -pthread $(WARNINGS) $(OPT) $(SANFLAGS) \
             -MMD -MP -DYARDSTICK_VERSION='"$(VERSION)"' $(PKG_CFLAGS) $(CFLAGS)
ALL_LDFLAGS = -pthread $(SANFLAGS) $(LDFLAGS)

LIB_SRC  = $(filter-out src/main.c,$(wildcard src/*.c))
LIB_OBJ  = $(LIB_SRC:src/%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/theme_files.o
MAIN_OBJ = $(BUILD)/obj/main.o
TEST_SRC = $(wildcard tests/unit/test_*.c)
TEST_BIN = $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)

ifneq ($(SANITIZE),)
PROGRAM = $(BUILD)/yardstick
else
PROGRAM = yardstick
endif

.PHONY: all deps site test unit-test golden-test example-test build-test clean
.DEFAULT_GOAL := all

all: $(PROGRAM)

# Install missing libraries with apt-get (tools/apt-install.sh: as root, or
# through sudo without a password; otherwise it prints the command to run).
deps:
	@missing=""; \
	command -v pkg-config >/dev/null 2>&1 || missing="pkg-config"; \
	for m in $(DEPS_PKG_CONFIG) $(DEPS_TEST); do \
	  pkg-config --exists $$m 2>/dev/null || case $$m in \
	    yaml-0.1) missing="$$missing $(DEBIAN_yaml-0.1)";; \
	    libcmark) missing="$$missing $(DEBIAN_libcmark)";; \
	    libcurl)  missing="$$missing $(DEBIAN_libcurl)";; \
	    jansson)  missing="$$missing $(DEBIAN_jansson)";; \
	    sqlite3)  missing="$$missing $(DEBIAN_sqlite3)";; \
	    inih)     missing="$$missing $(DEBIAN_inih)";; \
	    cmocka)   missing="$$missing $(DEBIAN_cmocka)";; \
	  esac; \
	done; \
	sh tools/apt-install.sh yardstick $$missing

$(BUILD)/obj/%.o: src/%.c | deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

# The default theme, compiled in (src/theme.h): every file under templates/
# and static/ (names starting with '.' left out) as C arrays. The folders
# are prerequisites too, so adding or removing a file regenerates it.
THEME_FILES = $(sort $(shell find templates static -type f ! -name '.*' 2>/dev/null))
THEME_DIRS  = $(shell find templates static -type d 2>/dev/null)

$(BUILD)/tools/embed: tools/embed.c
	@mkdir -p $(@D)
	$(CC) -std=c11 $(WARNINGS) -O1 -o $@ $<

$(BUILD)/gen/theme_files.c: $(BUILD)/tools/embed $(THEME_FILES) $(THEME_DIRS) Makefile
	@mkdir -p $(@D)
	@echo "embed: $(words $(THEME_FILES)) theme files -> $@"
	@$(BUILD)/tools/embed $@ $(THEME_FILES)

$(BUILD)/obj/theme_files.o: $(BUILD)/gen/theme_files.c src/theme.h
	@mkdir -p $(@D)
	$(CC) $(filter-out -MMD -MP,$(ALL_CFLAGS)) -Isrc -c $< -o $@

$(PROGRAM): $(MAIN_OBJ) $(LIB_OBJ)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

$(BUILD)/tests/%.o: tests/unit/%.c | deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Isrc -c $< -o $@

# tests/unit/support.c: what several unit tests share (a site fixture).
$(BUILD)/tests/%: $(BUILD)/tests/%.o $(BUILD)/tests/support.o $(LIB_OBJ)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) $(TEST_LIBS) -lm

# The example organisation, rendered into output/ (open output/index.html).
site: $(PROGRAM)
	./$(PROGRAM) build -c site.conf

unit-test: $(TEST_BIN)
	@set -e; for t in $(TEST_BIN); do echo "== $$t"; $$t; done

# The hostile cases again under a memory and a time limit (resource.sh);
# an ASan binary cannot run under ulimit -v, so it gets the time limit only.
golden-test: $(PROGRAM)
	@YARDSTICK=$(CURDIR)/$(PROGRAM) sh tests/golden/run.sh
	@YARDSTICK=$(CURDIR)/$(PROGRAM) $(if $(SANITIZE),RESOURCE_NO_VM_LIMIT=1) \
	  sh tests/golden/resource.sh

# The example organisation must load without a single error.
example-test: $(PROGRAM)
	@./$(PROGRAM) check -c site.conf >$(BUILD)/example-check.txt || \
	  { cat $(BUILD)/example-check.txt; echo "example-test: content/ has errors"; exit 1; }
	@tail -n 1 $(BUILD)/example-check.txt
	@./$(PROGRAM) eval -c site.conf --date 2026-11-23 >$(BUILD)/example-eval-1.json 2>/dev/null
	@./$(PROGRAM) eval -c site.conf --date 2026-11-23 >$(BUILD)/example-eval-2.json 2>/dev/null
	@cmp $(BUILD)/example-eval-1.json $(BUILD)/example-eval-2.json && \
	  echo "example-test: eval is byte-identical across runs"

# Small sites built and compared byte for byte, rebuilt to prove nothing
# changes, and a hostile site checked page by page (tests/build/).
build-test: $(PROGRAM) test-tools
	@YARDSTICK=$(CURDIR)/$(PROGRAM) sh tests/build/run.sh
	@YARDSTICK=$(CURDIR)/$(PROGRAM) sh tests/build/kill.sh
	@YARDSTICK=$(CURDIR)/$(PROGRAM) sh tests/build/jobs.sh
	@YARDSTICK=$(CURDIR)/$(PROGRAM) sh tests/build/stamp.sh
	@YARDSTICK=$(CURDIR)/$(PROGRAM) sh tests/build/load-jobs.sh
	@YARDSTICK=$(CURDIR)/$(PROGRAM) sh tests/build/unreadable-theme.sh
	@YARDSTICK=$(CURDIR)/$(PROGRAM) sh tests/build/commit-fails.sh
	@YARDSTICK=$(CURDIR)/$(PROGRAM) sh tests/build/no-proc.sh

test: unit-test golden-test example-test build-test

clean:
	rm -rf build build-san build-tsan build-fuzz yardstick tests/out yardstick_*.deb

-include $(wildcard $(BUILD)/obj/*.d $(BUILD)/tests/*.d)

# ---- Mustache engine: the spec through the unit tests and through the
# binary (`yardstick render`), and the benchmark against mustache.js.
.PHONY: spec-test render-test bench-mustache

spec-test: $(BUILD)/tests/test_mustache_spec
	@$(BUILD)/tests/test_mustache_spec

$(BUILD)/tests/spec_files: tests/render/spec_files.c | deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(ALL_LDFLAGS) $(PKG_LIBS)

render-test: $(PROGRAM) $(BUILD)/tests/spec_files
	@YARDSTICK=$(CURDIR)/$(PROGRAM) SPEC_FILES=$(CURDIR)/$(BUILD)/tests/spec_files \
	  sh tests/render/run.sh

$(BUILD)/bench/bench_mustache: tests/bench/mustache/bench_mustache.c $(LIB_OBJ) | deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< $(LIB_OBJ) $(ALL_LDFLAGS) $(PKG_LIBS) -lm

bench-mustache: $(BUILD)/bench/bench_mustache
	@sh tests/bench/mustache/run.sh $(BUILD)/bench/bench_mustache

test: spec-test render-test
# ---- end of the Mustache block

# --- site tests (tests/site) ---
# The example site, built into a scratch folder and checked three ways:
# links, fragments, badges and page structure (check-links.mjs), HTML
# validity (html-validate) and a real browser (browser.mjs: Debian's
# headless Chromium through playwright-core, screenshots in tests/out/browser).
# tests/site/README.md says what each check does.
#
#   make site-test                         build the example, check it
#   make site-check SITE_OUT=path/to/out   check a site that is already built
#
# Needs Node.js >= 18.19 with npm, and /usr/bin/chromium; `site-deps`
# installs them like `deps` installs the C libraries, then the pinned npm
# packages (tests/site/package-lock.json) when node_modules is missing or
# older than the lock file.
SITE_TEST_DIR   = tests/site
SITE_OUT        = $(BUILD)/site-test/output
SITE_SHOTS      = tests/out/browser
SITE_TEST_DATE  = 2026-11-23
CHROMIUM        = /usr/bin/chromium

.PHONY: site-deps site-test site-check

site-deps:
	@missing=""; \
	command -v node >/dev/null 2>&1 || missing="$$missing nodejs"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	[ -x $(CHROMIUM) ] || missing="$$missing chromium"; \
	sh tools/apt-install.sh site-deps $$missing || exit 1; \
	for need in node npm $(CHROMIUM); do \
	  command -v $$need >/dev/null 2>&1 || { \
	    echo "site-deps: FAIL: $$need is still missing$${CI:+ (CI: the site tests cannot be skipped)}"; exit 1; }; \
	done; \
	node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>18||(a===18&&b>=19)?0:1)' || \
	  { echo "site-deps: FAIL: Node.js $$(node --version) is too old; the site tests need 18.19 or later"; exit 1; }; \
	if [ ! -d $(SITE_TEST_DIR)/node_modules ] || \
	   [ $(SITE_TEST_DIR)/package-lock.json -nt $(SITE_TEST_DIR)/node_modules ]; then \
	  echo "site-deps: npm ci in $(SITE_TEST_DIR)"; \
	  (cd $(SITE_TEST_DIR) && npm ci --no-audit --no-fund) && touch $(SITE_TEST_DIR)/node_modules || \
	    { echo "site-deps: FAIL: npm ci in $(SITE_TEST_DIR) failed"; exit 1; }; \
	fi

# All three checks on folder $(1), each run even when one before failed, so
# one run shows every problem.
define site_checks
failed=""; \
echo "== check-links $(1)"; \
node $(SITE_TEST_DIR)/check-links.mjs "$(1)" || failed="$$failed check-links"; \
echo "== html-validate $(1)"; \
sh $(SITE_TEST_DIR)/validate.sh "$(1)" || failed="$$failed html-validate"; \
echo "== browser $(1)"; \
CHROMIUM=$(CHROMIUM) node $(SITE_TEST_DIR)/browser.mjs "$(1)" $(SITE_SHOTS) || failed="$$failed browser"; \
if [ -n "$$failed" ]; then echo "site tests FAILED:$$failed"; exit 1; fi; \
echo "site tests: links, HTML and browser checks passed"
endef

# --output DIR: where the build writes the site (a scratch folder here, so
# the test never touches output/).
site-test: $(PROGRAM) site-deps build-test
	@rm -rf $(SITE_OUT) && mkdir -p $(dir $(SITE_OUT))
	./$(PROGRAM) record -c site.conf --date 2026-11-09 --output $(SITE_OUT)
	./$(PROGRAM) record -c site.conf --date 2026-11-16 --output $(SITE_OUT)
	./$(PROGRAM) build -c site.conf --date $(SITE_TEST_DATE) --output $(SITE_OUT)
	@$(call site_checks,$(SITE_OUT))
	@echo "== check-links and html-validate on the hostile site (built by build-test)"
	@node $(SITE_TEST_DIR)/check-links.mjs tests/out/build/hostile/output
	@sh $(SITE_TEST_DIR)/validate.sh tests/out/build/hostile/output
	@echo "== check-links and html-validate on the small site, every list paginated (built by build-test)"
	@node $(SITE_TEST_DIR)/check-links.mjs tests/out/build/small/output
	@sh $(SITE_TEST_DIR)/validate.sh tests/out/build/small/output

site-check: site-deps
	@test -d "$(SITE_OUT)" || { echo "site-check: $(SITE_OUT) does not exist (build the site, or give SITE_OUT=DIR)"; exit 2; }
	@$(call site_checks,$(SITE_OUT))

test: site-test
# --- end of the site tests block

# ---- history store: restore and command tests, and a synthetic year
# recorded (tests/bench/history/)
.PHONY: bench-history

# What the test scripts run beyond the build, installed like `deps` installs
# the libraries when missing (a minimal Debian has neither): python3 for the
# history and Slack tests' small scripts (an HTTP server on 127.0.0.1,
# SQLite's integrity check), strace for the build kill test's kills at
# fixed points (inside the commit among them).
.PHONY: test-tools
test-tools:
	@missing=""; \
	{ command -v python3 >/dev/null 2>&1 && python3 -c 'import sqlite3' 2>/dev/null; } || \
	  missing="python3"; \
	command -v strace >/dev/null 2>&1 || missing="$$missing strace"; \
	sh tools/apt-install.sh test-tools $$missing

$(BUILD)/bench/bench_history: tests/bench/history/bench_history.c $(LIB_OBJ) | deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< $(LIB_OBJ) $(ALL_LDFLAGS) $(PKG_LIBS) -lm

# Restore against a local HTTP server and `yardstick history` (tests/history/).
$(BUILD)/tests/history_tool: tests/history/history_tool.c $(LIB_OBJ) | deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< $(LIB_OBJ) $(ALL_LDFLAGS) $(PKG_LIBS) -lm

.PHONY: history-test
history-test: $(PROGRAM) $(BUILD)/tests/history_tool test-tools
	@YARDSTICK=$(CURDIR)/$(PROGRAM) HISTORY_TOOL=$(CURDIR)/$(BUILD)/tests/history_tool \
	  sh tests/history/run.sh
	@YARDSTICK=$(CURDIR)/$(PROGRAM) sh tests/history/days.sh
	@YARDSTICK=$(CURDIR)/$(PROGRAM) sh tests/history/kill.sh
	@YARDSTICK=$(CURDIR)/$(PROGRAM) sh tests/history/faults.sh

test: history-test

$(BUILD)/bench/seed_history: tests/bench/history/seed_history.c $(LIB_OBJ) | deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< $(LIB_OBJ) $(ALL_LDFLAGS) $(PKG_LIBS) -lm

bench-history: $(BUILD)/bench/bench_history
	@$(BUILD)/bench/bench_history $(BUILD)/bench/history.db $(BENCH_HISTORY_ARGS)
# ---- end of the history block

# ---- Slack digests: a fake Slack on 127.0.0.1 scripted per case, and the
# example's dry-run payloads against tests/slack/expected/ (tests/slack/).
$(BUILD)/tests/slack_tool: tests/slack/slack_tool.c $(LIB_OBJ) | deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< $(LIB_OBJ) $(ALL_LDFLAGS) $(PKG_LIBS) -lm

.PHONY: slack-test
slack-test: $(PROGRAM) $(BUILD)/tests/slack_tool test-tools
	@YARDSTICK=$(CURDIR)/$(PROGRAM) SLACK_TOOL=$(CURDIR)/$(BUILD)/tests/slack_tool \
	  sh tests/slack/run.sh

test: slack-test
# ---- end of the Slack block

# ---- yardstick init: a new site, a catalog copied in, built and checked;
# refusing to replace anything (tests/init/).
.PHONY: init-test
init-test: $(PROGRAM)
	@YARDSTICK=$(CURDIR)/$(PROGRAM) sh tests/init/run.sh

test: init-test
# ---- end of the init block

# ---- install, uninstall, the Debian package, and their test (tests/install/)
#
#   make install [PREFIX=/usr/local] [DESTDIR=]   the binary (theme built in),
#                                  yardstick(1), the docs in share/doc/yardstick
#   make uninstall [PREFIX=...] [DESTDIR=]        removes exactly those files
#   make deb [DEB_DIR=.]            yardstick_$(VERSION)_<arch>.deb (dpkg-deb)
MANDIR    ?= $(PREFIX)/share/man
DOCDIR    ?= $(PREFIX)/share/doc/yardstick
DOC_FILES  = README.md $(sort $(wildcard docs/*.md))
DOC_CI     = $(sort $(wildcard docs/ci/*))
DEB_DIR   ?= .
DEB_ARCH   = $(shell dpkg --print-architecture 2>/dev/null)
DEB_NAME   = yardstick_$(VERSION)_$(DEB_ARCH)
DEB_ROOT   = $(BUILD)/deb/$(DEB_NAME)
DEB_MAINTAINER ?= yardstick maintainers <yardstick@localhost>

.PHONY: install uninstall deb install-test install-test-tools

install: $(PROGRAM)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DOCDIR)/ci
	install -m 755 $(PROGRAM) $(DESTDIR)$(BINDIR)/yardstick
	install -m 644 docs/yardstick.1 $(DESTDIR)$(MANDIR)/man1/yardstick.1
	install -m 644 $(DOC_FILES) $(DESTDIR)$(DOCDIR)/
	install -m 644 $(DOC_CI) $(DESTDIR)$(DOCDIR)/ci/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/yardstick $(DESTDIR)$(MANDIR)/man1/yardstick.1
	rm -f $(addprefix $(DESTDIR)$(DOCDIR)/,$(notdir $(DOC_FILES)))
	rm -f $(addprefix $(DESTDIR)$(DOCDIR)/ci/,$(notdir $(DOC_CI)))
	rmdir $(DESTDIR)$(DOCDIR)/ci $(DESTDIR)$(DOCDIR) 2>/dev/null || true

# The package installs under /usr: the binary stripped, the man page
# gzipped (-n: no time stamp, so the bytes repeat), the docs, and Debian's
# copyright file. Depends comes from the libraries the binary links
# (tools/deb-depends.sh: dpkg-shlibdeps, or ldd + dpkg -S).
deb: $(PROGRAM)
	@command -v dpkg-deb >/dev/null 2>&1 || { echo "deb: dpkg-deb is missing (a Debian system?)"; exit 1; }
	rm -rf $(DEB_ROOT)
	$(MAKE) --no-print-directory install PREFIX=/usr DESTDIR=$(CURDIR)/$(DEB_ROOT)
	strip --strip-unneeded --remove-section=.comment --remove-section=.note $(DEB_ROOT)/usr/bin/yardstick
	gzip -9n $(DEB_ROOT)/usr/share/man/man1/yardstick.1
	printf '%s\n' \
	  'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/' \
	  'Upstream-Name: yardstick' '' 'Files: *' 'Copyright: the yardstick authors' \
	  'License: unspecified' \
	  ' The source tree states no license yet; ask the authors before redistributing.' \
	  >$(DEB_ROOT)/usr/share/doc/yardstick/copyright
	mkdir -p $(DEB_ROOT)/DEBIAN
	@depends=$$(sh tools/deb-depends.sh $(DEB_ROOT)/usr/bin/yardstick) || exit 1; \
	size=$$(du -sk --exclude=DEBIAN $(DEB_ROOT) | cut -f1); \
	{ echo "Package: yardstick"; echo "Version: $(VERSION)"; \
	  echo "Architecture: $(DEB_ARCH)"; echo "Maintainer: $(DEB_MAINTAINER)"; \
	  echo "Installed-Size: $$size"; echo "Depends: $$depends"; \
	  echo "Section: devel"; echo "Priority: optional"; \
	  echo "Description: engineering scorecards for a software catalog, as a static site"; \
	  echo " yardstick reads a software catalog (Datadog, Backstage), scorecards,"; \
	  echo " campaigns and outcomes, evaluates every rule for every entity, keeps"; \
	  echo " the history in SQLite and writes a static website and Slack digests."; \
	} >$(DEB_ROOT)/DEBIAN/control
	dpkg-deb --build --root-owner-group $(DEB_ROOT) $(DEB_DIR)/$(DEB_NAME).deb
	@if command -v lintian >/dev/null 2>&1; then lintian $(DEB_DIR)/$(DEB_NAME).deb || true; fi

# make install into tests/out/install, then the installed binary away from
# the source tree; the override test; the package; the recipes of docs/ci/.
$(BUILD)/tests/yaml_tool: tests/install/yaml_tool.c $(LIB_OBJ) | deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< $(LIB_OBJ) $(ALL_LDFLAGS) $(PKG_LIBS) -lm

# What the install test runs beyond the build: rsync and git (the cron
# recipe), mandoc (the man page's lint), installed like `deps` does.
install-test-tools:
	@missing=""; \
	command -v rsync >/dev/null 2>&1 || missing="$$missing rsync"; \
	command -v git >/dev/null 2>&1 || missing="$$missing git"; \
	command -v mandoc >/dev/null 2>&1 || missing="$$missing mandoc"; \
	sh tools/apt-install.sh install-test-tools $$missing

install-test: $(PROGRAM) $(BUILD)/tests/yaml_tool install-test-tools
	@YARDSTICK=$(CURDIR)/$(PROGRAM) YAML_TOOL=$(CURDIR)/$(BUILD)/tests/yaml_tool \
	  MAKE="$(MAKE)" MAKE_VARS="$(if $(SANITIZE),SANITIZE=$(SANITIZE)) $(if $(WERROR),WERROR=$(WERROR))" \
	  sh tests/install/run.sh

test: install-test
# ---- end of the install block
# ---- fuzzing (tests/fuzz/): libFuzzer harnesses built with clang, ASan
# and UBSan, against the library compiled again into build-fuzz/. Each
# target runs FUZZ_SECONDS from its seed corpus (tests/fuzz/corpus/NAME,
# committed) plus what it found before (build-fuzz/corpus/NAME, not
# committed); a crash stops the run and is saved as build-fuzz/crashes/NAME-*.
# docs/development.md says how to run them for hours and replay a crash.
#
#   make fuzz FUZZ_SECONDS=30           every target, 30 s each (CI)
#   make fuzz FUZZ_TARGETS=mustache     one target
FUZZ_CC      ?= clang
FUZZ_BUILD    = build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= yaml query mustache outcomes markdown
FUZZ_SAN      = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS   = -std=c11 -D_POSIX_C_SOURCE=200809L $(WARNINGS) -O1 -g $(FUZZ_SAN) -MMD -MP \
                -DYARDSTICK_VERSION='"$(VERSION)"' $(PKG_CFLAGS)
FUZZ_OBJ      = $(LIB_SRC:src/%.c=$(FUZZ_BUILD)/obj/%.o) $(FUZZ_BUILD)/obj/theme_files.o

.PHONY: fuzz fuzz-build fuzz-tools tools-compile-test

# make test runs neither the benchmark tools nor the fuzz harnesses, but
# they call the library: they are compiled with the suite, so that an API
# change cannot break them unseen (the harnesses to objects only: linking
# them needs clang's libFuzzer, `make fuzz`).
tools-compile-test: $(BUILD)/bench/bench_mustache $(BUILD)/bench/bench_history \
		    $(BUILD)/bench/seed_history $(BUILD)/bench/io_floor \
		    $(FUZZ_TARGETS:%=$(BUILD)/fuzz-compile/fuzz_%.o)

$(BUILD)/bench/io_floor: tests/bench/io_floor.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $<

$(BUILD)/fuzz-compile/fuzz_%.o: tests/fuzz/fuzz_%.c | deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Isrc -c $< -o $@

test: tools-compile-test
# clang, installed like the libraries when it is missing.
fuzz-tools:
	@command -v $(FUZZ_CC) >/dev/null 2>&1 || sh tools/apt-install.sh fuzz clang
# The built-in theme's generated C file, shared with the main build.
$(FUZZ_BUILD)/obj/theme_files.o: $(BUILD)/gen/theme_files.c src/theme.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Isrc -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_BUILD)/obj/%.o: src/%.c | deps fuzz-tools
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJ) | deps
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -Isrc -o $@ $< $(FUZZ_OBJ) $(PKG_LIBS) -lm

fuzz-build: $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz_%)

fuzz: fuzz-build
	@set -e; for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ_BUILD)/corpus/$$t $(FUZZ_BUILD)/crashes; \
	  echo "== fuzz_$$t for $(FUZZ_SECONDS) s"; \
	  $(FUZZ_BUILD)/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
	    -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
	    -artifact_prefix=$(FUZZ_BUILD)/crashes/$$t- \
	    $(FUZZ_BUILD)/corpus/$$t tests/fuzz/corpus/$$t 2>$(FUZZ_BUILD)/fuzz_$$t.log || \
	    { tail -n 60 $(FUZZ_BUILD)/fuzz_$$t.log; \
	      echo "fuzz: fuzz_$$t failed; the input is in $(FUZZ_BUILD)/crashes/ (see docs/development.md)"; exit 1; }; \
	  grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' $(FUZZ_BUILD)/fuzz_$$t.log | tr '\n' ' '; echo; \
	done

-include $(wildcard $(FUZZ_BUILD)/obj/*.d $(FUZZ_BUILD)/*.d)
# ---- end of the fuzzing block
