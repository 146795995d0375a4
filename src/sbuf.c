/* sbuf.c: the growable string of sbuf.h. */
#include "sbuf.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char sbuf_empty[1];

void sbuf_init(struct sbuf *sb)
{
	sb->buf = sbuf_empty;
	sb->len = sb->cap = 0;
}

void sbuf_grow(struct sbuf *sb, size_t extra)
{
	size_t need = sb->len + extra + 1;
	if (need <= sb->cap)
		return;
	size_t nc = sb->cap ? sb->cap : 64;
	while (nc < need)
		nc *= 2;
	if (sb->cap == 0) {
		sb->buf = xmalloc(nc);
		sb->buf[0] = '\0';
	} else {
		sb->buf = xrealloc(sb->buf, nc);
	}
	sb->cap = nc;
}

void sbuf_add(struct sbuf *sb, const void *data, size_t n)
{
	if (n == 0)
		return;
	sbuf_grow(sb, n);
	memcpy(sb->buf + sb->len, data, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void sbuf_addstr(struct sbuf *sb, const char *s)
{
	sbuf_add(sb, s, strlen(s));
}

void sbuf_addch(struct sbuf *sb, int c)
{
	char ch = (char)c;
	sbuf_add(sb, &ch, 1);
}

void sbuf_vaddf(struct sbuf *sb, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		BUG("vsnprintf failed for format \"%s\"", fmt);
	sbuf_grow(sb, (size_t)n);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
}

void sbuf_addf(struct sbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sbuf_vaddf(sb, fmt, ap);
	va_end(ap);
}

void sbuf_setlen(struct sbuf *sb, size_t len)
{
	if (len > sb->len)
		BUG("sbuf_setlen beyond length (%zu > %zu)", len, sb->len);
	sb->len = len;
	if (sb->cap)
		sb->buf[len] = '\0';
}

char *sbuf_detach(struct sbuf *sb, size_t *len)
{
	char *p;
	if (sb->cap == 0)
		p = xstrdup("");
	else
		p = sb->buf;
	if (len)
		*len = sb->len;
	sbuf_init(sb);
	return p;
}

void sbuf_release(struct sbuf *sb)
{
	if (sb->cap)
		free(sb->buf);
	sbuf_init(sb);
}
