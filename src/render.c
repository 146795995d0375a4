/* render.c: records x languages -> briefs on disk, then the manifest. */
#include "render.h"
#include "compose.h"
#include "diag.h"
#include "font.h"
#include "json.h"
#include "out.h"
#include "pdf.h"
#include "sbuf.h"
#include "tpl.h"
#include "typeset.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct made {
	char *path;     /* relative to OUTDIR */
	char *id;
	const char *lang;
	long pages;
	char sha[65];
	long long size;
};

struct run {
	const struct render_opts *o;
	tpl_set *tpl;
	font_set *fonts;
	struct made *made;
	size_t nmade, alloc;
};

static int wanted(const struct render_opts *o, const char *id)
{
	size_t i;
	if (!o->only)
		return 1;
	for (i = 0; i < o->nonly; i++)
		if (strcmp(o->only[i], id) == 0)
			return 1;
	return 0;
}

/* One brief: compose, typeset, write to a temporary file, rename. */
static int one_brief(struct run *r, const struct record *rec, const char *lang,
		     const char *slug, struct diag *d)
{
	struct compose_env env = { r->tpl, r->o->date, r->o->paper };
	struct sbuf rel = SBUF_INIT, full = SBUF_INIT;
	typeset_doc *td = NULL;
	doc *dc;
	char *tmp = NULL;
	long pages = -1;
	struct made *m;

	dc = compose_brief(&env, rec, lang, NULL, d);
	if (!dc)
		return -1;
	td = typeset_run(dc, r->fonts, d);
	doc_free(dc);
	if (!td)
		return -1;

	sbuf_addf(&rel, "%s/briefs/%s%s%s.pdf", lang, rec->f[F_ID], *slug ? "-" : "", slug);
	sbuf_addf(&full, "%s/%s", r->o->outdir, rel.buf);
	if (out_tmp_for(full.buf, &tmp, d) == 0) {
		pages = pdf_write(td, tmp, 0, d);
		if (pages < 0 || out_commit(tmp, full.buf, d) < 0) {
			remove(tmp);
			pages = -1;
		}
	}
	typeset_free(td);
	free(tmp);
	if (pages < 0) {
		sbuf_release(&rel);
		sbuf_release(&full);
		return -1;
	}
	ALLOC_GROW(r->made, r->nmade + 1, r->alloc);
	m = &r->made[r->nmade++];
	memset(m, 0, sizeof(*m));
	m->id = xstrdup(rec->f[F_ID]);
	m->lang = lang;
	m->pages = pages;
	if (out_file_sha256(full.buf, m->sha, &m->size) < 0)
		m->sha[0] = '\0';
	m->path = sbuf_detach(&rel, NULL);
	sbuf_release(&full);
	return 0;
}

static int write_manifest(struct run *r, const struct render_input *in,
			  struct diag *d)
{
	struct sbuf js = SBUF_INIT, path = SBUF_INIT;
	char date[16];
	size_t i;
	int rc;

	snprintf(date, sizeof(date), "%04d-%02d-%02d", r->o->date.y % 10000,
		 r->o->date.m % 100, r->o->date.d % 100);
	sbuf_addstr(&js, "{\n  \"generator\": ");
	json_add_string(&js, "dossier " DOSSIER_VERSION);
	sbuf_addstr(&js, ",\n  \"date\": ");
	json_add_string(&js, date);
	sbuf_addstr(&js, ",\n  \"files\": [");
	for (i = 0; i < r->nmade; i++) {
		const struct made *m = &r->made[i];
		sbuf_addstr(&js, i ? ",\n    {" : "\n    {");
		sbuf_addstr(&js, "\"path\": ");
		json_add_string(&js, m->path);
		sbuf_addf(&js, ", \"sha256\": \"%s\", \"bytes\": %lld", m->sha, m->size);
		sbuf_addstr(&js, ", \"record\": ");
		json_add_string(&js, m->id);
		sbuf_addstr(&js, ", \"lang\": ");
		json_add_string(&js, m->lang);
		sbuf_addf(&js, ", \"pages\": %ld}", m->pages);
	}
	sbuf_addstr(&js, r->nmade ? "\n  ],\n" : "],\n");
	sbuf_addstr(&js, "  \"left_out\": [");
	for (i = 0; i < in->nskips; i++) {
		sbuf_addstr(&js, i ? ",\n    {" : "\n    {");
		sbuf_addf(&js, "\"line\": %ld, \"record\": ", in->skips[i].line);
		json_add_string(&js, in->skips[i].id ? in->skips[i].id : "");
		sbuf_addstr(&js, ", \"reason\": ");
		json_add_string(&js, in->skips[i].reason ? in->skips[i].reason : "");
		sbuf_addch(&js, '}');
	}
	sbuf_addstr(&js, in->nskips ? "\n  ]\n}\n" : "]\n}\n");
	sbuf_addf(&path, "%s/manifest.json", r->o->outdir);
	rc = out_write_file(path.buf, js.buf, js.len, d);
	sbuf_release(&js);
	sbuf_release(&path);
	return rc;
}

int render_run(const struct render_opts *o, const struct render_input *in,
	       struct diag *d)
{
	struct run r;
	size_t i, l;
	int failed = 0;

	memset(&r, 0, sizeof(r));
	r.o = o;
	r.tpl = tpl_load(o->layouts_dir, d);
	if (!r.tpl)
		return 2;
	r.fonts = font_set_load(o->fonts_dir, d);
	if (!r.fonts) {
		tpl_free(r.tpl);
		return 2;
	}
	if (out_mkdirs(o->outdir, d) < 0)
		goto fatal;
	for (l = 0; l < o->nlangs; l++) {
		struct sbuf dir = SBUF_INIT;
		sbuf_addf(&dir, "%s/%s/briefs", o->outdir, o->langs[l]);
		if (out_mkdirs(dir.buf, d) < 0) {
			sbuf_release(&dir);
			goto fatal;
		}
		out_sweep_tmp(dir.buf);
		sbuf_release(&dir);
	}
	out_sweep_tmp(o->outdir);

	for (l = 0; l < o->nlangs; l++) {
		for (i = 0; i < in->nrecs; i++) {
			const struct record *rec = &in->recs[i];
			struct sbuf slug = SBUF_INIT;
			char *latin;
			if (!wanted(o, rec->f[F_ID]))
				continue;
			latin = compose_latin_name(r.tpl, rec, o->date);
			if (latin)
				out_slug(latin, 40, &slug);
			free(latin);
			if (one_brief(&r, rec, o->langs[l], slug.buf, d) < 0)
				failed = 1;
			sbuf_release(&slug);
		}
	}
	if (write_manifest(&r, in, d) < 0)
		failed = 2;

	for (i = 0; i < r.nmade; i++) {
		free(r.made[i].path);
		free(r.made[i].id);
	}
	free(r.made);
	font_set_free(r.fonts);
	tpl_free(r.tpl);
	return failed;
fatal:
	font_set_free(r.fonts);
	tpl_free(r.tpl);
	return 2;
}
