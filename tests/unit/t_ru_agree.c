/* t_ru_agree.c: grammatical agreement in the shipped Russian layouts. The
 * texts that speak of the person select on `sex`: a woman gets the
 * feminine forms, a man the masculine ones, and a person whose sex is not
 * known (or a value no branch names) a neutral wording, never a masculine
 * one; the English texts of the same keys do not change with it. */
#include "harness.h"

#include "diag.h"
#include "sbuf.h"
#include "tpl.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NBSP "\xC2\xA0"

struct facts {
	const char *kv[16];
};

static const char *get(void *ctx, const char *name)
{
	struct facts *f = ctx;
	size_t n = strlen(name);

	for (size_t i = 0; i < ARRAY_SIZE(f->kv) && f->kv[i]; i++)
		if (!strncmp(f->kv[i], name, n) && f->kv[i][n] == '=')
			return f->kv[i] + n + 1;
	return NULL;
}

static tpl_set *S;
static struct diag D = DIAG_INIT;
static struct sbuf T = SBUF_INIT;

/* The plain text of key in lang for the facts, or "(error)". */
static const char *text(const char *lang, const char *key, struct facts *fx)
{
	struct tpl_facts f = { get, fx };
	struct tpl_spans sp = TPL_SPANS_INIT;
	int r = tpl_expand(S, lang, key, &f, NULL, &sp, &D);

	sbuf_reset(&T);
	if (r < 0)
		sbuf_addstr(&T, "(error)");
	else
		tpl_spans_text(&sp, &T);
	tpl_spans_release(&sp);
	return T.buf;
}

/* Does key in lang, for the facts with sex set to sex, contain want? */
static int says(const char *key, const char *sex, struct facts *f,
		const char *want)
{
	char kv[16];
	const char *t;

	snprintf(kv, sizeof kv, "sex=%s", sex);
	f->kv[0] = kv;
	t = text("ru", key, f);
	if (strstr(t, want))
		return 1;
	fprintf(stderr, "  ru %s, sex=%s: \"%s\" lacks \"%s\"\n", key, sex, t, want);
	return 0;
}

static int lacks(const char *key, const char *sex, struct facts *f,
		 const char *word)
{
	char kv[16];
	const char *t;

	snprintf(kv, sizeof kv, "sex=%s", sex);
	f->kv[0] = kv;
	t = text("ru", key, f);
	if (!strstr(t, word))
		return 1;
	fprintf(stderr, "  ru %s, sex=%s: \"%s\" says \"%s\"\n", key, sex, t, word);
	return 0;
}

static void test_subtitles(void)
{
	struct facts f = { { "sex=", "category=pow", "status=missing",
			     "detained_on=2020-10-22", NULL } };

	check(says("doc.subtitle", "f", &f, "Пропавшая без вести:"));
	check(says("doc.subtitle", "m", &f, "Пропавший без вести:"));
	check(says("doc.subtitle", "", &f, "Лицо, пропавшее без вести:"));
	check(says("doc.subtitle", "x", &f, "Лицо, пропавшее без вести:"));
	f.kv[2] = "status=released";
	check(says("doc.subtitle", "f", &f, "Ранее содержалась под стражей"));
	check(says("doc.subtitle", "m", &f, "Ранее содержался под стражей"));
	check(says("doc.subtitle", "", &f, "Лицо, ранее содержавшееся под стражей"));
	f.kv[1] = "category=missing";
	f.kv[2] = "status=deceased";
	check(says("doc.subtitle", "f", &f, "о смерти которой"));
	check(says("doc.subtitle", "m", &f, "о смерти которого"));
	/* English has no select: the same words for every value. */
	f.kv[0] = "sex=f";
	check_str(text("en", "doc.subtitle", &f),
		  "Reported missing, now known to have died: the facts and the duty to account");
	f.kv[0] = "sex=m";
	check_str(text("en", "doc.subtitle", &f),
		  "Reported missing, now known to have died: the facts and the duty to account");
}

static void test_arguments(void)
{
	struct facts f = { { "sex=", "category=pow", "status=held",
			     "detained_on=2020-12-13", "as_of=2026-11-27", NULL } };

	check(says("arg.pow-release", "f", &f,
		   "Эта военнопленная взята в плен 13"));
	check(says("arg.pow-release", "f", &f, "репатриировать эту военнопленную возникла"));
	check(says("arg.pow-release", "m", &f,
		   "Этот военнопленный взят в плен 13"));
	check(says("arg.pow-release", "", &f, "Это лицо взято в плен"));
	check(says("arg.pow-release", "", &f, "репатриировать это лицо возникла"));
	check(lacks("arg.pow-release", "f", &f, "взят в плен"));
	check(lacks("arg.pow-release", "", &f, "взят в плен"));
	check(lacks("arg.pow-release", "", &f, "военнопленн" "ый взят"));

	f.kv[2] = "status=released";
	check(says("arg.released", "f", &f, "Эта военнопленная освобождена."));
	check(says("arg.released", "m", &f, "Этот военнопленный освобождён."));
	check(says("arg.released", "", &f, "Это лицо освобождено."));
	check(lacks("arg.released", "f", &f, "подлежал "));
	check(lacks("arg.released", "", &f, "освобождён"));
	f.kv[1] = "category=hostage";
	check(says("arg.released", "f", &f, "имела право"));
	check(says("arg.released", "f", &f, "была защищена"));
	check(says("arg.released", "m", &f, "был защищён"));
	check(says("arg.released", "", &f, "было защищено"));

	f.kv[1] = "category=pow";
	f.kv[2] = "status=convicted";
	f.kv[5] = "verdict_date=2021-07-05";
	f.kv[6] = "sentence_years=6";
	f.kv[7] = "sentence_end=2027-07-05";
	f.kv[8] = NULL;
	check(says("arg.pow-119", "f", &f, "эта военнопленная подлежит освобождению"));
	check(says("arg.pow-119", "m", &f, "этот военнопленный подлежит освобождению"));
	check(says("arg.pow-119", "", &f, "это лицо подлежит освобождению"));
	/* The rule itself speaks of prisoners of war in the plural. */
	check(says("arg.pow-119", "f", &f, "военнопленные не могут быть осуждены"));
	check(lacks("arg.pow-119", "f", &f, "осуждён"));

	f.kv[1] = "category=missing";
	f.kv[2] = "status=held";
	f.kv[5] = NULL;
	check(says("arg.missing-found", "f", &f, "что она содержится под стражей"));
	check(says("arg.missing-found", "m", &f, "что он содержится под стражей"));
	check(says("arg.missing-found", "", &f, "это лицо содержалось под стражей"));
}

/* Labels print whatever the sex: they must be neutral. */
static void test_labels(void)
{
	struct facts f = { { "sex=f", "category=hostage", NULL } };

	check_str(text("ru", "identity.category", &f),
		  "лицо, удерживаемое в заложниках (по определению Европейского парламента)");
	f.kv[1] = "category=pow";
	check_str(text("ru", "identity.category", &f), "лицо, имеющее статус военнопленного");
	f.kv[1] = "status=convicted";
	check_str(text("ru", "identity.status", &f), "вынесен обвинительный приговор");
}

int main(void)
{
	S = tpl_load("layouts", &D);
	check(S != NULL);
	if (!S) {
		diag_print(&D, stderr);
		diag_release(&D);
		return check_done();
	}
	test_subtitles();
	test_arguments();
	test_labels();
	check_int(D.nerrors, 0);
	if (D.n)
		diag_print(&D, stderr);
	tpl_free(S);
	diag_release(&D);
	sbuf_release(&T);
	return check_done();
}
