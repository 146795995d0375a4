/* json.h: JSON output of checked records (one object per line). */
#ifndef DOSSIER_JSON_H
#define DOSSIER_JSON_H

#include "record.h"
#include "sbuf.h"

/* Append s as a JSON string literal (quotes included). s is valid UTF-8;
 * quotes, backslashes and every control character are escaped. */
void json_add_string(struct sbuf *out, const char *s);

/* Append one record as a JSON object on one line (with '\n'): keys are the
 * known columns of the roster in header order, values the normalized
 * strings. */
void json_add_record(struct sbuf *out, const record_schema *s,
		     const struct record *rec);

#endif
