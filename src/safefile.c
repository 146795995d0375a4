/* safefile.c: the one reader of files that a folder names: regular files
 * only, of a bounded size, inside their folder (see safefile.h). */
#include "safefile.h"
#include "diag.h"
#include "sbuf.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Which step failed, for SAFEFILE_FAILED and SAFEFILE_MISSING. */
enum step { STEP_OPEN, STEP_READ, STEP_RESOLVE, STEP_ROOT };

const char *safefile_what_is(mode_t m)
{
	return S_ISDIR(m) ? "a folder" : S_ISFIFO(m) ? "a FIFO" :
	       S_ISCHR(m) || S_ISBLK(m) ? "a device" :
	       S_ISSOCK(m) ? "a socket" : "not a plain file";
}

int safefile_under(const char *root, const char *real)
{
	size_t n = strlen(root);

	while (n && root[n - 1] == '/')
		n--;
	return !strncmp(real, root, n) && real[n] == '/';
}

/* "4 MiB", or the bytes when the limit is not a whole number of MiB. */
static void size_text(size_t max, char *buf, size_t n)
{
	if (max && !(max & ((1u << 20) - 1)))
		snprintf(buf, n, "%zu MiB", max >> 20);
	else
		snprintf(buf, n, "%zu bytes", max);
}

/* Report what went wrong with path in the form kind asks for; -1. */
static int report(const struct safefile_kind *k, const char *path,
		  enum safefile_status st, enum step step, int err,
		  mode_t mode, struct diag *d, struct diag_loc at)
{
	const char *within = k->within ? k->within : "the folder";
	const char *what = k->what;
	struct sbuf m = SBUF_INIT;
	char size[32];

	if (!d)
		return -1;
	if (what)
		sbuf_addf(&m, "%s '%s' ", what, path);
	switch (st) {
	case SAFEFILE_OK:
		BUG("safefile: reporting success");
	case SAFEFILE_MISSING:
	case SAFEFILE_FAILED:
		sbuf_reset(&m);
		if (step == STEP_ROOT)
			sbuf_addf(&m, "cannot resolve %s: %s", within,
				  strerror(err));
		else if (!what)
			sbuf_addf(&m, "cannot %s: %s",
				  step == STEP_RESOLVE ? "resolve" :
				  step == STEP_READ ? "read" : "open",
				  strerror(err));
		else
			sbuf_addf(&m, "cannot %s %s '%s': %s",
				  step == STEP_RESOLVE ? "resolve" : "read",
				  what, path, strerror(err));
		break;
	case SAFEFILE_ABSOLUTE:
		sbuf_addf(&m, "%s an absolute path; give a path relative to %s",
			  what ? "is" : "refused:", within);
		break;
	case SAFEFILE_DOTDOT:
		sbuf_addf(&m, "%s out of %s (\"..\")",
			  what ? "leads" : "refused: the path leads", within);
		break;
	case SAFEFILE_OUTSIDE:
		sbuf_addf(&m, "%s %s", what ? "is outside" :
			  "refused: the file lies outside", within);
		break;
	case SAFEFILE_NOT_REGULAR:
		sbuf_addf(&m, "%s not a regular file (%s)",
			  what ? "is" : "refused:", safefile_what_is(mode));
		break;
	case SAFEFILE_TOO_LARGE:
		size_text(k->max, size, sizeof(size));
		sbuf_addf(&m, "%s larger than %s", what ? "is" : "refused:",
			  size);
		break;
	}
	diag_error(d, at, "%s", m.buf);
	sbuf_release(&m);
	return -1;
}

/* Note a failure in f and report it: -1, or 1 for a missing file that
 * may be missing. */
static int fail(struct safefile *f, enum safefile_status st, enum step step,
		int err, const struct safefile_kind *k, const char *path,
		unsigned flags, struct diag *d, struct diag_loc at)
{
	f->status = st;
	f->err = err;
	if (f->fd >= 0) {
		close(f->fd);
		f->fd = -1;
	}
	if (st == SAFEFILE_MISSING && (flags & SAFEFILE_MISSING_OK))
		return 1;
	return report(k, path, st, step, err, f->st.st_mode, d, at);
}

/* Absolute as a roster written anywhere may give it: /x, \x or C:x. */
static int is_absolute(const char *p)
{
	return p[0] == '/' || p[0] == '\\' ||
	       (isalpha((unsigned char)p[0]) && p[1] == ':');
}

/* Whether a part of p between separators (/ or \) is "..". */
static int has_dotdot(const char *p)
{
	while (*p) {
		size_t n = strcspn(p, "/\\");
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return 1;
		p += n;
		if (*p)
			p++;
	}
	return 0;
}

int safefile_open(const char *root, const char *path,
		  const struct safefile_kind *k, unsigned flags,
		  struct safefile *f, struct diag *d, struct diag_loc at)
{
	struct stat lst;
	char *full, *rroot;
	int fd, fl;

	memset(f, 0, sizeof(*f));
	f->fd = -1;
	if (!at.file)
		at.file = path;
	if (flags & SAFEFILE_RELATIVE) {
		struct sbuf j = SBUF_INIT;
		if (is_absolute(path))
			return fail(f, SAFEFILE_ABSOLUTE, STEP_OPEN, 0, k, path,
				    flags, d, at);
		if (has_dotdot(path))
			return fail(f, SAFEFILE_DOTDOT, STEP_OPEN, 0, k, path,
				    flags, d, at);
		if (root && *root)
			sbuf_addf(&j, "%s%s", root,
				  root[strlen(root) - 1] == '/' ? "" : "/");
		sbuf_addstr(&j, path);
		full = sbuf_detach(&j, NULL);
	} else {
		full = xstrdup(path);
	}
	if (!root) {
		f->real = full;
	} else {
		/* Where symbolic links lead, first: a file whose real path is
		 * outside the folder is refused before it is opened. */
		if (lstat(full, &lst) != 0) {
			int e = errno;
			free(full);
			return fail(f, e == ENOENT ? SAFEFILE_MISSING : SAFEFILE_FAILED,
				    STEP_OPEN, e, k, path, flags, d, at);
		}
		rroot = realpath(*root ? root : ".", NULL);
		if (!rroot) {
			int e = errno;
			free(full);
			return fail(f, SAFEFILE_FAILED, STEP_ROOT, e, k, path,
				    flags, d, at);
		}
		f->real = realpath(full, NULL);
		free(full);
		if (!f->real) {
			int e = errno;
			free(rroot);
			return fail(f, SAFEFILE_FAILED, STEP_RESOLVE, e, k, path,
				    flags, d, at);
		}
		fl = safefile_under(rroot, f->real);
		free(rroot);
		if (!fl)
			return fail(f, SAFEFILE_OUTSIDE, STEP_OPEN, 0, k, path,
				    flags, d, at);
	}
	/* Never waiting on a FIFO swapped in meanwhile: fstat of what was
	 * opened decides. */
	do
		fd = open(f->real, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		return fail(f, errno == ENOENT ? SAFEFILE_MISSING : SAFEFILE_FAILED,
			    STEP_OPEN, errno, k, path, flags, d, at);
	f->fd = fd;
	if (fstat(fd, &f->st) != 0)
		return fail(f, SAFEFILE_FAILED, STEP_OPEN, errno, k, path, flags,
			    d, at);
	if (!S_ISREG(f->st.st_mode))
		return fail(f, SAFEFILE_NOT_REGULAR, STEP_OPEN, 0, k, path, flags,
			    d, at);
	if (k->max && (unsigned long long)f->st.st_size > k->max)
		return fail(f, SAFEFILE_TOO_LARGE, STEP_OPEN, 0, k, path, flags,
			    d, at);
	/* A regular file: reads may block as usual (stdio on the fd). */
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0)
		return fail(f, SAFEFILE_FAILED, STEP_OPEN, errno, k, path, flags,
			    d, at);
	f->status = SAFEFILE_OK;
	return 0;
}

void safefile_close(struct safefile *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	free(f->real);
	f->real = NULL;
}

int safefile_read(const char *root, const char *path,
		  const struct safefile_kind *k, unsigned flags,
		  struct sbuf *out, struct diag *d, struct diag_loc at)
{
	struct safefile f;
	size_t start = out->len;
	int r;

	if (!at.file)
		at.file = path;
	r = safefile_open(root, path, k, flags, &f, d, at);
	if (r) {
		safefile_close(&f);
		return r;
	}
	/* Room for the whole file at once, and one more read to see its end. */
	sbuf_grow(out, (size_t)f.st.st_size + 1);
	for (;;) {
		ssize_t n;

		if (out->cap - out->len - 1 < 4096)
			sbuf_grow(out, 4096);
		n = read(f.fd, out->buf + out->len, out->cap - out->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = fail(&f, SAFEFILE_FAILED, STEP_READ, errno, k, path,
				 flags, d, at);
			break;
		}
		if (n == 0)
			break;
		out->len += (size_t)n;
		out->buf[out->len] = '\0';
		/* The limit holds while reading too, should the file grow. */
		if (k->max && out->len - start > k->max) {
			r = fail(&f, SAFEFILE_TOO_LARGE, STEP_READ, 0, k, path,
				 flags, d, at);
			break;
		}
	}
	if (r)
		sbuf_setlen(out, start);
	safefile_close(&f);
	return r;
}

int safefile_inside(const char *root, const char *path,
		    const struct safefile_kind *k, struct diag *d,
		    struct diag_loc at)
{
	char *rroot, *rpath;
	int r;

	if (!at.file)
		at.file = path;
	if (!(rroot = realpath(root, NULL)))
		return report(k, path, SAFEFILE_FAILED, STEP_ROOT, errno, 0, d,
			      at);
	if (!(rpath = realpath(path, NULL))) {
		r = report(k, path, SAFEFILE_FAILED, STEP_RESOLVE, errno, 0, d,
			   at);
		free(rroot);
		return r;
	}
	r = safefile_under(rroot, rpath);
	free(rroot);
	free(rpath);
	return r;
}
