/* util.h: allocation that never returns NULL, BUG() for our own mistakes,
 * hex, and a few small helpers shared by every stage. */
#ifndef DOSSIER_UTIL_H
#define DOSSIER_UTIL_H

#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Out of memory is the one failure that aborts below the command line. */
void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Grow an array *p of *cap elements so that it holds at least need. */
#define ALLOC_GROW(p, need, cap)                                          \
	do {                                                              \
		if ((need) > (cap)) {                                     \
			size_t nc_ = (cap) ? (cap) * 2 : 16;              \
			while (nc_ < (need))                              \
				nc_ *= 2;                                 \
			(p) = xrealloc((p), nc_ * sizeof(*(p)));          \
			(cap) = nc_;                                      \
		}                                                         \
	} while (0)

/* A bug in dossier itself: names the source file and line, then aborts. */
_Noreturn void bug_fl(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#define BUG(...) bug_fl(__FILE__, __LINE__, __VA_ARGS__)

/* Decode one UTF-8 sequence at s (n bytes available). Returns its length
 * (1..4) and stores the code point in *cp, or returns 0 when the bytes are
 * not well-formed UTF-8 (overlong, surrogate, truncated, > U+10FFFF). */
int utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);
/* Encode cp as UTF-8 into out (4 bytes); returns the length. */
int utf8_encode(uint32_t cp, char *out);
/* Number of code points in a well-formed UTF-8 string of n bytes. */
size_t utf8_count(const char *s, size_t n);

/* Lowercase hex of the n bytes at p into out: 2 * n digits and a NUL. */
void hex_encode(const void *p, size_t n, char *out);
/* The n bytes that the 2 * n hex digits of s (then its end) stand for,
 * into out. Only lowercase digits are taken, as hex_encode writes them:
 * returns -1 for any other character (uppercase among them) or another
 * length, and out is then undefined. */
int hex_decode(const char *s, void *out, size_t n);

/* The edit distance of a and b (insertions, deletions, substitutions, and
 * swaps of neighbours: "hled" is one edit from "held"), letters compared
 * without case; stops counting past limit (returns limit + 1). */
size_t edit_distance(const char *a, const char *b, size_t limit);
/* How far a word may be from what was meant: one edit in a short word,
 * two from five characters on. */
size_t near_limit(const char *s);

#endif
