/* sha256.h: SHA-256 (FIPS 180-4), for the manifest's file digests. */
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
/* Lowercase hex of the digest of data (65 bytes with the NUL). */
void sha256_hex(const void *data, size_t n, char hex[65]);

#endif
