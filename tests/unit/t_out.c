/* t_out.c: slugs, atomic writes, sweeping temporary files, digests. */
#include "harness.h"
#include "out.h"
#include "util.h"

#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *slug(const char *name, size_t max)
{
	static struct sbuf sb = SBUF_INIT;
	sbuf_reset(&sb);
	out_slug(name, max, &sb);
	return sb.buf;
}

static int count_entries(const char *dir)
{
	DIR *dp = opendir(dir);
	struct dirent *e;
	int n = 0;
	while (dp && (e = readdir(dp)))
		if (e->d_name[0] != '.' || strncmp(e->d_name, OUT_TMP_PREFIX, 5) == 0)
			n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	if (dp)
		closedir(dp);
	return n;
}

int main(void)
{
	char dir[] = "/tmp/t_out.XXXXXX", path[256], *tmp = NULL, hex[65];
	struct diag d = DIAG_INIT;
	long long size;
	FILE *fp;

	check_str(slug("Tigran Avetisyan", 40), "tigran-avetisyan");
	check_str(slug("  Ter-Grigoryan,  Aram  ", 40), "ter-grigoryan-aram");
	check_str(slug("Mher Ghazaryán", 40), "mher-ghazaryan");
	check_str(slug("O'Neil 3rd", 40), "oneil-3rd");
	check_str(slug("../../etc/passwd", 40), "etc-passwd");
	check_str(slug("Արամ Պետրոսյան", 40), "");
	check_str(slug("Hovhannes Tsaturyan-Mkrtchyan Yeghiazaryan", 40),
		  "hovhannes-tsaturyan-mkrtchyan");
	check_str(slug("Abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz", 40),
		  "abcdefghijklmnopqrstuvwxyzabcdefghijklmn");
	check(strlen(slug("a b c d e f g h i j k l m n o p q r s t u v w x y z", 40)) <= 40);

	check(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/a/b/c", dir);
	check_int(out_mkdirs(path, &d), 0);
	snprintf(path, sizeof(path), "%s/a/b/c/file.txt", dir);
	check_int(out_write_file(path, "hello\n", 6, &d), 0);
	check_int(out_file_sha256(path, hex, &size), 0);
	check_str(hex, "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03");
	check_int(size, 6);
	/* Overwriting replaces the content whole. */
	check_int(out_write_file(path, "bye\n", 4, &d), 0);
	check_int(out_file_sha256(path, hex, &size), 0);
	check_int(size, 4);
	/* A temporary file of a killed run is swept; finals stay. */
	check_int(out_tmp_for(path, &tmp, &d), 0);
	check(strstr(tmp, OUT_TMP_PREFIX) != NULL);
	fp = fopen(tmp, "w");
	fputs("partial", fp);
	fclose(fp);
	snprintf(path, sizeof(path), "%s/a/b/c", dir);
	check_int(count_entries(path), 2);
	check_int(out_sweep_tmp(path), 1);
	check_int(count_entries(path), 1);
	free(tmp);
	/* A folder that cannot be made is an error, not a crash. */
	snprintf(path, sizeof(path), "%s/a/b/c/file.txt/sub", dir);
	check_int(out_mkdirs(path, &d), -1);
	check_int(d.nerrors, 1);
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	check_int(system(path), 0);
	diag_release(&d);
	return check_done();
}
