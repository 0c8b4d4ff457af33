# gisa: a Lua-scriptable toolkit for Korean news corpora.
# Every setting is on this first screen; `make help` lists the targets.

VERSION   = 0.1.0
PREFIX   ?= /usr/local
DESTDIR  ?=
BINDIR    = $(PREFIX)/bin
SHAREDIR  = $(PREFIX)/share/gisa
DOCDIR    = $(PREFIX)/share/doc/gisa

CC       ?= cc
PKGS      = lua5.4 libutf8proc libxml-2.0
LUA_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null || echo -I/usr/include/lua5.4 -I/usr/include/libxml2)
LUA_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -llua5.4 -lutf8proc -lxml2)
# lpeg and cjson are linked in (Debian's lua-lpeg, lua-cjson) so `require "lpeg"`
# works whatever LUA_CPATH says.
EXT_LIBS  = -l:liblua5.4-lpeg.so.2 -l:liblua5.4-cjson.so.0
# gisa.zio: Debian's libisal (gzip), libzstd, liblzma, libbz2 (no .pc file) and
# libarchive; zlib for the C tests' fixtures.
ZIO_PKGS  = libisal zlib libzstd liblzma libarchive
ZIO_CFLAGS := $(shell pkg-config --cflags $(ZIO_PKGS) 2>/dev/null)
ZIO_LIBS   := $(shell pkg-config --libs $(ZIO_PKGS) 2>/dev/null || echo -lisal -lz -lzstd -llzma -larchive) -lbz2
OPT      ?= -O2
ifeq ($(DEBUG),1)
OPT       = -O0
endif
WARN      = -Wall -Wextra -Wshadow -Wmissing-prototypes -Wstrict-prototypes
CFLAGS   ?= $(OPT) -g
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) $(LUA_CFLAGS) $(ZIO_CFLAGS) \
             -DGISA_VERSION='"$(VERSION)"' -DGISA_SHAREDIR='"$(SHAREDIR)"'
LDLIBS    = $(EXT_LIBS) $(LUA_LIBS) $(ZIO_LIBS) -lm

# The C modules exposed to Lua; each is also built as a stock Lua C module.
MODULES   = text hangul enc sys hash minhash count jsonw jsonr lines zio wire proc html split tally quote
MOD_OBJS  = $(MODULES:%=build/%.o)
HOST_OBJS = build/main.o $(MOD_OBJS)
HEADERS   = src/gisa.h src/utf8.h src/textmap.h src/xxhash.h src/wordback.h src/wordhash.h

# gisa.josa's lexicon, made from hunspell-ko's dictionary when it is installed,
# with the Sino-Korean words of libhangul-data's hanja list when that is.
KO_DIC   ?= /usr/share/hunspell/ko.dic
KO_HANJA ?= /usr/share/libhangul/hanja/hanja.txt
LEXICON   = $(if $(wildcard $(KO_DIC)),build/josa_lexicon.tsv)

SAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

.PHONY: all run test check sanitize bench bench-big fuzz install uninstall clean deps test-deps help lua-modules

all: gisa lua-modules build/luac.stamp $(LEXICON)

gisa: $(HOST_OBJS)
	$(CC) $(ALL_CFLAGS) -o $@ $(HOST_OBJS) $(LDFLAGS) $(LDLIBS)

build/%.o: src/%.c $(HEADERS) | build
	$(CC) $(ALL_CFLAGS) -fPIC -c -o $@ $<

# Each directory is its own target: build/ alone may already exist (tools/deps
# bench puts Mozilla Readability in build/node_modules before the first make).
build build/lib/gisa build/asan:
	mkdir -p $@

# Stock lua5.4 can `require "gisa.text"` with package.cpath = "build/lib/?.so;…".
lua-modules: $(filter-out build/lib/gisa/html.so,$(MODULES:%=build/lib/gisa/%.so)) build/lib/gisa/htmlparse.so
build/lib/gisa/%.so: build/%.o | build/lib/gisa
	$(CC) -shared -o $@ $< $(LDFLAGS) -lutf8proc $(if $(filter build/zio.o,$<),$(ZIO_LIBS))
# src/html.c is the module gisa.htmlparse (gisa.html is its Lua side).
build/lib/gisa/htmlparse.so: build/html.o | build/lib/gisa
	$(CC) -shared -o $@ $< $(LDFLAGS) -lxml2

# The shipped library compiled (tools/luac.lua), for the host to load instead
# of parsing the source: only where the compiled file is newer than its source.
# With it, the rule dispatch the shipped rules generate (tools/dispatch.lua),
# taken only for the very text it was compiled from.
LUA_SRCS := $(shell find lua -name '*.lua' | sort)
build/luac.stamp: $(LUA_SRCS) tools/luac.lua tools/dispatch.lua gisa | build
	./gisa tools/luac.lua $(CURDIR) build/luac $(LUA_SRCS)
	./gisa tools/dispatch.lua build/luac
	touch $@

# gisa.josa's lexicon (KO_DIC above; without it strip_josa uses its rules alone).
build/josa_lexicon.tsv: tools/josa_lexicon.lua lua/gisa/analysis/josa.lua $(KO_DIC) $(wildcard $(KO_HANJA)) gisa | build
	./gisa tools/josa_lexicon.lua $(KO_DIC) $@ "$(wildcard $(KO_HANJA))"

# The main job: build, then extract every sample article to JSON Lines.
run: deps all
	./gisa extract corpus/

# Debian packages for building and running (apt-get; sudo when not root).
deps:
	@tools/deps build
test-deps:
	@tools/deps test

# Two tiers: `make test` is the C unit tests and every test not marked slow
# (t.slow in tests/lib/t.lua); `make check` adds the slow ones (equivalence over
# generated articles, Unicode conformance, Chromium, robustness sweeps).
test: test-deps all build/unit
	TIER=fast ./gisa tests/run.lua

check: test
	TIER=slow ./gisa tests/run.lua

UNIT_SRCS = $(wildcard tests/c/*.c)
build/unit: $(UNIT_SRCS) tests/c/unit.h $(MOD_OBJS) $(HEADERS) build/lib/oracle/utf8proc.so | build
	$(CC) $(ALL_CFLAGS) -Isrc -Itests/c -o $@ $(UNIT_SRCS) $(MOD_OBJS) $(LDFLAGS) $(LDLIBS)

# A reference for tests and benchmarks, not part of gisa (tests/lib/oracle.lua loads it).
build/lib/oracle/utf8proc.so: tests/oracle/utf8proc.c | build
	@mkdir -p build/lib/oracle
	$(CC) $(ALL_CFLAGS) -fPIC -shared -o $@ $< $(LDFLAGS) -lutf8proc

# AddressSanitizer + UndefinedBehaviorSanitizer build running the whole suite.
ASAN_OBJS = $(HOST_OBJS:build/%=build/asan/%)
build/asan/%.o: src/%.c $(HEADERS) | build/asan
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -c -o $@ $<
build/asan/gisa: $(ASAN_OBJS)
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -o $@ $(ASAN_OBJS) $(LDFLAGS) $(LDLIBS)
build/asan/unit: $(UNIT_SRCS) tests/c/unit.h $(ASAN_OBJS) $(HEADERS)
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -Isrc -Itests/c -o $@ $(UNIT_SRCS) $(filter-out build/asan/main.o,$(ASAN_OBJS)) $(LDFLAGS) $(LDLIBS)
sanitize: test-deps all build/asan/gisa build/asan/unit build/lib/oracle/utf8proc.so
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  GISA_BIN=build/asan/gisa GISA_UNIT=build/asan/unit build/asan/gisa tests/run.lua

# Single-core figures unless a bench asks for -j itself (parallel_bench).
bench: all build/lib/oracle/utf8proc.so
	@tools/deps bench
	GISA_JOBS=1 ./gisa bench/run.lua

# The large run (issue 16): makes bench/data/gen-200000 on the fly (200,000
# articles, about 1 GB, once; never committed), then every command at -j 1 and
# -j 2 (articles/s, on its first BENCH_N = 20,000) and the peak RSS at 50k,
# 100k and 200k articles. Tens of minutes; BENCH_CMDS=extract,kwic for fewer.
bench-big: all
	@tools/deps bench
	BENCH_BIG=1 BENCH=parallel GISA_JOBS=1 ./gisa bench/run.lua
	BENCH_BIG=1 BENCH=memory GISA_JOBS=1 ./gisa bench/run.lua

# libFuzzer targets: each fuzz/fuzz_*.c against the module objects, run for
# FUZZ_SECONDS each (clang with -fsanitize=fuzzer,address,undefined), seeded
# with fuzz/seeds and the sample articles of corpus/ (read, never written).
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_FLAGS    = -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_SRCS     = $(wildcard fuzz/fuzz_*.c)
FUZZ_BINS     = $(FUZZ_SRCS:fuzz/%.c=build/fuzz/%)
FUZZ_OBJS     = $(MOD_OBJS:build/%=build/fuzz/%)
build/fuzz/%.o: src/%.c $(HEADERS) | build
	@mkdir -p build/fuzz
	$(FUZZ_CC) $(ALL_CFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<
build/fuzz/fuzz_%: fuzz/fuzz_%.c $(FUZZ_OBJS) $(HEADERS) tests/oracle/utf8proc.c
	$(FUZZ_CC) $(ALL_CFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer -Isrc -o $@ $< tests/oracle/utf8proc.c $(FUZZ_OBJS) $(LDFLAGS) $(LDLIBS)
.SECONDARY: $(FUZZ_OBJS)
fuzz: $(FUZZ_BINS)
	@for f in $(FUZZ_BINS); do \
	  mkdir -p build/fuzz/corpus-$${f##*/}; \
	  echo "== $$f ($(FUZZ_SECONDS)s)"; \
	  $$f -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -print_final_stats=1 \
	    build/fuzz/corpus-$${f##*/} $$(test -d fuzz/seeds && echo fuzz/seeds) corpus || exit 1; \
	done

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SHAREDIR) $(DESTDIR)$(DOCDIR)
	install -m 755 gisa $(DESTDIR)$(BINDIR)/gisa
	cp -R lua scripts $(DESTDIR)$(SHAREDIR)/
	$(if $(LEXICON),install -m 644 $(LEXICON) $(DESTDIR)$(SHAREDIR)/josa_lexicon.tsv)
	cp -R README.md LICENSE docs $(DESTDIR)$(DOCDIR)/

uninstall:
	rm -rf $(DESTDIR)$(BINDIR)/gisa $(DESTDIR)$(SHAREDIR) $(DESTDIR)$(DOCDIR)

clean:
	rm -rf build gisa

help:
	@echo "targets: all run test check sanitize bench bench-big fuzz install uninstall clean"
