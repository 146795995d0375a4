/* t_translit.c: names transliterated by the rules of layouts/translit/ the
 * way readers spell them, and errors in rule files. The full names are
 * fictional combinations of common given names and surnames. */
#include "harness.h"

#include "diag.h"
#include "sbuf.h"
#include "translit.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static translit_set *T;
static char *last;

static const char *tr(const char *from, const char *to, const char *name)
{
	free(last);
	last = translit_name(T, from, to, name, NULL);
	return last ? last : "(null)";
}

/* Files of a layouts folder: only regular files inside it are read. */
static void test_read_file(void)
{
	char root[] = "/tmp/t_translit.XXXXXX";
	struct sbuf p = SBUF_INIT, out = SBUF_INIT;
	struct diag d = DIAG_INIT;
	FILE *fp;

	if (!mkdtemp(root)) {
		check(0);
		return;
	}
	sbuf_addf(&p, "%s/ok.txt", root);
	fp = fopen(p.buf, "w");
	check(fp != NULL);
	if (fp) {
		fputs("a > b ;\n", fp);
		fclose(fp);
	}
	check_int(translit_read_file(root, p.buf, 0, &out, &d), 0);
	check_str(out.buf, "a > b ;\n");
	check_int(d.nerrors, 0);

	/* Missing: silent when allowed, else an error. */
	sbuf_reset(&p);
	sbuf_addf(&p, "%s/none.txt", root);
	check_int(translit_read_file(root, p.buf, 1, &out, &d), 1);
	check_int(d.nerrors, 0);
	check_int(translit_read_file(root, p.buf, 0, &out, &d), -1);
	check_int(d.nerrors, 1);
	diag_clear(&d);

	/* A symlink out of the folder. */
	sbuf_reset(&p);
	sbuf_addf(&p, "%s/out.txt", root);
	check_int(symlink("/etc/passwd", p.buf), 0);
	sbuf_reset(&out);
	check_int(translit_read_file(root, p.buf, 1, &out, &d), -1);
	check(d.n == 1 && strstr(d.v[0].msg, "lies outside the layouts folder"));
	check_int((int)out.len, 0);
	unlink(p.buf);
	diag_clear(&d);

	/* A FIFO: refused at once, never waited on. */
	sbuf_reset(&p);
	sbuf_addf(&p, "%s/fifo.txt", root);
	check_int(mkfifo(p.buf, 0600), 0);
	check_int(translit_read_file(root, p.buf, 1, &out, &d), -1);
	check(d.n == 1 && strstr(d.v[0].msg, "not a regular file (a FIFO)"));
	unlink(p.buf);
	diag_clear(&d);

	/* A folder where a file should be. */
	sbuf_reset(&p);
	sbuf_addf(&p, "%s/dir.txt", root);
	check_int(mkdir(p.buf, 0700), 0);
	check_int(translit_read_file(root, p.buf, 1, &out, &d), -1);
	check(d.n == 1 && strstr(d.v[0].msg, "not a regular file (a folder)"));
	rmdir(p.buf);
	diag_clear(&d);

	sbuf_reset(&p);
	sbuf_addf(&p, "%s/ok.txt", root);
	unlink(p.buf);
	rmdir(root);
	sbuf_release(&p);
	sbuf_release(&out);
	diag_release(&d);
}

int main(void)
{
	struct diag d = DIAG_INIT;

	T = translit_load("layouts/translit", &d);
	check(T != NULL);
	check_int(d.nerrors, 0);
	if (!T) {
		diag_print(&d, stderr);
		return check_done();
	}
	check_int(translit_has(T, "hy", "en"), 1);
	check_int(translit_has(T, "hy", "ru"), 1);
	check_int(translit_has(T, "en", "ru"), 1);
	check_int(translit_has(T, "ru", "en"), 1);
	check_int(translit_has(T, "en", "hy"), 1);
	check_int(translit_has(T, "ru", "hy"), 1);
	check_int(translit_has(T, "xx", "en"), 0);

	/* Armenian to Latin, passport spelling. */
	check_str(tr("hy", "en", "Հարությունյան"), "Harutyunyan");
	check_str(tr("hy", "en", "Հովհաննիսյան"), "Hovhannisyan");
	check_str(tr("hy", "en", "Ղուկասյան"), "Ghukasyan");
	check_str(tr("hy", "en", "Սահակյան"), "Sahakyan");
	check_str(tr("hy", "en", "Մնացականյան"), "Mnatsakanyan");
	check_str(tr("hy", "en", "Ծատուրյան"), "Tsaturyan");
	check_str(tr("hy", "en", "Խաչատրյան"), "Khachatryan");
	check_str(tr("hy", "en", "Վարդանյան"), "Vardanyan");
	check_str(tr("hy", "en", "Մկրտչյան"), "Mkrtchyan");
	check_str(tr("hy", "en", "Եղիազարյան"), "Yeghiazaryan");
	check_str(tr("hy", "en", "Ոսկանյան"), "Voskanyan");
	check_str(tr("hy", "en", "Վահե Ծատուրյան"), "Vahe Tsaturyan");
	check_str(tr("hy", "en", "Հայկ Եղիազարյան"), "Hayk Yeghiazaryan");
	check_str(tr("hy", "en", "Գևորգ Մկրտչյան"), "Gevorg Mkrtchyan");
	check_str(tr("hy", "en", "Ռուբեն Խաչատրյան"), "Ruben Khachatryan");
	check_str(tr("hy", "en", "Արայիկ Դավիթ Լևոն Արկադի Բակո Հրանտ"),
		  "Arayik Davit Levon Arkadi Bako Hrant");
	check_str(tr("hy", "en", "ՀԱՅԿ"), "Hayk");

	/* Armenian to Cyrillic, Russian usage. */
	check_str(tr("hy", "ru", "Հարությունյան"), "Арутюнян");
	check_str(tr("hy", "ru", "Սահակյան"), "Саакян");
	check_str(tr("hy", "ru", "Հովհաննիսյան"), "Оганесян");
	check_str(tr("hy", "ru", "Ղուկասյան"), "Гукасян");
	check_str(tr("hy", "ru", "Խաչատրյան"), "Хачатрян");
	check_str(tr("hy", "ru", "Մկրտչյան"), "Мкртчян");
	check_str(tr("hy", "ru", "Եղիազարյան"), "Егиазарян");
	check_str(tr("hy", "ru", "Ծատուրյան"), "Цатурян");
	check_str(tr("hy", "ru", "Մնացականյան"), "Мнацаканян");
	check_str(tr("hy", "ru", "Վահե Վարդանյան"), "Ваге Варданян");
	check_str(tr("hy", "ru", "Հայկ Ծատուրյան"), "Айк Цатурян");
	check_str(tr("hy", "ru", "Հրանտ Մկրտչյան"), "Грант Мкртчян");
	check_str(tr("hy", "ru", "Գևորգ Եղիազարյան"), "Геворк Егиазарян");
	check_str(tr("hy", "ru", "Արայիկ Դավիթ Լևոն Ռուբեն Արկադի Բակո"),
		  "Араик Давид Левон Рубен Аркадий Бако");

	/* Latin to Cyrillic, for names given only in Latin letters. */
	check_str(tr("en", "ru", "Harutyunyan"), "Арутюнян");
	check_str(tr("en", "ru", "Sahakyan"), "Саакян");
	check_str(tr("en", "ru", "Hovhannisyan"), "Оганесян");
	check_str(tr("en", "ru", "Ghukasyan"), "Гукасян");
	check_str(tr("en", "ru", "Yeghiazaryan"), "Егиазарян");
	check_str(tr("en", "ru", "Mkrtchyan"), "Мкртчян");
	check_str(tr("en", "ru", "Tsaturyan"), "Цатурян");
	check_str(tr("en", "ru", "Arayik Davit Levon Ruben Arkadi Bako Hrant Hayk Gevorg Vahe"),
		  "Араик Давид Левон Рубен Аркадий Бако Грант Айк Геворк Ваге");

	/* Cyrillic to Latin. */
	check_str(tr("ru", "en", "Арутюнян"), "Arutyunyan");
	check_str(tr("ru", "en", "Егиазарян"), "Yegiazaryan");
	check_str(tr("ru", "en", "Аркадий Гукасян"), "Arkadiy Gukasyan");
	check_str(tr("ru", "en", "Щукин Подъездов Ёлкин"), "Shchukin Podyezdov Yolkin");

	/* Latin passport spelling to Armenian: the usual spelling, with the
	 * ambiguous letters of established names written out (t as թ in
	 * Harutyun, Artur, Davit; initial ye, e, vo, o, r, ts). */
	check_str(tr("en", "hy", "Harutyunyan"), "Հարությունյան");
	check_str(tr("en", "hy", "Hovhannisyan"), "Հովհաննիսյան");
	check_str(tr("en", "hy", "Ghukasyan"), "Ղուկասյան");
	check_str(tr("en", "hy", "Tsaturyan"), "Ծատուրյան");
	check_str(tr("en", "hy", "Khachatryan"), "Խաչատրյան");
	check_str(tr("en", "hy", "Yeghiazaryan"), "Եղիազարյան");
	check_str(tr("en", "hy", "Mkrtchyan"), "Մկրտչյան");
	check_str(tr("en", "hy", "Vardanyan"), "Վարդանյան");
	check_str(tr("en", "hy", "Sahakyan"), "Սահակյան");
	check_str(tr("en", "hy", "Mnatsakanyan"), "Մնացականյան");
	check_str(tr("en", "hy", "Voskanyan"), "Ոսկանյան");
	check_str(tr("en", "hy", "Ohanyan"), "Օհանյան");
	check_str(tr("en", "hy", "Aram Tigran Narek Gor Samvel Vardan Ashot"),
		  "Արամ Տիգրան Նարեկ Գոռ Սամվել Վարդան Աշոտ");
	check_str(tr("en", "hy", "Hovhannes Mher Artur Edgar Khoren Levon Karen"),
		  "Հովհաննես Մհեր Արթուր Էդգար Խորեն Լևոն Կարեն");
	check_str(tr("en", "hy", "Armen Davit Gevorg Hayk Anahit Gayane Mariam Ruben"),
		  "Արմեն Դավիթ Գևորգ Հայկ Անահիտ Գայանե Մարիամ Ռուբեն");
	check_str(tr("en", "hy", "Narek Tsaturyan"), "Նարեկ Ծատուրյան");
	check_str(tr("en", "hy", "Anahit Yeghiazaryan"), "Անահիտ Եղիազարյան");
	check_str(tr("en", "hy", "Edgar Harutyunyan"), "Էդգար Հարությունյան");
	check_str(tr("en", "hy", "KHOREN MKRTCHYAN"), "Խորեն Մկրտչյան");
	/* A name that went hy -> en comes back. */
	{
		char *lat = translit_name(T, "hy", "en", "Գայանե Ղուկասյան", NULL);
		check_str(lat ? lat : "(null)", "Gayane Ghukasyan");
		check_str(tr("en", "hy", lat ? lat : ""), "Գայանե Ղուկասյան");
		free(lat);
	}

	/* Russian usage to Armenian: the letters Russian dropped or merged
	 * (Հ of Հարություն, Հայկ, Հակոբ; ահա of Սահակ; ղ written к or г)
	 * restored for the common patterns. */
	check_str(tr("ru", "hy", "Арутюнян"), "Հարությունյան");
	check_str(tr("ru", "hy", "Оганесян"), "Հովհաննիսյան");
	check_str(tr("ru", "hy", "Саакян"), "Սահակյան");
	check_str(tr("ru", "hy", "Акопян"), "Հակոբյան");
	check_str(tr("ru", "hy", "Казарян"), "Ղազարյան");
	check_str(tr("ru", "hy", "Геворк"), "Գևորգ");
	check_str(tr("ru", "hy", "Айк"), "Հայկ");
	check_str(tr("ru", "hy", "Гукасян"), "Ղուկասյան");
	check_str(tr("ru", "hy", "Егиазарян"), "Եղիազարյան");
	check_str(tr("ru", "hy", "Мкртчян"), "Մկրտչյան");
	check_str(tr("ru", "hy", "Хачатрян"), "Խաչատրյան");
	check_str(tr("ru", "hy", "Цатурян"), "Ծատուրյան");
	check_str(tr("ru", "hy", "Мнацаканян"), "Մնացականյան");
	check_str(tr("ru", "hy", "Тигран Мгер Эдгар Левон Давид Анаит Рубен Ваге"),
		  "Տիգրան Մհեր Էդգար Լևոն Դավիթ Անահիտ Ռուբեն Վահե");
	check_str(tr("ru", "hy", "Айк Саакян"), "Հայկ Սահակյան");
	check_str(tr("ru", "hy", "Гаяне Арутюнян"), "Գայանե Հարությունյան");
	check_str(tr("ru", "hy", "Самвел Акопян"), "Սամվել Հակոբյան");
	check_str(tr("ru", "hy", "Геворк Оганесян"), "Գևորգ Հովհաննիսյան");
	/* The limit: an initial А that Russian usage has not taken from Հ
	 * stays Ա (Арам, Артур); a name outside the patterns keeps the
	 * letter-by-letter spelling. */
	check_str(tr("ru", "hy", "Арам Артур Армен Ашот"), "Արամ Արթուր Արմեն Աշոտ");

	/* No rules for a pair: NULL, with an error when asked. */
	check_str(tr("xx", "hy", "Hayk"), "(null)");
	check(translit_name(T, "xx", "hy", "Hayk", &d) == NULL);
	check_int(d.nerrors, 1);
	translit_free(T);
	free(last);
	last = NULL;
	diag_clear(&d);

	/* A broken rule file is reported with its name and line. */
	T = translit_load("tests/golden/layouts-broken/translit-bad/translit", &d);
	check(T == NULL);
	check_int(d.nerrors, 1);
	check(d.n == 1 && d.v[0].file &&
	      strstr(d.v[0].file, "translit-bad/translit/hy-en.txt") != NULL);
	check(d.n == 1 && d.v[0].line == 4);
	diag_release(&d);
	translit_free(T);
	test_read_file();
	return check_done();
}
