/* ts-chart.c: a bar chart (doc_chart_bars) as one row of rectangles,
 * rules and text, for the typesetter (ts.h): the title, a legend, then
 * horizontal bars with their labels on the left or columns with theirs
 * below, thinned out when they would collide; values at the end of the
 * bars (inside stacked segments on white tabs when they fit), an axis
 * with round ticks and a grey grid drawn under the bars. */
#include "ts.h"
#include "doc.h"
#include "font.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Series are told apart without colour: grey levels and hatching, all
 * outlined; text is never set on a fill (only on white tabs). No two
 * looks share both grey and hatching, and neighbours differ in both
 * where they can (seven statuses make seven series). */
static const struct { double fill; int hatch; } series_look[DOC_CHART_MAX_SERIES] = {
	{ 0.30, HATCH_NONE }, { 1.00, HATCH_DIAG }, { 0.72, HATCH_NONE },
	{ 1.00, HATCH_CROSS }, { 0.50, HATCH_NONE }, { 0.90, HATCH_BACK },
	{ 1.00, HATCH_HORIZ }, { 0.62, HATCH_DIAG },
};

#define CHART_SIZE   8.5
#define CHART_LEAD  11.0
#define CHART_OUTLINE 0.5

/* A number as the chart prints it, whatever the C locale: decimals
 * digits after the point (a comma in Russian and Armenian), digits
 * grouped by three with a no-break space from 10 000 on. */
static void chart_number(char *buf, size_t size, double v, int decimals,
			 const char *lang)
{
	long long scale = 1, n, ip, fp;
	char digits[32], *o = buf, *end = buf + size - 1;
	int nd, comma = !strcmp(lang, "ru") || !strcmp(lang, "hy");

	for (int i = 0; i < decimals; i++)
		scale *= 10;
	n = llround(v * (double)scale);
	if (n < 0)
		n = 0;
	ip = n / scale;
	fp = n % scale;
	nd = snprintf(digits, sizeof(digits), "%lld", ip);
	for (int i = 0; i < nd && o < end; i++) {
		if (i && ip >= 10000 && (nd - i) % 3 == 0) {
			if (o + 2 > end)
				break;
			*o++ = (char)0xC2;
			*o++ = (char)0xA0;
		}
		*o++ = digits[i];
	}
	if (decimals && o + 1 + decimals <= end) {
		*o++ = comma ? ',' : '.';
		for (int i = decimals - 1; i >= 0; i--) {
			o[i] = (char)('0' + fp % 10);
			fp /= 10;
		}
		o += decimals;
	}
	*o = '\0';
}

/* A round step for about n ticks up to max: 1, 2 or 5 times a power of
 * ten, no finer than the decimals shown. */
static double nice_step(double max, int n, int decimals)
{
	double raw = max / n, mag, f, s, min = pow(10, -decimals);
	if (!(raw > 0))
		raw = 1;
	mag = pow(10, floor(log10(raw)));
	f = raw / mag;
	s = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
	return s < min ? min : s;
}

static double next_step(double s)
{
	double mag = pow(10, floor(log10(s) + 1e-9)), f = s / mag;
	return (f < 1.5 ? 2 : f < 3 ? 5 : 10) * mag;
}

/* A box of kind added to r, its bottom at y. */
static struct ts_box *chart_box(struct row *r, enum ts_box_kind kind,
				double x, double y, double w, double h,
				double lw)
{
	struct ts_box *b = ts_row_box(r, kind);
	b->x = x;
	b->y = y;
	b->w = w;
	b->h = h;
	b->lw = lw;
	return b;
}

static void chart_rect(struct row *r, double x, double top, double w, double h,
		       double fill, int hatch, double lw)
{
	struct ts_box *b = chart_box(r, TS_RECT, x, top + h, w, h, lw);
	b->fill = fill;
	b->hatch = hatch;
}

/* A grid line: grey, so that it reads as background, under the bars. */
#define GRID_GREY 0.62
static void chart_grid(struct row *r, double x, double top, double w,
		       double dy)
{
	if (w > 0)
		chart_rect(r, x, top - 0.2, w, 0.4, GRID_GREY, HATCH_NONE, 0);
	else
		chart_rect(r, x - 0.2, top, 0.4, dy, GRID_GREY, HATCH_NONE, 0);
}

/* A line from (x, top) to (x + w, top + dy), down from the row's top. */
static void chart_rule(struct row *r, double x, double top, double w,
		       double dy, double lw)
{
	chart_box(r, TS_RULE, x, top + dy, w, dy, lw);
}

/* Text on one line, its start at x (align 0), its end (1) or its middle
 * (2); returns its width, or -1. */
static double chart_text(struct ts *ts, struct row *r, const char *text,
			 double x, double base, int align, double room,
			 const char *source)
{
	double w = ts_natural_width(ts, text, FONT_BODY, CHART_SIZE, source);
	if (w < 0)
		return -1;
	if (align == 2)
		x -= fmin(w, room) / 2;
	if (ts_line_into(ts, r, text, FONT_BODY, CHART_SIZE, x, base, align == 1,
			 source, room) < 0)
		return -1;
	return w;
}

/* The value v of a stacked segment, x to x + w across, its middle at mid:
 * when shown and at least room wider than the number, centred on a white
 * tab (top, h) that hides the fill behind it. 0, or -1. */
static int segment_value(struct ts *ts, struct row *r, double v, int dec,
			 int shown, double x, double w, double room, double mid,
			 double tab_top, double tab_h, const char *src)
{
	char num[64];
	double lwid;

	chart_number(num, sizeof(num), v, dec, ts->doc->lang);
	lwid = ts_natural_width(ts, num, FONT_BODY, CHART_SIZE, src);
	if (!shown || !(lwid + room <= w))
		return 0;
	chart_rect(r, x + (w - lwid - 4) / 2, tab_top, lwid + 4, tab_h, 1,
		   HATCH_NONE, 0);
	return chart_text(ts, r, num, x + w / 2, mid + CHART_SIZE * 0.34, 2,
			  ts->measure, src) < 0 ? -1 : 0;
}

/* Where the label of column i starts: centred under it, but inside the
 * measure; its width in *w. */
static double column_label_x(struct ts *ts, const struct doc_chart_data *c,
			     size_t i, double x0, double slot, const char *src,
			     double *w)
{
	double x;
	*w = ts_natural_width(ts, c->cats[i], FONT_BODY, CHART_SIZE, src);
	x = x0 + slot * ((double)i + 0.5) - *w / 2;
	if (x + *w > ts->left + ts->measure)
		x = ts->left + ts->measure - *w;
	if (x < ts->left)
		x = ts->left;
	return x;
}

/* Whether every k-th column label keeps 6 pt from the one before. */
static int labels_apart(struct ts *ts, const struct doc_chart_data *c,
			size_t k, double x0, double slot, const char *src)
{
	double end = -HUGE_VAL;
	for (size_t i = 0; i < c->ncat; i += k) {
		double w, x = column_label_x(ts, c, i, x0, slot, src, &w);
		if (x < end + 6)
			return 0;
		end = x + w;
	}
	return 1;
}

int ts_chart_rows(struct ts *ts, const struct doc_block *b, double gap)
{
	const struct doc_chart_data *c = b->chart;
	size_t ri, nc = c->ncat, ns = c->nser;
	struct row *r;
	double y = 0, left = ts->left, right = ts->left + ts->measure;
	double maxv = 0, step, axis, *tot, vw = 0, tw = 0;
	const char *src = b->source;
	char num[64];
	int err = 0, dec = c->decimals;
	size_t first_box;

	/* Every label can be set (else one error, at the first that
	 * cannot); the widths below cannot fail then. */
	for (size_t i = 0; i < nc + ns; i++)
		if (ts_natural_width(ts, i < nc ? c->cats[i] : c->labels[i - nc],
				     FONT_BODY, CHART_SIZE, src) < 0)
			return -1;
	ts_new_row(ts, 0, gap);
	ri = ts->rows.n - 1;
	r = &ts->rows.v[ri];
	if (b->text.n) {
		y = ts_column_into(ts, r, &b->text, FONT_BOLD, TABLE_SIZE + 0.5,
				   TABLE_LEAD + 0.5, left, 0, ts->measure, &err);
		if (err)
			return -1;
		y += 4;
	}
	/* The legend: a swatch and the series' label, side by side. */
	if (ns > 1 || (ns == 1 && c->labels[0][0])) {
		double x = left;
		for (size_t s = 0; s < ns; s++) {
			double w = ts_natural_width(ts, c->labels[s], FONT_BODY,
						    CHART_SIZE, src);
			if (w < 0)
				return -1;
			if (x > left && x + 18 + w > right) {
				x = left;
				y += CHART_LEAD + 2;
			}
			chart_rect(r, x, y + 1, 14, 8.5, series_look[s].fill,
				   series_look[s].hatch, CHART_OUTLINE);
			if (w > ts->measure - 18)
				ts_overflow(ts, "chart legend", src, c->labels[s],
					    "longer than the line, cut");
			if (chart_text(ts, r, c->labels[s], x + 18,
				       y + CHART_LEAD * 0.78, 0,
				       ts->measure - 18, src) < 0)
				return -1;
			x += 18 + fmin(w, ts->measure - 18) + 14;
		}
		y += CHART_LEAD + 6;
	}
	if (!nc || !ns) {
		r->h = y;
		return 0;
	}
	first_box = r->nbox;

	/* The scale: totals when stacked, else single values. */
	tot = xcalloc(nc, sizeof(*tot));
	for (size_t i = 0; i < nc; i++)
		for (size_t s = 0; s < ns; s++) {
			double v = c->values[s * nc + i];
			tot[i] += v;
			maxv = fmax2(maxv, c->stacked ? tot[i] : v);
		}
	for (size_t i = 0; i < nc; i++)
		for (size_t s = 0; s < ns; s++) {
			double v = c->stacked ? tot[i] : c->values[s * nc + i];
			double w;
			if (c->stacked && s)
				break;
			chart_number(num, sizeof(num), v, dec, ts->doc->lang);
			w = ts_natural_width(ts, num, FONT_BODY, CHART_SIZE, src);
			if (w < 0) {
				free(tot);
				return -1;
			}
			vw = fmax2(vw, w);
		}
	step = nice_step(maxv > 0 ? maxv : 1, 5, dec);
	for (;;) {
		axis = ceil((maxv > 0 ? maxv : 1) / step - 1e-9) * step;
		tw = 0;
		for (double t = 0; t <= axis + step / 2; t += step) {
			chart_number(num, sizeof(num), t, dec, ts->doc->lang);
			tw = fmax2(tw, ts_natural_width(ts, num, FONT_BODY, CHART_SIZE, src));
		}
		break;
	}

	if (c->horizontal) {
		double lw = 0, x0, x1, pw, top = y;
		for (size_t i = 0; i < nc; i++)
			lw = fmax2(lw, ts_natural_width(ts, c->cats[i], FONT_BODY,
							CHART_SIZE, src));
		lw = fmin(lw, ts->measure * 0.3);
		x0 = left + lw + 8;
		x1 = right - vw - 6;
		pw = x1 - x0;
		/* tick labels apart by at least 8 pt */
		while (tw + 8 > pw * step / axis && step < axis) {
			step = next_step(step);
			axis = ceil(maxv / step - 1e-9) * step;
		}
		for (size_t i = 0; i < nc; i++) {
			double bh = c->stacked || ns == 1 ? 12 : 10;
			double pitch = bh + 1.5; /* bars of a group apart */
			double bars = c->stacked ? bh : pitch * (double)ns - 1.5;
			double band, lh;
			double yb, xs = x0;
			struct doc_rspan sp = { c->cats[i], NULL, (char *)src, 0, 0,
						NULL, NULL };
			struct doc_text t = { &sp, 1 };
			struct row tmp = { 0 };
			lh = ts_column_into(ts, &tmp, &t, FONT_BODY, CHART_SIZE,
					    CHART_LEAD, left, 0, lw, &err);
			if (err) {
				ts_row_release(&tmp);
				free(tot);
				return -1;
			}
			if (lh > CHART_LEAD * 3 + EPS)
				ts_overflow(ts, "chart label", src, c->cats[i],
					    "wrapped to %.0f lines (at most 3)",
					    lh / CHART_LEAD);
			band = fmax2(bars + 8, lh + 4);
			/* the label, centred on the band */
			for (size_t k = 0; k < tmp.nbox; k++) {
				struct ts_box *nb = ts_row_box(r, tmp.box[k].kind);
				*nb = tmp.box[k];
				nb->y += y + (band - lh) / 2;
				tmp.box[k].text = tmp.box[k].dest =
					tmp.box[k].file = NULL;
			}
			ts_row_release(&tmp);
			yb = y + (band - bars) / 2;
			for (size_t s = 0; s < ns; s++) {
				double v = c->values[s * nc + i];
				double w = axis > 0 ? v / axis * pw : 0;
				double by = c->stacked ? yb : yb + pitch * (double)s;
				if (w > 0)
					chart_rect(r, xs, by, w, bh, series_look[s].fill,
						   series_look[s].hatch, CHART_OUTLINE);
				if (c->stacked) {
					if (segment_value(ts, r, v, dec, v > 0 && ns > 1,
							  xs, w, 8, by + bh / 2,
							  by + 1.5, bh - 3, src) < 0)
						goto fail;
					xs += w;
				} else {
					chart_number(num, sizeof(num), v, dec,
						     ts->doc->lang);
					if (chart_text(ts, r, num, x0 + w + 3,
						       by + bh / 2 + CHART_SIZE * 0.34,
						       0, ts->measure, src) < 0)
						goto fail;
				}
			}
			if (c->stacked) {
				chart_number(num, sizeof(num), tot[i], dec,
					     ts->doc->lang);
				if (chart_text(ts, r, num, xs + 3,
					       yb + bh / 2 + CHART_SIZE * 0.34, 0,
					       ts->measure, src) < 0)
					goto fail;
			}
			y += band;
		}
		/* axes, grid and ticks */
		for (double t = 0; t <= axis + step / 2; t += step) {
			double x = x0 + (axis > 0 ? t / axis * pw : 0);
			if (t > 0)
				chart_grid(r, x, top, 0, y - top);
			chart_rule(r, x, y, 0, 3, 0.5);
			chart_number(num, sizeof(num), t, dec, ts->doc->lang);
			if (chart_text(ts, r, num, x, y + 3 + CHART_LEAD * 0.78, 2,
				       ts->measure, src) < 0)
				goto fail;
		}
		chart_rule(r, x0, top, 0, y - top, 0.6);
		chart_rule(r, x0, y, pw, 0, 0.6);
		y += 3 + CHART_LEAD + 2;
	} else {
		double ph = c->height > 0 ? c->height : 180, pt, pb, x0, x1, slot;
		double gw, bw, lmax = 0;
		int show_values = 1;
		size_t k = 1;
		if (ph > ts->body_h * 0.6)
			ph = ts->body_h * 0.6;
		if (ph < 40)
			ph = 40;
		pt = y + CHART_LEAD;
		pb = pt + ph;
		x0 = left + tw + 6;
		x1 = right;
		slot = (x1 - x0) / (double)nc;
		gw = slot * 0.72;
		bw = c->stacked ? gw : gw / (double)ns;
		while (CHART_SIZE + 4 > ph * step / axis && step < axis) {
			step = next_step(step);
			axis = ceil(maxv / step - 1e-9) * step;
		}
		/* value labels only when every one fits over its column */
		if (vw > (c->stacked || ns == 1 ? slot - 3 : bw - 1))
			show_values = 0;
		/* category labels: every k-th, so that they stay apart */
		for (size_t i = 0; i < nc; i++)
			lmax = fmax2(lmax, ts_natural_width(ts, c->cats[i], FONT_BODY,
							    CHART_SIZE, src));
		while (k < nc && lmax + 6 > slot * (double)k)
			k++;
		/* and apart where the first and last are moved inside the
		 * measure */
		while (k < nc && !labels_apart(ts, c, k, x0, slot, src))
			k++;
		for (double t = 0; t <= axis + step / 2; t += step) {
			double yy = pb - (axis > 0 ? t / axis * ph : 0);
			if (t > 0)
				chart_grid(r, x0, yy, x1 - x0, 0);
			chart_rule(r, x0 - 3, yy, 3, 0, 0.5);
			chart_number(num, sizeof(num), t, dec, ts->doc->lang);
			if (chart_text(ts, r, num, x0 - 5, yy + CHART_SIZE * 0.34, 1,
				       ts->measure, src) < 0)
				goto fail;
		}
		for (size_t i = 0; i < nc; i++) {
			double gx = x0 + slot * (double)i + (slot - gw) / 2;
			double ys = pb;
			for (size_t s = 0; s < ns; s++) {
				double v = c->values[s * nc + i];
				double h = axis > 0 ? v / axis * ph : 0;
				double bx = c->stacked ? gx : gx + bw * (double)s;
				if (h > 0)
					chart_rect(r, bx, ys - h, bw, h,
						   series_look[s].fill,
						   series_look[s].hatch, CHART_OUTLINE);
				if (c->stacked) {
					if (segment_value(ts, r, v, dec,
							  v > 0 && ns > 1 &&
							  h >= CHART_SIZE + 5,
							  bx, bw, 6, ys - h / 2,
							  ys - h / 2 - CHART_SIZE / 2 - 1,
							  CHART_SIZE + 2, src) < 0)
						goto fail;
					ys -= h;
				} else if (show_values) {
					chart_number(num, sizeof(num), v, dec,
						     ts->doc->lang);
					if (chart_text(ts, r, num, bx + bw / 2,
						       pb - h - 3, 2, ts->measure,
						       src) < 0)
						goto fail;
				}
			}
			if (c->stacked && show_values) {
				chart_number(num, sizeof(num), tot[i], dec,
					     ts->doc->lang);
				if (chart_text(ts, r, num, gx + gw / 2, ys - 3, 2,
					       ts->measure, src) < 0)
					goto fail;
			}
			if (i % k == 0) {
				double w, cx = column_label_x(ts, c, i, x0, slot, src, &w);
				if (w > ts->measure)
					ts_overflow(ts, "chart label", src, c->cats[i],
						    "longer than the line, cut");
				if (chart_text(ts, r, c->cats[i], cx,
					       pb + 3 + CHART_LEAD * 0.78, 0,
					       ts->measure, src) < 0)
					goto fail;
				chart_rule(r, x0 + slot * ((double)i + 0.5), pb, 0,
					   3, 0.5);
			}
		}
		chart_rule(r, x0, pt, 0, pb - pt, 0.6);
		chart_rule(r, x0, pb, x1 - x0, 0, 0.6);
		y = pb + 3 + CHART_LEAD + 2;
	}
	free(tot);
	/* Grid and axes first, so bars cover the grid. */
	{
		size_t n = r->nbox - first_box, o = first_box;
		struct ts_box *tmp = xmalloc((n ? n : 1) * sizeof(*tmp));
		memcpy(tmp, r->box + first_box, n * sizeof(*tmp));
		for (int pass = 0; pass < 2; pass++)
			for (size_t i = 0; i < n; i++)
				if ((tmp[i].kind == TS_RULE ||
				     (tmp[i].kind == TS_RECT && tmp[i].lw == 0 &&
				      tmp[i].fill == GRID_GREY)) == !pass)
					r->box[o++] = tmp[i];
		free(tmp);
	}
	r->h = y;
	if (r->h > ts->body_h)
		ts_overflow(ts, "chart", src, NULL, "%.0f pt tall, taller than the "
			    "page", r->h);
	return 0;
fail:
	free(tot);
	return -1;
}
