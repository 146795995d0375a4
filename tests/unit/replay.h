/* replay.h: replay a fuzz corpus folder through the target compiled into
 * the test: each input's bytes go to a function of the test, with the
 * file's name, which runs the target and checks what it gave. Returns the
 * number of inputs replayed. A crash or sanitizer report fails the run. */
#ifndef DOSSIER_REPLAY_H
#define DOSSIER_REPLAY_H

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void replay_fn(const char *name, const uint8_t *data, size_t size);

/* Names in a fixed order, so the replay is the same wherever it runs. */
static int replay_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int replay_dir(const char *dir, replay_fn *one)
{
	DIR *dp = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int files = 0;

	check(dp != NULL);
	while (dp && (e = readdir(dp))) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 32;
			names = realloc(names, cap * sizeof(*names));
			if (!names)
				abort();
		}
		names[n++] = strdup(e->d_name);
	}
	if (dp)
		closedir(dp);
	if (n)
		qsort(names, n, sizeof(*names), replay_cmp);
	for (size_t i = 0; i < n; i++) {
		char path[512];
		unsigned char *buf = NULL;
		long len;
		FILE *fp;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		fp = fopen(path, "rb");
		check(fp != NULL);
		if (fp && fseek(fp, 0, SEEK_END) == 0 && (len = ftell(fp)) >= 0 &&
		    fseek(fp, 0, SEEK_SET) == 0) {
			buf = malloc((size_t)len + 1);
			if (buf && fread(buf, 1, (size_t)len, fp) == (size_t)len) {
				one(names[i], buf, (size_t)len);
				files++;
			} else {
				check(!"read the input");
			}
		}
		free(buf);
		if (fp)
			fclose(fp);
		free(names[i]);
	}
	free(names);
	return files;
}

#endif
