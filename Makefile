# sow: a rules language for professional-services billing and revenue.
#   make            build ./sow
#   make test       build (plain and sanitized) and run every test
#   make demo       build and run the demo month-end
#   make install PREFIX=/usr/local
CC      ?= cc
PREFIX  ?= /usr/local
CFLAGS  ?= -O2 -g
WARN     = -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes
DEFS     = -D_DEFAULT_SOURCE -DSOW_VERSION='"$(VERSION)"' -DSOW_RULES_DIR='"$(PREFIX)/share/sow/rules"'
LIBS     = -lsqlite3 -ledit
LIBS    += -lxlsxwriter
LIBS    += -ljansson
LIBS    += -lmicrohttpd
VERSION  = 0.1.0
SAN      = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

SRCS     = $(wildcard src/*.c)
GEN      = build/gen/sow.tab.c build/gen/sow.lex.c
OBJS     = $(SRCS:src/%.c=build/obj/%.o) build/obj/sow.tab.o build/obj/sow.lex.o
SOBJS    = $(OBJS:build/obj/%=build/san/%)
INC      = -Isrc -Ibuild/gen

all: sow

sow: $(OBJS)
	$(CC) $(CFLAGS) -o $@ $(OBJS) $(LIBS)

build/sow-san: $(SOBJS)
	$(CC) $(CFLAGS) $(SAN) -o $@ $(SOBJS) $(LIBS)

build/gen/sow.tab.c build/gen/sow.tab.h: grammar/sow.y | build/gen
	bison -Wall -Werror --defines=build/gen/sow.tab.h -o build/gen/sow.tab.c grammar/sow.y

build/gen/sow.lex.c build/gen/sow.lex.h: grammar/sow.l build/gen/sow.tab.h | build/gen
	flex --header-file=build/gen/sow.lex.h -o build/gen/sow.lex.c grammar/sow.l

build/obj/%.o: src/%.c $(wildcard src/*.h) build/gen/sow.tab.h build/gen/sow.lex.h | build/obj
	$(CC) $(CFLAGS) $(WARN) $(DEFS) $(INC) -c -o $@ $<

build/san/%.o: src/%.c $(wildcard src/*.h) build/gen/sow.tab.h build/gen/sow.lex.h | build/san
	$(CC) $(CFLAGS) $(SAN) $(WARN) $(DEFS) $(INC) -c -o $@ $<

# Generated code: flex output trips -Wunused-function; keep -Werror otherwise.
build/obj/sow.%.o: build/gen/sow.%.c build/gen/sow.tab.h | build/obj
	$(CC) $(CFLAGS) $(WARN) -Wno-unused-function -Wno-shadow $(DEFS) $(INC) -c -o $@ $<

build/san/sow.%.o: build/gen/sow.%.c build/gen/sow.tab.h | build/san
	$(CC) $(CFLAGS) $(SAN) $(WARN) -Wno-unused-function -Wno-shadow $(DEFS) $(INC) -c -o $@ $<

build/gen build/obj build/san:
	mkdir -p $@

# The installed library's folder is compiled in: rebuild when PREFIX changes.
build/prefix: FORCE | build/obj
	@echo '$(PREFIX)' | cmp -s - $@ || echo '$(PREFIX)' > $@
build/obj/load.o build/san/load.o: build/prefix
FORCE:

# Build dependencies: install them when root, else say exactly what to run.
DEPS = flex bison libsqlite3-dev libedit-dev sqlite3
DEPS += libxlsxwriter-dev unzip
DEPS += libjansson-dev
DEPS += libmicrohttpd-dev
# $(call install,PACKAGES,WHAT): install the missing Debian packages when
# root, else print the exact apt-get command and fail.
define install
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if ! command -v apt-get >/dev/null; then echo "sow: please install:$$missing ($(2))"; exit 1; \
	  elif [ "$$(id -u)" = 0 ]; then echo "installing$$missing"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing) >/dev/null || exit 1; \
	  else echo "sow: missing $(2); run:"; echo "  sudo apt-get install -y$$missing"; exit 1; fi; fi
endef
deps:
	$(call install,$(DEPS),build dependencies)

# Test-only tools, never needed by make demo: curl and headless Chromium
# drive sow serve in tests/serve; hledger is the oracle of sow journal's
# tests. Saxon-HE and xmllint check sow invoice --ubl against the official
# Peppol Schematron and the UBL 2.1 schema (make validate-ubl;
# tests/ubl/validate.sh says where those come from).
TEST_DEPS = curl chromium hledger
UBL_DEPS = default-jre-headless libsaxonhe-java libxml2-utils
test-deps:
	$(call install,$(TEST_DEPS),test dependencies)
ubl-deps:
	$(call install,$(UBL_DEPS),e-invoice validation tools)

validate-ubl: ubl-deps sow
	@sh tests/ubl/validate.sh ./sow

sanitize: build/sow-san

test: deps test-deps
	@$(MAKE) --no-print-directory sow build/sow-san build/unit build/unit-san build/ptydrive build/lspdrive
	@rm -f build/demo.db
	@sh tests/run.sh ./sow build/sow-san

build/unit: tests/unit/unit.c src/decimal.c src/date.c src/money.c src/map.c | build/obj
	$(CC) $(CFLAGS) $(WARN) $(DEFS) -Isrc -o $@ tests/unit/unit.c src/decimal.c src/date.c src/money.c src/map.c

build/unit-san: tests/unit/unit.c src/decimal.c src/date.c src/money.c src/map.c | build/san
	$(CC) $(CFLAGS) $(SAN) $(WARN) $(DEFS) -Isrc -o $@ tests/unit/unit.c src/decimal.c src/date.c src/money.c src/map.c

build/lspdrive: tests/lsp/lspdrive.c | build/obj
	$(CC) $(CFLAGS) $(WARN) -D_DEFAULT_SOURCE -o $@ $<

build/ptydrive: tests/repl/ptydrive.c | build/obj
	$(CC) $(CFLAGS) $(WARN) -D_DEFAULT_SOURCE -o $@ $< -lutil

build/measure: tests/bench/measure.c | build/obj
	$(CC) $(CFLAGS) $(WARN) -D_DEFAULT_SOURCE -o $@ $<

# Fuzzing, not run by make test or CI: afl++ (Debian's, installed here when
# root) against an ASan+UBSan build; tests/fuzz/fuzz.sh has the harnesses.
#   make fuzz [FUZZ="rules map csv repl lsp"] [FUZZ_SECONDS=300]
FUZZ ?= all
FUZZ_SECONDS ?= 300
fuzz: deps build/lspdrive
	@command -v afl-clang-fast >/dev/null || if [ "$$(id -u)" = 0 ]; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq afl++) >/dev/null || exit 1; \
	  else echo "sow: make fuzz needs afl++; run: sudo apt-get install -y afl++"; exit 1; fi
	@$(MAKE) --no-print-directory build/fuzz/sow
	@FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/fuzz/fuzz.sh $(FUZZ)

build/fuzz/sow: $(SRCS) $(wildcard src/*.h) $(GEN)
	@mkdir -p build/fuzz
	AFL_USE_ASAN=1 AFL_USE_UBSAN=1 afl-clang-fast -O1 -g -fno-omit-frame-pointer $(DEFS) $(INC) -o $@ $(SRCS) $(GEN) $(LIBS)

SF ?= 1
BOOK ?= mixed
bench: deps sow build/measure
	@sh tests/bench/bench.sh $(SF) $(BOOK)

# make same OLD=path/to/other/sow SF=0.1 BOOK=tm: every table both leave, compared
same: deps sow
	@test -n "$(OLD)" || { echo "make same: say which binary to compare with: OLD=path/to/sow" >&2; exit 2; }
	@sh tests/bench/same.sh "$(OLD)" ./sow $(SF) $(BOOK)

demo: deps sow
	@sh examples/demo.sh

install: sow
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/sow/rules $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 sow $(DESTDIR)$(PREFIX)/bin/sow
	cp -R rules/std $(DESTDIR)$(PREFIX)/share/sow/rules/
	install -d $(DESTDIR)$(PREFIX)/share/sow/accounts
	install -m 644 examples/accounts/standard.accounts $(DESTDIR)$(PREFIX)/share/sow/accounts/standard.accounts
	install -m 644 src/sow.1 $(DESTDIR)$(PREFIX)/share/man/man1/sow.1
	cp -R grammar/editors $(DESTDIR)$(PREFIX)/share/sow/
	install -d $(DESTDIR)$(PREFIX)/share/vim/vimfiles/syntax $(DESTDIR)$(PREFIX)/share/vim/vimfiles/ftdetect
	install -m 644 grammar/editors/vim/syntax/sow.vim $(DESTDIR)$(PREFIX)/share/vim/vimfiles/syntax/sow.vim
	install -m 644 grammar/editors/vim/ftdetect/sow.vim $(DESTDIR)$(PREFIX)/share/vim/vimfiles/ftdetect/sow.vim

clean:
	rm -rf build sow

.PHONY: all deps test-deps ubl-deps validate-ubl test demo install clean sanitize bench same fuzz FORCE
