/* translit.c: names from one script into another by ICU transforms whose
 * rules are read from layouts/translit/FROM-TO.txt (see translit.h). */
#include "translit.h"
#include "diag.h"
#include "fmt.h"
#include "safefile.h"
#include "sbuf.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ustring.h>
#include <unicode/utrans.h>

struct translit_set {
	UTransliterator *t[FMT_NLANGS][FMT_NLANGS]; /* [from][to], or NULL */
};

static UChar *to_uchars(const char *s, int32_t *n)
{
	UErrorCode e = U_ZERO_ERROR;
	UChar *u;

	u_strFromUTF8(NULL, 0, n, s, -1, &e);
	if (e != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(e))
		return NULL;
	e = U_ZERO_ERROR;
	u = xmalloc(((size_t)*n + 1) * sizeof(UChar));
	u_strFromUTF8(u, *n + 1, NULL, s, -1, &e);
	if (U_FAILURE(e)) {
		free(u);
		return NULL;
	}
	return u;
}

static char *to_utf8(const UChar *u, int32_t n)
{
	UErrorCode e = U_ZERO_ERROR;
	int32_t need = 0;
	char *s;

	u_strToUTF8(NULL, 0, &need, u, n, &e);
	e = U_ZERO_ERROR;
	s = xmalloc((size_t)need + 1);
	u_strToUTF8(s, need + 1, NULL, u, n, &e);
	if (U_FAILURE(e)) {
		free(s);
		return NULL;
	}
	return s;
}

/* ---- reading a layouts file ------------------------------------------------- */

/* Files of a layouts folder: the location names the file. */
static const struct safefile_kind layouts_file = {
	NULL, "the layouts folder", TRANSLIT_MAX_FILE
};

int translit_inside(const char *root, const char *path, struct diag *d)
{
	return safefile_inside(root, path, &layouts_file, d,
			       (struct diag_loc){ path, 0, 0 });
}

int translit_read_file(const char *root, const char *path, int missing_ok,
		       struct sbuf *out, struct diag *d)
{
	return safefile_read(root, path, &layouts_file,
			     missing_ok ? SAFEFILE_MISSING_OK : 0, out, d,
			     (struct diag_loc){ path, 0, 0 });
}

static int load_rules(translit_set *t, const char *dir, int from, int to,
		      struct diag *d)
{
	struct sbuf path = SBUF_INIT, text = SBUF_INIT;
	UChar *rules, id[16];
	int32_t nrules;
	UParseError pe;
	UErrorCode e = U_ZERO_ERROR;
	int r = 0;

	sbuf_addf(&path, "%s/%s-%s.txt", dir, fmt_langs[from], fmt_langs[to]);
	/* A pair without a rule file has no rules. */
	if ((r = translit_read_file(dir, path.buf, /*missing_ok*/1, &text, d))) {
		r = r < 0 ? -1 : 0;
		goto out;
	}
	if (!(rules = to_uchars(text.buf, &nrules))) {
		struct diag_loc at = { path.buf, 0, 0 };
		r = diag_error(d, at, "invalid UTF-8%s", "");
		goto out;
	}
	u_uastrcpy(id, "dossier-name");
	t->t[from][to] = utrans_openU(id, -1, UTRANS_FORWARD, rules, nrules,
				      &pe, &e);
	if (U_FAILURE(e)) {
		/* ICU gives the offset into the whole text: count its lines,
		 * and quote the line. */
		struct diag_loc at = { path.buf, 1, 1 };
		int32_t bol = 0, eol;
		char *line;
		for (int32_t i = 0; i < pe.offset && i < nrules; i++) {
			if (rules[i] == '\n') {
				at.line++;
				at.col = 1;
				bol = i + 1;
			} else if (!U16_IS_TRAIL(rules[i])) {
				at.col++;
			}
		}
		for (eol = bol; eol < nrules && rules[eol] != '\n'; eol++)
			;
		line = to_utf8(rules + bol, eol - bol);
		r = diag_error(d, at, "bad transliteration rule '%s': %s",
			       diag_quote(line ? line : "", 60), u_errorName(e));
		free(line);
		t->t[from][to] = NULL;
	}
	free(rules);
out:
	sbuf_release(&text);
	sbuf_release(&path);
	return r;
}

translit_set *translit_load(const char *dir, struct diag *d)
{
	translit_set *t = xcalloc(1, sizeof(*t));
	int nerr = 0;

	for (int i = 0; i < FMT_NLANGS; i++)
		for (int j = 0; j < FMT_NLANGS; j++)
			if (i != j && load_rules(t, dir, i, j, d))
				nerr++;
	if (nerr) {
		translit_free(t);
		return NULL;
	}
	return t;
}

void translit_free(translit_set *t)
{
	if (!t)
		return;
	for (int i = 0; i < FMT_NLANGS; i++)
		for (int j = 0; j < FMT_NLANGS; j++)
			if (t->t[i][j])
				utrans_close(t->t[i][j]);
	free(t);
}

static UTransliterator *pair(const translit_set *t, const char *from,
			     const char *to)
{
	int i = fmt_lang_index(from), j = fmt_lang_index(to);

	return t && i >= 0 && j >= 0 ? t->t[i][j] : NULL;
}

int translit_has(const translit_set *t, const char *from_lang,
		 const char *to_lang)
{
	return pair(t, from_lang, to_lang) != NULL;
}

char *translit_name(const translit_set *t, const char *from_lang,
		    const char *to_lang, const char *name, struct diag *d)
{
	UTransliterator *tr = pair(t, from_lang, to_lang), *c;
	struct diag_loc nowhere = { NULL, 0, 0 };
	UErrorCode e = U_ZERO_ERROR;
	UChar *u;
	int32_t n, cap, limit;
	char *res;
	struct sbuf padded = SBUF_INIT;

	if (!tr) {
		if (d)
			diag_error(d, nowhere, "no transliteration from %s to %s",
				   from_lang, to_lang);
		return NULL;
	}
	/* Spaces around the name let the rules see where words begin and end
	 * (ICU rules have no word anchors). */
	sbuf_addf(&padded, " %s ", name);
	u = to_uchars(padded.buf, &n);
	sbuf_release(&padded);
	if (!u) {
		if (d)
			diag_error(d, nowhere, "name %s is not UTF-8",
				   diag_quote(name, 40));
		return NULL;
	}
	/* Room for growth: one Armenian letter may become three Latin ones. */
	cap = n * 4 + 16;
	u = xrealloc(u, (size_t)cap * sizeof(UChar));
	limit = n;
	/* A private clone: a transliterator is not shared between threads. */
	c = utrans_clone(tr, &e);
	utrans_transUChars(c, u, &n, cap, 0, &limit, &e);
	utrans_close(c);
	if (U_FAILURE(e)) {
		free(u);
		if (d)
			diag_error(d, nowhere, "cannot transliterate %s: %s",
				   diag_quote(name, 40), u_errorName(e));
		return NULL;
	}
	res = n >= 2 ? to_utf8(u + 1, n - 2) : NULL;
	free(u);
	return res;
}
