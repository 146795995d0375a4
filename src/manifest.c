/* manifest.c: the manifest of a render run (manifest.h): the hashes of
 * the inputs, the previous run's manifest read back, the journal of files
 * put in place, the settling of the last run's files and the manifest
 * written. */
#include "manifest.h"
#include "render-private.h"
#include "diag.h"
#include "font.h"
#include "json.h"
#include "out.h"
#include "protect.h"
#include "record.h"
#include "sbuf.h"
#include "sha256.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* What every brief depends on: dossier's version, the report date, the
 * paper, the layouts, the font configuration and the font files. */
void manifest_static_hash(struct render_state *r)
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
	 * file is asked whether it opens with this run's (manifest_intact). */
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
	hex_encode(dg, 32, r->static_hash);
}

/* The digest of a record's contents (every field, and the photo's bytes),
 * computed once per record. */
void manifest_record_digest(const struct record *rec, unsigned char out[32])
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
void manifest_input_hash(const struct render_state *r,
			 const unsigned char rec_digest[32], const char *lang,
			 unsigned char out[32])
{
	struct sha256 c;

	sha256_init(&c);
	sha256_update(&c, r->static_hash, 64);
	sha256_update(&c, lang, strlen(lang) + 1);
	sha256_update(&c, rec_digest, 32);
	sha256_final(&c, out);
}

/* --- the previous manifest ------------------------------------------------ */

void manifest_files_free(struct manifest_file *files, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(files[i].path);
	free(files);
}

static int cmp_prev(const void *a, const void *b)
{
	return strcmp(((const struct manifest_file *)a)->path,
		      ((const struct manifest_file *)b)->path);
}

/* The string value of key in the object o when it is shorter than max
 * bytes (jansson refuses a NUL inside a string), or NULL. */
static const char *str_of(json_t *o, const char *key, size_t max)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_string(v) || json_string_length(v) >= max)
		return NULL;
	return json_string_value(v);
}

static int copy_of(json_t *o, const char *key, char *out, size_t n)
{
	const char *s = str_of(o, key, n);
	if (!s)
		return -1;
	memcpy(out, s, strlen(s) + 1);
	return 0;
}

static int digest_of(json_t *o, const char *key, unsigned char out[32])
{
	const char *s = str_of(o, key, 65);
	return s ? hex_decode(s, out, 32) : -1;
}

/* A count: an integer from 0 to max. */
static int count_of(json_t *o, const char *key, long long max, long long *out)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > max)
		return -1;
	*out = json_integer_value(v);
	return 0;
}

/* An entry of "files" as a run writes it, into f; -1 for one of another
 * shape (a field missing or of another type, a digest that is not 64 hex
 * digits, a name too long), which is not trusted. Only our own kinds of
 * path: LANG/briefs/NAME.pdf, LANG/summary.pdf, LANG/binder.pdf,
 * left-out.txt (the one file without pages: null). */
static int entry_of(json_t *e, struct manifest_file *f)
{
	const char *path;
	json_t *rec, *pages;
	long long n;

	memset(f, 0, sizeof(*f));
	if (!json_is_object(e) || !(path = str_of(e, "path", 1024)) ||
	    digest_of(e, "input", f->input) < 0 ||
	    digest_of(e, "sha256", f->sha) < 0 ||
	    copy_of(e, "lang", f->lang, sizeof(f->lang)) < 0 ||
	    count_of(e, "bytes", LLONG_MAX, &f->size) < 0)
		return -1;
	rec = json_object_get(e, "record");
	if (!json_is_null(rec) && copy_of(e, "record", f->record, sizeof(f->record)) < 0)
		return -1;
	if (strstr(path, "..") || path[0] == '/' ||
	    (!strstr(path, "/briefs/") && !strstr(path, "/summary.pdf") &&
	     !strstr(path, "/binder.pdf") && strcmp(path, RENDER_REPORT_NAME)))
		return -1;
	pages = json_object_get(e, "pages");
	if (json_is_null(pages) && !strcmp(path, RENDER_REPORT_NAME))
		f->pages = -1;
	else if (count_of(e, "pages", LONG_MAX, &n) == 0)
		f->pages = (long)n;
	else
		return -1;
	f->path = xstrdup(path);
	return 0;
}

/* --- reading a manifest with jansson ---------------------------------------
 *
 * A run of 100,000 records lists 300,000 files: the manifest is not
 * loaded as one tree. Its frame ({ "key": value, ... } and the brackets
 * and commas of its arrays) is read here, a character at a time; every
 * key and value inside it (each entry of "files", whole) is parsed by
 * jansson from a window of the file, one at a time, and freed once
 * copied. */

#define WINDOW    65536
#define VALUE_MAX (16 << 20)  /* a value larger: not a manifest of ours */

struct reader {
	FILE *fp;
	char *buf;
	size_t at, len, cap;  /* buf[at..len) is read and not yet taken */
	int eof;              /* nothing more to read (the end, or an error) */
	struct manifest_file *v;
	size_t n, alloc;
	size_t skipped;       /* entries of another shape */
};

/* At least want bytes from at in buf, unless the file ends first. */
static void fill(struct reader *rd, size_t want)
{
	if (rd->at) {  /* (buf is NULL before the first fill) */
		memmove(rd->buf, rd->buf + rd->at, rd->len - rd->at);
		rd->len -= rd->at;
		rd->at = 0;
	}
	if (want > rd->cap) {
		rd->cap = want;
		rd->buf = xrealloc(rd->buf, rd->cap);
	}
	while (!rd->eof && rd->len < want) {
		size_t got = fread(rd->buf + rd->len, 1, rd->cap - rd->len, rd->fp);
		rd->len += got;
		if (got == 0)
			rd->eof = 1;
	}
}

static int next_char(struct reader *rd)
{
	for (;;) {
		int c;
		if (rd->at == rd->len) {
			fill(rd, WINDOW);
			if (rd->at == rd->len)
				return EOF;
		}
		c = (unsigned char)rd->buf[rd->at++];
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			return c;
	}
}

/* Give back the character next_char just returned. */
static void unget_char(struct reader *rd)
{
	rd->at--;
}

/* One JSON value, parsed by jansson from where rd is, which is left just
 * after it. The window is filled again when little is left in it; a
 * value (or an error) that reaches its end may go on past it: it is
 * parsed again from a window twice as large. */
static json_t *read_value(struct reader *rd)
{
	size_t want = 4096;

	for (;;) {
		json_error_t e;
		size_t left;
		json_t *v;

		if (rd->len - rd->at < want)
			fill(rd, want < WINDOW ? WINDOW : want);
		left = rd->len - rd->at;
		v = json_loadb(rd->buf + rd->at, left, JSON_DECODE_ANY |
			       JSON_DISABLE_EOF_CHECK | JSON_REJECT_DUPLICATES, &e);
		if (rd->eof || (v ? (size_t)e.position < left
				  : (size_t)e.position + 8 < left)) {
			if (v)
				rd->at += (size_t)e.position;
			return v;
		}
		json_decref(v);
		if (left >= VALUE_MAX)
			return NULL;
		want = 2 * left < VALUE_MAX ? 2 * left : VALUE_MAX;
	}
}

static void add_file(struct reader *rd, json_t *e)
{
	struct manifest_file f;
	if (entry_of(e, &f) < 0) {
		rd->skipped++;
		return;
	}
	ALLOC_GROW(rd->v, rd->n + 1, rd->alloc);
	rd->v[rd->n++] = f;
}

/* The array that starts at rd; with files, each element is an entry of
 * "files", else it is dropped. Returns 0, or -1 when there is no whole
 * array there. */
static int read_array(struct reader *rd, int files)
{
	int c = next_char(rd);

	if (c != '[')
		return -1;
	c = next_char(rd);
	if (c == ']')
		return 0;
	for (;;) {
		json_t *v;
		if (c == EOF)
			return -1;
		unget_char(rd);
		if (!(v = read_value(rd)))
			return -1;
		if (files)
			add_file(rd, v);
		json_decref(v);
		c = next_char(rd);
		if (c == ']')
			return 0;
		if (c != ',')
			return -1;
		c = next_char(rd);
	}
}

/* Any other value: an array is walked, anything else parsed whole. */
static int skip_value(struct reader *rd)
{
	int c = next_char(rd);
	json_t *v;

	if (c == EOF)
		return -1;
	unget_char(rd);
	if (c == '[')
		return read_array(rd, 0);
	if (!(v = read_value(rd)))
		return -1;
	json_decref(v);
	return 0;
}

/* The object of the whole file; -1 when the file is not one JSON object
 * with "files" an array (once), and nothing after it. */
static int read_manifest(struct reader *rd)
{
	int c = next_char(rd), files_seen = 0;

	if (c != '{')
		return -1;
	c = next_char(rd);
	if (c != '}')
		for (;;) {
			json_t *key;
			int files;
			if (c != '"')
				return -1;
			unget_char(rd);
			if (!(key = read_value(rd)))
				return -1;
			files = json_string_length(key) == 5 &&
				!memcmp(json_string_value(key), "files", 5);
			json_decref(key);
			if (next_char(rd) != ':')
				return -1;
			if (files && (files_seen++ || read_array(rd, 1) < 0))
				return -1;
			if (!files && skip_value(rd) < 0)
				return -1;
			c = next_char(rd);
			if (c == '}')
				break;
			if (c != ',')
				return -1;
			c = next_char(rd);
		}
	return files_seen && next_char(rd) == EOF ? 0 : -1;
}

int manifest_load(const char *path, struct manifest_file **files, size_t *n,
		  size_t *skipped)
{
	struct reader rd;
	int rc;

	*files = NULL;
	*n = 0;
	if (skipped)
		*skipped = 0;
	memset(&rd, 0, sizeof(rd));
	rd.fp = fopen(path, "rb");
	if (!rd.fp)
		return 1;
	rc = read_manifest(&rd);
	if (ferror(rd.fp))
		rc = -1;
	fclose(rd.fp);
	free(rd.buf);
	if (rc < 0) {
		manifest_files_free(rd.v, rd.n);
		return -1;
	}
	if (rd.n)
		qsort(rd.v, rd.n, sizeof(*rd.v), cmp_prev);
	*files = rd.v;
	*n = rd.n;
	if (skipped)
		*skipped = rd.skipped;
	return 0;
}

/* The previous run's entry for path; prev is sorted by path once read,
 * and only read afterwards, so workers look up without a lock. */
struct manifest_file *manifest_find(struct render_state *r, const char *path)
{
	struct manifest_file key;
	key.path = (char *)path;
	return r->nprev ? bsearch(&key, r->prev, r->nprev, sizeof(*r->prev), cmp_prev) : NULL;
}

/* A manifest that cannot be read, or is not one, gives no entry: every
 * file is made again (an entry of another shape, that file). */
void manifest_read_prev(struct render_state *r)
{
	struct sbuf path = SBUF_INIT;

	sbuf_addf(&path, "%s/manifest.json", r->o->outdir);
	manifest_load(path.buf, &r->prev, &r->nprev, NULL);
	sbuf_release(&path);
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
	return sha256_file(full, dg, &got) == 0 && got == size &&
	       memcmp(dg, sha, 32) == 0;
}

/* A previous run's file that this run may trust and keep: what its entry
 * says, and, when the files are encrypted, one that opens with this
 * run's password (the file itself is asked). */
int manifest_intact(const struct render_state *r, const struct manifest_file *p,
		    const char *full)
{
	if (!file_is(full, p->sha, p->size))
		return 0;
	return !r->o->protect || protect_opens(r->o->protect, full);
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

static int journal_add(struct render_state *r, const char *rel, const char *full,
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
void manifest_journal_recover(struct render_state *r, struct diag *d)
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
			struct manifest_file *p = manifest_find(r, line.buf);
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

int manifest_journal_open(struct render_state *r, struct diag *d)
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
void manifest_journal_close(struct render_state *r, int done)
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
/* Put the finished temporary file tmp in place as rel (full path full).
 * When prev p lists exactly these bytes (sha, size) and the file on disk
 * still holds them, tmp is removed and *same set: the file keeps its
 * date. Otherwise rel is named in the journal, then tmp renamed over it;
 * the interruption tests (DOSSIER_TEST_KILL) kill just before or just
 * after the rename of the Nth file changed. Returns 0, or -1 with the run
 * fatal. tmp itself is the caller's to free. */
int manifest_put_in_place(struct render_state *r, const char *rel,
			  const char *full, const char *tmp,
			  const struct manifest_file *p,
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
		render_set_fatal(r);
		return -1;
	}
	n = __atomic_add_fetch(&r->changed, 1, __ATOMIC_RELAXED);
	if (r->kill_at && (long)n == r->kill_at && r->kill_before)
		raise(SIGKILL);
	if (out_commit(tmp, full, d) < 0) {
		render_set_fatal(r);
		return -1;
	}
	if (r->kill_at && (long)n == r->kill_at)
		raise(SIGKILL);
	return 0;
}
/* --- the manifest ------------------------------------------------------- */

static void add_entry(struct sbuf *js, int *first, const char *path,
		      const unsigned char sha[32], long long size, const char *record,
		      const char *lang, long pages, const unsigned char in[32])
{
	char sh[65], input[65];
	hex_encode(sha, 32, sh);
	hex_encode(in, 32, input);
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
/* A file made by this run, listed; the last run's entry of that name is
 * kept (not removed as stale). */
static void list_made(struct render_state *r, struct sbuf *js, int *first,
		      const struct render_made *m, const char *record, const char *lang)
{
	struct manifest_file *p = manifest_find(r, m->path);
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

int manifest_write(struct render_state *r, const struct render_skip *skips,
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
			const struct render_made *m = &r->jobs[i]->made[l];
			if (m->path) {
				list_made(r, &js, &first, m, r->jobs[i]->id, lang);
				spill(&js, fp, &bad, 65536);
			}
		}
	}
	/* Files of the last run outside this run's selection (manifest_settle). */
	for (i = 0; i < r->nprev; i++) {
		struct manifest_file *p = &r->prev[i];
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

static int lang_selected(const struct render_state *r, const char *lang)
{
	for (size_t l = 0; l < r->o->nlangs; l++)
		if (!strcmp(r->o->langs[l], lang))
			return 1;
	return 0;
}

static int remove_prev(struct render_state *r, struct manifest_file *p)
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

static int prev_exists(const struct render_state *r, const struct manifest_file *p)
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
void manifest_settle(struct render_state *r, struct diag *d)
{
	size_t stale = 0, i, l;
	struct diag_loc at = { r->o->outdir, 0, 0 };
	struct manifest_file *p;

	/* What this run made, or found up to date, is kept. */
	if (r->report.path && (p = manifest_find(r, r->report.path)))
		p->kept = 1;
	for (l = 0; l < r->o->nlangs; l++) {
		if (r->summaries && r->summaries[l].path &&
		    (p = manifest_find(r, r->summaries[l].path)))
			p->kept = 1;
		if (r->binders && r->binders[l].path &&
		    (p = manifest_find(r, r->binders[l].path)))
			p->kept = 1;
		for (i = 0; i < r->njobs; i++)
			if (r->jobs[i]->made[l].path &&
			    (p = manifest_find(r, r->jobs[i]->made[l].path)))
				p->kept = 1;
	}
	for (i = 0; i < r->nprev; i++) {
		int outside;
		p = &r->prev[i];
		if (p->kept)
			continue;
		/* The last run's report, when this one left nothing out: it
		 * would tell of records that are now in. */
		if (!strcmp(p->path, RENDER_REPORT_NAME)) {
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
			const struct render_made *m = NULL;
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
