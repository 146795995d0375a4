/* protect.c: AES-256 encryption of finished PDFs through qpdf's C API. */
#include "protect.h"
#include "diag.h"
#include "sbuf.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <qpdf/qpdf-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* 24 random bytes in hex: the owner password when none is given. */
static char *random_password(void)
{
	unsigned char raw[24];
	char hex[2 * sizeof(raw) + 1], *pw;
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	ssize_t got = fd >= 0 ? read(fd, raw, sizeof(raw)) : -1;

	if (fd >= 0)
		close(fd);
	if (got != (ssize_t)sizeof(raw))
		return NULL;
	hex_encode(raw, sizeof(raw), hex);
	pw = xstrdup(hex);
	memset(raw, 0, sizeof(raw));
	memset(hex, 0, sizeof(hex));
	return pw;
}

int protect_load(struct protect *p, const char *path, struct diag *d)
{
	struct sbuf line = SBUF_INIT;
	char *lines[2] = { NULL, NULL };
	FILE *fp;
	int c, n = 0;

	memset(p, 0, sizeof(*p));
	fp = fopen(path, "rb");
	if (!fp)
		return diag_error(d, (struct diag_loc){ path, 0, 0 },
				  "cannot read the password file: %s", strerror(errno));
	for (;;) {
		c = fgetc(fp);
		if (c == EOF || c == '\n') {
			if (line.len && line.buf[line.len - 1] == '\r')
				sbuf_setlen(&line, line.len - 1);
			if (n < 2)
				lines[n++] = sbuf_detach(&line, NULL);
			sbuf_reset(&line);
			if (c == EOF || n == 2)
				break;
		} else {
			sbuf_addch(&line, c);
		}
	}
	fclose(fp);
	sbuf_release(&line);
	if (!lines[0] || !*lines[0]) {
		free(lines[0]);
		free(lines[1]);
		return diag_error(d, (struct diag_loc){ path, 1, 0 },
				  "the password file's first line (the password "
				  "that opens the briefs) is empty");
	}
	p->user = lines[0];
	if (lines[1] && *lines[1]) {
		p->owner = lines[1];
	} else {
		free(lines[1]);
		p->owner = random_password();
		if (!p->owner) {
			protect_release(p);
			return diag_error(d, (struct diag_loc){ "/dev/urandom", 0, 0 },
					  "cannot read random bytes for the owner "
					  "password: %s", strerror(errno ? errno : EIO));
		}
	}
	return 0;
}

void protect_release(struct protect *p)
{
	if (p->user)
		memset(p->user, 0, strlen(p->user));
	if (p->owner)
		memset(p->owner, 0, strlen(p->owner));
	free(p->user);
	free(p->owner);
	p->user = p->owner = NULL;
}

static int qpdf_failed(qpdf_data q, const char *path, struct diag *d)
{
	if (!qpdf_has_error(q))
		return 0;
	diag_error(d, (struct diag_loc){ path, 0, 0 }, "cannot encrypt: %s",
		   qpdf_get_error_full_text(q, qpdf_get_error(q)));
	return -1;
}

/* Encrypt in memory: the only copy in the clear is this process's. */
int protect_buffer(const struct protect *p, const char *name,
		   const void *in, size_t len, unsigned char **out,
		   size_t *outlen, struct diag *d)
{
	qpdf_data q = qpdf_init();
	int rc = -1;

	*out = NULL;
	*outlen = 0;
	qpdf_silence_errors(q);
	qpdf_set_suppress_warnings(q, QPDF_TRUE);
	if ((qpdf_read_memory(q, name, in, (unsigned long long)len, NULL) & QPDF_ERRORS) ||
	    qpdf_failed(q, name, d))
		goto out;
	if ((qpdf_init_write_memory(q) & QPDF_ERRORS) || qpdf_failed(q, name, d))
		goto out;
	qpdf_set_r6_encryption_parameters2(q, p->user, p->owner,
		/*accessibility*/ QPDF_TRUE, /*extract*/ QPDF_FALSE,
		/*assemble*/ QPDF_FALSE, /*annotate_and_form*/ QPDF_FALSE,
		/*form_filling*/ QPDF_FALSE, /*modify_other*/ QPDF_FALSE,
		qpdf_r3p_full, /*encrypt_metadata*/ QPDF_TRUE);
	if (qpdf_failed(q, name, d))
		goto out;
	if ((qpdf_write(q) & QPDF_ERRORS) || qpdf_failed(q, name, d))
		goto out;
	*outlen = qpdf_get_buffer_length(q);
	*out = xmalloc(*outlen ? *outlen : 1);
	memcpy(*out, qpdf_get_buffer(q), *outlen);
	rc = 0;
out:
	qpdf_cleanup(&q);
	return rc;
}

int protect_opens(const struct protect *p, const char *path)
{
	qpdf_data q = qpdf_init();
	int ok;

	qpdf_silence_errors(q);
	qpdf_set_suppress_warnings(q, QPDF_TRUE);
	qpdf_set_attempt_recovery(q, QPDF_FALSE);
	ok = !(qpdf_read(q, path, p->user) & QPDF_ERRORS) && !qpdf_has_error(q) &&
	     qpdf_is_encrypted(q);
	qpdf_cleanup(&q);
	return ok;
}
