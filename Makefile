# Thin wrapper: meson does the work. See README.md.
BUILDDIR ?= _build

.PHONY: all deps test-deps build compile tools run run-server test bench fuzz install clean

all: build

deps:
	@build-aux/install-deps build

test-deps:
	@build-aux/install-deps test

$(BUILDDIR)/build.ninja:
	meson setup $(BUILDDIR)

build: deps compile

# Compiling alone: no package installer, only meson and ninja (see `tools`).
compile: tools $(BUILDDIR)/build.ninja
	meson compile -C $(BUILDDIR)

tools:
	@for tool in meson ninja; do \
	  command -v $$tool >/dev/null 2>&1 || { \
	    echo "make: '$$tool' is missing: install it (Debian: apt install meson ninja-build)" \
	         "or run 'make deps' first." >&2; \
	    exit 1; }; \
	done

# The app from the build tree, on the user's own data folder; the schemas
# compiled into the build tree stand in for installed ones.
run: build
	GSETTINGS_SCHEMA_DIR=$(BUILDDIR)/data XIAOHE_CRM_LOCALEDIR=$(BUILDDIR)/po \
	  $(BUILDDIR)/src/ui/xiaohe-crm

# A team server from the build tree on 127.0.0.1:8080 (docs/server.md). The
# first time it makes SERVER_DIR with one company and one user, whose
# password it asks for at the prompt.
SERVER_DIR ?= _server
SLUG ?= team
NAME ?= My team
SERVER_USER ?= admin
SERVER = XIAOHE_CRM_LOCALEDIR=$(BUILDDIR)/po $(BUILDDIR)/src/server/xiaohe-crm-server

run-server: build
	@test -e "$(SERVER_DIR)" || { \
	  $(SERVER) init "$(SERVER_DIR)" && \
	  $(SERVER) add-company "$(SERVER_DIR)" "$(SLUG)" "$(NAME)" && \
	  $(SERVER) add-user "$(SERVER_DIR)" "$(SLUG)" "$(SERVER_USER)" || \
	  { rm -rf "$(SERVER_DIR)"; exit 1; }; }
	$(SERVER) serve "$(SERVER_DIR)" --listen 127.0.0.1:8080

# Every test, inside one Xvfb + D-Bus + unlocked throw-away keyring session.
test: test-deps $(BUILDDIR)/build.ninja
	meson compile -C $(BUILDDIR)
	build-aux/test-session meson test -C $(BUILDDIR) --print-errorlogs

# Benchmarks print each figure beside its target; see README.md.
bench: build test-deps
	$(BUILDDIR)/bench/bench-contacts
	$(BUILDDIR)/bench/bench-contact-order
	$(BUILDDIR)/bench/bench-deals
	$(BUILDDIR)/bench/bench-followups
	$(BUILDDIR)/bench/bench-backup
	$(BUILDDIR)/bench/bench-license
	$(BUILDDIR)/bench/bench-export
	XIAOHE_CRM_CLI=$(BUILDDIR)/src/cli/xiaohe-crm-cli $(BUILDDIR)/bench/bench-import
	XIAOHE_CRM_SERVER=$(BUILDDIR)/src/server/xiaohe-crm-server $(BUILDDIR)/bench/bench-sync
	XIAOHE_CRM_SERVER=$(BUILDDIR)/src/server/xiaohe-crm-server $(BUILDDIR)/bench/bench-server-pg
	build-aux/test-session bench/bench-startup.py $(BUILDDIR)
	build-aux/test-session bench/bench-startup.py $(BUILDDIR) --deals

# libFuzzer with ASan and UBSan (clang), each target for FUZZ_SECONDS, one
# after the other, in their own build dir; see tests/fuzz/run-fuzzers.sh.
FUZZ_BUILDDIR ?= _build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= license uscc money validate deal-date search wire csv xlsx vcard

fuzz:
	@build-aux/install-deps fuzz
	test -f $(FUZZ_BUILDDIR)/build.ninja || \
	  CC=clang meson setup $(FUZZ_BUILDDIR) -Dfuzzing=true
	meson compile -C $(FUZZ_BUILDDIR) $(addprefix fuzz-,$(FUZZ_TARGETS))
	tests/fuzz/run-fuzzers.sh $(FUZZ_BUILDDIR) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# Only compiles and installs: never runs the package installer (`make deps`).
install: compile
	meson install -C $(BUILDDIR)

clean:
	rm -rf $(BUILDDIR)
