/* tpl-pseudo.c: the pseudo-locale (--lang xx, tpl.h): the English texts
 * and citations copied with their words accented and lengthened by a
 * filler (tpl_pseudo_make), and the accenting itself (tpl_pseudo_accent),
 * which tpl-expand.c applies to dates and numbers. */
#include "tpl-private.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- the pseudo-locale ----------------------------------------------------- */

/* Accented look-alikes of a-z and A-Z, all in Latin-1 Supplement or Latin
 * Extended-A (U+00C0-U+017F), which every Latin font of the briefs has; a
 * letter without a look-alike there stays as it is. */
static const uint16_t pseudo_lower[26] = {
	0x00E5, 'b', 0x00E7, 0x00F0, 0x00EA, 'f', 0x011D, 0x0125, 0x00EE,
	0x0135, 0x0137, 0x013C, 'm', 0x00F1, 0x00F6, 0x00FE, 'q', 0x0155,
	0x0161, 0x0163, 0x00FB, 'v', 0x0175, 'x', 0x00FD, 0x017E,
};
static const uint16_t pseudo_upper[26] = {
	0x00C5, 'B', 0x00C7, 0x00D0, 0x00CA, 'F', 0x011C, 0x0124, 0x00CE,
	0x0134, 0x0136, 0x013B, 'M', 0x00D1, 0x00D6, 0x00DE, 'Q', 0x0154,
	0x0160, 0x0166, 0x00DB, 'V', 0x0174, 'X', 0x00DD, 0x017D,
};

/* Append s with its ASCII letters accented; returns the number of code
 * points appended. */
size_t tpl_pseudo_accent(const char *s, struct sbuf *out)
{
	size_t n = 0;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		unsigned cp = c >= 'a' && c <= 'z' ? pseudo_lower[c - 'a'] :
			      c >= 'A' && c <= 'Z' ? pseudo_upper[c - 'A'] : c;
		if (cp < 0x80) {
			sbuf_addch(out, (char)cp);
		} else if (c < 0x80) {
			sbuf_addch(out, (char)(0xC0 | (cp >> 6)));
			sbuf_addch(out, (char)(0x80 | (cp & 0x3F)));
		} else {
			sbuf_addch(out, (char)c); /* other UTF-8 bytes as they are */
		}
		n += (c & 0xC0) != 0x80;
	}
	return n;
}

/* Copy src into dst with the words accented (not in link addresses, not
 * field names or citation keys); returns how many code points of words
 * the text prints at most. */
static size_t nodes_pseudo(struct nodes *dst, const struct nodes *src,
			   int accent)
{
	size_t len = 0;

	memset(dst, 0, sizeof(*dst));
	dst->v = src->n ? xcalloc(src->n, sizeof(*dst->v)) : NULL;
	dst->n = dst->alloc = src->n;
	for (size_t i = 0; i < src->n; i++) {
		const struct node *a = &src->v[i];
		struct node *b = &dst->v[i];
		size_t most = 0;

		*b = *a;
		b->text = NULL;
		if (a->text && a->kind == N_TEXT && accent) {
			struct sbuf t = SBUF_INIT;
			len += tpl_pseudo_accent(a->text, &t);
			b->text = sbuf_detach(&t, NULL);
		} else if (a->text) {
			b->text = xstrdup(a->text);
		}
		b->br = a->nbr ? xcalloc(a->nbr, sizeof(*b->br)) : NULL;
		for (size_t k = 0; k < a->nbr; k++) {
			size_t n;
			b->br[k] = a->br[k];
			b->br[k].cat = xstrdup(a->br[k].cat);
			n = nodes_pseudo(&b->br[k].body, &a->br[k].body, accent);
			most = n > most ? n : most;
		}
		len += most;
		len += nodes_pseudo(&b->kids, &a->kids, accent);
		nodes_pseudo(&b->uri, &a->uri, 0);
	}
	return len;
}

/* The table of the pseudo-locale: every text of en, accented, and
 * lengthened by about 40% with a visible filler (" ~~~~~~~~ ~~~"), so
 * that a layout shows where a longer language would overflow. Empty texts
 * stay empty. */
static void table_pseudo(struct table *dst, const struct table *src)
{
	for (size_t i = 0; i < src->n; i++) {
		const struct entry *a = &src->e[i];
		struct entry *b = tpl_table_get(dst, a->key);

		for (size_t j = 0; j < a->n; j++) {
			const struct variant *va = &a->v[j];
			struct variant *vb;
			size_t len, pad;

			ALLOC_GROW(b->v, b->n + 1, b->alloc);
			vb = &b->v[b->n++];
			*vb = *va;
			vb->cond = tpl_cond_copy(va->cond);
			vb->canon = xstrdup(va->canon);
			len = nodes_pseudo(&vb->body, &va->body, 1);
			if (!len)
				continue;
			pad = (len * 2 + 4) / 5;
			if (pad < 2)
				pad = 2;
			{
				struct node *n;
				struct sbuf t = SBUF_INIT;
				/* Words of at most eight tildes, so that a line
				 * can break inside the filler of a long text. */
				sbuf_addch(&t, ' ');
				for (size_t k = 1; k < pad; k++)
					sbuf_addch(&t, k % 9 == 0 && k + 1 < pad ? ' ' : '~');
				ALLOC_GROW(vb->body.v, vb->body.n + 1, vb->body.alloc);
				n = &vb->body.v[vb->body.n++];
				memset(n, 0, sizeof(*n));
				n->kind = N_TEXT;
				n->text = sbuf_detach(&t, NULL);
				n->line = va->line;
				n->col = 1;
			}
		}
	}
}

void tpl_pseudo_make(tpl_set *s)
{
	const struct lang *en = &s->langs[0];
	struct lang *L = &s->pseudo;

	L->code = TPL_PSEUDO_LANG;
	L->data = en->code;
	L->pseudo = 1;
	L->cite_file = en->cite_file;
	L->text_file = en->text_file;
	table_pseudo(&L->texts, &en->texts);
	table_pseudo(&L->cites, &en->cites);
}
