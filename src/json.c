/* json.c: JSON Lines for `dossier check --format json`. */
#include "json.h"

void json_add_string(struct sbuf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	sbuf_addch(out, '"');
	for (; *p; p++) {
		switch (*p) {
		case '"':
			sbuf_addstr(out, "\\\"");
			break;
		case '\\':
			sbuf_addstr(out, "\\\\");
			break;
		case '\n':
			sbuf_addstr(out, "\\n");
			break;
		case '\r':
			sbuf_addstr(out, "\\r");
			break;
		case '\t':
			sbuf_addstr(out, "\\t");
			break;
		default:
			if (*p < 0x20 || *p == 0x7F)
				sbuf_addf(out, "\\u%04x", *p);
			else
				sbuf_addch(out, *p);
		}
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
