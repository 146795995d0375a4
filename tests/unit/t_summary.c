/* t_summary.c: the order of the summary's roster table (the language's
 * collation of the names), and the error when ICU cannot open that
 * collation. Runs from the top of the tree. All names are fictional. */
#include "diag.h"
#include "harness.h"
#include "summary.h"
#include "tpl.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void person(struct summary_person *p, const char *id, const char *en,
		   const char *ru)
{
	memset(p, 0, sizeof(*p));
	p->id = xstrdup(id);
	p->name_en = xstrdup(en);
	p->name_ru = xstrdup(ru);
	p->name_hy = xstrdup("");
	p->detained_on = xstrdup("2023-05-04");
	p->detained = (struct rdate){ 2023, 5, 4 };
	p->sentence = xstrdup("");
}

int main(void)
{
	struct diag d = DIAG_INIT;
	struct summary_person p[3];
	const struct summary_person *ptrs[3] = { &p[0], &p[1], &p[2] };
	struct summary_input in;
	size_t *order = NULL;
	tpl_set *t = tpl_load("layouts", &d);

	check(t != NULL);
	if (!t) {
		diag_print(&d, stderr);
		return check_done();
	}
	person(&p[0], "T-1", "Zaven Zakaryan", "Завен Закарян");
	person(&p[1], "T-2", "Anahit Abrahamyan", "Анаит Абраамян");
	person(&p[2], "T-3", "Mher Melkonyan", "Мгер Мелконян");
	memset(&in, 0, sizeof(in));
	in.people = ptrs;
	in.npeople = 3;
	in.as_of = (struct rdate){ 2026, 11, 27 };
	in.paper = DOC_A4;

	/* Sorted by name as the briefs print it, in each language: Anahit,
	 * Mher, Zaven. */
	check_int(summary_sort(t, "en", &in, &order, &d), 0);
	check(order && order[0] == 1 && order[1] == 2 && order[2] == 0);
	free(order);
	/* Анаит, Завен, Мгер: another order than the Latin names'. */
	check_int(summary_sort(t, "ru", &in, &order, &d), 0);
	check(order && order[0] == 1 && order[1] == 0 && order[2] == 2);
	free(order);
	check_int(d.nerrors, 0);

	/* A collation ICU refuses: an error naming the language and ICU's
	 * error, and no order. */
	order = (size_t *)&in;
	check_int(summary_sort(t, "en@colStrength=bogus", &in, &order, &d), -1);
	check(order == NULL);
	check_int(d.nerrors, 1);
	check(d.n == 1 && strstr(d.v[0].msg, "summary (en@colStrength=bogus): ICU "
				 "cannot open the collation that sorts the roster "
				 "table: U_ILLEGAL_ARGUMENT_ERROR"));
	diag_clear(&d);
	/* summary_order gives the roster's order then (summary_compose
	 * reports the error). */
	summary_order(t, "en@colStrength=bogus", &in, &order);
	check(order && order[0] == 0 && order[1] == 1 && order[2] == 2);
	free(order);
	summary_order(t, "en", &in, &order);
	check(order && order[0] == 1 && order[1] == 2 && order[2] == 0);
	free(order);

	for (size_t i = 0; i < 3; i++) {
		free(p[i].id);
		free(p[i].name_en);
		free(p[i].name_ru);
		free(p[i].name_hy);
		free(p[i].detained_on);
		free(p[i].sentence);
	}
	tpl_free(t);
	diag_release(&d);
	return check_done();
}
