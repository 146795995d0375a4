/* summary.c: the summary report of a roster in one language. */
#include "summary.h"
#include "composer.h"
#include "diag.h"
#include "sbuf.h"
#include "util.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucol.h>
#include <unicode/ustring.h>

/* The strings are kept in one block (id first): a roster of 100,000
 * keeps 100,000 of these. */
void summary_person_init(struct summary_person *p, const struct record *rec)
{
	static const int fields[] = { F_ID, F_NAME_EN, F_NAME_RU, F_NAME_HY,
				      F_DETAINED_ON, F_SENTENCE_YEARS };
	char **dst[] = { &p->id, &p->name_en, &p->name_ru, &p->name_hy,
			 &p->detained_on, &p->sentence };
	size_t len[ARRAY_SIZE(fields)], total = 0;
	char *block;

	memset(p, 0, sizeof(*p));
	for (size_t i = 0; i < ARRAY_SIZE(fields); i++) {
		len[i] = strlen(rec->f[fields[i]]) + 1;
		total += len[i];
	}
	block = xmalloc(total);
	for (size_t i = 0; i < ARRAY_SIZE(fields); i++) {
		memcpy(block, rec->f[fields[i]], len[i]);
		*dst[i] = block;
		block += len[i];
	}
	p->category = rec->category;
	p->status = rec->status;
	p->ack = rec->ack;
	p->detained = rec->detained;
	p->sentence_life = rec->sentence_life;
	p->sentence_years = rec->sentence_years;
}

void summary_person_release(struct summary_person *p)
{
	free(p->id); /* the block of all the strings */
	memset(p, 0, sizeof(*p));
}

static int detained_now(enum status s)
{
	return s == ST_HELD || s == ST_AWAITING_TRIAL || s == ST_ON_TRIAL ||
	       s == ST_CONVICTED;
}

/* The records left out that the summary lists: none unless it is for
 * internal use. */
static size_t shown_skips(const struct summary_input *in)
{
	return in->left_out_appendix ? in->nskips : 0;
}

/* --- figures -------------------------------------------------------------- */

struct figure {
	const char *name;
	char value[32];
};

struct sfacts {
	const struct summary_input *in;
	struct figure fig[40];
	size_t nfig;
	char as_of[16];
	/* The row being expanded. */
	const struct summary_person *p;
	char row[24], count[24], year[16], quarter[16], line[24];
	const struct summary_skip *skip;
};

static void set_fig(struct sfacts *sf, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_fig(struct sfacts *sf, const char *name, const char *fmt, ...)
{
	struct figure *f = &sf->fig[sf->nfig++];
	va_list ap;
	if (sf->nfig > ARRAY_SIZE(sf->fig))
		BUG("too many summary figures");
	f->name = name;
	va_start(ap, fmt);
	vsnprintf(f->value, sizeof(f->value), fmt, ap);
	va_end(ap);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* A decimal without trailing zeros: 12, 12.5 (the locale is "C"). */
static void set_dec(struct sfacts *sf, const char *name, double v)
{
	char buf[32];
	size_t n;
	snprintf(buf, sizeof(buf), "%.2f", v);
	n = strlen(buf);
	while (n && buf[n - 1] == '0')
		buf[--n] = '\0';
	if (n && buf[n - 1] == '.')
		buf[--n] = '\0';
	set_fig(sf, name, "%s", buf);
}

static double median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void compute(struct sfacts *sf)
{
	static const char *const cat_fig[CAT_COUNT] = {
		"count_pow", "count_civilian", "count_hostage", "count_political",
		"count_missing",
	};
	static const char *const st_fig[ST_COUNT] = {
		"count_held", "count_awaiting_trial", "count_on_trial",
		"count_convicted", "count_released", "count_deceased",
		"count_fate_unknown",
	};
	const struct summary_input *in = sf->in;
	size_t cat[CAT_COUNT] = { 0 }, st[ST_COUNT] = { 0 }, ack[4] = { 0 };
	size_t i, detained = 0, life = 0, nfixed = 0, ndays = 0;
	double *fixed = xcalloc(in->npeople + 1, sizeof(double));
	double *days = xcalloc(in->npeople + 1, sizeof(double));
	double total = 0;
	long today = rdate_days(&in->as_of);

	for (i = 0; i < in->npeople; i++) {
		const struct summary_person *p = in->people[i];
		cat[p->category]++;
		st[p->status]++;
		ack[p->ack == ACK_UNSPECIFIED ? ACK_UNKNOWN : p->ack]++;
		if (detained_now(p->status)) {
			detained++;
			if (p->detained.y)
				days[ndays++] = (double)(today - rdate_last_days(&p->detained));
		}
		if (p->status == ST_CONVICTED) {
			if (p->sentence_life)
				life++;
			else if (p->sentence_years > 0) {
				fixed[nfixed++] = p->sentence_years;
				total += p->sentence_years;
			}
		}
	}
	set_fig(sf, "total", "%zu", in->npeople);
	for (i = 0; i < CAT_COUNT; i++)
		set_fig(sf, cat_fig[i], "%zu", cat[i]);
	for (i = 0; i < ST_COUNT; i++)
		set_fig(sf, st_fig[i], "%zu", st[i]);
	set_fig(sf, "count_detained", "%zu", detained);
	set_fig(sf, "acknowledged_yes", "%zu", ack[ACK_YES]);
	set_fig(sf, "acknowledged_no", "%zu", ack[ACK_NO]);
	set_fig(sf, "acknowledged_unknown", "%zu", ack[ACK_UNKNOWN]);
	set_fig(sf, "life_sentences", "%zu", life);
	set_fig(sf, "fixed_sentences", "%zu", nfixed);
	set_dec(sf, "sentence_total_years", total);
	set_dec(sf, "sentence_median_years", nfixed ? median(fixed, nfixed) : 0);
	/* Median days: a whole number of days (halves round up). */
	set_fig(sf, "days_median", "%.0f", ndays ? ceil(median(days, ndays)) : 0);
	{
		double mx = 0;
		for (i = 0; i < ndays; i++)
			if (days[i] > mx)
				mx = days[i];
		set_fig(sf, "days_max", "%.0f", mx);
	}
	/* The records left out are no one's business but the staff's: the
	 * count is 0 (and the texts that depend on it are empty) unless the
	 * summary is for internal use. */
	set_fig(sf, "left_out", "%zu", shown_skips(in));
	free(fixed);
	free(days);
}

/* The facts of the summary of in: figures computed, no row selected. */
static void sfacts_init(struct sfacts *sf, const struct summary_input *in)
{
	memset(sf, 0, sizeof(*sf));
	sf->in = in;
	snprintf(sf->as_of, sizeof(sf->as_of), "%04d-%02d-%02d", in->as_of.y,
		 in->as_of.m, in->as_of.d);
	compute(sf);
}

static const char *sget(void *ctx, const char *name)
{
	struct sfacts *sf = ctx;
	const char *page;
	size_t i;

	for (i = 0; i < sf->nfig; i++)
		if (strcmp(sf->fig[i].name, name) == 0)
			return sf->fig[i].value;
	if (strcmp(name, "as_of") == 0)
		return sf->as_of;
	if ((page = composer_page_fact(name)))
		return page;
	if (strcmp(name, "row") == 0)
		return *sf->row ? sf->row : NULL;
	if (strcmp(name, "count") == 0)
		return *sf->count ? sf->count : NULL;
	if (strcmp(name, "year") == 0)
		return *sf->year ? sf->year : NULL;
	if (strcmp(name, "quarter") == 0)
		return *sf->quarter ? sf->quarter : NULL;
	if (sf->skip) {
		if (strcmp(name, "line") == 0)
			return sf->line;
		if (strcmp(name, "id") == 0)
			return *sf->skip->id ? sf->skip->id : NULL;
		if (strcmp(name, "reason") == 0)
			return sf->skip->reason;
	}
	if (sf->p) {
		const struct summary_person *p = sf->p;
		const char *v = NULL;
		if (strcmp(name, "id") == 0)
			v = p->id;
		else if (strcmp(name, "name_en") == 0)
			v = p->name_en;
		else if (strcmp(name, "name_ru") == 0)
			v = p->name_ru;
		else if (strcmp(name, "name_hy") == 0)
			v = p->name_hy;
		else if (strcmp(name, "category") == 0)
			v = record_category_name(p->category);
		else if (strcmp(name, "status") == 0)
			v = record_status_name(p->status);
		else if (strcmp(name, "acknowledged") == 0)
			v = record_ack_name(p->ack);
		else if (strcmp(name, "detained_on") == 0)
			v = p->detained_on;
		else if (strcmp(name, "sentence_years") == 0)
			v = p->status == ST_CONVICTED ? p->sentence : "";
		return v && *v ? v : NULL;
	}
	return NULL;
}

/* --- order ---------------------------------------------------------------- */

struct keyed {
	uint8_t *key;   /* ICU sort key of the name */
	size_t index;
};

static int cmp_keyed(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int r = strcmp((const char *)x->key, (const char *)y->key);
	if (r)
		return r;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* The ICU sort key of a UTF-8 string (NUL-terminated bytes). */
static uint8_t *sort_key(const UCollator *coll, const char *s)
{
	UErrorCode st = U_ZERO_ERROR;
	int32_t ulen = 0, klen;
	UChar *u;
	uint8_t *key;

	u_strFromUTF8(NULL, 0, &ulen, s, -1, &st);
	st = U_ZERO_ERROR;
	u = xmalloc(sizeof(UChar) * (size_t)(ulen + 1));
	u_strFromUTF8(u, ulen + 1, NULL, s, -1, &st);
	klen = ucol_getSortKey(coll, u, ulen, NULL, 0);
	key = xmalloc((size_t)klen + 1);
	ucol_getSortKey(coll, u, ulen, key, klen + 1);
	free(u);
	return key;
}

int summary_sort(const tpl_set *t, const char *lang,
		 const struct summary_input *in, size_t **order, struct diag *d)
{
	struct keyed *k;
	struct sfacts sf;
	struct tpl_facts f = { sget, &sf };
	UErrorCode st = U_ZERO_ERROR;
	UCollator *coll;
	size_t i;

	*order = NULL;
	/* Names in the language's own alphabetical order (ICU's collation
	 * for ru and hy); equal names keep the roster's order. ICU without
	 * its collation data cannot order them. */
	coll = ucol_open(lang, &st);
	if (U_FAILURE(st))
		return diag_error(d, (struct diag_loc){ NULL, 0, 0 },
				  "summary (%s): ICU cannot open the collation "
				  "that sorts the roster table: %s", lang,
				  u_errorName(st));
	memset(&sf, 0, sizeof(sf));
	sf.in = in;
	k = xcalloc(in->npeople + 1, sizeof(*k));
	for (i = 0; i < in->npeople; i++) {
		int how;
		const char *from;
		char *name;
		sf.p = in->people[i];
		name = tpl_name(t, lang, &f, &how, &from);
		k[i].key = sort_key(coll, name ? name : in->people[i]->id);
		k[i].index = i;
		free(name);
	}
	ucol_close(coll);
	qsort(k, in->npeople, sizeof(*k), cmp_keyed);
	*order = xcalloc(in->npeople + 1, sizeof(**order));
	for (i = 0; i < in->npeople; i++) {
		(*order)[i] = k[i].index;
		free(k[i].key);
	}
	free(k);
	return 0;
}

void summary_order(const tpl_set *t, const char *lang,
		   const struct summary_input *in, size_t **order)
{
	struct diag d = DIAG_INIT;

	/* The roster's order when the collation cannot be opened: then
	 * summary_compose, which sorts the same way, fails with the error. */
	if (summary_sort(t, lang, in, order, &d) < 0) {
		*order = xcalloc(in->npeople + 1, sizeof(**order));
		for (size_t i = 0; i < in->npeople; i++)
			(*order)[i] = i;
	}
	diag_release(&d);
}

/* --- the document --------------------------------------------------------- */

/* Plain text of key for the current facts (marks dropped). */
static char *plain(struct composer *c, const char *key)
{
	return composer_plain(c, key);
}

/* A table cell from a text key. */
static void cell(struct composer *c, const char *key, const char *dest,
		 const char *file, unsigned style)
{
	struct tpl_spans sp = TPL_SPANS_INIT;
	struct doc_span *ds;
	size_t i;
	composer_source(c, key);
	composer_expand(c, key, &sp);
	ds = composer_spans(c, &sp, style);
	for (i = 0; i < sp.n; i++) {
		ds[i].dest = dest;
		ds[i].file = file;
	}
	doc_table_cell(c->doc, ds, sp.n);
	free(ds);
	tpl_spans_release(&sp);
}

/* A small table of counts: a label text and a count per row, rows with a
 * zero count left out. */
static void count_table(struct composer *c, struct sfacts *sf, const char *heading,
			const char *prefix, const char *const *values,
			const char *const *figs, size_t n)
{
	size_t i;
	composer_block(c, CB_H3, heading);
	doc_facts_begin(c->doc);
	for (i = 0; i < n; i++) {
		const char *v = sget(sf, figs[i]);
		char key[64];
		if (!v || strcmp(v, "0") == 0)
			continue;
		snprintf(sf->count, sizeof(sf->count), "%s", v);
		snprintf(key, sizeof(key), "%s.%s", prefix, values[i]);
		composer_fact(c, key, "summary.figures.count");
	}
	sf->count[0] = '\0';
	doc_facts_end(c->doc);
}

/* Quarters counted from year 0 (a date without a month: its first). */
static int quarter_of(const struct rdate *d)
{
	return d->y * 4 + (d->m ? (d->m - 1) / 3 : 0);
}

/* Chart ch (all set but its title) titled by the text key; drawn when
 * draw, the title expanded either way. */
static void titled_chart(struct composer *c, const char *key,
			 struct doc_chart *ch, int draw)
{
	struct tpl_spans title = TPL_SPANS_INIT;
	struct doc_span *ds;

	composer_source(c, key);
	composer_expand(c, key, &title);
	ds = composer_spans(c, &title, 0);
	ch->title = ds;
	ch->ntitle = title.n;
	if (draw)
		doc_chart_bars(c->doc, ch);
	free(ds);
	tpl_spans_release(&title);
}

static void charts(struct composer *c, struct sfacts *sf)
{
	const struct summary_input *in = sf->in;
	double per[ST_COUNT][CAT_COUNT];
	const char *cats[CAT_COUNT];
	char *catlab[CAT_COUNT], *stlab[ST_COUNT];
	struct doc_chart_series series[ST_COUNT];
	size_t nser = 0, i, s, k;
	struct doc_chart ch;

	memset(per, 0, sizeof(per));
	for (i = 0; i < in->npeople; i++)
		per[in->people[i]->status][in->people[i]->category] += 1;
	for (k = 0; k < CAT_COUNT; k++) {
		char key[64];
		snprintf(key, sizeof(key), "summary.category.%s", record_category_name(k));
		catlab[k] = plain(c, key);
		cats[k] = catlab[k];
	}
	for (s = 0; s < ST_COUNT; s++) {
		char key[64];
		double sum = 0;
		snprintf(key, sizeof(key), "summary.status.%s", record_status_name(s));
		stlab[s] = plain(c, key);
		for (k = 0; k < CAT_COUNT; k++)
			sum += per[s][k];
		if (sum > 0) {
			series[nser].label = stlab[s];
			series[nser].values = per[s];
			nser++;
		}
	}
	/* Seven statuses at most: the chart tells eight series apart. */
	memset(&ch, 0, sizeof(ch));
	ch.categories = cats;
	ch.ncategories = CAT_COUNT;
	ch.series = series;
	ch.nseries = nser;
	ch.stacked = 1;
	ch.horizontal = 1;
	ch.source = "summary chart by category and status";
	titled_chart(c, "summary.chart.status.title", &ch, nser > 0);
	for (k = 0; k < CAT_COUNT; k++)
		free(catlab[k]);
	for (s = 0; s < ST_COUNT; s++)
		free(stlab[s]);

	/* Detentions by quarter, from the first quarter to the last. */
	{
		int qmin = 1 << 30, qmax = -1, q;
		double *vals;
		char **labels;
		struct doc_chart_series one;
		char *axis;
		for (i = 0; i < in->npeople; i++) {
			const struct rdate *d = &in->people[i]->detained;
			if (!d->y)
				continue;
			q = quarter_of(d);
			if (q < qmin)
				qmin = q;
			if (q > qmax)
				qmax = q;
		}
		if (qmax < 0 || qmax - qmin > 400)
			return;
		vals = xcalloc((size_t)(qmax - qmin + 1), sizeof(*vals));
		labels = xcalloc((size_t)(qmax - qmin + 1), sizeof(*labels));
		for (i = 0; i < in->npeople; i++) {
			const struct rdate *d = &in->people[i]->detained;
			if (d->y)
				vals[quarter_of(d) - qmin] += 1;
		}
		for (q = qmin; q <= qmax; q++) {
			snprintf(sf->year, sizeof(sf->year), "%d", q / 4);
			snprintf(sf->quarter, sizeof(sf->quarter), "%d", q % 4 + 1);
			labels[q - qmin] = plain(c, "summary.chart.time.quarter");
		}
		sf->year[0] = sf->quarter[0] = '\0';
		axis = plain(c, "summary.chart.time.axis");
		one.label = axis;
		one.values = vals;
		memset(&ch, 0, sizeof(ch));
		ch.categories = (const char *const *)labels;
		ch.ncategories = (size_t)(qmax - qmin + 1);
		ch.series = &one;
		ch.nseries = 1;
		ch.source = "summary chart by quarter";
		titled_chart(c, "summary.chart.time.title", &ch, 1);
		composer_block(c, CB_PARA, "summary.chart.time.note");
		for (q = qmin; q <= qmax; q++)
			free(labels[q - qmin]);
		free(labels);
		free(vals);
		free(axis);
	}
}

/* The summary is composed in pieces, so that the summary of a long
 * roster need not be held whole: the front matter, then the rows of the
 * roster table and of the appendix at most ROWS_PER_STEP at a time. */
#define ROWS_PER_STEP 256

enum summary_stage { SS_ROSTER, SS_LEFT_OUT, SS_LEFT_OUT_ROWS, SS_DONE };

struct summary_stream {
	const struct summary_input *in;
	char *lang;
	size_t lang_index;
	enum summary_links links;
	struct sfacts sf;        /* the composer's facts: here, not moved */
	struct composer c;
	doc *dc;
	size_t *order;           /* the roster table's order of people */
	enum summary_stage stage;
	size_t next;             /* the next row of the current table */
};

/* Everything up to the roster table's header row. */
static void summary_front_matter(summary_stream *s, const tpl_set *t)
{
	static const char *const cat_values[CAT_COUNT] = {
		"pow", "civilian", "hostage", "political", "missing" };
	static const char *const cat_figs[CAT_COUNT] = {
		"count_pow", "count_civilian", "count_hostage", "count_political",
		"count_missing" };
	static const char *const st_values[ST_COUNT] = {
		"held", "awaiting_trial", "on_trial", "convicted", "released",
		"deceased", "missing" };
	static const char *const st_figs[ST_COUNT] = {
		"count_held", "count_awaiting_trial", "count_on_trial",
		"count_convicted", "count_released", "count_deceased",
		"count_fate_unknown" };
	static const char *const ack_values[] = { "yes", "no", "unknown" };
	static const char *const ack_figs[] = { "acknowledged_yes", "acknowledged_no",
						"acknowledged_unknown" };
	static const char *const figure_rows[] = {
		"total", "detained", "convicted", "life", "sentence_total",
		"sentence_median", "days_median", "days_max",
	};
	static const char *const groups[] = { "political", "hostage", "pow",
					      "civilian", "missing" };
	static const char *const law[] = { "summary.law.intro", "summary.law.geneva",
		"summary.law.custom", "summary.law.human_rights", "summary.law.courts",
		"summary.law.parliaments" };
	const struct summary_input *in = s->in;
	struct composer *c = &s->c;
	doc *dc = s->dc;
	size_t i;

	doc_anchor(dc, "summary");

	composer_metadata(c, "summary.doc.title", "summary.doc.subject");
	{
		char *page = plain(c, "doc.footer.page");
		char *head = plain(c, "summary.doc.title");
		doc_set_page_text(dc, head, NULL, page);
		free(page);
		free(head);
	}

	/* Cover. */
	composer_block(c, CB_TITLE, "summary.doc.title");
	composer_block(c, CB_PARA, "summary.doc.subtitle");
	composer_block(c, CB_PARA, "summary.doc.as_of");
	composer_block(c, CB_PARA, "summary.doc.total");

	/* Context. */
	composer_block(c, CB_H2, "summary.context.heading");
	composer_block(c, CB_JUSTIFY, "summary.context.war");
	composer_block(c, CB_JUSTIFY, "summary.context.2023");
	composer_block(c, CB_JUSTIFY, "summary.context.trials");
	composer_block(c, CB_JUSTIFY, "summary.context.roster");

	/* Key figures. */
	composer_block(c, CB_H2, "summary.figures.heading");
	doc_facts_begin(dc);
	for (i = 0; i < ARRAY_SIZE(figure_rows); i++) {
		char lab[64], val[64];
		snprintf(lab, sizeof(lab), "summary.figures.%s.label", figure_rows[i]);
		snprintf(val, sizeof(val), "summary.figures.%s", figure_rows[i]);
		composer_fact(c, lab, val);
	}
	/* Internal use only: how many records were left out. */
	if (shown_skips(in))
		composer_fact(c, "summary.figures.left_out.label",
			      "summary.figures.left_out");
	doc_facts_end(dc);
	composer_block(c, CB_PARA, "summary.figures.note");
	count_table(c, &s->sf, "summary.figures.by_category", "summary.category",
		    cat_values, cat_figs, CAT_COUNT);
	count_table(c, &s->sf, "summary.figures.by_status", "summary.status",
		    st_values, st_figs, ST_COUNT);
	count_table(c, &s->sf, "summary.figures.by_acknowledged", "summary.acknowledged",
		    ack_values, ack_figs, ARRAY_SIZE(ack_values));
	charts(c, &s->sf);

	/* The people, by group. */
	composer_block(c, CB_H2, "summary.groups.heading");
	for (i = 0; i < ARRAY_SIZE(groups); i++) {
		char key[64];
		snprintf(key, sizeof(key), "summary.group.%s.heading", groups[i]);
		composer_block(c, CB_H3, key);
		snprintf(key, sizeof(key), "summary.group.%s", groups[i]);
		composer_block(c, CB_JUSTIFY, key);
	}

	/* The legal framework in brief. */
	composer_block(c, CB_H2, "summary.law.heading");
	for (i = 0; i < ARRAY_SIZE(law); i++)
		composer_block(c, CB_JUSTIFY, law[i]);

	/* The roster table, in the language's order of names. */
	composer_block(c, CB_H2, "summary.roster.heading");
	if (in->npeople) {
		static const double widths[] = { 0.7, 2.25, 1.8, 1.4, 1.75, 1.3 };
		static const char *const cols[] = { "no", "name", "category",
			"detained", "status", "sentence" };
		composer_block(c, CB_PARA, "summary.roster.intro");
		if (summary_sort(t, s->lang, in, &s->order, c->d) < 0) {
			/* No table: the summary is not written. */
			c->failed = 1;
			return;
		}
		doc_table_begin(dc, ARRAY_SIZE(widths), widths, 1);
		for (i = 0; i < ARRAY_SIZE(cols); i++) {
			char key[64];
			snprintf(key, sizeof(key), "summary.roster.col.%s", cols[i]);
			cell(c, key, NULL, NULL, DOC_BOLD | DOC_SMALL);
		}
	} else {
		composer_block(c, CB_PARA, "summary.roster.none");
	}
}

/* Row i of the roster table. */
static void roster_row(summary_stream *s, size_t i)
{
	const struct summary_person *p = s->in->people[s->order[i]];
	struct composer *c = &s->c;
	struct sbuf dest = SBUF_INIT, file = SBUF_INIT;
	const char *dp = NULL, *fp = NULL;

	s->sf.p = p;
	snprintf(s->sf.row, sizeof(s->sf.row), "%zu", i + 1);
	if (s->links == SUMMARY_LINK_DESTS) {
		sbuf_addf(&dest, "brief:%s", p->id);
		dp = dest.buf;
	} else if (p->brief[s->lang_index]) {
		sbuf_addf(&file, "briefs/%s", p->brief[s->lang_index]);
		fp = file.buf;
	}
	cell(c, "summary.roster.no", NULL, NULL, DOC_SMALL);
	cell(c, "summary.roster.name", dp, fp, DOC_SMALL);
	cell(c, "summary.roster.category", NULL, NULL, DOC_SMALL);
	cell(c, "summary.roster.detained", NULL, NULL, DOC_SMALL);
	cell(c, "summary.roster.status", NULL, NULL, DOC_SMALL);
	cell(c, "summary.roster.sentence", NULL, NULL, DOC_SMALL);
	sbuf_release(&dest);
	sbuf_release(&file);
}

/* Row i of the table of the records left out. */
static void left_out_row(summary_stream *s, size_t i)
{
	struct composer *c = &s->c;

	s->sf.skip = &s->in->skips[i];
	snprintf(s->sf.line, sizeof(s->sf.line), "%ld", s->in->skips[i].line);
	cell(c, "summary.left_out.line", NULL, NULL, DOC_SMALL);
	cell(c, "summary.left_out.id", NULL, NULL, DOC_SMALL);
	cell(c, "summary.left_out.reason", NULL, NULL, DOC_SMALL);
}

static summary_stream *stream_open(const tpl_set *t, const char *lang,
				   size_t lang_index,
				   const struct summary_input *in,
				   enum summary_links links, struct diag *d)
{
	summary_stream *s = xcalloc(1, sizeof(*s));

	s->in = in;
	s->lang = xstrdup(lang);
	s->lang_index = lang_index;
	s->links = links;
	sfacts_init(&s->sf, in);
	s->dc = doc_new(lang, in->paper);
	doc_set_date(s->dc, in->as_of.y, in->as_of.m, in->as_of.d, 0, 0, 0);
	composer_init(&s->c, t, s->lang, sget, &s->sf, s->dc, "summary", d);
	summary_front_matter(s, t);
	s->stage = !in->npeople ? SS_LEFT_OUT : s->order ? SS_ROSTER : SS_DONE;
	composer_notes(&s->c);
	return s;
}

/* The next piece: 1 when blocks were added, 0 at the end. Goes on after
 * errors (c.failed), so that all of them are reported. */
static int stream_step(summary_stream *s)
{
	const struct summary_input *in = s->in;
	struct composer *c = &s->c;
	size_t budget = ROWS_PER_STEP;
	size_t nskips = shown_skips(in);
	/* Nothing is added only at the end, or when no appendix follows. */
	int added = s->stage != SS_DONE &&
		    !(s->stage == SS_LEFT_OUT && !nskips);

	if (s->stage == SS_ROSTER) {
		for (; s->next < in->npeople && budget; budget--)
			roster_row(s, s->next++);
		if (s->next == in->npeople) {
			s->sf.p = NULL;
			s->sf.row[0] = '\0';
			doc_table_end(s->dc);
			free(s->order);
			s->order = NULL;
			s->stage = SS_LEFT_OUT;
			s->next = 0;
		}
	}
	/* The records left out, for internal use only (recipients are not
	 * told of validation findings: the staff have OUTDIR/left-out.txt). */
	if (s->stage == SS_LEFT_OUT && budget) {
		static const double widths[] = { 0.6, 1.1, 5.0 };
		s->stage = SS_DONE;
		if (nskips) {
			composer_block(c, CB_H2, "summary.left_out.heading");
			composer_block(c, CB_PARA, "summary.left_out.intro");
			composer_block(c, CB_PARA, "summary.left_out.note");
			doc_table_begin(s->dc, ARRAY_SIZE(widths), widths, 1);
			cell(c, "summary.left_out.col.line", NULL, NULL, DOC_BOLD | DOC_SMALL);
			cell(c, "summary.left_out.col.id", NULL, NULL, DOC_BOLD | DOC_SMALL);
			cell(c, "summary.left_out.col.reason", NULL, NULL, DOC_BOLD | DOC_SMALL);
			s->stage = SS_LEFT_OUT_ROWS;
		}
	}
	if (s->stage == SS_LEFT_OUT_ROWS) {
		for (; s->next < nskips && budget; budget--)
			left_out_row(s, s->next++);
		if (s->next == nskips) {
			s->sf.skip = NULL;
			doc_table_end(s->dc);
			s->stage = SS_DONE;
		}
	}
	composer_notes(c);
	return added;
}

summary_stream *summary_stream_new(const tpl_set *t, const char *lang,
				   size_t lang_index,
				   const struct summary_input *in,
				   enum summary_links links, struct diag *d)
{
	summary_stream *s = stream_open(t, lang, lang_index, in, links, d);

	if (s->c.failed) {
		summary_stream_free(s);
		return NULL;
	}
	return s;
}

doc *summary_stream_doc(summary_stream *s)
{
	return s->dc;
}

int summary_stream_next(summary_stream *s)
{
	int r = stream_step(s);
	return s->c.failed ? -1 : r;
}

void summary_stream_free(summary_stream *s)
{
	if (!s)
		return;
	composer_release(&s->c);
	doc_free(s->dc);
	free(s->order);
	free(s->lang);
	free(s);
}

doc *summary_compose(const tpl_set *t, const char *lang, size_t lang_index,
		     const struct summary_input *in, enum summary_links links,
		     struct diag *d)
{
	summary_stream *s = stream_open(t, lang, lang_index, in, links, d);
	doc *dc = NULL;

	while (stream_step(s) > 0)
		;
	if (!s->c.failed) {
		dc = s->dc;
		s->dc = NULL;
	}
	summary_stream_free(s);
	return dc;
}

doc *summary_front(const tpl_set *t, const char *lang,
		   const struct summary_input *in, const size_t *order,
		   const char *const *labels, struct diag *d)
{
	static const double widths[] = { 6.0, 1.0 };
	struct sfacts sf;
	struct composer c;
	struct tpl_facts f = { sget, &sf };
	size_t i;
	doc *dc;

	sfacts_init(&sf, in);
	dc = doc_new(lang, in->paper);
	doc_set_date(dc, in->as_of.y, in->as_of.m, in->as_of.d, 0, 0, 0);
	composer_init(&c, t, lang, sget, &sf, dc, "binder", d);

	composer_metadata(&c, "binder.doc.title", "binder.doc.subject");

	/* The cover, alone on its page. */
	composer_block(&c, CB_TITLE, "binder.doc.title");
	composer_block(&c, CB_PARA, "binder.doc.subtitle");
	composer_block(&c, CB_PARA, "binder.doc.as_of");
	composer_block(&c, CB_PARA, "binder.doc.count");
	doc_page_break(dc);

	/* Contents: title and page, each linked. */
	composer_block(&c, CB_H1, "binder.contents.title");
	doc_table_begin(dc, ARRAY_SIZE(widths), widths, 0);
	for (i = 0; i <= in->npeople; i++) {
		struct doc_span sp[1];
		const char *label = labels && labels[i] ? labels[i] : "000";
		struct sbuf dest = SBUF_INIT;
		char *name = NULL;

		if (i == 0) {
			name = plain(&c, "binder.contents.summary");
			sbuf_addstr(&dest, "summary");
		} else {
			int how;
			const char *from;
			sf.p = in->people[order[i - 1]];
			name = tpl_name(t, lang, &f, &how, &from);
			if (!name)
				name = xstrdup(sf.p->id);
			sbuf_addf(&dest, "brief:%s", sf.p->id);
		}
		memset(sp, 0, sizeof(sp));
		sp[0].text = name;
		sp[0].dest = dest.buf;
		sp[0].style = i == 0 ? DOC_BOLD : 0;
		sp[0].source = "binder contents";
		doc_table_cell(dc, sp, 1);
		sp[0].text = label;
		doc_table_cell(dc, sp, 1);
		free(name);
		sbuf_release(&dest);
		if (i == 0 && in->npeople) {
			/* A heading row for the briefs. */
			char *h = plain(&c, "binder.contents.briefs");
			memset(sp, 0, sizeof(sp));
			sp[0].text = h;
			sp[0].style = DOC_BOLD;
			sp[0].source = "binder contents";
			doc_table_cell(dc, sp, 1);
			sp[0].text = "";
			doc_table_cell(dc, sp, 1);
			free(h);
		}
	}
	sf.p = NULL;
	doc_table_end(dc);
	composer_release(&c);
	if (c.failed) {
		doc_free(dc);
		return NULL;
	}
	return dc;
}

char *summary_name(const tpl_set *t, const char *lang,
		   const struct summary_person *p)
{
	struct sfacts sf;
	struct tpl_facts f = { sget, &sf };
	int how;
	const char *from;
	char *name;

	memset(&sf, 0, sizeof(sf));
	sf.p = p;
	name = tpl_name(t, lang, &f, &how, &from);
	return name ? name : xstrdup(p->id);
}

char *summary_text(const tpl_set *t, const char *lang,
		   const struct summary_input *in, const char *key)
{
	struct sfacts sf;
	struct composer c;
	struct diag d = DIAG_INIT;
	char *text;

	sfacts_init(&sf, in);
	composer_init(&c, t, lang, sget, &sf, NULL, "binder", &d);
	text = composer_plain(&c, key);
	composer_release(&c);
	diag_release(&d);
	return text;
}
