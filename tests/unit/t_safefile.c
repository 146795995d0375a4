/* t_safefile.c: the reader of files that a folder names: regular files
 * only (never waiting on a FIFO, never reading a device or a folder), of
 * a bounded size, inside their folder, with messages that name the file
 * and what failed. */
#include "harness.h"

#include "diag.h"
#include "safefile.h"
#include "sbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[] = "/tmp/t_safefile.XXXXXX";

/* Messages located at the file, and messages naming it. */
static const struct safefile_kind at_file = { NULL, "the test folder", 64 };
static const struct safefile_kind named = { "test file", "the test folder", 64 };

static const char *in_root(const char *name)
{
	static struct sbuf p = SBUF_INIT;
	sbuf_reset(&p);
	sbuf_addf(&p, "%s/%s", root, name);
	return p.buf;
}

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");
	check(fp != NULL);
	if (fp) {
		fputs(text, fp);
		fclose(fp);
	}
}

/* The only message of d, which must hold exactly one; d is cleared. */
static const char *only_msg(struct diag *d)
{
	static char msg[512];
	snprintf(msg, sizeof(msg), "%s", d->n == 1 ? d->v[0].msg : "(not one)");
	if (d->n != 1)
		fprintf(stderr, "%zu messages\n", d->n);
	diag_clear(d);
	return msg;
}

static void test_regular(void)
{
	struct sbuf out = SBUF_INIT;
	struct diag d = DIAG_INIT;
	struct safefile f;
	char path[256];

	snprintf(path, sizeof(path), "%s", in_root("ok.txt"));
	write_file(path, "hello\n");
	sbuf_addstr(&out, ">");
	check_int(safefile_read(root, path, &at_file, 0, &out, &d,
				(struct diag_loc){ NULL, 0, 0 }), 0);
	check_str(out.buf, ">hello\n");
	check_int(d.n, 0);
	/* Anywhere when no folder is given. */
	sbuf_reset(&out);
	check_int(safefile_read(NULL, path, &named, 0, &out, &d,
				(struct diag_loc){ NULL, 0, 0 }), 0);
	check_str(out.buf, "hello\n");

	/* Opened: blocking again, the resolved path, the size. */
	check_int(safefile_open(root, path, &at_file, 0, &f, &d,
				(struct diag_loc){ NULL, 0, 0 }), 0);
	check(f.fd >= 0);
	check_int(f.status, SAFEFILE_OK);
	check_int(f.st.st_size, 6);
	check(f.fd >= 0 && !(fcntl(f.fd, F_GETFL) & O_NONBLOCK));
	check(f.real && strstr(f.real, "/ok.txt") && f.real[0] == '/');
	safefile_close(&f);
	check_int(f.fd, -1);
	check(f.real == NULL);

	/* A path relative to the folder. */
	sbuf_reset(&out);
	check_int(safefile_read(root, "ok.txt", &at_file, SAFEFILE_RELATIVE,
				&out, &d, (struct diag_loc){ NULL, 0, 0 }), 0);
	check_str(out.buf, "hello\n");
	check_int(d.n, 0);
	sbuf_release(&out);
	diag_release(&d);
}

static void test_too_large(void)
{
	struct sbuf out = SBUF_INIT;
	struct diag d = DIAG_INIT;
	char big[80], path[256];
	struct safefile f;

	memset(big, 'x', 65);
	big[65] = '\0';
	snprintf(path, sizeof(path), "%s", in_root("big.txt"));
	write_file(path, big);
	sbuf_addstr(&out, "kept");
	check_int(safefile_read(root, path, &at_file, 0, &out, &d,
				(struct diag_loc){ NULL, 0, 0 }), -1);
	check_str(only_msg(&d), "refused: larger than 64 bytes");
	check_str(out.buf, "kept");
	check_int(safefile_read(root, path, &named, 0, &out, &d,
				(struct diag_loc){ "conf", 3, 0 }), -1);
	check(d.n == 1 && !strcmp(d.v[0].file, "conf") && d.v[0].line == 3);
	{
		char want[400];
		snprintf(want, sizeof(want), "test file '%s' is larger than 64 bytes",
			 path);
		check_str(only_msg(&d), want);
	}
	/* Exactly the limit is fine. */
	big[64] = '\0';
	write_file(path, big);
	sbuf_reset(&out);
	check_int(safefile_read(root, path, &at_file, 0, &out, &d,
				(struct diag_loc){ NULL, 0, 0 }), 0);
	check_int(out.len, 64);
	/* Without a report, the status says it. */
	write_file(path, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
	check_int(safefile_open(root, path, &at_file, 0, &f, NULL,
				(struct diag_loc){ NULL, 0, 0 }), -1);
	check_int(f.status, SAFEFILE_TOO_LARGE);
	check_int(f.fd, -1);
	safefile_close(&f);
	/* MiB limits are said in MiB. */
	{
		const struct safefile_kind mib = { NULL, "the test folder", 1u << 20 };
		FILE *fp = fopen(path, "w");
		check(fp != NULL);
		if (fp) {
			for (int i = 0; i < (1 << 20) + 1; i++)
				fputc('y', fp);
			fclose(fp);
		}
		check_int(safefile_read(root, path, &mib, 0, &out, &d,
					(struct diag_loc){ NULL, 0, 0 }), -1);
		check_str(only_msg(&d), "refused: larger than 1 MiB");
	}
	unlink(path);
	sbuf_release(&out);
	diag_release(&d);
}

static void test_not_regular(void)
{
	struct sbuf out = SBUF_INIT;
	struct diag d = DIAG_INIT;
	struct safefile f;
	char path[256], want[400];

	/* A FIFO nobody writes to: a blocking open would hang here. */
	snprintf(path, sizeof(path), "%s", in_root("fifo"));
	check_int(mkfifo(path, 0600), 0);
	check_int(safefile_read(root, path, &at_file, 0, &out, &d,
				(struct diag_loc){ NULL, 0, 0 }), -1);
	check(d.n == 1 && !strcmp(d.v[0].file, path));
	check_str(only_msg(&d), "refused: not a regular file (a FIFO)");
	check_int(safefile_open(NULL, path, &named, 0, &f, &d,
				(struct diag_loc){ "conf", 1, 0 }), -1);
	check_int(f.status, SAFEFILE_NOT_REGULAR);
	check(S_ISFIFO(f.st.st_mode));
	safefile_close(&f);
	snprintf(want, sizeof(want), "test file '%s' is not a regular file (a FIFO)",
		 path);
	check_str(only_msg(&d), want);
	unlink(path);

	/* A device, anywhere. */
	check_int(safefile_read(NULL, "/dev/null", &named, 0, &out, &d,
				(struct diag_loc){ "conf", 1, 0 }), -1);
	check_str(only_msg(&d), "test file '/dev/null' is not a regular file (a device)");
	check_int((int)out.len, 0);

	/* A folder. */
	snprintf(path, sizeof(path), "%s", in_root("dir"));
	check_int(mkdir(path, 0700), 0);
	check_int(safefile_read(root, path, &at_file, 0, &out, &d,
				(struct diag_loc){ NULL, 0, 0 }), -1);
	check_str(only_msg(&d), "refused: not a regular file (a folder)");
	rmdir(path);
	check_str(safefile_what_is(S_IFSOCK), "a socket");
	sbuf_release(&out);
	diag_release(&d);
}

static void test_outside(void)
{
	struct sbuf out = SBUF_INIT;
	struct diag d = DIAG_INIT;
	struct safefile f;
	char path[400], sub[256], want[600];

	/* A symlink out of the folder: refused before it is opened, even
	 * with MISSING_OK; read without a folder. */
	snprintf(path, sizeof(path), "%s", in_root("passwd"));
	check_int(symlink("/etc/passwd", path), 0);
	check_int(safefile_read(root, path, &at_file, SAFEFILE_MISSING_OK, &out,
				&d, (struct diag_loc){ NULL, 0, 0 }), -1);
	check_str(only_msg(&d), "refused: the file lies outside the test folder");
	check_int((int)out.len, 0);
	check_int(safefile_read(root, path, &named, 0, &out, &d,
				(struct diag_loc){ "conf", 2, 0 }), -1);
	snprintf(want, sizeof(want), "test file '%s' is outside the test folder", path);
	check_str(only_msg(&d), want);
	check_int(safefile_open(root, path, &at_file, 0, &f, NULL,
				(struct diag_loc){ NULL, 0, 0 }), -1);
	check_int(f.status, SAFEFILE_OUTSIDE);
	safefile_close(&f);
	check_int(safefile_inside(root, path, &at_file, &d,
				  (struct diag_loc){ NULL, 0, 0 }), 0);
	check_int(d.n, 0);
	unlink(path);

	/* A symlink that stays inside is fine. */
	check_int(symlink("ok.txt", path), 0);
	check_int(safefile_read(root, path, &at_file, 0, &out, &d,
				(struct diag_loc){ NULL, 0, 0 }), 0);
	check_str(out.buf, "hello\n");
	check_int(safefile_inside(root, path, &at_file, &d,
				  (struct diag_loc){ NULL, 0, 0 }), 1);
	unlink(path);
	/* One that leads nowhere cannot be resolved. */
	check_int(symlink("nowhere.txt", path), 0);
	check_int(safefile_read(root, path, &at_file, SAFEFILE_MISSING_OK, &out,
				&d, (struct diag_loc){ NULL, 0, 0 }), -1);
	check_str(only_msg(&d), "cannot resolve: No such file or directory");
	unlink(path);

	/* "..": resolved like any path when it stays inside, refused when
	 * it leads out; refused outright for a relative path. */
	snprintf(sub, sizeof(sub), "%s", in_root("sub"));
	check_int(mkdir(sub, 0700), 0);
	snprintf(path, sizeof(path), "%s/../ok.txt", sub);
	sbuf_reset(&out);
	check_int(safefile_read(root, path, &at_file, 0, &out, &d,
				(struct diag_loc){ NULL, 0, 0 }), 0);
	check_str(out.buf, "hello\n");
	/* root.out, beside the folder */
	snprintf(want, sizeof(want), "%s.out", root);
	write_file(want, "");
	snprintf(path, sizeof(path), "%s/../../%s.out", sub, strrchr(root, '/') + 1);
	check_int(safefile_read(root, path, &at_file, 0, &out, &d,
				(struct diag_loc){ NULL, 0, 0 }), -1);
	check_str(only_msg(&d), "refused: the file lies outside the test folder");
	unlink(want);
	check_int(safefile_read(root, "sub/../ok.txt", &named, SAFEFILE_RELATIVE,
				&out, &d, (struct diag_loc){ "roster.csv", 4, 7 }), -1);
	check_str(only_msg(&d), "test file 'sub/../ok.txt' leads out of the test "
		  "folder (\"..\")");
	check_int(safefile_open(root, "..\\ok.txt", &named, SAFEFILE_RELATIVE, &f,
				NULL, (struct diag_loc){ NULL, 0, 0 }), -1);
	check_int(f.status, SAFEFILE_DOTDOT);
	safefile_close(&f);
	check_int(safefile_read(root, "/etc/passwd", &at_file, SAFEFILE_RELATIVE,
				&out, &d, (struct diag_loc){ NULL, 0, 0 }), -1);
	check_str(only_msg(&d), "refused: an absolute path; give a path relative "
		  "to the test folder");
	check_int(safefile_open(root, "C:photo.jpg", &named, SAFEFILE_RELATIVE, &f,
				NULL, (struct diag_loc){ NULL, 0, 0 }), -1);
	check_int(f.status, SAFEFILE_ABSOLUTE);
	safefile_close(&f);
	/* A name that merely starts with two dots is a name. */
	write_file(in_root("..ok"), "dots");
	sbuf_reset(&out);
	check_int(safefile_read(root, "..ok", &named, SAFEFILE_RELATIVE, &out, &d,
				(struct diag_loc){ NULL, 0, 0 }), 0);
	check_str(out.buf, "dots");
	unlink(in_root("..ok"));
	rmdir(sub);

	/* A folder that does not exist. */
	check_int(safefile_read("/nonexistent-t_safefile", "/etc/passwd", &at_file,
				0, &out, &d, (struct diag_loc){ NULL, 0, 0 }), -1);
	check_str(only_msg(&d), "cannot resolve the test folder: No such file or "
		  "directory");
	check_int(safefile_inside("/nonexistent-t_safefile", "/etc/passwd",
				  &at_file, &d, (struct diag_loc){ NULL, 0, 0 }), -1);
	check_int(d.nerrors, 1);
	diag_clear(&d);
	check_int(safefile_under("/", "/etc/passwd"), 1);
	check_int(safefile_under("/etc/", "/etc/passwd"), 1);
	check_int(safefile_under("/etc", "/etcetera/x"), 0);
	check_int(safefile_under("/etc", "/etc"), 0);
	sbuf_release(&out);
	diag_release(&d);
}

static void test_missing(void)
{
	struct sbuf out = SBUF_INIT;
	struct diag d = DIAG_INIT;
	struct safefile f;
	char path[256], want[400];

	snprintf(path, sizeof(path), "%s", in_root("none.txt"));
	/* Silent when allowed, inside a folder or anywhere. */
	check_int(safefile_read(root, path, &at_file, SAFEFILE_MISSING_OK, &out,
				&d, (struct diag_loc){ NULL, 0, 0 }), 1);
	check_int(safefile_read(NULL, path, &named, SAFEFILE_MISSING_OK, &out,
				&d, (struct diag_loc){ NULL, 0, 0 }), 1);
	check_int(d.n, 0);
	check_int(safefile_open(root, path, &at_file, SAFEFILE_MISSING_OK, &f,
				&d, (struct diag_loc){ NULL, 0, 0 }), 1);
	check_int(f.status, SAFEFILE_MISSING);
	check_int(f.err, ENOENT);
	safefile_close(&f);
	/* Else an error naming the file. */
	check_int(safefile_read(root, path, &at_file, 0, &out, &d,
				(struct diag_loc){ NULL, 0, 0 }), -1);
	check(d.n == 1 && !strcmp(d.v[0].file, path));
	check_str(only_msg(&d), "cannot open: No such file or directory");
	check_int(safefile_read(NULL, path, &named, 0, &out, &d,
				(struct diag_loc){ "conf", 9, 0 }), -1);
	snprintf(want, sizeof(want), "cannot read test file '%s': No such file or "
		 "directory", path);
	check_str(only_msg(&d), want);
	check_int((int)out.len, 0);
	sbuf_release(&out);
	diag_release(&d);
}

int main(void)
{
	if (!mkdtemp(root)) {
		check(0);
		return check_done();
	}
	test_regular();
	test_too_large();
	test_not_regular();
	test_outside();
	test_missing();
	unlink(in_root("ok.txt"));
	rmdir(root);
	return check_done();
}
