/* protect.h: password protection of written PDFs with AES-256 (qpdf).
 *
 * The files dossier writes are encrypted in memory, before they reach
 * the disk, with qpdf's own library: AES-256 (PDF 2.0 security handler, R6), a user
 * password to open the file, and permissions that allow printing and
 * nothing else (no copying of text, no changes, no annotations, no
 * assembly). Permissions are honoured by viewers, not enforced by the
 * cipher: anyone who can open the file can read it. */
#ifndef DOSSIER_PROTECT_H
#define DOSSIER_PROTECT_H

#include <stddef.h>

struct diag;

struct protect {
	char *user;   /* opens the file */
	char *owner;  /* changes the permissions: random unless given */
};

/* Read the passwords from path: the first line is the user password; a
 * second line, if any, the owner password (else a random one is made).
 * Returns 0, or -1 with an error in d (unreadable, empty password). */
int protect_load(struct protect *p, const char *path, struct diag *d);
void protect_release(struct protect *p);

/* Encrypt the PDF in in[0..len) into *out (malloc'd, *outlen bytes): no
 * copy in the clear is ever written to a file. Returns 0, or -1 with an
 * error in d naming name. */
int protect_buffer(const struct protect *p, const char *name,
		   const void *in, size_t len, unsigned char **out,
		   size_t *outlen, struct diag *d);

/* Whether the PDF at path is encrypted and opens with p's user password:
 * the file itself says whether it was made with this password, so no
 * digest of the password is kept anywhere. */
int protect_opens(const struct protect *p, const char *path);

#endif
