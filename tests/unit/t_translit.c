/* t_translit.c: names transliterated by the rules of layouts/translit/ the
 * way readers spell them, and errors in rule files. The full names are
 * fictional combinations of common given names and surnames. */
#include "harness.h"

#include "diag.h"
#include "translit.h"

#include <stdlib.h>

static translit_set *T;
static char *last;

static const char *tr(const char *from, const char *to, const char *name)
{
	free(last);
	last = translit_name(T, from, to, name, NULL);
	return last ? last : "(null)";
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
	check_int(translit_has(T, "en", "hy"), 0);
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

	/* No rules for a pair: NULL, with an error when asked. */
	check_str(tr("en", "hy", "Hayk"), "(null)");
	check(translit_name(T, "en", "hy", "Hayk", &d) == NULL);
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
	return check_done();
}
