# dossier: one plain Makefile. `make` builds ./dossier; `make check` runs the
# tests twice, plain and under AddressSanitizer + UndefinedBehaviorSanitizer.

VERSION   = 0.1.0
PREFIX   ?= /usr/local
DESTDIR  ?=
CC       ?= cc
PKGS      = icu-uc icu-i18n harfbuzz harfbuzz-subset fontconfig libpng libqpdf zlib
# libcsv and libhyphen ship no pkg-config file in Debian 12.
LIBS_RAW  = -lcsv -lhyphen -lm -lpthread

CFLAGS   ?= -O2 -g
DEVFLAGS  = -std=c17 -D_GNU_SOURCE -Wall -Wextra -Werror -Wno-unused-parameter
ALL_CFLAGS = $(DEVFLAGS) $(CFLAGS) -DDOSSIER_VERSION='"$(VERSION)"' \
	-DDOSSIER_DATADIR='"$(PREFIX)/share/dossier"' \
	$(shell pkg-config --cflags $(PKGS) 2>/dev/null)
ALL_LIBS  = $(shell pkg-config --libs $(PKGS) 2>/dev/null) $(LIBS_RAW)
SAN       = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

# One line per stage group; a new stage is one more name on its line.
CORE_SRCS    = src/util.c src/sbuf.c src/diag.c src/sha256.c src/safefile.c
READ_SRCS    = src/roster.c src/record.c src/rdate.c src/record-read.c src/json.c src/out.c src/protect.c
TYPESET_SRCS = src/font.c src/doc.c src/typeset.c src/binder.c src/pdf.c src/pdf-page.c src/pdf-font.c src/dump.c src/specimen.c
LAYOUT_SRCS  = src/fmt.c src/tpl.c src/tpl-expand.c src/tpl-lint.c src/translit.c
CLI_SRCS     = src/composer.c src/compose.c src/summary.c src/proof.c src/render.c src/cmd_layouts.c src/cmd_check.c src/cmd_render.c src/cli.c
LIB_SRCS  = $(CORE_SRCS) $(READ_SRCS) $(TYPESET_SRCS) $(LAYOUT_SRCS) $(CLI_SRCS)
HDRS      = $(wildcard src/*.h)
UNIT_SRCS = $(wildcard tests/unit/t_*.c)

B = build
LIB_OBJS  = $(LIB_SRCS:src/%.c=$(B)/%.o)
UNIT_BINS = $(UNIT_SRCS:tests/unit/%.c=$(B)/tests/%)

.PHONY: specimen bench-typeset all check test demo deps deps-check bench fuzz install uninstall clean units

all: dossier

dossier: $(B)/dossier
	cp $< $@

$(B)/%.o: src/%.c $(HDRS) Makefile
	@mkdir -p $(@D)
	@echo "  CC      $@"
	@$(CC) $(ALL_CFLAGS) $(EXTRA_CFLAGS) -c -o $@ $<

$(B)/dossier: $(LIB_OBJS) $(B)/main.o
	@echo "  LINK    $@"
	@$(CC) $(ALL_CFLAGS) $(EXTRA_CFLAGS) -o $@ $^ $(ALL_LIBS)

$(B)/tests/%: tests/unit/%.c tests/unit/harness.h tests/unit/replay.h $(wildcard tests/fuzz/*.c) $(LIB_OBJS) $(HDRS)
	@mkdir -p $(@D)
	@echo "  TEST    $@"
	@$(CC) $(ALL_CFLAGS) $(EXTRA_CFLAGS) -Isrc -o $@ $< $(LIB_OBJS) $(ALL_LIBS)

units: $(B)/dossier $(UNIT_BINS)

# Plain build, then the sanitizer build in build-asan; both run the suite.
check: deps
	$(MAKE) --no-print-directory units
	$(MAKE) --no-print-directory B=build-asan CFLAGS="-O1 -g" EXTRA_CFLAGS="$(SAN)" units
	@tests/run.sh build build-asan

test: units
	@tests/run.sh build

# The demo renders the fictional sample roster into out/.
demo: deps
	@$(MAKE) --no-print-directory dossier
	./dossier check samples/roster.csv
	./dossier render samples/roster.csv -o out
	@echo "demo: briefs in out/en/briefs, out/ru/briefs, out/hy/briefs; summaries out/{en,ru,hy}/summary.pdf; manifest out/manifest.json"

deps:
	@tools/deps.sh

deps-check:
	@tools/deps.sh --check

bench: dossier $(B)/tools/bench_typeset
	@tools/bench.sh

fuzz:
	$(MAKE) --no-print-directory -f tests/fuzz/Makefile.fuzz FUZZ_SECONDS=$(or $(FUZZ_SECONDS),60)

install: dossier
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/dossier
	install -m 755 dossier $(DESTDIR)$(PREFIX)/bin/dossier
	install -m 644 dossier.1 $(DESTDIR)$(PREFIX)/share/man/man1/dossier.1
	cp -R fonts layouts $(DESTDIR)$(PREFIX)/share/dossier/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/dossier $(DESTDIR)$(PREFIX)/share/man/man1/dossier.1
	rm -rf $(DESTDIR)$(PREFIX)/share/dossier

# Typesetting: sample PDFs in every language, and the timing of one brief.
$(B)/tools/%: tools/%.c $(LIB_OBJS) $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(EXTRA_CFLAGS) -Isrc -o $@ $< $(LIB_OBJS) $(ALL_LIBS)

specimen: $(B)/tools/specimen
	@mkdir -p out
	$(B)/tools/specimen out

bench-typeset: $(B)/tools/bench_typeset
	$(B)/tools/bench_typeset

clean:
	rm -rf build build-asan build-fuzz dossier out
