/* out.c: atomic output files, temporary-file sweeping, digests, slugs. */
#include "out.h"
#include "sha256.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

int out_mkdirs(const char *path, struct diag *d)
{
	char *p = xstrdup(path), *s;
	int rc = 0;

	for (s = p + 1;; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;
			*s = '\0';
			if (mkdir(p, 0777) < 0 && errno != EEXIST) {
				rc = diag_error(d, (struct diag_loc){ p, 0, 0 },
						"cannot create the folder: %s",
						strerror(errno));
				break;
			}
			*s = c;
			if (!c)
				break;
		}
	}
	if (rc == 0) {
		struct stat st;
		if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
			rc = diag_error(d, (struct diag_loc){ path, 0, 0 },
					"is not a folder");
	}
	free(p);
	return rc;
}

int out_tmp_for(const char *final, char **tmp, struct diag *d)
{
	static unsigned long counter;
	const char *slash = strrchr(final, '/');
	size_t dirlen = slash ? (size_t)(slash - final) + 1 : 0;
	int tries;

	for (tries = 0; tries < 100; tries++) {
		struct sbuf sb = SBUF_INIT;
		int fd;
		sbuf_add(&sb, final, dirlen);
		sbuf_addf(&sb, "%s%ld-%lu-%s", OUT_TMP_PREFIX, (long)getpid(),
			  __atomic_fetch_add(&counter, 1, __ATOMIC_RELAXED),
			  final + dirlen);
		fd = open(sb.buf, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (fd >= 0) {
			close(fd);
			*tmp = sbuf_detach(&sb, NULL);
			return 0;
		}
		if (errno != EEXIST) {
			int e = errno;
			diag_error(d, (struct diag_loc){ final, 0, 0 },
				   "cannot create a file here: %s", strerror(e));
			sbuf_release(&sb);
			return -1;
		}
		sbuf_release(&sb);
	}
	return diag_error(d, (struct diag_loc){ final, 0, 0 },
			  "cannot find a free temporary name");
}

static int fsync_path(const char *path, int dir)
{
	int fd = open(path, (dir ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
	int rc;
	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

int out_commit(const char *tmp, const char *final, struct diag *d)
{
	char *dir;
	const char *slash;

	if (fsync_path(tmp, 0) < 0 || rename(tmp, final) < 0) {
		int e = errno;
		unlink(tmp);
		return diag_error(d, (struct diag_loc){ final, 0, 0 },
				  "cannot write: %s", strerror(e));
	}
	/* Make the rename itself durable. */
	slash = strrchr(final, '/');
	dir = slash ? xstrndup(final, (size_t)(slash - final)) : xstrdup(".");
	fsync_path(dir, 1);
	free(dir);
	return 0;
}

int out_write_file(const char *final, const void *data, size_t n,
		   struct diag *d)
{
	char *tmp;
	FILE *fp;
	int bad;

	if (out_tmp_for(final, &tmp, d) < 0)
		return -1;
	fp = fopen(tmp, "wb");
	if (!fp) {
		int e = errno;
		unlink(tmp);
		free(tmp);
		return diag_error(d, (struct diag_loc){ final, 0, 0 },
				  "cannot write: %s", strerror(e));
	}
	bad = fwrite(data, 1, n, fp) != n;
	bad |= fclose(fp) != 0;
	if (bad) {
		int e = errno;
		unlink(tmp);
		free(tmp);
		return diag_error(d, (struct diag_loc){ final, 0, 0 },
				  "cannot write: %s", strerror(e ? e : EIO));
	}
	bad = out_commit(tmp, final, d);
	free(tmp);
	return bad;
}

int out_write_tmp(const char *final, const void *data, size_t n, char **tmp,
		  struct diag *d)
{
	FILE *fp;
	int bad, e;

	if (out_tmp_for(final, tmp, d) < 0)
		return -1;
	fp = fopen(*tmp, "wb");
	if (!fp) {
		e = errno;
		goto fail;
	}
	errno = 0;
	bad = fwrite(data, 1, n, fp) != n;
	e = errno;
	if (fclose(fp) != 0 && !bad) {
		bad = 1;
		e = errno;
	}
	if (!bad)
		return 0;
fail:
	unlink(*tmp);
	free(*tmp);
	*tmp = NULL;
	diag_error(d, (struct diag_loc){ final, 0, 0 }, "cannot write: %s",
		   strerror(e ? e : EIO));
	errno = e ? e : EIO;
	return -1;
}

int out_lock(const char *dir, int *fd, struct diag *d)
{
	struct sbuf p = SBUF_INIT, pid = SBUF_INIT;
	char held[32];
	ssize_t got;

	sbuf_addf(&p, "%s/%s", dir, OUT_LOCK_NAME);
	*fd = open(p.buf, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (*fd < 0) {
		int e = errno;
		diag_error(d, (struct diag_loc){ p.buf, 0, 0 },
			   "cannot create the lock file: %s", strerror(e));
		sbuf_release(&p);
		return -1;
	}
	if (flock(*fd, LOCK_EX | LOCK_NB) < 0) {
		int e = errno;
		got = pread(*fd, held, sizeof(held) - 1, 0);
		held[got > 0 ? got : 0] = '\0';
		held[strcspn(held, "\n")] = '\0';
		if (e == EWOULDBLOCK)
			diag_error(d, (struct diag_loc){ dir, 0, 0 },
				   "the output folder is in use by another dossier "
				   "run (pid %s); wait for it to finish, or choose "
				   "another folder with -o", *held ? held : "unknown");
		else
			diag_error(d, (struct diag_loc){ p.buf, 0, 0 },
				   "cannot lock: %s", strerror(e));
		close(*fd);
		*fd = -1;
		sbuf_release(&p);
		return -1;
	}
	sbuf_addf(&pid, "%ld\n", (long)getpid());
	if (ftruncate(*fd, 0) < 0 ||
	    pwrite(*fd, pid.buf, pid.len, 0) != (ssize_t)pid.len) {
		/* The lock holds without the pid: it only helps the message. */
	}
	sbuf_release(&pid);
	sbuf_release(&p);
	return 0;
}

void out_unlock(int fd)
{
	if (fd >= 0) {
		if (ftruncate(fd, 0) < 0) {
			/* the pid of a finished run: harmless */
		}
		close(fd);
	}
}

int out_sweep_tmp(const char *dir)
{
	DIR *dp = opendir(dir);
	struct dirent *e;
	int n = 0;
	size_t plen = strlen(OUT_TMP_PREFIX);

	if (!dp)
		return 0;
	while ((e = readdir(dp))) {
		if (strncmp(e->d_name, OUT_TMP_PREFIX, plen) == 0) {
			struct sbuf p = SBUF_INIT;
			sbuf_addf(&p, "%s/%s", dir, e->d_name);
			if (unlink(p.buf) == 0)
				n++;
			sbuf_release(&p);
		}
	}
	closedir(dp);
	return n;
}

int out_file_sha256(const char *path, char hex[65], long long *size)
{
	unsigned char dg[32];

	if (sha256_file(path, dg, size) < 0)
		return -1;
	hex_encode(dg, sizeof(dg), hex);
	return 0;
}

/* Strip diacritics, so "Ghazaryán" slugs as "ghazaryan": decompose (NFD,
 * ICU's shared normalizer, safe in every thread) and drop the nonspacing
 * marks. A name with no Latin letters gives an empty slug. */
static char *fold_latin(const char *s)
{
	UErrorCode st = U_ZERO_ERROR;
	const UNormalizer2 *nfd = unorm2_getNFDInstance(&st);
	UChar *u, *n;
	int32_t ulen = 0, nlen, i, k = 0, olen = 0;
	char *out;

	u_strFromUTF8(NULL, 0, &ulen, s, -1, &st);
	st = U_ZERO_ERROR;
	u = xmalloc(sizeof(UChar) * (size_t)(ulen + 1));
	u_strFromUTF8(u, ulen + 1, NULL, s, -1, &st);
	nlen = unorm2_normalize(nfd, u, ulen, NULL, 0, &st);
	st = U_ZERO_ERROR;
	n = xmalloc(sizeof(UChar) * (size_t)(nlen + 1));
	unorm2_normalize(nfd, u, ulen, n, nlen + 1, &st);
	free(u);
	if (U_FAILURE(st)) {
		free(n);
		return xstrdup(s);
	}
	for (i = 0; i < nlen; i++)
		if (u_charType(n[i]) != U_NON_SPACING_MARK)
			n[k++] = n[i];
	u_strToUTF8(NULL, 0, &olen, n, k, &st);
	st = U_ZERO_ERROR;
	out = xmalloc((size_t)olen + 1);
	u_strToUTF8(out, olen + 1, NULL, n, k, &st);
	free(n);
	return out;
}

void out_slug(const char *name, size_t max, struct sbuf *out)
{
	char *folded = fold_latin(name);
	size_t start = out->len, i;
	int sep = 0;

	for (i = 0; folded[i]; i++) {
		unsigned char c = (unsigned char)folded[i];
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    (c >= 'A' && c <= 'Z')) {
			if (sep && out->len > start)
				sbuf_addch(out, '-');
			sep = 0;
			sbuf_addch(out, c >= 'A' && c <= 'Z' ? c + 32 : c);
		} else if (c == '\'') {
			/* an apostrophe joins: O'Neil -> oneil */
		} else {
			sep = 1;
		}
	}
	free(folded);
	if (out->len - start > max) {
		size_t cut = start + max;
		size_t h = cut;
		/* Cut at the last hyphen within the limit, if there is one. */
		while (h > start && out->buf[h] != '-')
			h--;
		sbuf_setlen(out, h > start ? h : cut);
	}
	while (out->len > start && out->buf[out->len - 1] == '-')
		sbuf_setlen(out, out->len - 1);
}
