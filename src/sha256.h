/* sha256.h: SHA-256 (FIPS 180-4), for the manifest's file digests and the
 * inputs of each brief. */
#ifndef DOSSIER_SHA256_H
#define DOSSIER_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t len;       /* bytes hashed so far */
	unsigned char buf[64];
	size_t nbuf;
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t n);
void sha256_final(struct sha256 *c, unsigned char out[32]);
/* Lowercase hex of the digest of data (65 bytes with the NUL; hex_encode
 * of util.h, which hex_decode reverses). */
void sha256_hex(const void *data, size_t n, char hex[65]);
/* The digest of the file at path (read to its end) and its size in
 * bytes. Returns 0, or -1 when it cannot be opened or read (errno says
 * why). */
int sha256_file(const char *path, unsigned char out[32], long long *size);

#endif
