/* render.c: roster -> briefs on disk, in parallel, then the summaries and
 * the manifest.
 *
 *   reader (calling thread)  record_read_roster -> job queue (bounded)
 *   workers (o->jobs)        job -> one brief per language: input hash,
 *                            up to date? else compose, typeset, write
 *   calling thread           progress; at the end the summaries and the
 *                            binders (publish.c), then the manifest
 *                            (manifest.c), in record order, whatever order
 *                            the workers finished in
 */
#include "render.h"
#include "render-private.h"
#include "compose.h"
#include "diag.h"
#include "font.h"
#include "manifest.h"
#include "out.h"
#include "pdf.h"
#include "protect.h"
#include "publish.h"
#include "sbuf.h"
#include "sha256.h"
#include "summary.h"
#include "tpl.h"
#include "typeset.h"
#include "util.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define QUEUE_MAX 64

static int write_error(int e)
{
	return e == ENOSPC || e == EFBIG || e == EIO || e == EDQUOT || e == EROFS;
}

/* --- writing a PDF ----------------------------------------------------------
 *
 * make writes the document to fp. Without a password, fp is a temporary
 * file beside the final one; with one, fp is memory, encrypted there,
 * and only the encrypted bytes are written to the temporary file: no
 * readable copy ever reaches the disk. The temporary file is recorded in
 * the journal and renamed. A file whose bytes would not change (prev
 * says so, and the file on disk is those bytes) is not rewritten. A
 * failure to write (disk full, file too large) makes the run fatal. */
long render_write_pdf_with(struct render_state *r, render_make_fn *make,
			   void *ctx, const char *rel, const char *full,
			   const struct manifest_file *p, struct pdf_file *out,
			   int *same, struct diag *d)
{
	char *tmp = NULL, *mem = NULL;
	size_t memlen = 0;
	FILE *fp;
	long pages;
	int e;

	*same = 0;
	if (r->o->protect) {
		fp = open_memstream(&mem, &memlen);
		if (!fp)
			return diag_error(d, (struct diag_loc){ full, 0, 0 },
					  "cannot make the document in memory: %s",
					  strerror(errno));
	} else {
		if (out_tmp_for(full, &tmp, d) < 0) {
			render_set_fatal(r);
			return -1;
		}
		fp = fopen(tmp, "wb");
		if (!fp) {
			e = errno;
			remove(tmp);
			free(tmp);
			render_set_fatal(r);
			return diag_error(d, (struct diag_loc){ full, 0, 0 },
					  "cannot write: %s", strerror(e));
		}
	}
	errno = 0;
	pages = make(ctx, fp, full, out, d);
	e = errno;
	if (fclose(fp) != 0 && pages >= 0) {
		e = errno ? errno : EIO;
		pages = -1;
		if (!write_error(e))
			diag_error(d, (struct diag_loc){ full, 0, 0 },
				   "cannot write: %s", strerror(e));
	}
	/* pdf.c checks every write and the last flush, and the file was
	 * closed without error: a page count means the file is whole. */
	if (pages < 0 && write_error(e)) {
		render_set_fatal(r);
		diag_error(d, (struct diag_loc){ full, 0, 0 }, "cannot write: %s",
			   strerror(e));
	}
	if (pages < 0) {
		if (tmp)
			remove(tmp);
		free(tmp);
		if (mem)
			memset(mem, 0, memlen);
		free(mem);
		return -1;
	}
	if (r->o->protect) {
		unsigned char *enc = NULL;
		size_t enclen = 0;
		struct sha256 c;
		int bad = protect_buffer(r->o->protect, full, mem, memlen, &enc,
					 &enclen, d);
		memset(mem, 0, memlen);
		free(mem);
		if (bad < 0) {
			render_set_fatal(r);
			return -1;
		}
		/* the digest is the encrypted file's */
		sha256_init(&c);
		sha256_update(&c, enc, enclen);
		sha256_final(&c, out->sha256);
		out->size = (long long)enclen;
		bad = out_write_tmp(full, enc, enclen, &tmp, d);
		free(enc);
		if (bad < 0) {
			render_set_fatal(r);
			return -1;
		}
	}
	/* Encrypted bytes differ on every run (a fresh IV): never the same. */
	if (manifest_put_in_place(r, rel, full, tmp, r->o->protect ? NULL : p,
			 out->sha256, out->size, same, d) < 0)
		pages = -1;
	free(tmp);
	return pages;
}

static long make_whole(void *ctx, FILE *fp, const char *name,
		       struct pdf_file *out, struct diag *d)
{
	return pdf_write_fp(ctx, fp, name, 0, out, d);
}

long render_write_pdf(struct render_state *r, const typeset_doc *td,
		      const char *rel, const char *full,
		      const struct manifest_file *p, struct pdf_file *out,
		      int *same, struct diag *d)
{
	return render_write_pdf_with(r, make_whole, (void *)td, rel, full, p, out, same, d);
}

/* --- one brief -------------------------------------------------------------- */

/* With --strict, text that did not fit as designed fails the document. */
int render_too_tight(const struct render_state *r, const typeset_doc *td,
		     const char *what, struct diag *d)
{
	size_t n = typeset_overflow_count(td);
	if (!r->o->strict || n == 0)
		return 0;
	diag_error(d, (struct diag_loc){ what, 0, 0 }, "%zu text%s do%s not fit "
		   "(--strict): not written", n, n == 1 ? "" : "s", n == 1 ? "es" : "");
	return 1;
}

/* Compose and typeset the brief. A photo that cannot be used (too large,
 * corrupt) loses no one: the brief is made without it, and what was wrong
 * with the photo becomes a warning. */
static typeset_doc *brief_pages(struct render_state *r, struct compose_env *env,
				const struct record *rec, const char *lang,
				struct diag *d)
{
	struct diag first = DIAG_INIT;
	typeset_doc *td = NULL;
	doc *dc = compose_brief(env, rec, lang, NULL, d);

	if (!dc)
		return NULL;
	td = typeset_run(dc, r->fonts, &first);
	doc_free(dc);
	if (!td && rec->photo_path && !env->no_photo) {
		env->no_photo = 1;
		dc = compose_brief(env, rec, lang, NULL, d);
		env->no_photo = 0;
		if (dc) {
			td = typeset_run(dc, r->fonts, d);
			doc_free(dc);
		}
		if (td) {
			size_t i;
			for (i = 0; i < first.n; i++)
				if (first.v[i].level == DIAG_ERROR) {
					struct sbuf m = SBUF_INIT;
					first.v[i].level = DIAG_WARNING;
					sbuf_addf(&m, "%s; the brief is made without the photo",
						  first.v[i].msg);
					free(first.v[i].msg);
					first.v[i].msg = sbuf_detach(&m, NULL);
				}
			first.nwarnings += first.nerrors;
			first.nerrors = 0;
		}
	}
	diag_move(d, &first);
	diag_release(&first);
	return td;
}

/* One brief. With keep (the binder wants it), the brief is typeset even
 * when its file is up to date, and the typeset pages are handed back. */
static int one_brief(struct render_state *r, const struct record *rec,
		     const unsigned char rec_digest[32], const char *lang,
		     const char *slug, struct render_made *m, typeset_doc **keep,
		     struct diag *d)
{
	struct compose_env env = { r->tpl, r->o->date, r->o->paper, r->roster_path, 0 };
	struct sbuf rel = SBUF_INIT, full = SBUF_INIT;
	typeset_doc *td = NULL;
	struct manifest_file *p;
	long pages = -1;
	int fresh, same = 0;

	sbuf_addf(&rel, "%s/briefs/%s%s%s.pdf", lang, rec->f[F_ID], *slug ? "-" : "", slug);
	sbuf_addf(&full, "%s/%s", r->o->outdir, rel.buf);
	manifest_input_hash(r, rec_digest, lang, m->input);

	/* Up to date: the same inputs made the file that is still there,
	 * byte for byte. */
	p = manifest_find(r, rel.buf);
	fresh = !r->o->force && p && memcmp(p->input, m->input, 32) == 0 &&
		manifest_intact(r, p, full.buf);
	if (fresh) {
		memcpy(m->sha, p->sha, sizeof(m->sha));
		m->size = p->size;
		m->pages = p->pages;
		m->reused = 1;
		if (!keep) {
			m->path = p->path;
			m->borrowed = 1;
			sbuf_release(&rel);
			sbuf_release(&full);
			return 0;
		}
	}

	td = brief_pages(r, &env, rec, lang, d);
	if (td && render_too_tight(r, td, rel.buf, d)) {
		typeset_free(td);
		td = NULL;
	}
	if (td && fresh) {
		pages = m->pages;
	} else if (td) {
		struct pdf_file pf;
		pages = render_write_pdf(r, td, rel.buf, full.buf, p, &pf, &same, d);
		if (pages >= 0) {
			memcpy(m->sha, pf.sha256, sizeof(m->sha));
			m->size = pf.size;
			m->same = same;
		}
	}
	if (keep && pages >= 0)
		*keep = td;
	else
		typeset_free(td);
	if (pages < 0) {
		sbuf_release(&rel);
		sbuf_release(&full);
		return -1;
	}
	m->pages = pages;
	/* The name of the last run's file, when there is one: a re-run of
	 * 100,000 records keeps one copy of each name, not two. */
	if (p) {
		m->path = p->path;
		m->borrowed = 1;
		sbuf_release(&rel);
	} else {
		m->path = sbuf_detach(&rel, NULL);
	}
	sbuf_release(&full);
	return 0;
}

static void do_job(struct render_state *r, struct render_job *j)
{
	struct sbuf slug = SBUF_INIT;
	char *latin = compose_latin_name(r->tpl, j->rec, r->o->date);
	unsigned char digest[32];
	size_t l;

	manifest_record_digest(j->rec, digest);
	memcpy(j->digest, digest, sizeof(digest));
	summary_person_init(&j->person, j->rec);
	if (latin)
		out_slug(latin, 40, &slug);
	free(latin);
	for (l = 0; l < r->o->nlangs; l++) {
		/* After a failure to write, the rest is only counted. */
		if (!__atomic_load_n(&r->fatal, __ATOMIC_RELAXED) &&
		    one_brief(r, j->rec, digest, r->o->langs[l], slug.buf,
			      &j->made[l], j->td ? &j->td[l] : NULL, &j->d) == 0) {
			/* made[l].path now names the brief */
		}
		pthread_mutex_lock(&r->lock);
		r->briefs_done++;
		pthread_mutex_unlock(&r->lock);
	}
	sbuf_release(&slug);
	/* The record is not needed any more: memory stays flat. */
	record_release(j->rec);
	free(j->rec);
	j->rec = NULL;
}

static void *worker(void *arg)
{
	struct render_state *r = arg;
	for (;;) {
		struct render_job *j;
		pthread_mutex_lock(&r->lock);
		while (r->qlen == 0 && !r->reading_done)
			pthread_cond_wait(&r->more, &r->lock);
		if (r->qlen == 0) {
			pthread_mutex_unlock(&r->lock);
			return NULL;
		}
		j = r->queue[r->qhead];
		r->qhead = (r->qhead + 1) % QUEUE_MAX;
		r->qlen--;
		pthread_cond_signal(&r->room);
		pthread_mutex_unlock(&r->lock);

		do_job(r, j);

		pthread_mutex_lock(&r->lock);
		j->done = 1;
		pthread_cond_broadcast(&r->finished);
		pthread_mutex_unlock(&r->lock);
	}
}

/* --- progress ----------------------------------------------------------- */

static double since(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* Called with the lock held. */
static void progress(struct render_state *r, int final)
{
	struct timespec now;
	double el, rate;
	if (!r->o->progress)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!final && since(&r->last_progress, &now) < 0.2)
		return;
	r->last_progress = now;
	el = since(&r->t0, &now);
	rate = el > 0 ? (double)r->briefs_done / el : 0;
	fprintf(stderr, "\r\033[Kdossier: %zu/%zu records (%zu/%zu briefs), %.0f briefs/s",
		r->briefs_done / r->o->nlangs, r->briefs_total / r->o->nlangs,
		r->briefs_done, r->briefs_total, rate);
	if (!final && rate > 0 && r->reading_done && r->briefs_total > r->briefs_done) {
		double left = (double)(r->briefs_total - r->briefs_done) / rate;
		fprintf(stderr, ", %d:%02d left", (int)left / 60, (int)left % 60);
	}
	if (final)
		fputc('\n', stderr);
	fflush(stderr);
}

/* --- reading ------------------------------------------------------------ */

struct reader_ctx {
	struct render_state *r;
	render_flush_fn flush;
	void *flush_arg;
};

static void on_valid(void *arg, const record_schema *s, struct record *rec)
{
	struct reader_ctx *rc = arg;
	struct render_state *r = rc->r;
	struct render_job *j;

	if (!record_id_in(r->o->only, r->o->nonly, rec->f[F_ID]))
		return;
	j = xcalloc(1, sizeof(*j));
	j->made = xcalloc(r->o->nlangs, sizeof(*j->made));
	if (r->o->binder)
		j->td = xcalloc(r->o->nlangs, sizeof(*j->td));
	j->id = xstrdup(rec->f[F_ID]);
	j->line = rec->row_line;
	j->rec = xmalloc(sizeof(*j->rec));
	*j->rec = *rec;
	memset(rec, 0, sizeof(*rec));
	pthread_mutex_lock(&r->lock);
	j->index = r->njobs;
	ALLOC_GROW(r->jobs, r->njobs + 1, r->jobs_alloc);
	r->jobs[r->njobs++] = j;
	r->briefs_total += r->o->nlangs;
	while (r->qlen == QUEUE_MAX)
		pthread_cond_wait(&r->room, &r->lock);
	r->queue[(r->qhead + r->qlen) % QUEUE_MAX] = j;
	r->qlen++;
	pthread_cond_signal(&r->more);
	progress(r, 0);
	pthread_mutex_unlock(&r->lock);
}

static void on_flush(void *arg, struct diag *d)
{
	struct reader_ctx *rc = arg;
	if (rc->flush)
		rc->flush(rc->flush_arg, d);
}
/* --- the run -------------------------------------------------------------- */

struct skip_list {
	struct render_skip *v;
	size_t n, alloc;
	struct reader_ctx *rc;
};

/* One diagnostic as the command line prints it (diag_print). */
static void add_diag_line(struct sbuf *sb, const struct diag_entry *e)
{
	if (e->file) {
		sbuf_addstr(sb, e->file);
		if (e->line > 0) {
			sbuf_addf(sb, ":%ld", e->line);
			if (e->col > 0)
				sbuf_addf(sb, ":%ld", e->col);
		}
		sbuf_addstr(sb, ": ");
	} else {
		sbuf_addstr(sb, "dossier: ");
	}
	sbuf_addf(sb, "%s: %s\n", e->level == DIAG_ERROR ? "error" :
		  e->level == DIAG_WARNING ? "warning" : "note", e->msg);
}

/* A record left out, with the diagnostics about it: d's entries from
 * first on. */
static void on_invalid(void *arg, long line, const char *id, const char *reason,
		       const struct diag *d, size_t first)
{
	struct skip_list *sl = arg;
	struct sbuf msgs = SBUF_INIT;
	struct render_skip *k;
	ALLOC_GROW(sl->v, sl->n + 1, sl->alloc);
	k = &sl->v[sl->n++];
	k->line = line;
	k->id = xstrdup(id ? id : "");
	k->reason = xstrdup(reason ? reason : "");
	for (size_t i = first; d && i < d->n; i++)
		add_diag_line(&msgs, &d->v[i]);
	k->messages = sbuf_detach(&msgs, NULL);
}

/* Roster order: the records that could not be rendered among the
 * invalid ones. */
static int cmp_skip(const void *a, const void *b)
{
	const struct render_skip *x = a, *y = b;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* Records past this many are left out: memory per record is small but
 * not nothing, and a roster this long wants splitting anyway. */
#define MAX_RECORDS 200000

struct sink_both {
	struct reader_ctx rc;
	struct skip_list sl;
	struct diag *d;
	const char *path;
	size_t over;     /* valid records past MAX_RECORDS */
	size_t mark;     /* d's entries from here on are the current row's */
};

static void both_valid(void *arg, const record_schema *s, struct record *rec)
{
	struct sink_both *b = arg;
	if (b->rc.r->njobs >= MAX_RECORDS) {
		if (b->over++ == 0) {
			const char *why = "the roster has more than 200000 records: "
					  "this record and those after it are left "
					  "out (split the roster)";
			diag_error(b->d, (struct diag_loc){ b->path, rec->row_line, 0 },
				   "%s", why);
			on_invalid(&b->sl, rec->row_line, rec->f[F_ID], why, b->d,
				   b->mark);
		}
		return;
	}
	on_valid(&b->rc, s, rec);
}

static void both_invalid(void *arg, long line, const char *id, const char *reason)
{
	struct sink_both *b = arg;
	on_invalid(&b->sl, line, id, reason, b->d, b->mark);
}

/* After each row: what the row brought is printed (and cleared), and
 * the next row's diagnostics start where d ends. */
static void both_flush(void *arg, struct diag *d)
{
	struct sink_both *b = arg;
	on_flush(&b->rc, d);
	b->mark = d->n;
}

int render_run(const struct render_opts *o, const char *roster_path,
	       const struct roster_opts *ro, const struct record_ctx *ctx,
	       render_flush_fn flush, void *flush_arg, struct diag *d,
	       struct render_stats *stats)
{
	struct render_state r;
	struct sink_both b;
	struct record_sink sink;
	struct record_stats rs;
	struct record_ctx rctx;
	pthread_t *threads;
	size_t i, l;
	int rc, nthreads = o->jobs < 1 ? 1 : o->jobs, lock_fd = -1;
	static const char *const all_langs[] = { "en", "ru", "hy", "xx" };

	memset(&r, 0, sizeof(r));
	memset(stats, 0, sizeof(*stats));
	r.o = o;
	r.journal_fd = -1;
	if (getenv("DOSSIER_TEST_KILL")) {
		char *end;
		r.kill_at = strtol(getenv("DOSSIER_TEST_KILL"), &end, 10);
		r.kill_before = !strcmp(end, ":before");
	}
	r.roster_path = roster_path;
	r.tpl = tpl_load(o->layouts_dir, d);
	if (!r.tpl)
		return 2;
	r.fonts = font_set_load(o->fonts_dir, d);
	if (!r.fonts) {
		tpl_free(r.tpl);
		return 2;
	}
	/* One run at a time in a folder: the lock is taken before anything
	 * in it is touched, so a second run never sweeps the first one's
	 * temporary files. */
	if (out_mkdirs(o->outdir, d) < 0 || out_lock(o->outdir, &lock_fd, d) < 0)
		goto fatal;
	for (l = 0; l < o->nlangs; l++) {
		struct sbuf dir = SBUF_INIT;
		sbuf_addf(&dir, "%s/%s/briefs", o->outdir, o->langs[l]);
		rc = out_mkdirs(dir.buf, d);
		sbuf_release(&dir);
		if (rc < 0)
			goto fatal;
	}
	/* What a killed run left: temporary files in briefs/, beside the
	 * summary and binder, and in the folder itself, in every language. */
	for (l = 0; l < ARRAY_SIZE(all_langs); l++) {
		struct sbuf dir = SBUF_INIT;
		sbuf_addf(&dir, "%s/%s/briefs", o->outdir, all_langs[l]);
		out_sweep_tmp(dir.buf);
		sbuf_setlen(&dir, dir.len - strlen("/briefs"));
		out_sweep_tmp(dir.buf);
		sbuf_release(&dir);
	}
	out_sweep_tmp(o->outdir);
	manifest_static_hash(&r);
	manifest_read_prev(&r);
	manifest_journal_recover(&r, d);
	if (manifest_journal_open(&r, d) < 0)
		goto fatal;

	pthread_mutex_init(&r.lock, NULL);
	pthread_cond_init(&r.more, NULL);
	pthread_cond_init(&r.room, NULL);
	pthread_cond_init(&r.finished, NULL);
	r.queue = xcalloc(QUEUE_MAX, sizeof(*r.queue));
	clock_gettime(CLOCK_MONOTONIC, &r.t0);
	threads = xcalloc((size_t)nthreads, sizeof(*threads));
	for (i = 0; i < (size_t)nthreads; i++) {
		/* pthread_create returns its error; it does not set errno. */
		int e = pthread_create(&threads[i], NULL, worker, &r);
		if (e != 0) {
			/* Fewer threads do the same work. */
			if (i == 0) {
				diag_error(d, (struct diag_loc){ "dossier", 0, 0 },
					   "cannot start a worker thread: %s",
					   strerror(e));
				goto fatal_threads;
			}
			nthreads = (int)i;
			break;
		}
	}

	memset(&b, 0, sizeof(b));
	b.d = d;
	b.path = roster_path;
	b.rc.r = &r;
	b.rc.flush = flush;
	b.rc.flush_arg = flush_arg;
	sink.valid = both_valid;
	sink.invalid = both_invalid;
	sink.flush = both_flush;
	sink.arg = &b;
	/* Records are checked against the fonts they will be set in. */
	rctx = *ctx;
	rctx.fonts = r.fonts;
	rc = record_read_roster(roster_path, ro, &rctx, &sink, d, &rs);

	pthread_mutex_lock(&r.lock);
	r.reading_done = 1;
	pthread_cond_broadcast(&r.more);
	/* Show progress while the workers finish. */
	while (r.briefs_done < r.briefs_total) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 200000000;
		if (until.tv_nsec >= 1000000000) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&r.finished, &r.lock, &until);
		progress(&r, 0);
	}
	progress(&r, 1);
	pthread_mutex_unlock(&r.lock);
	for (i = 0; i < (size_t)nthreads; i++)
		pthread_join(threads[i], NULL);
	free(threads);

	/* What the workers found, in roster order. A record with a brief
	 * that could not be made is left out like an invalid one: listed
	 * with its reason, and not in the summaries of everyone else. */
	for (i = 0; i < r.njobs; i++) {
		struct render_job *j = r.jobs[i];
		const char *why = NULL;
		size_t k;
		for (l = 0; l < o->nlangs; l++) {
			const struct render_made *m = &j->made[l];
			if (!m->path)
				stats->failed++;
			else if (m->reused || m->same)
				stats->reused++;
			else
				stats->written++;
			if (!m->path)
				j->left_out = 1;
		}
		for (k = 0; k < j->d.n && j->left_out && !why; k++)
			if (j->d.v[k].level == DIAG_ERROR)
				why = j->d.v[k].msg;
		if (j->left_out && !r.fatal) {
			struct sbuf m = SBUF_INIT;
			sbuf_addf(&m, "could not be rendered: %s",
				  why ? why : "(no reason given)");
			on_invalid(&b.sl, j->line, j->id, m.buf, &j->d, 0);
			sbuf_release(&m);
			stats->left_out++;
		}
		diag_move(d, &j->d);
	}
	stats->records = r.njobs;
	stats->left_out += rs.invalid + b.over;
	if (b.over && rc == 0)
		rc = 1;
	if (b.sl.n)
		qsort(b.sl.v, b.sl.n, sizeof(*b.sl.v), cmp_skip);
	if (rc != 2 && !r.fatal && !o->only &&
	    publish_summaries(&r, b.sl.v, b.sl.n, d) < 0)
		stats->failed++;
	/* The records left out, for the staff. */
	if (rc != 2 && !r.fatal && b.sl.n)
		publish_report(&r, b.sl.v, b.sl.n, d);
	if (r.fatal)
		rc = 2;
	if (rc != 2) {
		/* Stale files go first, then the manifest of what is there,
		 * then the journal: a kill between any two leaves nothing that
		 * a later run would trust wrongly. */
		manifest_settle(&r, d);
		if (manifest_write(&r, b.sl.v, b.sl.n, d) < 0)
			rc = 2;
		else
			manifest_journal_close(&r, 1);
		if (stats->failed && rc == 0)
			rc = 1;
	}
	manifest_journal_close(&r, 0);
	stats->changed = r.changed;
	stats->removed = r.removed;

	for (i = 0; i < r.njobs; i++) {
		for (l = 0; l < o->nlangs; l++)
			if (!r.jobs[i]->made[l].borrowed)
				free(r.jobs[i]->made[l].path);
		diag_release(&r.jobs[i]->d);
		if (r.jobs[i]->rec) {
			record_release(r.jobs[i]->rec);
			free(r.jobs[i]->rec);
		}
		free(r.jobs[i]->made);
		if (r.jobs[i]->td)
			for (l = 0; l < o->nlangs; l++)
				typeset_free(r.jobs[i]->td[l]);
		free(r.jobs[i]->td);
		free(r.jobs[i]->id);
		summary_person_release(&r.jobs[i]->person);
		free(r.jobs[i]);
	}
	free(r.jobs);
	free(r.queue);
	if (r.summaries)
		for (l = 0; l < o->nlangs; l++) {
			free(r.summaries[l].path);
			free(r.binders[l].path);
		}
	free(r.report.path);
	free(r.summaries);
	free(r.binders);
	for (i = 0; i < b.sl.n; i++) {
		free(b.sl.v[i].id);
		free(b.sl.v[i].reason);
		free(b.sl.v[i].messages);
	}
	free(b.sl.v);
	manifest_files_free(r.prev, r.nprev);
	pthread_mutex_destroy(&r.lock);
	pthread_cond_destroy(&r.more);
	pthread_cond_destroy(&r.room);
	pthread_cond_destroy(&r.finished);
	font_set_free(r.fonts);
	tpl_free(r.tpl);
	out_unlock(lock_fd);
	return rc;
fatal_threads:
	free(threads);
	free(r.queue);
	pthread_mutex_destroy(&r.lock);
	pthread_cond_destroy(&r.more);
	pthread_cond_destroy(&r.room);
	pthread_cond_destroy(&r.finished);
	manifest_journal_close(&r, 0);
	manifest_files_free(r.prev, r.nprev);
fatal:
	font_set_free(r.fonts);
	tpl_free(r.tpl);
	out_unlock(lock_fd);
	return 2;
}
