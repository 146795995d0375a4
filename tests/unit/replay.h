/* replay.h: replay a fuzz corpus folder through the target compiled into
 * the test (LLVMFuzzerTestOneInput), one check per input. Returns the
 * number of inputs replayed. A crash or sanitizer report fails the run. */
#ifndef DOSSIER_REPLAY_H
#define DOSSIER_REPLAY_H

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_dir(const char *dir)
{
	DIR *dp = opendir(dir);
	struct dirent *e;
	int files = 0;

	check(dp != NULL);
	while (dp && (e = readdir(dp))) {
		char path[512];
		FILE *fp;
		unsigned char *buf;
		long n;
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		fp = fopen(path, "rb");
		if (!fp)
			continue;
		fseek(fp, 0, SEEK_END);
		n = ftell(fp);
		fseek(fp, 0, SEEK_SET);
		buf = malloc((size_t)n + 1);
		if (fread(buf, 1, (size_t)n, fp) == (size_t)n)
			check_int(LLVMFuzzerTestOneInput(buf, (size_t)n), 0);
		free(buf);
		fclose(fp);
		files++;
	}
	if (dp)
		closedir(dp);
	return files;
}

#endif
