/* t_fuzz_typeset.c: replays the typesetter's fuzz corpus (seeds and every
 * crash found so far) through the fuzz target, in the plain and sanitizer
 * builds. A crash or sanitizer report fails the run. */
#include "harness.h"
#include "../fuzz/fuzz_typeset.c"

#include <dirent.h>
#include <stdlib.h>

int main(void)
{
	const char *dir = "tests/fuzz/corpus/typeset";
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
	check(files >= 10);
	return check_done();
}
