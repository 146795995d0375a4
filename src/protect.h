/* protect.h: password protection of written PDFs with AES-256 (qpdf).
 *
 * The files dossier writes are encrypted afterwards with qpdf's own
 * library: AES-256 (PDF 2.0 security handler, R6), a user
 * password to open the file, and permissions that allow printing and
 * nothing else (no copying of text, no changes, no annotations, no
 * assembly). Permissions are honoured by viewers, not enforced by the
 * cipher: anyone who can open the file can read it. */
#ifndef DOSSIER_PROTECT_H
#define DOSSIER_PROTECT_H

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

/* Encrypt the PDF in_path into out_path. Returns 0, or -1 with an error
 * in d (out_path may then exist and must be removed by the caller). */
int protect_pdf(const struct protect *p, const char *in_path,
		const char *out_path, struct diag *d);

#endif
