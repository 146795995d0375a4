/* record.c: roster rows -> checked records (the rules of DESIGN.md). */
#include "record.h"
#include "safefile.h"
#include "image.h"
#include "sbuf.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unistd.h>

static const char *const field_names[F_COUNT] = {
	"id", "category", "name_en", "name_ru", "name_hy", "birth_date", "sex",
	"detained_on", "detained_place_en", "detained_place_ru",
	"detained_place_hy", "status", "released_on", "died_on",
	"acknowledged", "charges_en", "charges_ru", "charges_hy", "court_en",
	"court_ru", "court_hy", "verdict_date", "sentence_years",
	"health_en", "health_ru", "health_hy", "circumstances_en",
	"circumstances_ru", "circumstances_hy", "sources", "photo",
};

/* The old name of a column, still read as the new one. A row giving
 * both is an error. */
#define OLD_COURT "court"

static const char *const category_names[CAT_COUNT] = {
	"pow", "civilian", "hostage", "political", "missing",
};

static const char *const status_names[ST_COUNT] = {
	"held", "awaiting_trial", "on_trial", "convicted", "released",
	"deceased", "missing",
};

static const char *const ack_names[] = { "", "yes", "no", "unknown" };
static const char *const sex_names[] = { "", "f", "m" };

const char *record_field_name(enum field f) { return field_names[f]; }
const char *record_category_name(enum category c) { return category_names[c]; }
const char *record_status_name(enum status s) { return status_names[s]; }
const char *record_ack_name(enum ack a) { return ack_names[a]; }
const char *record_sex_name(enum sex x) { return sex_names[x]; }

int record_field_by_name(const char *name)
{
	size_t i;
	for (i = 0; i < F_COUNT; i++)
		if (strcmp(field_names[i], name) == 0)
			return (int)i;
	return -1;
}

/* --- schema ------------------------------------------------------------- */

struct record_schema {
	int col_of[F_COUNT];   /* column index, -1 when absent */
	int col_court;         /* the old column "court", -1 when absent */
	size_t ncols;
	enum field *order;     /* known fields in header order */
	size_t norder;
	char **colname;        /* every column's name as written */
	int *colfield;         /* its field, -1 unknown, -2 no name */
	size_t nunknown;
};

record_schema *record_schema_new(const struct roster_row *header,
				 const char *path, struct diag *d)
{
	record_schema *s = xcalloc(1, sizeof(*s));
	size_t i;
	int errors = 0;
	static const enum field required[] = { F_ID, F_CATEGORY, F_DETAINED_ON, F_STATUS };

	for (i = 0; i < F_COUNT; i++)
		s->col_of[i] = -1;
	s->col_court = -1;
	s->ncols = header->n;
	s->order = xcalloc(header->n, sizeof(*s->order));
	s->colname = xcalloc(header->n, sizeof(*s->colname));
	s->colfield = xcalloc(header->n, sizeof(*s->colfield));
	for (i = 0; i < header->n; i++) {
		const struct roster_field *h = &header->v[i];
		struct diag_loc at = { path, h->line, h->col };
		char *lower = xstrdup(h->s);
		char *p;
		int f;
		for (p = lower; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		f = record_field_by_name(lower);
		s->colname[i] = xstrdup(h->s);
		s->colfield[i] = h->len == 0 ? -2 : f;
		if (h->len != 0 && f < 0 && strcmp(lower, OLD_COURT) == 0) {
			/* The old name of court_en: which field it fills is
			 * settled once the whole header is read. */
			if (s->col_court >= 0) {
				diag_error(d, at, "column \"%s\" appears twice "
					   "(first as column %d)", OLD_COURT,
					   s->col_court + 1);
				errors++;
			}
			s->col_court = (int)i;
			free(lower);
			continue;
		}
		free(lower);
		if (h->len == 0) {
			diag_warning(d, at, "column %zu has no name and is ignored", i + 1);
		} else if (f < 0) {
			diag_warning(d, at, "unknown column \"%s\" is ignored",
				     diag_quote(h->s, 40));
			s->nunknown++;
		} else if (s->col_of[f] >= 0) {
			diag_error(d, at, "column \"%s\" appears twice (first as "
				   "column %d)", field_names[f], s->col_of[f] + 1);
			errors++;
		} else {
			s->col_of[f] = (int)i;
		}
	}
	/* "court" alone is court_en; beside court_en, a row may fill one of
	 * them (record_from_row says so when it fills both). */
	if (s->col_court >= 0)
		s->colfield[s->col_court] = s->col_of[F_COURT_EN] >= 0 ? -3 : F_COURT_EN;
	for (i = 0; i < header->n; i++) {
		int f = s->colfield[i];
		if (f >= 0 && (s->col_of[f] == (int)i || (int)i == s->col_court))
			s->order[s->norder++] = (enum field)f;
	}
	for (i = 0; i < ARRAY_SIZE(required); i++) {
		if (s->col_of[required[i]] < 0) {
			diag_error(d, (struct diag_loc){ path, header->line, 0 },
				   "required column \"%s\" is missing from the "
				   "header", field_names[required[i]]);
			errors++;
		}
	}
	if (s->col_of[F_NAME_EN] < 0 && s->col_of[F_NAME_RU] < 0 &&
	    s->col_of[F_NAME_HY] < 0) {
		diag_error(d, (struct diag_loc){ path, header->line, 0 },
			   "the header has no name column (name_en, name_ru "
			   "or name_hy)");
		errors++;
	}
	if (errors) {
		record_schema_free(s);
		return NULL;
	}
	return s;
}

void record_schema_free(record_schema *s)
{
	size_t i;
	if (!s)
		return;
	for (i = 0; i < s->ncols; i++)
		free(s->colname[i]);
	free(s->colname);
	free(s->colfield);
	free(s->order);
	free(s);
}

size_t record_schema_columns(const record_schema *s, char *const **names,
			     const int **fields)
{
	*names = s->colname;
	*fields = s->colfield;
	return s->ncols;
}

size_t record_schema_fields(const record_schema *s, const enum field **fields)
{
	*fields = s->order;
	return s->norder;
}

int record_schema_has(const record_schema *s, enum field f)
{
	return s->col_of[f] >= 0 || (f == F_COURT_EN && s->col_court >= 0);
}

/* --- checks ------------------------------------------------------------- */

struct checker {
	const struct record_ctx *ctx;
	struct record *rec;
	struct diag *d;
	int errors;
};

#define FMT_ERR(c, fld, ...) field_error((c), (fld), __VA_ARGS__)

static int id_ok(const char *s);

/* "ID: " for the messages about a record with a valid id, so that the row
 * can be found in a spreadsheet, which counts rows, not lines. */
static void add_id(struct sbuf *msg, const char *id)
{
	if (id && id_ok(id))
		sbuf_addf(msg, "%s: ", id);
}

/* A diagnostic about one field: "ID: column: message", at line:col (the
 * cell's when line is 0). The id column's own messages quote it and need
 * no prefix. */
static void __attribute__((format(printf, 6, 7)))
field_diag_at(struct checker *c, enum diag_level level, enum field f,
	      long line, long col, const char *fmt, ...)
{
	struct sbuf msg = SBUF_INIT;
	va_list ap;
	if (!line) {
		line = c->rec->line[f];
		col = c->rec->col[f];
	}
	if (f != F_ID)
		add_id(&msg, c->rec->f[F_ID]);
	sbuf_addf(&msg, "%s: ", field_names[f]);
	va_start(ap, fmt);
	sbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	if (level == DIAG_ERROR) {
		diag_error(c->d, (struct diag_loc){ c->ctx->roster_path,
			   line, col }, "%s", msg.buf);
		c->errors++;
	} else {
		diag_warning(c->d, (struct diag_loc){ c->ctx->roster_path,
			     line, col }, "%s", msg.buf);
	}
	sbuf_release(&msg);
}

#define char_error(c, f, line, col, ...) \
	field_diag_at(c, DIAG_ERROR, f, line, col, __VA_ARGS__)
#define field_error(c, f, ...) field_diag_at(c, DIAG_ERROR, f, 0, 0, __VA_ARGS__)
#define field_warning(c, f, ...) \
	field_diag_at(c, DIAG_WARNING, f, 0, 0, __VA_ARGS__)

static int lookup(const char *v, const char *const *names, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (strcmp(v, names[i]) == 0)
			return (int)i;
	return -1;
}

static void list_names(struct sbuf *sb, const char *const *names, size_t from, size_t n)
{
	size_t i;
	for (i = from; i < n; i++) {
		if (i > from)
			sbuf_addstr(sb, i + 1 == n ? " or " : ", ");
		sbuf_addstr(sb, names[i]);
	}
}

static int check_enum(struct checker *c, enum field f, const char *const *names,
		      size_t from, size_t n, int required)
{
	const char *v = c->rec->f[f];
	int k;
	struct sbuf sb = SBUF_INIT;

	if (!*v) {
		if (required)
			FMT_ERR(c, f, "is required");
		return -1;
	}
	k = lookup(v, names, n);
	if (k >= (int)from)
		return k;
	list_names(&sb, names, from, n);
	FMT_ERR(c, f, "\"%s\" is not one of %s", diag_quote(v, 40), sb.buf);
	sbuf_release(&sb);
	return -1;
}

/* --- characters ------------------------------------------------------- */

/* What is wrong with a character, in the order the checks run. */
enum badch { CH_OK, CH_CONTROL, CH_FORMAT, CH_ASTRAL, CH_FONT, CH_KINDS };

static int is_multiline(enum field f)
{
	return (f >= F_CHARGES_EN && f <= F_CHARGES_HY) ||
	       (f >= F_HEALTH_EN && f <= F_CIRCUMSTANCES_HY) ||
	       (f >= F_DETAINED_PLACE_EN && f <= F_DETAINED_PLACE_HY) ||
	       f == F_SOURCES;
}

static int is_bidi_control(uint32_t cp)
{
	return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
	       cp == 0x200E || cp == 0x200F || cp == 0x061C;
}

/* ZWNJ and ZWJ shape the letters of joining scripts (Arabic, Indic ...);
 * between Latin, Cyrillic or Armenian letters, or next to anything else,
 * they only hide. */
static int joiner_fits(const char *s, size_t at, size_t len, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t before = 0, after = 0;
	size_t b = at;
	UErrorCode e = U_ZERO_ERROR;
	UScriptCode sb, sa;

	if (at == 0 || at + len >= n)
		return 0;
	while (b > 0 && (p[b - 1] & 0xC0) == 0x80)
		b--;
	if (b > 0)
		b--;
	if (!utf8_decode(p + b, at - b, &before) ||
	    !utf8_decode(p + at + len, n - at - len, &after))
		return 0;
	if (!u_isalpha((UChar32)before) || !u_isalpha((UChar32)after))
		return 0;
	sb = uscript_getScript((UChar32)before, &e);
	sa = uscript_getScript((UChar32)after, &e);
	if (U_FAILURE(e))
		return 0;
	return sb == sa && sb != USCRIPT_LATIN && sb != USCRIPT_CYRILLIC &&
	       sb != USCRIPT_ARMENIAN && sb != USCRIPT_GREEK &&
	       sb != USCRIPT_COMMON && sb != USCRIPT_INHERITED;
}

static enum badch classify(const struct checker *c, enum field f,
			   const char *s, size_t at, size_t len, size_t n,
			   uint32_t cp)
{
	if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
		return is_multiline(f) && (cp == '\n' || cp == '\t' || cp == '\r') ?
			CH_OK : CH_CONTROL;
	if (cp > 0xFFFF)
		return CH_ASTRAL;
	if (cp == 0x2028 || cp == 0x2029)
		return CH_CONTROL;
	/* Invisible format controls, but for the soft hyphen, a zero width
	 * space in the long texts (a line-break hint), and the joiners
	 * where a script needs them. */
	if (u_charType((UChar32)cp) == U_FORMAT_CHAR && cp != 0xAD &&
	    !(cp == 0x200B && is_multiline(f)) &&
	    !((cp == 0x200C || cp == 0x200D) && joiner_fits(s, at, len, n)))
		return CH_FORMAT;
	/* What the typesetter draws: everything but the soft hyphen and the
	 * joiners, which take no glyph. */
	if (c->ctx->fonts && cp != 0xAD && cp != 0x200C && cp != 0x200D &&
	    !font_set_covers(c->ctx->fonts, cp == '\t' ? ' ' : cp))
		return CH_FONT;
	return CH_OK;
}

/* "U+202E RIGHT-TO-LEFT OVERRIDE", with the character itself when it is
 * visible. */
static void name_char(struct sbuf *sb, uint32_t cp, int show)
{
	char name[128];
	UErrorCode e = U_ZERO_ERROR;
	int32_t n = u_charName((UChar32)cp, U_UNICODE_CHAR_NAME, name,
			       (int32_t)sizeof(name), &e);
	sbuf_addf(sb, "U+%04X", (unsigned)cp);
	if (show) {
		char u8[5] = { 0 };
		utf8_encode(cp, u8);
		sbuf_addf(sb, " '%s'", u8);
	}
	if (U_SUCCESS(e) && n > 0)
		sbuf_addf(sb, " %s", name);
}

/* Check every character of field f (rf: its cell, NULL when the column is
 * absent). The first character of each kind is an error at its own line
 * and column; the count of the others of that kind follows. */
static void check_chars(struct checker *c, enum field f,
			const struct roster_field *rf)
{
	const char *s = c->rec->f[f];
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, first[CH_KINDS] = { 0 }, count[CH_KINDS] = { 0 };
	uint32_t cps[CH_KINDS] = { 0 };
	int k;

	while (i < n) {
		uint32_t cp;
		enum badch b;
		if (p[i] >= 0x20 && p[i] < 0x7F && !c->ctx->fonts) {
			i++;
			continue;
		}
		k = utf8_decode(p + i, n - i, &cp);
		if (!k)
			BUG("invalid UTF-8 in a checked field");
		b = classify(c, f, s, i, (size_t)k, n, cp);
		if (b != CH_OK && !count[b]++) {
			first[b] = i;
			cps[b] = cp;
		}
		i += (size_t)k;
	}
	for (k = CH_CONTROL; k < CH_KINDS; k++) {
		struct sbuf what = SBUF_INIT;
		char more[64] = "";
		long line = 0, col = 0;
		if (!count[k])
			continue;
		if (rf)
			roster_field_pos(rf, first[k], &line, &col);
		name_char(&what, cps[k], k == CH_ASTRAL || k == CH_FONT);
		if (count[k] > 1)
			snprintf(more, sizeof(more), " (and %zu more in this field)",
				 count[k] - 1);
		switch (k) {
		case CH_CONTROL:
			char_error(c, f, line, col, "contains the control character "
				   "%s%s%s", what.buf, cps[k] == '\n' ? " (a line "
				   "break, allowed only in the long texts)" : "", more);
			break;
		case CH_FORMAT:
			char_error(c, f, line, col, "contains %s, an invisible %s%s; "
				   "delete it", what.buf, is_bidi_control(cps[k]) ?
				   "bidirectional control that can reorder the text "
				   "around it" : cps[k] == 0xFEFF ? "format control (a "
				   "byte order mark inside the text)" : "format control",
				   more);
			break;
		case CH_ASTRAL:
			char_error(c, f, line, col, "contains %s, outside the Basic "
				   "Multilingual Plane, which the PDF fonts cannot "
				   "draw%s", what.buf, more);
			break;
		case CH_FONT:
			char_error(c, f, line, col, "%s is in none of the configured "
				   "fonts, so no document can print it%s", what.buf,
				   more);
			break;
		}
		sbuf_release(&what);
	}
}

/* Does s contain a letter of the script its column is for? */
static int has_script(const char *s, uint32_t lo, uint32_t hi, uint32_t lo2, uint32_t hi2)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	while (n) {
		uint32_t cp;
		int k = utf8_decode(p, n, &cp);
		if (k == 0)
			return 0;
		if ((cp >= lo && cp <= hi) || (cp >= lo2 && cp <= hi2))
			return 1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

static void check_names(struct checker *c)
{
	struct record *r = c->rec;
	if (!*r->f[F_NAME_EN] && !*r->f[F_NAME_RU] && !*r->f[F_NAME_HY]) {
		FMT_ERR(c, F_NAME_EN, "a name is required in at least one of "
			"name_en, name_ru, name_hy");
		return;
	}
	if (*r->f[F_NAME_EN] && !has_script(r->f[F_NAME_EN], 'A', 'Z', 'a', 'z'))
		field_warning(c, F_NAME_EN, "\"%s\" has no Latin letter",
			      diag_quote(r->f[F_NAME_EN], 40));
	if (*r->f[F_NAME_RU] && !has_script(r->f[F_NAME_RU], 0x400, 0x4FF, 0x400, 0x4FF))
		field_warning(c, F_NAME_RU, "\"%s\" has no Cyrillic letter",
			      diag_quote(r->f[F_NAME_RU], 40));
	if (*r->f[F_NAME_HY] && !has_script(r->f[F_NAME_HY], 0x531, 0x58A, 0xFB13, 0xFB17))
		field_warning(c, F_NAME_HY, "\"%s\" has no Armenian letter",
			      diag_quote(r->f[F_NAME_HY], 40));
}

static const char *date_form(unsigned allowed)
{
	switch (allowed) {
	case RDATE_DAY:
		return "YYYY-MM-DD";
	case RDATE_DAY | RDATE_YEAR:
		return "YYYY-MM-DD or YYYY";
	case RDATE_DAY | RDATE_MONTH:
		return "YYYY-MM-DD or YYYY-MM";
	}
	return "YYYY-MM-DD";
}

static int check_date(struct checker *c, enum field f, unsigned allowed,
		      int required, struct rdate *out)
{
	const char *v = c->rec->f[f];
	if (!*v) {
		if (required)
			FMT_ERR(c, f, "is required (%s)", date_form(allowed));
		return -1;
	}
	if (rdate_parse(v, allowed, out) < 0) {
		FMT_ERR(c, f, "\"%s\" is not a date (%s)", diag_quote(v, 40),
			date_form(allowed));
		return -1;
	}
	if (rdate_cmp(out, &c->ctx->today) > 0) {
		FMT_ERR(c, f, "%s is after the report date %04d-%02d-%02d", v,
			c->ctx->today.y, c->ctx->today.m, c->ctx->today.d);
		return -1;
	}
	return 0;
}

/* released_on and died_on: dates as detained_on's, within the detention
 * and the report date, and only with a status they agree with. */
static void check_end(struct checker *c)
{
	struct record *r = c->rec;
	int st_ok = r->status < ST_COUNT;
	const char *st = st_ok ? status_names[r->status] : "";

	if (check_date(c, F_RELEASED_ON, RDATE_DAY | RDATE_MONTH, 0, &r->released) < 0)
		memset(&r->released, 0, sizeof(r->released));
	if (check_date(c, F_DIED_ON, RDATE_DAY | RDATE_MONTH, 0, &r->died) < 0)
		memset(&r->died, 0, sizeof(r->died));
	if (r->released.y && r->detained.y && rdate_before(&r->released, &r->detained))
		FMT_ERR(c, F_RELEASED_ON, "%s is before the detention date %s",
			r->f[F_RELEASED_ON], r->f[F_DETAINED_ON]);
	if (r->died.y && r->detained.y && rdate_before(&r->died, &r->detained))
		FMT_ERR(c, F_DIED_ON, "%s is before the detention date %s",
			r->f[F_DIED_ON], r->f[F_DETAINED_ON]);
	if (r->died.y && r->released.y && rdate_before(&r->died, &r->released))
		FMT_ERR(c, F_DIED_ON, "%s is before the release date %s",
			r->f[F_DIED_ON], r->f[F_RELEASED_ON]);
	if (!st_ok)
		return;
	if (*r->f[F_RELEASED_ON] && r->status != ST_RELEASED &&
	    r->status != ST_DECEASED)
		FMT_ERR(c, F_RELEASED_ON, "a release date is given but status is "
			"%s; it needs status released (or deceased, for a person "
			"who died after release)", st);
	if (*r->f[F_DIED_ON] && r->status != ST_DECEASED)
		FMT_ERR(c, F_DIED_ON, "a date of death is given but status is %s; "
			"it needs status deceased", st);
}

/* A number of years as spreadsheets write one: digits, and at most one
 * decimal point or comma followed by digits. No sign, exponent, hex,
 * "inf", white space or thousands separator. Returns 0 and the value,
 * or -1 with the reason in *why. */
static int parse_years(const char *v, double *out, const char **why)
{
	const char *p = v, *sep = NULL;
	size_t ndec = 0;
	char buf[64];
	size_t i;

	*why = "write plain digits with at most one decimal point or comma";
	if (*p == '-') {
		*why = "a sentence cannot be negative";
		return -1;
	}
	for (; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			if (sep)
				ndec++;
		} else if ((*p == '.' || *p == ',') && !sep && p > v) {
			sep = p;
		} else {
			return -1;
		}
	}
	if (sep && ndec == 0)
		return -1;
	/* "1,000" or "1.500": a thousands separator, not a fraction. */
	if (sep && ndec == 3 && sep - v <= 3 && !(sep - v == 1 && v[0] == '0')) {
		*why = "is that a thousands separator? write the years without "
		       "one, and a fraction with at most two decimals";
		return -1;
	}
	if (strlen(v) >= sizeof(buf)) {
		*why = "too long for a number of years";
		return -1;
	}
	for (i = 0; v[i]; i++)
		buf[i] = v[i] == ',' ? '.' : v[i];
	buf[i] = '\0';
	*out = strtod(buf, NULL);
	if (!(*out > 0)) {
		*why = "a sentence must be more than 0 years";
		return -1;
	}
	if (*out > 200) {
		*why = "more than 200 years";
		return -1;
	}
	return 0;
}

static void check_sentence(struct checker *c)
{
	struct record *r = c->rec;
	char *v = r->f[F_SENTENCE_YEARS];
	const char *why;
	char *p;
	double x;

	if (!*v) {
		if (r->status == ST_CONVICTED)
			FMT_ERR(c, F_SENTENCE_YEARS, "is required when status is "
				"convicted (years, e.g. 15 or 0.5, or \"life\")");
		return;
	}
	if (strcmp(v, "life") == 0) {
		r->sentence_life = 1;
	} else if (parse_years(v, &x, &why) < 0) {
		FMT_ERR(c, F_SENTENCE_YEARS, "\"%s\" is not a number of years: "
			"%s (e.g. 15, 0.5 or 0,5, or \"life\")",
			diag_quote(v, 40), why);
		return;
	} else {
		/* A decimal comma, as Russian and Armenian spreadsheets write
		 * it, is read as a point (and normalized to one). */
		for (p = v; *p; p++)
			if (*p == ',')
				*p = '.';
		r->sentence_years = x;
	}
	if (r->status != ST_CONVICTED && r->status < ST_COUNT)
		field_warning(c, F_SENTENCE_YEARS, "a sentence is given but "
			      "status is %s, not convicted", status_names[r->status]);
}

static int url_ok(const char *u, size_t n)
{
	size_t i, scheme;
	if (n > 7 && strncmp(u, "http://", 7) == 0)
		scheme = 7;
	else if (n > 8 && strncmp(u, "https://", 8) == 0)
		scheme = 8;
	else
		return 0;
	/* A host of at least one character that is not a path start. */
	if (u[scheme] == '/' || u[scheme] == '?' || u[scheme] == '#')
		return 0;
	for (i = scheme; i < n; i++) {
		unsigned char ch = (unsigned char)u[i];
		if (ch <= 0x20 || ch == 0x7F || ch == '"' || ch == '<' || ch == '>' ||
		    ch == '\\' || ch == '^' || ch == '`' || ch == '{' || ch == '}' || ch == '|')
			return 0;
	}
	return 1;
}

static void check_sources(struct checker *c)
{
	struct record *r = c->rec;
	const char *p = r->f[F_SOURCES];
	size_t cap = 0;

	while (*p) {
		size_t n;
		while (*p == ';' || isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		n = strcspn(p, "; \t\r\n");
		if (!url_ok(p, n)) {
			char *bad = xstrndup(p, n);
			FMT_ERR(c, F_SOURCES, "\"%s\" is not an http:// or https:// "
				"address", diag_quote(bad, 60));
			free(bad);
		} else {
			ALLOC_GROW(r->sources, r->nsources + 2, cap);
			r->sources[r->nsources++] = xstrndup(p, n);
			r->sources[r->nsources] = NULL;
		}
		p += n;
	}
}

/* The photo must be a JPEG or PNG file inside the roster's folder: a
 * relative path with no ".." part, not leading out through a symlink. */
static void check_photo(struct checker *c)
{
	static const struct safefile_kind photo = { "photo", "the roster's folder", 0 };
	struct record *r = c->rec;
	const char *v = r->f[F_PHOTO];
	struct safefile f;
	unsigned char magic[8];
	char *dir, *slash;
	ssize_t got;

	if (!*v)
		return;
	dir = xstrdup(c->ctx->roster_path);
	slash = strrchr(dir, '/');
	if (slash)
		slash[1] = '\0';
	else
		strcpy(dir, ".");
	/* A photo that is missing or not an image is a warning: the brief is
	 * still made, without it. A path leading out is an error. The reading
	 * rules are those of every file a folder names (safefile.c). */
	if (safefile_open(dir, v, &photo, SAFEFILE_RELATIVE, &f, NULL,
			  (struct diag_loc){ 0 }) < 0) {
		switch (f.status) {
		case SAFEFILE_ABSOLUTE:
			FMT_ERR(c, F_PHOTO, "\"%s\" is an absolute path; give a path "
				"relative to the roster's folder", diag_quote(v, 60));
			break;
		case SAFEFILE_DOTDOT:
			FMT_ERR(c, F_PHOTO, "\"%s\" leads out of the roster's "
				"folder (\"..\")", diag_quote(v, 60));
			break;
		case SAFEFILE_OUTSIDE:
			FMT_ERR(c, F_PHOTO, "\"%s\" leads out of the roster's folder "
				"through a symbolic link", diag_quote(v, 60));
			break;
		case SAFEFILE_NOT_REGULAR:
			field_warning(c, F_PHOTO, "\"%s\" is not a regular file; the "
				      "brief will have no photo", diag_quote(v, 60));
			break;
		default:
			field_warning(c, F_PHOTO, "cannot open \"%s\": %s; the brief "
				      "will have no photo", diag_quote(v, 60),
				      strerror(f.err ? f.err : EIO));
			break;
		}
		goto out;
	}
	got = read(f.fd, magic, sizeof(magic));
	if (image_sniff(magic, got > 0 ? (size_t)got : 0) == IMAGE_OTHER) {
		field_warning(c, F_PHOTO, "\"%s\" is neither a JPEG nor a PNG "
			      "image; the brief will have no photo", diag_quote(v, 60));
		goto out;
	}
	r->photo_path = f.real;
	f.real = NULL;
out:
	safefile_close(&f);
	free(dir);
}

static int id_ok(const char *s)
{
	size_t n = strlen(s), i;
	if (n < 1 || n > 32)
		return 0;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '-')
			return 0;
	return 1;
}

int record_from_row(const record_schema *s, const struct roster_row *row,
		    const struct record_ctx *ctx, struct record *rec,
		    struct diag *d)
{
	struct checker c = { ctx, rec, d, 0 };
	int src[F_COUNT];      /* the column each field was read from */
	const struct roster_field *old_court = NULL;
	size_t i;
	int k;

	memset(rec, 0, sizeof(*rec));
	rec->row_line = row->line;
	for (i = 0; i < F_COUNT; i++) {
		int col = src[i] = s->col_of[i];
		if (col >= 0 && (size_t)col < row->n) {
			rec->f[i] = xstrdup(row->v[col].s);
			rec->line[i] = row->v[col].line;
			rec->col[i] = row->v[col].col;
		} else {
			rec->f[i] = xstrdup("");
			rec->line[i] = row->line;
			rec->col[i] = 0;
		}
	}
	/* The old column "court" fills court_en, unless the row fills both
	 * (an error, below). */
	if (s->col_court >= 0 && (size_t)s->col_court < row->n &&
	    row->v[s->col_court].len) {
		old_court = &row->v[s->col_court];
		if (!*rec->f[F_COURT_EN]) {
			free(rec->f[F_COURT_EN]);
			rec->f[F_COURT_EN] = xstrdup(old_court->s);
			rec->line[F_COURT_EN] = old_court->line;
			rec->col[F_COURT_EN] = old_court->col;
			src[F_COURT_EN] = s->col_court;
			old_court = NULL;
		}
	}
	/* The columns dossier does not know, for the JSON output. */
	if (s->nunknown) {
		rec->nother = s->ncols;
		rec->other = xcalloc(s->ncols, sizeof(*rec->other));
		for (i = 0; i < s->ncols; i++)
			if (s->colfield[i] < 0)
				rec->other[i] = xstrdup(i < row->n ? row->v[i].s : "");
	}
	if (row->bad)
		return -1; /* the reader has said what is wrong */

	/* Ragged rows: fewer fields than the header is an error; more is an
	 * error unless the extra ones are empty (trailing delimiters). */
	if (row->n != s->ncols) {
		int extra_nonempty = 0;
		for (i = s->ncols; i < row->n; i++)
			if (row->v[i].len)
				extra_nonempty = 1;
		if (row->n < s->ncols || extra_nonempty) {
			/* Too many: at the first extra field; too few: where
			 * the row ends, where the next field was due. */
			struct diag_loc at = { ctx->roster_path, row->end_line,
					       row->end_col };
			struct sbuf msg = SBUF_INIT;
			if (row->n > s->ncols) {
				at.line = row->v[s->ncols].line;
				at.col = row->v[s->ncols].col;
			} else if (!at.line) {
				at.line = row->line;
			}
			add_id(&msg, rec->f[F_ID]);
			sbuf_addf(&msg, "row has %zu field%s; the header has %zu",
				  row->n, row->n == 1 ? "" : "s", s->ncols);
			diag_error(d, at, "%s", msg.buf);
			sbuf_release(&msg);
			return -1;
		}
	}

	for (i = 0; i < F_COUNT; i++) {
		int col = src[i];
		check_chars(&c, (enum field)i, col >= 0 && (size_t)col < row->n ?
			    &row->v[col] : NULL);
	}
	if (old_court) {
		struct sbuf msg = SBUF_INIT;
		add_id(&msg, rec->f[F_ID]);
		sbuf_addf(&msg, "%s: both %s (\"%s\") and court_en (\"%s\") are "
			  "given; %s is the old name of court_en: keep one",
			  OLD_COURT, OLD_COURT, diag_quote(old_court->s, 40),
			  diag_quote(rec->f[F_COURT_EN], 40), OLD_COURT);
		diag_error(d, (struct diag_loc){ ctx->roster_path,
			   old_court->line, old_court->col }, "%s", msg.buf);
		sbuf_release(&msg);
		c.errors++;
	}

	if (!*rec->f[F_ID])
		FMT_ERR(&c, F_ID, "is required");
	else if (!id_ok(rec->f[F_ID]))
		FMT_ERR(&c, F_ID, "\"%s\" is not a valid id (1 to 32 of A-Z a-z "
			"0-9 _ -)", diag_quote(rec->f[F_ID], 40));

	k = check_enum(&c, F_CATEGORY, category_names, 0, CAT_COUNT, 1);
	rec->category = k >= 0 ? (enum category)k : CAT_COUNT;
	k = check_enum(&c, F_STATUS, status_names, 0, ST_COUNT, 1);
	rec->status = k >= 0 ? (enum status)k : ST_COUNT;
	k = check_enum(&c, F_ACKNOWLEDGED, ack_names, 1, ARRAY_SIZE(ack_names), 0);
	rec->ack = k >= 0 ? (enum ack)k : ACK_UNSPECIFIED;
	/* sex: f, m, or empty when not known. */
	k = *rec->f[F_SEX] ? lookup(rec->f[F_SEX], sex_names, ARRAY_SIZE(sex_names)) : 0;
	if (k < 0)
		FMT_ERR(&c, F_SEX, "\"%s\" is not one of f or m (f female, m male; "
			"leave it empty when not known)", diag_quote(rec->f[F_SEX], 40));
	rec->sex = k > 0 ? (enum sex)k : SEX_UNKNOWN;

	check_names(&c);

	if (check_date(&c, F_BIRTH_DATE, RDATE_DAY | RDATE_YEAR, 0, &rec->birth) < 0)
		memset(&rec->birth, 0, sizeof(rec->birth));
	if (check_date(&c, F_DETAINED_ON, RDATE_DAY | RDATE_MONTH, 1, &rec->detained) < 0)
		memset(&rec->detained, 0, sizeof(rec->detained));
	if (check_date(&c, F_VERDICT_DATE, RDATE_DAY, 0, &rec->verdict) < 0)
		memset(&rec->verdict, 0, sizeof(rec->verdict));
	if (rec->birth.y && rec->detained.y && rdate_cmp(&rec->detained, &rec->birth) < 0)
		FMT_ERR(&c, F_DETAINED_ON, "%s is before the birth date %s",
			rec->f[F_DETAINED_ON], rec->f[F_BIRTH_DATE]);
	if (rec->verdict.y && rec->detained.y && rdate_cmp(&rec->verdict, &rec->detained) < 0)
		FMT_ERR(&c, F_VERDICT_DATE, "%s is before the detention date %s",
			rec->f[F_VERDICT_DATE], rec->f[F_DETAINED_ON]);

	check_end(&c);
	check_sentence(&c);
	check_sources(&c);
	check_photo(&c);
	return c.errors ? -1 : 0;
}

void record_release(struct record *rec)
{
	size_t i;
	for (i = 0; i < F_COUNT; i++)
		free(rec->f[i]);
	for (i = 0; i < rec->nsources; i++)
		free(rec->sources[i]);
	free(rec->sources);
	free(rec->photo_path);
	for (i = 0; i < rec->nother; i++)
		free(rec->other[i]);
	free(rec->other);
	memset(rec, 0, sizeof(*rec));
}
