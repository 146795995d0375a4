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
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define QUEUE_MAX 64

/* The report of the records left out, for the staff (write_report). */
#define REPORT_NAME "left-out.txt"

/* One brief, as the manifest records it. (Digests are kept as bytes: a
 * run of 100,000 records in three languages keeps 300,000 of these.) */
struct made {
	char *path;       /* relative to OUTDIR; NULL when it failed */
	unsigned char sha[32];
	unsigned char input[32]; /* of everything the file was made from */
	long long size;
	long pages;
	int reused;       /* up to date: not made again */
	int same;         /* made again, the same bytes: not rewritten */
	int borrowed;     /* path is the previous run's entry's (struct prev) */
};

/* One record's work: the record and a result per language. */
struct job {
	struct record *rec; /* freed once the briefs are made */
	struct summary_person person;  /* what the summary needs of it */
	unsigned char digest[32];      /* of the record's contents */
	char *id;
	size_t index;       /* order in the roster */
	long line;          /* the record's line in the roster */
	int left_out;       /* a brief could not be made: not in the summary */
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
	int kept;         /* made again by this run, or carried over */
	int carry;        /* not made by this run, listed as it was */
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
	struct job **sum_jobs;    /* the summary's people's, in its order */
	size_t njobs, jobs_alloc;
	size_t briefs_done, briefs_total;

	struct made *summaries;   /* per language */
	struct made *binders;     /* per language, with --binder */
	struct made report;       /* OUTDIR/left-out.txt, when written */
	int fatal;                /* writing failed: stop, exit 2 */
	int journal_fd;           /* OUTDIR/.dossier-journal, or -1 */
	size_t changed;           /* files whose bytes on disk changed */
	size_t removed;
	/* For the interruption tests: DOSSIER_TEST_KILL=N[:before] kills the
	 * process (SIGKILL) at the Nth file put in place, just after its
	 * rename, or with :before between the journal and the rename. */
	long kill_at;
	int kill_before;

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

/* The folders being walked, from the top down to the current one: a
 * link back to one of them would be a loop. */
struct walk {
	const char *root;         /* realpath of the top folder */
	dev_t dev[32];
	ino_t ino[32];
	int depth;
};

/* Whether path (resolved) lies inside root. */
static int inside(const char *root, const char *path)
{
	size_t n = strlen(root);
	return strncmp(root, path, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/* Every regular file under dir, in name order: names and contents. A
 * symbolic link is followed only when it resolves inside the top folder
 * (one that leads out is hashed as its name alone, and the layouts and
 * font readers refuse it), and never into a folder being walked. */
static void hash_walk(struct sha256 *c, const char *dir, struct walk *w)
{
	DIR *dp;
	struct dirent *e;
	struct stat st;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	int k;

	if (stat(dir, &st) < 0 || w->depth >= (int)ARRAY_SIZE(w->dev))
		return;
	for (k = 0; k < w->depth; k++)
		if (w->dev[k] == st.st_dev && w->ino[k] == st.st_ino) {
			sha256_update(c, "(loop)", 7);
			return;
		}
	w->dev[w->depth] = st.st_dev;
	w->ino[w->depth] = st.st_ino;
	w->depth++;
	dp = opendir(dir);
	if (!dp) {
		w->depth--;
		return;
	}
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
		struct stat ls;
		int follow = 1;
		sbuf_addf(&p, "%s/%s", dir, names[i]);
		if (lstat(p.buf, &ls) == 0 && S_ISLNK(ls.st_mode)) {
			char *real = realpath(p.buf, NULL);
			follow = real && inside(w->root, real);
			free(real);
		}
		sha256_update(c, names[i], strlen(names[i]) + 1);
		if (!follow)
			sha256_update(c, "(link out)", 11);
		else if (stat(p.buf, &st) == 0) {
			if (S_ISDIR(st.st_mode))
				hash_walk(c, p.buf, w);
			else if (S_ISREG(st.st_mode))
				hash_file(c, p.buf);
		}
		sbuf_release(&p);
		free(names[i]);
	}
	free(names);
	w->depth--;
}

static void hash_tree(struct sha256 *c, const char *dir)
{
	struct walk w;
	char *root = realpath(dir, NULL);

	if (!root)
		return;
	memset(&w, 0, sizeof(w));
	w.root = root;
	hash_walk(c, root, &w);
	free(root);
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
	/* Whether the files are encrypted, never the password: an existing
	 * file is asked whether it opens with this run's (prev_intact). */
	if (r->o->protect)
		sha256_update(&c, "encrypted\n", 10);
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
		 * LANG/summary.pdf, LANG/binder.pdf, left-out.txt. */
		if (strstr(pth, "..") || pth[0] == '/' ||
		    (!strstr(pth, "/briefs/") && !strstr(pth, "/summary.pdf") &&
		     !strstr(pth, "/binder.pdf") && strcmp(pth, REPORT_NAME)))
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

/* Whether the file at full is exactly what an entry says: its size, then
 * its SHA-256. A size alone is not enough: an interrupted run may have
 * left a file of the same length with other contents. */
static int file_is(const char *full, const unsigned char sha[32], long long size)
{
	unsigned char dg[32];
	struct stat st;
	long long got;

	if (stat(full, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size != size)
		return 0;
	return file_digest(full, dg, &got) == 0 && got == size &&
	       memcmp(dg, sha, 32) == 0;
}

/* A previous run's file that this run may trust and keep: what its entry
 * says, and, when the files are encrypted, one that opens with this
 * run's password (the file itself is asked). */
static int prev_intact(const struct run *r, const struct prev *p, const char *full)
{
	if (!file_is(full, p->sha, p->size))
		return 0;
	return !r->o->protect || protect_opens(r->o->protect, full);
}

static int write_error(int e)
{
	return e == ENOSPC || e == EFBIG || e == EIO || e == EDQUOT || e == EROFS;
}

static void set_fatal(struct run *r)
{
	__atomic_store_n(&r->fatal, 1, __ATOMIC_RELAXED);
}

/* --- the journal -----------------------------------------------------------
 *
 * Before a file is renamed to its final name, its name is appended to
 * OUTDIR/.dossier-journal and flushed to disk; the journal is removed
 * once the manifest that lists the run's files is in place. A run that
 * finds a journal knows the last one was interrupted: every file named
 * there that is not exactly what the manifest says is removed before
 * anything else is done, so no later run (nor a reader of the folder)
 * takes an interrupted run's file for a recorded one. */

#define JOURNAL_NAME ".dossier-journal"

static int journal_add(struct run *r, const char *rel, const char *full,
		       struct diag *d)
{
	struct sbuf line = SBUF_INIT;
	int rc = 0;

	sbuf_addf(&line, "%s\n", rel);
	pthread_mutex_lock(&r->lock);
	if (write(r->journal_fd, line.buf, line.len) != (ssize_t)line.len ||
	    fdatasync(r->journal_fd) < 0) {
		int e = errno ? errno : EIO;
		rc = diag_error(d, (struct diag_loc){ full, 0, 0 },
				"cannot write: the journal: %s", strerror(e));
	}
	pthread_mutex_unlock(&r->lock);
	sbuf_release(&line);
	return rc;
}

/* What an interrupted run left: files it renamed into place but never
 * recorded. Called with the folder locked, after the manifest is read. */
static void journal_recover(struct run *r, struct diag *d)
{
	struct sbuf path = SBUF_INIT, line = SBUF_INIT;
	size_t removed = 0;
	FILE *fp;
	int c;

	sbuf_addf(&path, "%s/%s", r->o->outdir, JOURNAL_NAME);
	fp = fopen(path.buf, "rb");
	if (!fp) {
		sbuf_release(&path);
		return;
	}
	do {
		c = fgetc(fp);
		if (c != EOF && c != '\n') {
			sbuf_addch(&line, c);
			continue;
		}
		if (line.len && !strstr(line.buf, "..") && line.buf[0] != '/') {
			struct sbuf full = SBUF_INIT;
			struct prev *p = find_prev(r, line.buf);
			sbuf_addf(&full, "%s/%s", r->o->outdir, line.buf);
			if (!(p && file_is(full.buf, p->sha, p->size)) &&
			    unlink(full.buf) == 0)
				removed++;
			sbuf_release(&full);
		}
		sbuf_reset(&line);
	} while (c != EOF);
	fclose(fp);
	if (removed)
		diag_warning(d, (struct diag_loc){ r->o->outdir, 0, 0 },
			     "the last run into this folder was interrupted: "
			     "%zu file%s it wrote but never recorded %s removed "
			     "and will be made again", removed,
			     removed == 1 ? "" : "s", removed == 1 ? "was" : "were");
	sbuf_release(&line);
	sbuf_release(&path);
}

static int journal_open(struct run *r, struct diag *d)
{
	struct sbuf path = SBUF_INIT;
	sbuf_addf(&path, "%s/%s", r->o->outdir, JOURNAL_NAME);
	r->journal_fd = open(path.buf, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (r->journal_fd < 0)
		diag_error(d, (struct diag_loc){ path.buf, 0, 0 },
			   "cannot create: %s", strerror(errno));
	sbuf_release(&path);
	return r->journal_fd < 0 ? -1 : 0;
}

/* The manifest is in place: the journal is not needed any more. */
static void journal_close(struct run *r, int done)
{
	struct sbuf path = SBUF_INIT;
	if (r->journal_fd < 0)
		return;
	close(r->journal_fd);
	r->journal_fd = -1;
	if (done) {
		sbuf_addf(&path, "%s/%s", r->o->outdir, JOURNAL_NAME);
		unlink(path.buf);
		sbuf_release(&path);
	}
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
typedef long make_pdf_fn(void *ctx, FILE *fp, const char *name,
			 struct pdf_file *out, struct diag *d);

/* Put the finished temporary file tmp in place as rel (full path full).
 * When prev p lists exactly these bytes (sha, size) and the file on disk
 * still holds them, tmp is removed and *same set: the file keeps its
 * date. Otherwise rel is named in the journal, then tmp renamed over it;
 * the interruption tests (DOSSIER_TEST_KILL) kill just before or just
 * after the rename of the Nth file changed. Returns 0, or -1 with the run
 * fatal. tmp itself is the caller's to free. */
static int put_in_place(struct run *r, const char *rel, const char *full,
			const char *tmp, const struct prev *p,
			const unsigned char *sha, long long size, int *same,
			struct diag *d)
{
	size_t n;

	if (p && p->size == size && !memcmp(p->sha, sha, 32) &&
	    file_is(full, p->sha, p->size)) {
		remove(tmp);
		*same = 1;
		return 0;
	}
	if (journal_add(r, rel, full, d) < 0) {
		remove(tmp);
		set_fatal(r);
		return -1;
	}
	n = __atomic_add_fetch(&r->changed, 1, __ATOMIC_RELAXED);
	if (r->kill_at && (long)n == r->kill_at && r->kill_before)
		raise(SIGKILL);
	if (out_commit(tmp, full, d) < 0) {
		set_fatal(r);
		return -1;
	}
	if (r->kill_at && (long)n == r->kill_at)
		raise(SIGKILL);
	return 0;
}

static long write_pdf_with(struct run *r, make_pdf_fn *make, void *ctx,
			   const char *rel, const char *full,
			   const struct prev *p, struct pdf_file *out,
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
			set_fatal(r);
			return -1;
		}
		fp = fopen(tmp, "wb");
		if (!fp) {
			e = errno;
			remove(tmp);
			free(tmp);
			set_fatal(r);
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
		set_fatal(r);
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
			set_fatal(r);
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
			set_fatal(r);
			return -1;
		}
	}
	/* Encrypted bytes differ on every run (a fresh IV): never the same. */
	if (put_in_place(r, rel, full, tmp, r->o->protect ? NULL : p,
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

static long write_pdf(struct run *r, const typeset_doc *td, const char *rel,
		      const char *full, const struct prev *p,
		      struct pdf_file *out, int *same, struct diag *d)
{
	return write_pdf_with(r, make_whole, (void *)td, rel, full, p, out, same, d);
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
	long pages = -1;
	int fresh, same = 0;

	sbuf_addf(&rel, "%s/briefs/%s%s%s.pdf", lang, rec->f[F_ID], *slug ? "-" : "", slug);
	sbuf_addf(&full, "%s/%s", r->o->outdir, rel.buf);
	input_hash(r, rec_digest, lang, m->input);

	/* Up to date: the same inputs made the file that is still there,
	 * byte for byte. */
	p = find_prev(r, rel.buf);
	fresh = !r->o->force && p && memcmp(p->input, m->input, 32) == 0 &&
		prev_intact(r, p, full.buf);
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
		pages = write_pdf(r, td, rel.buf, full.buf, p, &pf, &same, d);
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
	/* pages: null for a file that has none (the report) */
	if (pages < 0)
		sbuf_addstr(js, ", \"pages\": null");
	else
		sbuf_addf(js, ", \"pages\": %ld", pages);
	sbuf_addf(js, ", \"input\": \"%s\"}", input);
}

/* A record left out: its line in the roster, its id ("" when it has
 * none), the reason (its first error) and every diagnostic about it, as
 * the run prints them, one per line. */
struct skip {
	long line;
	char *id, *reason;
	char *messages;
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
	if (r->report.path)
		list_made(r, &js, &first, &r->report, NULL, "en");
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
	/* Files of the last run outside this run's selection (settle_prev). */
	for (i = 0; i < r->nprev; i++) {
		struct prev *p = &r->prev[i];
		if (p->carry) {
			add_entry(&js, &first, p->path, p->sha, p->size,
				  *p->record ? p->record : NULL, p->lang,
				  p->pages, p->input);
			spill(&js, fp, &bad, 65536);
		}
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

static int lang_selected(const struct run *r, const char *lang)
{
	for (size_t l = 0; l < r->o->nlangs; l++)
		if (!strcmp(r->o->langs[l], lang))
			return 1;
	return 0;
}

static int remove_prev(struct run *r, struct prev *p)
{
	struct sbuf full = SBUF_INIT;
	int rc;
	sbuf_addf(&full, "%s/%s", r->o->outdir, p->path);
	rc = unlink(full.buf) == 0 || errno == ENOENT ? 0 : -1;
	sbuf_release(&full);
	if (rc == 0)
		r->removed++;
	return rc;
}

static int prev_exists(const struct run *r, const struct prev *p)
{
	struct sbuf full = SBUF_INIT;
	struct stat st;
	int ok;
	sbuf_addf(&full, "%s/%s", r->o->outdir, p->path);
	ok = stat(full.buf, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == p->size;
	sbuf_release(&full);
	return ok;
}

/* The files of the last run that this one did not make again:
 *   outside this run's selection (another language, another record with
 *   --only): kept and listed as they were, or removed with --prune;
 *   the summary of a language this run did not make (--only, or it
 *   failed): kept, so that a failed run never loses a good summary;
 *   a binder not asked for: kept while it shows what the summary shows,
 *   removed when it is out of date;
 *   a brief of a record gone from the roster, renamed, or that could not
 *   be made again: removed, as it would be stale.
 * Removals are said as notes. Entries kept are checked to be there (by
 * size: before a later run skips one, it checks its digest). */
static void settle_prev(struct run *r, struct diag *d)
{
	size_t stale = 0, i, l;
	struct diag_loc at = { r->o->outdir, 0, 0 };
	struct prev *p;

	/* What this run made, or found up to date, is kept. */
	if (r->report.path && (p = find_prev(r, r->report.path)))
		p->kept = 1;
	for (l = 0; l < r->o->nlangs; l++) {
		if (r->summaries && r->summaries[l].path &&
		    (p = find_prev(r, r->summaries[l].path)))
			p->kept = 1;
		if (r->binders && r->binders[l].path &&
		    (p = find_prev(r, r->binders[l].path)))
			p->kept = 1;
		for (i = 0; i < r->njobs; i++)
			if (r->jobs[i]->made[l].path &&
			    (p = find_prev(r, r->jobs[i]->made[l].path)))
				p->kept = 1;
	}
	for (i = 0; i < r->nprev; i++) {
		int outside;
		p = &r->prev[i];
		if (p->kept)
			continue;
		/* The last run's report, when this one left nothing out: it
		 * would tell of records that are now in. */
		if (!strcmp(p->path, REPORT_NAME)) {
			if (remove_prev(r, p) == 0)
				diag_note(d, at, "removed %s: no record was left "
					  "out this time", p->path);
			continue;
		}
		outside = !lang_selected(r, p->lang) ||
			  (r->o->only && *p->record &&
			   !record_id_in(r->o->only, r->o->nonly, p->record));
		if (outside && r->o->prune) {
			if (remove_prev(r, p) == 0)
				diag_note(d, at, "removed %s (outside this run's "
					  "selection; --prune)", p->path);
		} else if (outside || strstr(p->path, "/summary.pdf")) {
			p->carry = p->kept = prev_exists(r, p);
		} else if (strstr(p->path, "/binder.pdf")) {
			const struct made *m = NULL;
			for (size_t l = 0; l < r->o->nlangs; l++)
				if (!strcmp(r->o->langs[l], p->lang) && r->summaries)
					m = &r->summaries[l];
			if (m && m->path && !memcmp(m->input, p->input, 32) &&
			    prev_exists(r, p))
				p->carry = p->kept = 1;
			else if (remove_prev(r, p) == 0)
				diag_note(d, at, "removed %s: out of date "
					  "(--binder makes it again)", p->path);
		} else if (remove_prev(r, p) == 0) {
			stale++;
		}
	}
	/* The folders of languages pruned away, when nothing is left there. */
	if (r->o->prune)
		for (i = 0; i < r->nprev; i++) {
			struct sbuf dir = SBUF_INIT;
			if (lang_selected(r, r->prev[i].lang))
				continue;
			sbuf_addf(&dir, "%s/%s/briefs", r->o->outdir, r->prev[i].lang);
			rmdir(dir.buf);
			sbuf_setlen(&dir, dir.len - strlen("/briefs"));
			rmdir(dir.buf);
			sbuf_release(&dir);
		}
	if (stale)
		diag_note(d, at, "removed %zu brief%s of records no longer in the "
			  "roster, renamed, or not made again", stale,
			  stale == 1 ? "" : "s");
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
			 const char *rel, const struct prev *p, struct made *m,
			 struct diag *d)
{
	struct summary_job sj = { r, l, in, rel };
	struct sbuf full = SBUF_INIT;
	struct pdf_file pf;
	long pages;
	int same;

	sbuf_addf(&full, "%s/%s", r->o->outdir, rel);
	pages = write_pdf_with(r, make_summary, &sj, rel, full.buf, p, &pf, &same, d);
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
			const struct job *j = r->sum_jobs[order[i]];
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
	pages = write_pdf(r, cat, rel.buf, full.buf, find_prev(r, rel.buf), &pf,
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
static int render_summaries(struct run *r, const struct skip *skips,
			    size_t nskips, struct diag *d)
{
	const struct summary_person **people = xcalloc(r->njobs + 1, sizeof(*people));
	struct job **jobs = xcalloc(r->njobs + 1, sizeof(*jobs));
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
		struct made *m = &r->summaries[l];
		struct sbuf rel = SBUF_INIT, full = SBUF_INIT;
		struct sha256 c;
		struct prev *p;
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
		p = find_prev(r, rel.buf);
		if (!r->o->force && p && memcmp(p->input, m->input, 32) == 0 &&
		    prev_intact(r, p, full.buf)) {
			memcpy(m->sha, p->sha, sizeof(m->sha));
			m->size = p->size;
			m->pages = p->pages;
			m->reused = 1;
			m->path = sbuf_detach(&rel, NULL);
		} else if (write_summary(r, l, &in, rel.buf, p, m, d) < 0) {
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
 * note, by settle_prev) by a later run that leaves nothing out. */

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

static int write_report(struct run *r, const struct skip *skips, size_t n,
			struct diag *d)
{
	struct sbuf full = SBUF_INIT, sb = SBUF_INIT;
	struct report_out ro;
	struct made *m = &r->report;
	const struct prev *p;
	char *tmp = NULL;
	size_t i;
	int rc = 0;

	sbuf_addf(&full, "%s/%s", r->o->outdir, REPORT_NAME);
	if (out_tmp_for(full.buf, &tmp, d) < 0) {
		set_fatal(r);
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
		const struct skip *k = &skips[i];
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
		set_fatal(r);
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

	p = find_prev(r, REPORT_NAME);
	rc = put_in_place(r, REPORT_NAME, full.buf, tmp, p, m->sha, m->size,
			  &m->same, d);
	free(tmp);
	sbuf_release(&full);
	if (rc < 0)
		return -1;
	m->path = xstrdup(REPORT_NAME);
	return 0;
}

/* --- the run -------------------------------------------------------------- */

struct skip_list {
	struct skip *v;
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
	struct skip *k;
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
	const struct skip *x = a, *y = b;
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
	struct run r;
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
	make_static_hash(&r);
	read_prev(&r);
	journal_recover(&r, d);
	if (journal_open(&r, d) < 0)
		goto fatal;

	pthread_mutex_init(&r.lock, NULL);
	pthread_cond_init(&r.more, NULL);
	pthread_cond_init(&r.room, NULL);
	pthread_cond_init(&r.finished, NULL);
	r.queue = xcalloc(QUEUE_MAX, sizeof(*r.queue));
	clock_gettime(CLOCK_MONOTONIC, &r.t0);
	threads = xcalloc((size_t)nthreads, sizeof(*threads));
	for (i = 0; i < (size_t)nthreads; i++)
		if (pthread_create(&threads[i], NULL, worker, &r) != 0) {
			/* Fewer threads do the same work. */
			if (i == 0) {
				diag_error(d, (struct diag_loc){ "dossier", 0, 0 },
					   "cannot start a worker thread: %s",
					   strerror(errno));
				goto fatal_threads;
			}
			nthreads = (int)i;
			break;
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
		struct job *j = r.jobs[i];
		const char *why = NULL;
		size_t k;
		for (l = 0; l < o->nlangs; l++) {
			const struct made *m = &j->made[l];
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
	    render_summaries(&r, b.sl.v, b.sl.n, d) < 0)
		stats->failed++;
	/* The records left out, for the staff. */
	if (rc != 2 && !r.fatal && b.sl.n)
		write_report(&r, b.sl.v, b.sl.n, d);
	if (r.fatal)
		rc = 2;
	if (rc != 2) {
		/* Stale files go first, then the manifest of what is there,
		 * then the journal: a kill between any two leaves nothing that
		 * a later run would trust wrongly. */
		settle_prev(&r, d);
		if (write_manifest(&r, b.sl.v, b.sl.n, d) < 0)
			rc = 2;
		else
			journal_close(&r, 1);
		if (stats->failed && rc == 0)
			rc = 1;
	}
	journal_close(&r, 0);
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
	for (i = 0; i < r.nprev; i++)
		free(r.prev[i].path);
	free(r.prev);
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
	journal_close(&r, 0);
	for (i = 0; i < r.nprev; i++)
		free(r.prev[i].path);
	free(r.prev);
fatal:
	font_set_free(r.fonts);
	tpl_free(r.tpl);
	out_unlock(lock_fd);
	return 2;
}
