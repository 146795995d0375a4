/* render.c: roster -> briefs on disk, in parallel, then the manifest.
 *
 *   reader (calling thread)  record_read_roster -> job queue (bounded)
 *   workers (o->jobs)        job -> one brief per language: input hash,
 *                            up to date? else compose, typeset, write
 *   calling thread           progress; at the end the manifest, in record
 *                            order, whatever order the workers finished in
 */
#include "render.h"
#include "compose.h"
#include "diag.h"
#include "font.h"
#include "json.h"
#include "out.h"
#include "pdf.h"
#include "protect.h"
#include "sbuf.h"
#include "sha256.h"
#include "summary.h"
#include "tpl.h"
#include "typeset.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define QUEUE_MAX 64

/* One brief, as the manifest records it. (Digests are kept as bytes: a
 * run of 100,000 records in three languages keeps 300,000 of these.) */
struct made {
	char *path;       /* relative to OUTDIR; NULL when it failed */
	unsigned char sha[32];
	unsigned char input[32]; /* of everything the file was made from */
	long long size;
	long pages;
	int reused;
	int borrowed;     /* path is the previous run's entry's (struct prev) */
};

/* One record's work: the record and a result per language. */
struct job {
	struct record *rec; /* freed once the briefs are made */
	struct summary_person person;  /* what the summary needs of it */
	unsigned char digest[32];      /* of the record's contents */
	char *id;
	size_t index;       /* order in the roster */
	struct made *made;  /* one per language */
	typeset_doc **td;   /* per language, kept for the binder */
	struct diag d;      /* what the worker found */
	int done;
};

/* A file of the previous run's manifest. */
struct prev {
	char *path;
	unsigned char input[32];
	unsigned char sha[32];
	char record[40];
	char lang[8];
	long long size;
	long pages;
	int kept;
};

struct run {
	const struct render_opts *o;
	const char *roster_path;
	tpl_set *tpl;
	font_set *fonts;
	char static_hash[65];

	struct prev *prev;
	size_t nprev;

	pthread_mutex_t lock;
	pthread_cond_t more, room, finished;
	struct job **queue;       /* pending jobs */
	size_t qhead, qlen;
	int reading_done;
	struct job **jobs;        /* every job, in roster order */
	size_t njobs, jobs_alloc;
	size_t briefs_done, briefs_total;

	struct made *summaries;   /* per language */
	struct made *binders;     /* per language, with --binder */
	int fatal;                /* writing failed: stop, exit 2 */

	struct timespec t0, last_progress;
};

/* --- hashing the inputs --------------------------------------------------- */

static void hash_file(struct sha256 *c, const char *path)
{
	unsigned char buf[65536];
	FILE *fp = fopen(path, "rb");
	size_t n;
	if (!fp) {
		sha256_update(c, "(missing)", 9);
		return;
	}
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		sha256_update(c, buf, n);
	fclose(fp);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file under dir, in name order: names and contents. */
static void hash_tree(struct sha256 *c, const char *dir)
{
	DIR *dp = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0, i;

	if (!dp)
		return;
	while ((e = readdir(dp))) {
		if (e->d_name[0] == '.')
			continue;
		ALLOC_GROW(names, n + 1, cap);
		names[n++] = xstrdup(e->d_name);
	}
	closedir(dp);
	qsort(names, n, sizeof(*names), cmp_str);
	for (i = 0; i < n; i++) {
		struct sbuf p = SBUF_INIT;
		struct stat st;
		sbuf_addf(&p, "%s/%s", dir, names[i]);
		if (stat(p.buf, &st) == 0) {
			sha256_update(c, names[i], strlen(names[i]) + 1);
			if (S_ISDIR(st.st_mode))
				hash_tree(c, p.buf);
			else if (S_ISREG(st.st_mode))
				hash_file(c, p.buf);
		}
		sbuf_release(&p);
		free(names[i]);
	}
	free(names);
}

static void hex(const unsigned char d[32], char out[65])
{
	int i;
	for (i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

/* What every brief depends on: dossier's version, the report date, the
 * paper, the layouts, the font configuration and the font files. */
static void make_static_hash(struct run *r)
{
	struct sha256 c;
	unsigned char dg[32];
	char line[64];
	size_t i;

	sha256_init(&c);
	sha256_update(&c, "dossier " DOSSIER_VERSION "\n", strlen("dossier " DOSSIER_VERSION "\n"));
	snprintf(line, sizeof(line), "%04d-%02d-%02d paper %d\n", r->o->date.y,
		 r->o->date.m, r->o->date.d, (int)r->o->paper);
	sha256_update(&c, line, strlen(line));
	if (r->o->protect)
		sha256_update(&c, r->o->protect_id, 64);
	hash_tree(&c, r->o->layouts_dir);
	hash_tree(&c, r->o->fonts_dir);
	/* Font files are large and belong to the system: their path, size
	 * and modification time stand for their contents. */
	for (i = 0; i < font_set_nfaces(r->fonts); i++) {
		const char *p = font_face_path(font_set_face(r->fonts, i));
		struct stat st;
		sha256_update(&c, p, strlen(p) + 1);
		if (stat(p, &st) == 0) {
			snprintf(line, sizeof(line), "%lld %lld.%09ld\n",
				 (long long)st.st_size, (long long)st.st_mtim.tv_sec,
				 st.st_mtim.tv_nsec);
			sha256_update(&c, line, strlen(line));
		}
	}
	sha256_final(&c, dg);
	hex(dg, r->static_hash);
}

/* The digest of a record's contents (every field, and the photo's bytes),
 * computed once per record. */
static void record_digest(const struct record *rec, unsigned char out[32])
{
	struct sha256 c;
	struct sbuf js = SBUF_INIT;
	size_t f;

	sha256_init(&c);
	for (f = 0; f < F_COUNT; f++) {
		json_add_string(&js, rec->f[f]);
		sbuf_addch(&js, '\n');
	}
	sha256_update(&c, js.buf, js.len);
	if (rec->photo_path)
		hash_file(&c, rec->photo_path);
	sha256_final(&c, out);
	sbuf_release(&js);
}

/* A brief's inputs: the run's static hash, the language, the record. */
static void input_hash(const struct run *r, const unsigned char rec_digest[32],
		       const char *lang, unsigned char out[32])
{
	struct sha256 c;

	sha256_init(&c);
	sha256_update(&c, r->static_hash, 64);
	sha256_update(&c, lang, strlen(lang) + 1);
	sha256_update(&c, rec_digest, 32);
	sha256_final(&c, out);
}

/* The digest of 64 hex digits, as the manifest writes it. */
static int unhex(const char *s, unsigned char out[32])
{
	for (int i = 0; i < 64; i++) {
		int c = s[i], v = c >= '0' && c <= '9' ? c - '0'
			: c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
		if (v < 0)
			return -1;
		if (i % 2)
			out[i / 2] = (unsigned char)(out[i / 2] << 4 | v);
		else
			out[i / 2] = (unsigned char)v;
	}
	return s[64] == '\0' ? 0 : -1;
}

/* The SHA-256 and size of a file written. */
static int file_digest(const char *path, unsigned char sha[32], long long *size)
{
	char h[65];
	return out_file_sha256(path, h, size) < 0 ? -1 : unhex(h, sha);
}

/* --- the previous manifest ------------------------------------------------ */

/* The JSON string value of key in line (our own manifest: one file per
 * line, values without escapes), copied into out. */
static int field_str(const char *line, const char *key, char *out, size_t n)
{
	char pat[32];
	const char *p, *q;
	snprintf(pat, sizeof(pat), "\"%s\": \"", key);
	p = strstr(line, pat);
	if (!p)
		return -1;
	p += strlen(pat);
	q = strchr(p, '"');
	if (!q || (size_t)(q - p) >= n)
		return -1;
	memcpy(out, p, (size_t)(q - p));
	out[q - p] = '\0';
	return 0;
}

static int field_num(const char *line, const char *key, long long *out)
{
	char pat[32];
	const char *p;
	snprintf(pat, sizeof(pat), "\"%s\": ", key);
	p = strstr(line, pat);
	if (!p)
		return -1;
	*out = strtoll(p + strlen(pat), NULL, 10);
	return 0;
}

static int cmp_prev(const void *a, const void *b)
{
	return strcmp(((const struct prev *)a)->path, ((const struct prev *)b)->path);
}

/* The previous run's entry for path; prev is sorted by path once read,
 * and only read afterwards, so workers look up without a lock. */
static struct prev *find_prev(struct run *r, const char *path)
{
	struct prev key;
	key.path = (char *)path;
	return r->nprev ? bsearch(&key, r->prev, r->nprev, sizeof(*r->prev), cmp_prev) : NULL;
}

static void read_prev(struct run *r)
{
	struct sbuf path = SBUF_INIT;
	char line[4096];
	size_t cap = 0;
	FILE *fp;

	sbuf_addf(&path, "%s/manifest.json", r->o->outdir);
	fp = fopen(path.buf, "r");
	sbuf_release(&path);
	if (!fp)
		return;
	while (fgets(line, sizeof(line), fp)) {
		struct prev p;
		char pth[1024], input[65], sha[65];
		long long pages;
		memset(&p, 0, sizeof(p));
		if (field_str(line, "path", pth, sizeof(pth)) < 0 ||
		    field_str(line, "input", input, sizeof(input)) < 0 ||
		    unhex(input, p.input) < 0 ||
		    field_str(line, "sha256", sha, sizeof(sha)) < 0 ||
		    unhex(sha, p.sha) < 0 ||
		    (field_str(line, "record", p.record, sizeof(p.record)) < 0 &&
		     !strstr(line, "\"record\": null")) ||
		    field_str(line, "lang", p.lang, sizeof(p.lang)) < 0 ||
		    field_num(line, "bytes", &p.size) < 0 ||
		    field_num(line, "pages", &pages) < 0)
			continue;
		/* Only our own kinds of path: LANG/briefs/NAME.pdf,
		 * LANG/summary.pdf, LANG/binder.pdf. */
		if (strstr(pth, "..") || pth[0] == '/' ||
		    (!strstr(pth, "/briefs/") && !strstr(pth, "/summary.pdf") &&
		     !strstr(pth, "/binder.pdf")))
			continue;
		p.pages = (long)pages;
		p.path = xstrdup(pth);
		ALLOC_GROW(r->prev, r->nprev + 1, cap);
		r->prev[r->nprev++] = p;
	}
	fclose(fp);
	if (r->nprev)
		qsort(r->prev, r->nprev, sizeof(*r->prev), cmp_prev);
}

/* Write a PDF to full (OUTDIR/...) through a temporary file, encrypted
 * when asked, and rename; out gets the file's digest and size. Returns
 * the page count, or -1; a failure to write (disk full, file too large)
 * makes the run fatal. */
typedef long make_pdf_fn(void *ctx, const char *path, struct pdf_file *out,
			 struct diag *d);

static long write_pdf_with(struct run *r, make_pdf_fn *make, void *ctx,
			   const char *full, struct pdf_file *out,
			   struct diag *d)
{
	char *tmp = NULL, *tmp2 = NULL;
	long pages;
	int e;

	if (out_tmp_for(full, &tmp, d) < 0) {
		__atomic_store_n(&r->fatal, 1, __ATOMIC_RELAXED);
		return -1;
	}
	errno = 0;
	pages = make(ctx, tmp, out, d);
	e = errno;
	/* pdf.c checks every write, the last flush and the close: a page
	 * count means the file is whole. A failure to write is fatal. */
	if (pages < 0 && (e == ENOSPC || e == EFBIG || e == EIO || e == EDQUOT)) {
		__atomic_store_n(&r->fatal, 1, __ATOMIC_RELAXED);
		diag_error(d, (struct diag_loc){ full, 0, 0 }, "cannot write: %s",
			   strerror(e));
	}
	if (pages < 0) {
		remove(tmp);
		free(tmp);
		return -1;
	}
	if (r->o->protect) {
		if (out_tmp_for(full, &tmp2, d) < 0 ||
		    protect_pdf(r->o->protect, tmp, tmp2, d) < 0) {
			__atomic_store_n(&r->fatal, 1, __ATOMIC_RELAXED);
			remove(tmp);
			if (tmp2)
				remove(tmp2);
			free(tmp);
			free(tmp2);
			return -1;
		}
		remove(tmp);
		free(tmp);
		tmp = tmp2;
		/* encrypted: the digest is the new file's */
		if (file_digest(tmp, out->sha256, &out->size) < 0) {
			diag_error(d, (struct diag_loc){ full, 0, 0 },
				   "cannot read back: %s", strerror(errno));
			remove(tmp);
			free(tmp);
			return -1;
		}
	}
	if (out_commit(tmp, full, d) < 0) {
		__atomic_store_n(&r->fatal, 1, __ATOMIC_RELAXED);
		pages = -1;
	}
	free(tmp);
	return pages;
}

static long make_whole(void *ctx, const char *path, struct pdf_file *out,
		       struct diag *d)
{
	return pdf_write_file(ctx, path, 0, out, d);
}

static long write_pdf(struct run *r, const typeset_doc *td, const char *full,
		      struct pdf_file *out, struct diag *d)
{
	return write_pdf_with(r, make_whole, (void *)td, full, out, d);
}

/* --- one brief -------------------------------------------------------------- */


/* With --strict, text that did not fit as designed fails the document. */
static int too_tight(const struct run *r, const typeset_doc *td,
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
static typeset_doc *brief_pages(struct run *r, struct compose_env *env,
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
static int one_brief(struct run *r, const struct record *rec,
		     const unsigned char rec_digest[32], const char *lang,
		     const char *slug, struct made *m, typeset_doc **keep,
		     struct diag *d)
{
	struct compose_env env = { r->tpl, r->o->date, r->o->paper, r->roster_path, 0 };
	struct sbuf rel = SBUF_INIT, full = SBUF_INIT;
	typeset_doc *td = NULL;
	struct prev *p;
	struct stat st;
	long pages = -1;
	int fresh;

	sbuf_addf(&rel, "%s/briefs/%s%s%s.pdf", lang, rec->f[F_ID], *slug ? "-" : "", slug);
	sbuf_addf(&full, "%s/%s", r->o->outdir, rel.buf);
	input_hash(r, rec_digest, lang, m->input);

	/* Up to date: the same inputs made the file that is still there. */
	p = find_prev(r, rel.buf);
	fresh = !r->o->force && p && memcmp(p->input, m->input, 32) == 0 &&
		stat(full.buf, &st) == 0 && st.st_size == p->size;
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
	if (td && too_tight(r, td, rel.buf, d)) {
		typeset_free(td);
		td = NULL;
	}
	if (td && fresh) {
		pages = m->pages;
	} else if (td) {
		struct pdf_file pf;
		pages = write_pdf(r, td, full.buf, &pf, d);
		if (pages >= 0) {
			memcpy(m->sha, pf.sha256, sizeof(m->sha));
			m->size = pf.size;
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

static void do_job(struct run *r, struct job *j)
{
	struct sbuf slug = SBUF_INIT;
	char *latin = compose_latin_name(r->tpl, j->rec, r->o->date);
	unsigned char digest[32];
	size_t l;

	record_digest(j->rec, digest);
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
	struct run *r = arg;
	for (;;) {
		struct job *j;
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
static void progress(struct run *r, int final)
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
	struct run *r;
	render_flush_fn flush;
	void *flush_arg;
};

static void on_valid(void *arg, const record_schema *s, struct record *rec)
{
	struct reader_ctx *rc = arg;
	struct run *r = rc->r;
	struct job *j;

	if (!record_id_in(r->o->only, r->o->nonly, rec->f[F_ID]))
		return;
	j = xcalloc(1, sizeof(*j));
	j->made = xcalloc(r->o->nlangs, sizeof(*j->made));
	if (r->o->binder)
		j->td = xcalloc(r->o->nlangs, sizeof(*j->td));
	j->id = xstrdup(rec->f[F_ID]);
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

/* --- the manifest ------------------------------------------------------- */

static void add_entry(struct sbuf *js, int *first, const char *path,
		      const unsigned char sha[32], long long size, const char *record,
		      const char *lang, long pages, const unsigned char in[32])
{
	char sh[65], input[65];
	hex(sha, sh);
	hex(in, input);
	sbuf_addstr(js, *first ? "\n    {" : ",\n    {");
	*first = 0;
	sbuf_addstr(js, "\"path\": ");
	json_add_string(js, path);
	sbuf_addf(js, ", \"sha256\": \"%s\", \"bytes\": %lld, \"record\": ", sh, size);
	if (record)
		json_add_string(js, record);
	else
		sbuf_addstr(js, "null");
	sbuf_addstr(js, ", \"lang\": ");
	json_add_string(js, lang);
	sbuf_addf(js, ", \"pages\": %ld, \"input\": \"%s\"}", pages, input);
}

struct skip {
	long line;
	char *id, *reason;
};

/* A file made by this run, listed; the last run's entry of that name is
 * kept (not removed as stale). */
static void list_made(struct run *r, struct sbuf *js, int *first,
		      const struct made *m, const char *record, const char *lang)
{
	struct prev *p = find_prev(r, m->path);
	if (p)
		p->kept = 1;
	add_entry(js, first, m->path, m->sha, m->size, record, lang, m->pages,
		  m->input);
}

/* The manifest is written as it is made, a block at a time: a
 * 100,000-record run lists 300,000 files. */
static void spill(struct sbuf *js, FILE *fp, int *bad, size_t keep)
{
	if (js->len < keep)
		return;
	if (fp && !*bad && fwrite(js->buf, 1, js->len, fp) != js->len)
		*bad = errno ? errno : EIO;
	sbuf_reset(js);
}

static int write_manifest(struct run *r, const struct skip *skips,
			  size_t nskips, struct diag *d)
{
	struct sbuf js = SBUF_INIT, path = SBUF_INIT;
	size_t i, l;
	int first = 1, rc = -1, bad = 0;
	char *tmp = NULL;
	FILE *fp = NULL;

	sbuf_addf(&path, "%s/manifest.json", r->o->outdir);
	if (out_tmp_for(path.buf, &tmp, d) < 0) {
		sbuf_release(&path);
		return -1;
	}
	fp = fopen(tmp, "wb");
	if (!fp)
		bad = errno ? errno : EIO;

	sbuf_addstr(&js, "{\n  \"generator\": ");
	json_add_string(&js, "dossier " DOSSIER_VERSION);
	sbuf_addf(&js, ",\n  \"date\": \"%04d-%02d-%02d\",\n  \"files\": [",
		  r->o->date.y, r->o->date.m, r->o->date.d);
	for (l = 0; l < r->o->nlangs; l++) {
		const char *lang = r->o->langs[l];
		if (r->summaries && r->summaries[l].path)
			list_made(r, &js, &first, &r->summaries[l], NULL, lang);
		if (r->binders && r->binders[l].path)
			list_made(r, &js, &first, &r->binders[l], NULL, lang);
		for (i = 0; i < r->njobs; i++) {
			const struct made *m = &r->jobs[i]->made[l];
			if (m->path) {
				list_made(r, &js, &first, m, r->jobs[i]->id, lang);
				spill(&js, fp, &bad, 65536);
			}
		}
	}
	/* With --only, the other records' files of the last run stay listed. */
	if (r->o->only)
		for (i = 0; i < r->nprev; i++) {
			struct prev *p = &r->prev[i];
			struct sbuf full = SBUF_INIT;
			struct stat st;
			sbuf_addf(&full, "%s/%s", r->o->outdir, p->path);
			if (!p->kept && (!*p->record || !record_id_in(r->o->only, r->o->nonly, p->record)) &&
			    stat(full.buf, &st) == 0) {
				p->kept = 1;
				add_entry(&js, &first, p->path, p->sha, p->size,
					  *p->record ? p->record : NULL, p->lang,
					  p->pages, p->input);
				spill(&js, fp, &bad, 65536);
			}
			sbuf_release(&full);
		}
	sbuf_addstr(&js, first ? "],\n" : "\n  ],\n");
	sbuf_addstr(&js, "  \"left_out\": [");
	for (i = 0; i < nskips; i++) {
		sbuf_addstr(&js, i ? ",\n    {" : "\n    {");
		sbuf_addf(&js, "\"line\": %ld, \"record\": ", skips[i].line);
		json_add_string(&js, skips[i].id);
		sbuf_addstr(&js, ", \"reason\": ");
		json_add_string(&js, skips[i].reason);
		sbuf_addch(&js, '}');
		spill(&js, fp, &bad, 65536);
	}
	sbuf_addstr(&js, nskips ? "\n  ]\n}\n" : "]\n}\n");
	spill(&js, fp, &bad, 0);
	if (fp && fclose(fp) != 0 && !bad)
		bad = errno ? errno : EIO;
	if (bad) {
		unlink(tmp);
		diag_error(d, (struct diag_loc){ path.buf, 0, 0 },
			   "cannot write: %s", strerror(bad));
	} else {
		rc = out_commit(tmp, path.buf, d);
	}
	free(tmp);
	sbuf_release(&js);
	sbuf_release(&path);
	return rc;
}

/* Files of the last run that this one did not make again (a record gone,
 * or renamed): they would be stale, so they go. */
static void remove_stale(struct run *r)
{
	size_t i;
	for (i = 0; i < r->nprev; i++) {
		if (!r->prev[i].kept) {
			struct sbuf full = SBUF_INIT;
			sbuf_addf(&full, "%s/%s", r->o->outdir, r->prev[i].path);
			unlink(full.buf);
			sbuf_release(&full);
		}
	}
}

/* --- the summaries ------------------------------------------------------- */

/* The summary of a language, streamed: its document is composed a few
 * hundred rows at a time, each piece typeset, each page written as soon
 * as it is final and then forgotten, so that memory does not grow with
 * the roster. "Page X of Y" needs Y first: a first pass counts the pages
 * (its warnings are those of the second, which reports them). */
struct summary_job {
	struct run *r;
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
	struct run *r = sj->r;
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

static long make_summary(void *ctx, const char *path, struct pdf_file *out,
			 struct diag *d)
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
	w = pdf_open(path, sj->r->fonts, 0, d);
	if (!w)
		return -1;
	sink.page = put_page;
	sink.ctx = w;
	td = summary_pass(sj, &sink, d);
	if (td && typeset_page_count(td) != sink.total_pages)
		BUG("summary: %zu pages, then %zu", sink.total_pages,
		    typeset_page_count(td));
	if (!td || too_tight(sj->r, td, sj->rel, d)) {
		pdf_abort(w);
		typeset_free(td);
		return -1;
	}
	pages = pdf_close_file(w, td, out);
	typeset_free(td);
	return pages;
}

/* The summary of language l, written to OUTDIR/rel; fills m. */
static int write_summary(struct run *r, size_t l, const struct summary_input *in,
			 const char *rel, struct made *m, struct diag *d)
{
	struct summary_job sj = { r, l, in, rel };
	struct sbuf full = SBUF_INIT;
	struct pdf_file pf;
	long pages;

	sbuf_addf(&full, "%s/%s", r->o->outdir, rel);
	pages = write_pdf_with(r, make_summary, &sj, full.buf, &pf, d);
	if (pages < 0) {
		sbuf_release(&full);
		return -1;
	}
	memcpy(m->sha, pf.sha256, sizeof(m->sha));
	m->size = pf.size;
	m->pages = pages;
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
static int one_binder(struct run *r, size_t l, const struct summary_input *in,
		      struct made *m, struct diag *d)
{
	const char *lang = r->o->langs[l];
	size_t n = in->npeople, i, k, nparts = 0, *order = NULL, *first;
	const typeset_doc **parts = xcalloc(n + 2, sizeof(*parts));
	struct typeset_binder_part *po = xcalloc(n + 2, sizeof(*po));
	size_t *map = xcalloc(n + 2, sizeof(*map));  /* part -> person */
	char **names = xcalloc(n + 2, sizeof(*names));
	char **labels = xcalloc(n + 2, sizeof(*labels));
	struct typeset_binder bo;
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
		po[nparts] = (struct typeset_binder_part){ contents, 0, 0, 'r', NULL };
		nparts++;
		parts[nparts] = sum;
		po[nparts] = (struct typeset_binder_part){ names[0], 1, 1, 'D', NULL };
		nparts++;
		for (i = 0; i < n; i++) {
			const struct job *j = r->jobs[order[i]];
			if (!j->td || !j->td[l])
				continue;
			if (!names[i + 1])
				names[i + 1] = summary_name(r->tpl, lang, in->people[order[i]]);
			parts[nparts] = j->td[l];
			map[nparts] = i;
			po[nparts] = (struct typeset_binder_part){ names[i + 1], 0, 1, 0, NULL };
			nparts++;
		}
		typeset_free(cat);
		cat = typeset_concat(parts, nparts, &bo, d);
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
			typeset_page_label(cat, first[k], buf, sizeof(buf));
			labels[k == 1 ? 0 : 1 + map[k]] = xstrdup(buf);
		}
	}

	sbuf_addf(&rel, "%s/binder.pdf", lang);
	sbuf_addf(&full, "%s/%s", r->o->outdir, rel.buf);
	pages = write_pdf(r, cat, full.buf, &pf, d);
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
 * again only when a record, a brief's name or the left-out list changed. */
static int render_summaries(struct run *r, const struct skip *skips,
			    size_t nskips, struct diag *d)
{
	const struct summary_person **people = xcalloc(r->njobs + 1, sizeof(*people));
	struct summary_skip *sk = xcalloc(nskips + 1, sizeof(*sk));
	struct summary_input in;
	size_t i, l;
	int rc = 0;

	/* Each brief's file name is taken from its path. */
	for (i = 0; i < r->njobs; i++) {
		struct summary_person *sp = &r->jobs[i]->person;
		for (l = 0; l < r->o->nlangs; l++) {
			const char *path = r->jobs[i]->made[l].path;
			sp->brief[l] = path ? strrchr(path, '/') + 1 : NULL;
		}
		people[i] = sp;
	}
	for (i = 0; i < nskips; i++) {
		sk[i].line = skips[i].line;
		sk[i].id = skips[i].id;
		sk[i].reason = skips[i].reason;
	}
	in.people = people;
	in.npeople = r->njobs;
	in.skips = sk;
	in.nskips = nskips;
	in.as_of = r->o->date;
	in.paper = r->o->paper;
	r->summaries = xcalloc(r->o->nlangs, sizeof(*r->summaries));
	r->binders = xcalloc(r->o->nlangs, sizeof(*r->binders));

	for (l = 0; l < r->o->nlangs; l++) {
		const char *lang = r->o->langs[l];
		struct made *m = &r->summaries[l];
		struct sbuf rel = SBUF_INIT, full = SBUF_INIT;
		struct sha256 c;
		struct prev *p;
		struct stat st;
		char line[64];

		sbuf_addf(&rel, "%s/summary.pdf", lang);
		sbuf_addf(&full, "%s/%s", r->o->outdir, rel.buf);
		sha256_init(&c);
		sha256_update(&c, r->static_hash, 64);
		sha256_update(&c, "summary", 8);
		sha256_update(&c, lang, strlen(lang) + 1);
		for (i = 0; i < r->njobs; i++) {
			const char *b = people[i]->brief[l] ? people[i]->brief[l] : "";
			sha256_update(&c, r->jobs[i]->digest, 32);
			sha256_update(&c, b, strlen(b) + 1);
		}
		for (i = 0; i < nskips; i++) {
			snprintf(line, sizeof(line), "%ld\n", sk[i].line);
			sha256_update(&c, line, strlen(line));
			sha256_update(&c, sk[i].id, strlen(sk[i].id) + 1);
			sha256_update(&c, sk[i].reason, strlen(sk[i].reason) + 1);
		}
		sha256_final(&c, m->input);
		p = find_prev(r, rel.buf);
		if (!r->o->force && p && memcmp(p->input, m->input, 32) == 0 &&
		    stat(full.buf, &st) == 0 && st.st_size == p->size) {
			memcpy(m->sha, p->sha, sizeof(m->sha));
			m->size = p->size;
			m->pages = p->pages;
			m->reused = 1;
			m->path = sbuf_detach(&rel, NULL);
		} else if (write_summary(r, l, &in, rel.buf, m, d) < 0) {
			rc = -1;
		}
		if (r->o->binder) {
			struct made *bm = &r->binders[l];
			memcpy(bm->input, m->input, sizeof(bm->input));
			if (one_binder(r, l, &in, bm, d) < 0)
				rc = -1;
		}
		sbuf_release(&rel);
		sbuf_release(&full);
	}
	free(people);
	free(sk);
	return rc;
}

/* --- the run -------------------------------------------------------------- */

struct skip_list {
	struct skip *v;
	size_t n, alloc;
	struct reader_ctx *rc;
};

static void on_invalid(void *arg, long line, const char *id, const char *reason)
{
	struct skip_list *sl = arg;
	struct skip *k;
	ALLOC_GROW(sl->v, sl->n + 1, sl->alloc);
	k = &sl->v[sl->n++];
	k->line = line;
	k->id = xstrdup(id ? id : "");
	k->reason = xstrdup(reason ? reason : "");
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
			on_invalid(&b->sl, rec->row_line, rec->f[F_ID], why);
		}
		return;
	}
	on_valid(&b->rc, s, rec);
}

static void both_invalid(void *arg, long line, const char *id, const char *reason)
{
	struct sink_both *b = arg;
	on_invalid(&b->sl, line, id, reason);
}

static void both_flush(void *arg, struct diag *d)
{
	struct sink_both *b = arg;
	on_flush(&b->rc, d);
}

int render_run(const struct render_opts *o, const char *roster_path,
	       const struct roster_opts *ro, const struct record_ctx *ctx,
	       render_flush_fn flush, void *flush_arg, struct diag *d,
	       struct render_stats *stats)
{
	struct run r;
	struct sink_both b;
	struct record_sink sink;
	struct record_stats rs;
	struct record_ctx rctx;
	pthread_t *threads;
	size_t i, l;
	int rc, nthreads = o->jobs < 1 ? 1 : o->jobs;

	memset(&r, 0, sizeof(r));
	memset(stats, 0, sizeof(*stats));
	r.o = o;
	r.roster_path = roster_path;
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
		rc = out_mkdirs(dir.buf, d);
		if (rc == 0) {
			/* What a killed run left: in briefs/, and beside the
			 * summary and binder. */
			out_sweep_tmp(dir.buf);
			sbuf_setlen(&dir, dir.len - strlen("/briefs"));
			out_sweep_tmp(dir.buf);
		}
		sbuf_release(&dir);
		if (rc < 0)
			goto fatal;
	}
	out_sweep_tmp(o->outdir);
	make_static_hash(&r);
	read_prev(&r);

	pthread_mutex_init(&r.lock, NULL);
	pthread_cond_init(&r.more, NULL);
	pthread_cond_init(&r.room, NULL);
	pthread_cond_init(&r.finished, NULL);
	r.queue = xcalloc(QUEUE_MAX, sizeof(*r.queue));
	clock_gettime(CLOCK_MONOTONIC, &r.t0);
	threads = xcalloc((size_t)nthreads, sizeof(*threads));
	for (i = 0; i < (size_t)nthreads; i++)
		if (pthread_create(&threads[i], NULL, worker, &r) != 0)
			BUG("cannot start a worker thread");

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

	/* What the workers found, in roster order. */
	for (i = 0; i < r.njobs; i++) {
		diag_move(d, &r.jobs[i]->d);
		for (l = 0; l < o->nlangs; l++) {
			const struct made *m = &r.jobs[i]->made[l];
			if (!m->path)
				stats->failed++;
			else if (m->reused)
				stats->reused++;
			else
				stats->written++;
		}
	}
	stats->records = r.njobs;
	stats->left_out = rs.invalid + b.over;
	if (b.over && rc == 0)
		rc = 1;
	if (rc != 2 && !r.fatal && !o->only &&
	    render_summaries(&r, b.sl.v, b.sl.n, d) < 0)
		stats->failed++;
	if (r.fatal)
		rc = 2;
	if (rc != 2) {
		if (write_manifest(&r, b.sl.v, b.sl.n, d) < 0)
			rc = 2;
		else if (!o->only)
			remove_stale(&r);
		if (stats->failed && rc == 0)
			rc = 1;
	}

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
	free(r.summaries);
	free(r.binders);
	for (i = 0; i < b.sl.n; i++) {
		free(b.sl.v[i].id);
		free(b.sl.v[i].reason);
	}
	free(b.sl.v);
	for (i = 0; i < r.nprev; i++)
		free(r.prev[i].path);
	free(r.prev);
	pthread_mutex_destroy(&r.lock);
	pthread_cond_destroy(&r.more);
	pthread_cond_destroy(&r.room);
	pthread_cond_destroy(&r.finished);
	font_set_free(r.fonts);
	tpl_free(r.tpl);
	return rc;
fatal:
	font_set_free(r.fonts);
	tpl_free(r.tpl);
	return 2;
}
