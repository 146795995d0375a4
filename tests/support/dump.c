/* dump.c: typeset pages as text (see dump.h). Numbers are printed by
 * hand with two decimals, so the dump ignores the locale. */
#include "dump.h"
#include "font.h"
#include "pages.h"

#include <math.h>
#include <stdio.h>

/* Print v with two decimals without printf's locale-dependent point. */
static void num(FILE *fp, double v)
{
	long long c = llround(v * 100.0);
	if (c < 0) {
		fputc('-', fp);
		c = -c;
	}
	fprintf(fp, " %lld.%02lld", c / 100, c % 100);
}

static void quoted(FILE *fp, const char *s)
{
	fputs(" \"", fp);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', fp);
		fputc(*s, fp);
	}
	fputc('"', fp);
}

static const char *const hatches[8] = { "solid", "diag", "back", "cross",
					"horiz", "?", "?", "?" };

void dump_boxes(const typeset_doc *td, FILE *fp)
{
	for (size_t p = 0; p < td->npages; p++) {
		const struct ts_page *pg = &td->pages[p];
		fprintf(fp, "page %zu", p + 1);
		num(fp, pg->w > 0 ? pg->w : td->page_w);
		num(fp, pg->h > 0 ? pg->h : td->page_h);
		fputc('\n', fp);
		for (size_t i = 0; i < pg->n; i++) {
			const struct ts_box *b = &pg->box[i];
			switch (b->kind) {
			case TS_TEXT:
				fputs("text", fp);
				num(fp, b->x);
				num(fp, b->y);
				num(fp, b->w);
				num(fp, b->size);
				fprintf(fp, " %s", font_face_name(b->face));
				quoted(fp, b->text);
				break;
			case TS_LINK:
				fputs("link", fp);
				num(fp, b->x);
				num(fp, b->y);
				num(fp, b->w);
				num(fp, b->h);
				quoted(fp, b->text);
				if (b->dest) {
					fputs(" dest", fp);
					quoted(fp, b->dest);
				}
				if (b->file) {
					fputs(" file", fp);
					quoted(fp, b->file);
				}
				break;
			case TS_RECT:
				fputs("rect", fp);
				num(fp, b->x);
				num(fp, b->y);
				num(fp, b->w);
				num(fp, b->h);
				num(fp, b->fill);
				fprintf(fp, " %s", hatches[b->hatch & 7]);
				num(fp, b->lw);
				break;
			case TS_RULE:
				fputs("rule", fp);
				num(fp, b->x);
				num(fp, b->y);
				num(fp, b->w);
				num(fp, b->h);
				num(fp, b->lw);
				break;
			case TS_IMAGE:
				fputs("image", fp);
				num(fp, b->x);
				num(fp, b->y);
				num(fp, b->w);
				num(fp, b->h);
				fprintf(fp, " #%zu %ux%u", b->image,
					td->images[b->image].width,
					td->images[b->image].height);
				break;
			}
			fputc('\n', fp);
		}
	}
	for (size_t i = 0; i < td->noutline; i++) {
		fprintf(fp, "outline %d page %zu", td->outline[i].level,
			td->outline[i].page + 1);
		num(fp, td->outline[i].y);
		quoted(fp, td->outline[i].title);
		fputc('\n', fp);
	}
	for (size_t i = 0; i < td->ndests; i++) {
		fprintf(fp, "dest page %zu", td->dests[i].page + 1);
		num(fp, td->dests[i].y);
		quoted(fp, td->dests[i].name);
		fputc('\n', fp);
	}
	for (size_t i = 0; i < td->nlabels; i++) {
		fprintf(fp, "label page %zu %c %u", td->labels[i].page + 1,
			td->labels[i].style, td->labels[i].first);
		if (td->labels[i].prefix)
			quoted(fp, td->labels[i].prefix);
		fputc('\n', fp);
	}
}
