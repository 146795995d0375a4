# sources.mk: the source files of dossier, one variable per stage of the
# pipeline, in its order. Included by the Makefile (./dossier, the unit
# tests, the tools) and by tests/fuzz/Makefile.fuzz (each fuzzer links the
# stages it runs through), so a new file is named once, on its stage's line.

# Shared by the stages: allocation and UTF-8, growable strings,
# diagnostics, SHA-256; the font set (checking asks it which
# characters can be set, typesetting and the PDF writer use its faces) and
# the document tree (composing builds it, typesetting lays it out).
COMMON_SRCS  = src/util.c src/sbuf.c src/diag.c src/sha256.c src/safefile.c src/font.c src/doc.c

# 1. Reading the roster: bytes in any encoding -> rows of UTF-8 fields.
READ_SRCS    = src/roster.c

# 2. Checking records: rows -> validated records, and checked records as
#    JSON (check --format json; the manifest uses its strings too).
CHECK_SRCS   = src/record.c src/rdate.c src/record-read.c src/json.c

# 3. Composing the document from the layouts: reading, linting and
#    expanding the layouts (tpl*.c, fmt.c, translit.c), then the document
#    tree of a brief or a summary.
COMPOSE_SRCS = src/fmt.c src/translit.c src/tpl.c src/tpl-parse.c src/tpl-cond.c \
	src/tpl-pseudo.c src/tpl-expand.c src/tpl-lint.c \
	src/composer.c src/compose.c src/summary.c

# 4. Typesetting: the document tree -> pages of positioned boxes, and
#    binders of several documents.
TYPESET_SRCS = src/image.c src/typeset.c src/ts-text.c src/ts-rows.c src/ts-chart.c \
	src/ts-page.c src/binder.c

# 5. Writing PDF: typeset pages -> PDF files.
PDF_SRCS     = src/pdf.c src/pdf-page.c src/pdf-font.c

# 6. Rendering and publishing the outputs: briefs, summaries and the
#    manifest on disk (atomic files, re-runs, encryption), the proof sheet.
RENDER_SRCS  = src/out.c src/protect.c src/render.c src/manifest.c src/publish.c \
	src/proof.c

# 7. The command line (main.c, the entry point, is linked only into
#    ./dossier).
CLI_SRCS     = src/cmd_check.c src/cmd_render.c src/cmd_layouts.c src/cli.c

LIB_SRCS     = $(COMMON_SRCS) $(READ_SRCS) $(CHECK_SRCS) $(COMPOSE_SRCS) \
	$(TYPESET_SRCS) $(PDF_SRCS) $(RENDER_SRCS) $(CLI_SRCS)

# Not part of the product: sample documents and the box dump, for the
# unit tests, the tools (make specimen, make bench-typeset) and the
# fuzzers.
SUPPORT_SRCS = tests/support/specimen.c tests/support/dump.c

# The libraries the sources need. libcsv and libhyphen ship no pkg-config
# file in Debian 12.
PKGS         = icu-uc icu-i18n harfbuzz harfbuzz-subset fontconfig libpng libqpdf zlib jansson
LIBS_RAW     = -lcsv -lhyphen -lm -lpthread
