/* harness.h: the tiny unit-test harness. Each t_<module>.c includes it,
 * calls the check_* macros, and returns check_done() from main. The last
 * line a test prints is "# N passed, M failed", which tests/run.sh sums. */
#ifndef DOSSIER_HARNESS_H
#define DOSSIER_HARNESS_H

#include <stdio.h>
#include <string.h>

static int h_pass, h_fail;

#define check(cond)                                                        \
	do {                                                               \
		if (cond) {                                                \
			h_pass++;                                          \
		} else {                                                   \
			h_fail++;                                          \
			fprintf(stderr, "%s:%d: check failed: %s\n",       \
				__FILE__, __LINE__, #cond);                \
		}                                                          \
	} while (0)

#define check_int(got, want)                                               \
	do {                                                               \
		long long g_ = (long long)(got), w_ = (long long)(want);   \
		if (g_ == w_) {                                            \
			h_pass++;                                          \
		} else {                                                   \
			h_fail++;                                          \
			fprintf(stderr, "%s:%d: %s = %lld, want %lld\n",   \
				__FILE__, __LINE__, #got, g_, w_);         \
		}                                                          \
	} while (0)

#define check_str(got, want)                                               \
	do {                                                               \
		const char *g_ = (got), *w_ = (want);                      \
		if (g_ && w_ && strcmp(g_, w_) == 0) {                     \
			h_pass++;                                          \
		} else {                                                   \
			h_fail++;                                          \
			fprintf(stderr, "%s:%d: %s = \"%s\", want \"%s\"\n", \
				__FILE__, __LINE__, #got, g_ ? g_ : "(null)", \
				w_ ? w_ : "(null)");                       \
		}                                                          \
	} while (0)

static inline int check_done(void)
{
	printf("# %d passed, %d failed\n", h_pass, h_fail);
	return h_fail ? 1 : 0;
}

#endif
