/* publish.c: what a run makes from all its briefs together: per language
 * the summary (streamed, in two passes for "Page X of Y") and, with
 * --binder, the print binder (the briefs bound behind the summary, with
 * contents, bookmarks and page labels found by a fixpoint); and the
 * report of the records left out, for the staff. */
#include "publish.h"
#include "render-private.h"
#include "diag.h"
#include "doc.h"
#include "out.h"
#include "pdf.h"
#include "sbuf.h"
#include "sha256.h"
#include "summary.h"
#include "tpl.h"
#include "binder.h"
#include "typeset.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- the summaries ------------------------------------------------------- */

/* The summary of a language, streamed: its document is composed a few
 * hundred rows at a time, each piece typeset, each page written as soon
 * as it is final and then forgotten, so that memory does not grow with
 * the roster. "Page X of Y" needs Y first: a first pass counts the pages
 * (its warnings are those of the second, which reports them). */
struct summary_job {
	struct render_state *r;
	size_t l;
	const struct summary_input *in;
	const char *rel;
};

static int count_page(void *ctx, const typeset_doc *td, size_t index)
{
	(void)ctx;
	(void)td;
	(void)index;
	return 0;
}

static int put_page(void *ctx, const typeset_doc *td, size_t index)
{
	return pdf_page(ctx, td, index);
}

static typeset_doc *summary_pass(const struct summary_job *sj,
				 const struct typeset_sink *sink,
				 struct diag *d)
{
	struct render_state *r = sj->r;
	summary_stream *ss = summary_stream_new(r->tpl, r->o->langs[sj->l], sj->l,
						sj->in, SUMMARY_LINK_FILES, d);
	typeset_stream *ts;
	int more = 1;

	if (!ss)
		return NULL;
	ts = typeset_stream_new(summary_stream_doc(ss), r->fonts, sink, d);
	if (!ts) {
		summary_stream_free(ss);
		return NULL;
	}
	while (more > 0) {
		if (typeset_stream_feed(ts, summary_stream_doc(ss)) < 0) {
			more = -1;
			break;
		}
		doc_drop_blocks(summary_stream_doc(ss));
		more = summary_stream_next(ss);
	}
	summary_stream_free(ss);
	if (more < 0) {
		typeset_stream_abort(ts);
		return NULL;
	}
	return typeset_stream_end(ts);
}

static long make_summary(void *ctx, FILE *fp, const char *path,
			 struct pdf_file *out, struct diag *d)
{
	const struct summary_job *sj = ctx;
	struct diag first = DIAG_INIT;
	struct typeset_sink sink = { count_page, NULL, 0 };
	typeset_doc *td = summary_pass(sj, &sink, &first);
	pdf_writer *w;
	long pages;

	if (!td) {
		diag_move(d, &first);
		diag_release(&first);
		return -1;
	}
	diag_release(&first);
	sink.total_pages = typeset_page_count(td);
	typeset_free(td);
	w = pdf_open_fp(fp, path, sj->r->fonts, 0, d);
	if (!w)
		return -1;
	sink.page = put_page;
	sink.ctx = w;
	td = summary_pass(sj, &sink, d);
	if (td && typeset_page_count(td) != sink.total_pages)
		BUG("summary: %zu pages, then %zu", sink.total_pages,
		    typeset_page_count(td));
	if (!td || render_too_tight(sj->r, td, sj->rel, d)) {
		pdf_abort(w);
		typeset_free(td);
		return -1;
	}
	pages = pdf_close_file(w, td, out);
	typeset_free(td);
	return pages;
}

/* The summary of language l, written to OUTDIR/rel; fills m. */
static int write_summary(struct render_state *r, size_t l,
			 const struct summary_input *in, const char *rel,
			 const struct manifest_file *p, struct render_made *m,
			 struct diag *d)
{
	struct summary_job sj = { r, l, in, rel };
	struct sbuf full = SBUF_INIT;
	struct pdf_file pf;
	long pages;
	int same;

	sbuf_addf(&full, "%s/%s", r->o->outdir, rel);
	pages = render_write_pdf_with(r, make_summary, &sj, rel, full.buf, p, &pf, &same, d);
	if (pages < 0) {
		sbuf_release(&full);
		return -1;
	}
	memcpy(m->sha, pf.sha256, sizeof(m->sha));
	m->size = pf.size;
	m->pages = pages;
	m->same = same;
	m->path = xstrdup(rel);
	sbuf_release(&full);
	return 0;
}

/* The print binder of one language: cover and contents, the summary, then
 * every brief in the order of the summary's table, each on a right-hand
 * page, with a bookmark per person, page labels (roman for the front
 * matter) and a running page number. The contents need the page numbers,
 * which need the contents' own length: a first pass with placeholders
 * counts it. */
static int one_binder(struct render_state *r, size_t l,
		      const struct summary_input *in, struct render_made *m,
		      struct diag *d)
{
	const char *lang = r->o->langs[l];
	size_t n = in->npeople, i, k, nparts = 0, *order = NULL, *first;
	const typeset_doc **parts = xcalloc(n + 2, sizeof(*parts));
	struct binder_part *po = xcalloc(n + 2, sizeof(*po));
	size_t *map = xcalloc(n + 2, sizeof(*map));  /* part -> person */
	char **names = xcalloc(n + 2, sizeof(*names));
	char **labels = xcalloc(n + 2, sizeof(*labels));
	struct binder_opts bo;
	struct pdf_file pf;
	typeset_doc *front = NULL, *sum = NULL, *cat = NULL;
	struct sbuf rel = SBUF_INIT, full = SBUF_INIT;
	char *contents = NULL;
	long front_pages = -1, pages = -1;
	doc *dc;
	int pass;

	summary_order(r->tpl, lang, in, &order);
	first = xcalloc(n + 2, sizeof(*first));
	dc = summary_compose(r->tpl, lang, l, in, SUMMARY_LINK_DESTS, d);
	if (dc) {
		sum = typeset_run(dc, r->fonts, d);
		doc_free(dc);
	}
	if (!sum)
		goto out;

	memset(&bo, 0, sizeof(bo));
	bo.part = po;
	bo.number_template = "{page}";
	bo.first_page = first;
	for (pass = 0; pass < 3; pass++) {
		typeset_free(front);
		front = NULL;
		dc = summary_front(r->tpl, lang, in, order,
				   pass ? (const char *const *)labels : NULL, d);
		if (dc) {
			front = typeset_run(dc, r->fonts, d);
			doc_free(dc);
		}
		if (!front)
			goto out;
		/* The parts: front matter, summary, the briefs that exist. */
		nparts = 0;
		if (!names[0])
			names[0] = summary_text(r->tpl, lang, in, "binder.contents.summary");
		if (!contents)
			contents = summary_text(r->tpl, lang, in, "binder.contents.title");
		parts[nparts] = front;
		po[nparts] = (struct binder_part){ contents, 0, 0, 'r', NULL };
		nparts++;
		parts[nparts] = sum;
		po[nparts] = (struct binder_part){ names[0], 1, 1, 'D', NULL };
		nparts++;
		for (i = 0; i < n; i++) {
			const struct render_job *j = r->sum_jobs[order[i]];
			if (!j->td || !j->td[l])
				continue;
			if (!names[i + 1])
				names[i + 1] = summary_name(r->tpl, lang, in->people[order[i]]);
			parts[nparts] = j->td[l];
			map[nparts] = i;
			po[nparts] = (struct binder_part){ names[i + 1], 0, 1, 0, NULL };
			nparts++;
		}
		typeset_free(cat);
		cat = binder_concat(parts, nparts, &bo, d);
		if (!cat)
			goto out;
		if (pass && (long)typeset_page_count(front) == front_pages)
			break;
		front_pages = (long)typeset_page_count(front);
		/* Labels of the summary and of each brief's first page. */
		for (k = 0; k < n + 1; k++) {
			free(labels[k]);
			labels[k] = NULL;
		}
		for (k = 1; k < nparts; k++) {
			char buf[32];
			binder_page_label(cat, first[k], buf, sizeof(buf));
			labels[k == 1 ? 0 : 1 + map[k]] = xstrdup(buf);
		}
	}

	sbuf_addf(&rel, "%s/binder.pdf", lang);
	sbuf_addf(&full, "%s/%s", r->o->outdir, rel.buf);
	pages = render_write_pdf(r, cat, rel.buf, full.buf, manifest_find(r, rel.buf), &pf,
			  &m->same, d);
	if (pages >= 0) {
		memcpy(m->sha, pf.sha256, sizeof(m->sha));
		m->size = pf.size;
		m->pages = pages;
		m->path = sbuf_detach(&rel, NULL);
	} else {
		pages = -1;
	}
out:
	typeset_free(cat);
	typeset_free(front);
	typeset_free(sum);
	for (k = 0; k < n + 2; k++) {
		free(names[k]);
		free(labels[k]);
	}
	free(names);
	free(labels);
	free(map);
	free(po);
	free(parts);
	free(first);
	free(order);
	free(contents);
	sbuf_release(&rel);
	sbuf_release(&full);
	return pages < 0 ? -1 : 0;
}

/* One summary per language, from every record's summary fields; made
 * again only when a record or a brief's name changed, or, with
 * --left-out-appendix, the left-out list (toggling it remakes them). */
int publish_summaries(struct render_state *r, const struct render_skip *skips,
		      size_t nskips, struct diag *d)
{
	const struct summary_person **people = xcalloc(r->njobs + 1, sizeof(*people));
	struct render_job **jobs = xcalloc(r->njobs + 1, sizeof(*jobs));
	struct summary_skip *sk = xcalloc(nskips + 1, sizeof(*sk));
	struct summary_input in;
	size_t i, l, npeople = 0;
	int rc = 0;

	/* Each brief's file name is taken from its path. */
	for (i = 0; i < r->njobs; i++) {
		struct summary_person *sp = &r->jobs[i]->person;
		if (r->jobs[i]->left_out)
			continue;
		for (l = 0; l < r->o->nlangs; l++) {
			const char *path = r->jobs[i]->made[l].path;
			sp->brief[l] = path ? strrchr(path, '/') + 1 : NULL;
		}
		people[npeople] = sp;
		jobs[npeople++] = r->jobs[i];
	}
	for (i = 0; i < nskips; i++) {
		sk[i].line = skips[i].line;
		sk[i].id = skips[i].id;
		sk[i].reason = skips[i].reason;
	}
	in.people = people;
	in.npeople = npeople;
	r->sum_jobs = jobs;
	in.skips = sk;
	in.nskips = nskips;
	in.left_out_appendix = r->o->left_out_appendix;
	in.as_of = r->o->date;
	in.paper = r->o->paper;
	r->summaries = xcalloc(r->o->nlangs, sizeof(*r->summaries));
	r->binders = xcalloc(r->o->nlangs, sizeof(*r->binders));

	for (l = 0; l < r->o->nlangs; l++) {
		const char *lang = r->o->langs[l];
		struct render_made *m = &r->summaries[l];
		struct sbuf rel = SBUF_INIT, full = SBUF_INIT;
		struct sha256 c;
		struct manifest_file *p;
		char line[64];

		sbuf_addf(&rel, "%s/summary.pdf", lang);
		sbuf_addf(&full, "%s/%s", r->o->outdir, rel.buf);
		sha256_init(&c);
		sha256_update(&c, r->static_hash, 64);
		sha256_update(&c, "summary", 8);
		sha256_update(&c, lang, strlen(lang) + 1);
		for (i = 0; i < npeople; i++) {
			const char *b = people[i]->brief[l] ? people[i]->brief[l] : "";
			sha256_update(&c, jobs[i]->digest, 32);
			sha256_update(&c, b, strlen(b) + 1);
		}
		/* The records left out show only in an internal summary. */
		if (in.left_out_appendix) {
			sha256_update(&c, "left-out appendix", 18);
			for (i = 0; i < nskips; i++) {
				snprintf(line, sizeof(line), "%ld\n", sk[i].line);
				sha256_update(&c, line, strlen(line));
				sha256_update(&c, sk[i].id, strlen(sk[i].id) + 1);
				sha256_update(&c, sk[i].reason, strlen(sk[i].reason) + 1);
			}
		}
		sha256_final(&c, m->input);
		p = manifest_find(r, rel.buf);
		if (!r->o->force && p && memcmp(p->input, m->input, 32) == 0 &&
		    manifest_intact(r, p, full.buf)) {
			memcpy(m->sha, p->sha, sizeof(m->sha));
			m->size = p->size;
			m->pages = p->pages;
			m->reused = 1;
			m->path = sbuf_detach(&rel, NULL);
		} else if (write_summary(r, l, &in, rel.buf, p, m, d) < 0) {
			rc = -1;
		}
		if (r->o->binder) {
			struct render_made *bm = &r->binders[l];
			memcpy(bm->input, m->input, sizeof(bm->input));
			if (one_binder(r, l, &in, bm, d) < 0)
				rc = -1;
		}
		sbuf_release(&rel);
		sbuf_release(&full);
	}
	free(people);
	free(sk);
	r->sum_jobs = NULL;
	free(jobs);
	return rc;
}

/* --- the records left out, for the staff ---------------------------------
 *
 * The summaries go to recipients and say nothing of the records left out
 * (unless --left-out-appendix makes them internal); the people preparing
 * the dossier read OUTDIR/left-out.txt instead: each record with its
 * roster line, its id when it has a valid one, the reason, then every
 * diagnostic about it as the run printed it. It is put in place like the
 * PDFs (a temporary file, the journal, a rename), listed in the manifest,
 * not rewritten when its bytes are those on disk, and removed (with a
 * note, by manifest_settle) by a later run that leaves nothing out. */

/* Whether id is one the roster accepts ([A-Za-z0-9_-]{1,32}). */
static int id_ok(const char *id)
{
	size_t n = strlen(id);
	if (n == 0 || n > 32)
		return 0;
	return strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		      "0123456789_-") == n;
}

/* The report's bytes go to fp a block at a time, and into its digest. */
struct report_out {
	FILE *fp;
	struct sha256 c;
	long long size;
	int bad;          /* errno of the first failed write */
};

static void report_spill(struct report_out *ro, struct sbuf *sb, size_t keep)
{
	if (sb->len < keep)
		return;
	sha256_update(&ro->c, sb->buf, sb->len);
	ro->size += (long long)sb->len;
	if (ro->fp && !ro->bad && fwrite(sb->buf, 1, sb->len, ro->fp) != sb->len)
		ro->bad = errno ? errno : EIO;
	sbuf_reset(sb);
}

/* Every line of text, indented by four spaces. */
static void add_indented(struct sbuf *sb, const char *text)
{
	while (*text) {
		size_t n = strcspn(text, "\n");
		sbuf_addf(sb, "    %.*s\n", (int)n, text);
		text += n;
		if (*text)
			text++;
	}
}

int publish_report(struct render_state *r, const struct render_skip *skips,
		   size_t n, struct diag *d)
{
	struct sbuf full = SBUF_INIT, sb = SBUF_INIT;
	struct report_out ro;
	struct render_made *m = &r->report;
	const struct manifest_file *p;
	char *tmp = NULL;
	size_t i;
	int rc = 0;

	sbuf_addf(&full, "%s/%s", r->o->outdir, RENDER_REPORT_NAME);
	if (out_tmp_for(full.buf, &tmp, d) < 0) {
		render_set_fatal(r);
		sbuf_release(&full);
		return -1;
	}
	memset(&ro, 0, sizeof(ro));
	sha256_init(&ro.c);
	ro.fp = fopen(tmp, "wb");
	if (!ro.fp)
		ro.bad = errno ? errno : EIO;

	sbuf_addf(&sb, "Records left out of the dossier: for the staff preparing "
		  "it, not for recipients\n\nroster: %s\nfacts as of: "
		  "%04d-%02d-%02d\nleft out: %zu record%s (not in the briefs, "
		  "the summaries or the binders)\n", r->roster_path,
		  r->o->date.y, r->o->date.m, r->o->date.d, n, n == 1 ? "" : "s");
	for (i = 0; i < n; i++) {
		const struct render_skip *k = &skips[i];
		sbuf_addf(&sb, "\n%s:%ld: %s\n", r->roster_path, k->line,
			  id_ok(k->id) ? k->id : "(no valid id)");
		sbuf_addf(&sb, "  reason: %s\n", k->reason);
		if (*k->messages) {
			sbuf_addstr(&sb, "  messages:\n");
			add_indented(&sb, k->messages);
		}
		report_spill(&ro, &sb, 65536);
	}
	report_spill(&ro, &sb, 0);
	sbuf_release(&sb);
	if (ro.fp && fclose(ro.fp) != 0 && !ro.bad)
		ro.bad = errno ? errno : EIO;
	if (ro.bad) {
		remove(tmp);
		free(tmp);
		render_set_fatal(r);
		diag_error(d, (struct diag_loc){ full.buf, 0, 0 }, "cannot write: %s",
			   strerror(ro.bad));
		sbuf_release(&full);
		return -1;
	}
	sha256_final(&ro.c, m->sha);
	m->size = ro.size;
	m->pages = -1;
	/* made from the list alone: its input is its contents */
	memcpy(m->input, m->sha, sizeof(m->input));

	p = manifest_find(r, RENDER_REPORT_NAME);
	rc = manifest_put_in_place(r, RENDER_REPORT_NAME, full.buf, tmp, p, m->sha, m->size,
			  &m->same, d);
	free(tmp);
	sbuf_release(&full);
	if (rc < 0)
		return -1;
	m->path = xstrdup(RENDER_REPORT_NAME);
	return 0;
}
