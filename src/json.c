/* json.c: JSON Lines for `dossier check --format json`. */
#include "json.h"

#include <string.h>

/* The characters with a short escape, and the letter after the
 * backslash of each; other controls and DEL are \u00XX. */
static const char escaped[] = "\"\\\n\r\t";
static const char escapes[] = "\"\\nrt";

void json_add_string(struct sbuf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	sbuf_addch(out, '"');
	for (; *p; p++) {
		const char *e = strchr(escaped, *p);
		if (e) {
			sbuf_addch(out, '\\');
			sbuf_addch(out, escapes[e - escaped]);
		} else if (*p < 0x20 || *p == 0x7F)
			sbuf_addf(out, "\\u%04x", *p);
		else
			sbuf_addch(out, *p);
	}
	sbuf_addch(out, '"');
}

void json_add_record(struct sbuf *out, const record_schema *s,
		     const struct record *rec)
{
	const enum field *fields;
	size_t i, n = record_schema_fields(s, &fields);

	sbuf_addch(out, '{');
	for (i = 0; i < n; i++) {
		if (i)
			sbuf_addch(out, ',');
		json_add_string(out, record_field_name(fields[i]));
		sbuf_addch(out, ':');
		json_add_string(out, rec->f[fields[i]]);
	}
	sbuf_addstr(out, "}\n");
}
