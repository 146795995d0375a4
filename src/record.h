/* record.h: the record model and its validation.
 *
 * A roster's header row becomes a record_schema (which column holds which
 * field); each later row becomes a struct record whose fields are checked
 * against the rules of DESIGN.md's roster table. Problems go to a struct
 * diag as "file:line:col: error: ID: column: message" (ID when the record
 * has a valid one, since spreadsheets count rows, not lines); a record
 * with an error is left out, the others go on.
 *
 * Every character of every known field is checked: control characters
 * (line breaks and tabs are allowed in the long texts), invisible format
 * and bidirectional controls, characters outside the Basic Multilingual
 * Plane, and, given the render's font set, characters no configured font
 * has. Each is an error at the character's own line and column. */
#ifndef DOSSIER_RECORD_H
#define DOSSIER_RECORD_H

#include <stddef.h>

#include "diag.h"
#include "font.h"
#include "roster.h"

/* Every known column, in the order of DESIGN.md's table. */
enum field {
	F_ID,
	F_CATEGORY,
	F_NAME_EN,
	F_NAME_RU,
	F_NAME_HY,
	F_BIRTH_DATE,
	F_SEX,
	F_DETAINED_ON,
	F_DETAINED_PLACE_EN,
	F_DETAINED_PLACE_RU,
	F_DETAINED_PLACE_HY,
	F_STATUS,
	F_RELEASED_ON,
	F_DIED_ON,
	F_ACKNOWLEDGED,
	F_CHARGES_EN,
	F_CHARGES_RU,
	F_CHARGES_HY,
	F_COURT_EN,   /* also read from the old column "court" */
	F_COURT_RU,
	F_COURT_HY,
	F_VERDICT_DATE,
	F_SENTENCE_YEARS,
	F_HEALTH_EN,
	F_HEALTH_RU,
	F_HEALTH_HY,
	F_CIRCUMSTANCES_EN,
	F_CIRCUMSTANCES_RU,
	F_CIRCUMSTANCES_HY,
	F_SOURCES,
	F_PHOTO,
	F_COUNT
};

enum category { CAT_POW, CAT_CIVILIAN, CAT_HOSTAGE, CAT_POLITICAL, CAT_MISSING, CAT_COUNT };
enum status {
	ST_HELD, ST_AWAITING_TRIAL, ST_ON_TRIAL, ST_CONVICTED, ST_RELEASED,
	ST_DECEASED, ST_MISSING, ST_COUNT
};
enum ack { ACK_UNSPECIFIED, ACK_YES, ACK_NO, ACK_UNKNOWN };
enum sex { SEX_UNKNOWN, SEX_F, SEX_M };

/* A calendar date with its precision: YYYY, YYYY-MM or YYYY-MM-DD. */
struct rdate {
	int y, m, d;   /* m and d are 0 when not given */
};

/* Column names, enumeration values (as written in rosters). The old
 * column name "court" is no field name: the schema reads it as court_en. */
const char *record_field_name(enum field f);
int record_field_by_name(const char *name); /* -1 when unknown */
const char *record_category_name(enum category c);
const char *record_status_name(enum status s);
const char *record_ack_name(enum ack a);   /* "" for ACK_UNSPECIFIED */
const char *record_sex_name(enum sex x);   /* "" for SEX_UNKNOWN */

struct record {
	char *f[F_COUNT];       /* UTF-8 NFC trimmed; "" when empty or absent */
	long line[F_COUNT], col[F_COUNT];
	long row_line;          /* first line of the row */
	enum category category;
	enum status status;
	enum ack ack;
	enum sex sex;
	/* released_on, died_on: zero when not given */
	struct rdate birth, detained, verdict, released, died;
	int sentence_life;      /* sentence_years is "life" */
	double sentence_years;  /* 0 when not given */
	char **sources;         /* URLs, NULL-terminated */
	size_t nsources;
	char *photo_path;       /* resolved path to read, or NULL */
	/* The values of the columns dossier does not know, by column index
	 * (NULL for a known column); NULL when the header has none. */
	char **other;
	size_t nother;
};

typedef struct record_schema record_schema;

struct record_ctx {
	const char *roster_path;
	struct rdate today;     /* the report date: no date may be after it */
	/* The fonts the documents are set in: a character none of them has
	 * is an error. NULL: not checked. */
	const font_set *fonts;
};

/* Build the schema from the header row. Returns NULL after adding errors
 * for file-level problems (a required column missing, a column named
 * twice, no name column); unknown columns are warnings. */
record_schema *record_schema_new(const struct roster_row *header,
				 const char *path, struct diag *d);
void record_schema_free(record_schema *s);
/* The known fields present, in header order (for JSON output). */
size_t record_schema_fields(const record_schema *s, const enum field **fields);
/* Every column of the header in order: its name as written (trimmed,
 * NFC) in names[i], and in fields[i] its field, or -1 for a column
 * dossier does not know (its value is in record.other[i]), or -2 for a
 * column without a name, or -3 for an old column name ("court") whose
 * new one (court_en) is also in the header: a record's value of either
 * is in the new field. An old name alone has the new name's field.
 * Returns the number of columns. */
size_t record_schema_columns(const record_schema *s, char *const **names,
			     const int **fields);
int record_schema_has(const record_schema *s, enum field f);

/* Check one data row and fill rec. Returns 0 when the record is valid,
 * -1 when it has errors (all of them in d); rec is filled as far as it
 * could be either way and must be released with record_release. Identity
 * (duplicate ids) is checked by record_ids below, not here. */
int record_from_row(const record_schema *s, const struct roster_row *row,
		    const struct record_ctx *ctx, struct record *rec,
		    struct diag *d);
void record_release(struct record *rec);

/* Whether id is one of ids (n of them); every id when ids is NULL (no
 * --only given). */
int record_id_in(char *const *ids, size_t n, const char *id);

/* Duplicate-id detection across a roster: a set of ids with the line
 * where each first appeared. */
typedef struct record_ids record_ids;
record_ids *record_ids_new(void);
/* Returns 0 for a new id, or the line of its first appearance. */
long record_ids_add(record_ids *ids, const char *id, long line);
void record_ids_free(record_ids *ids);

/* Parse "YYYY-MM-DD" (and "YYYY-MM", "YYYY" when allowed by the mask of
 * precisions: 1 year, 2 month, 4 day). Returns 0 when it is a real
 * calendar date. */
#define RDATE_YEAR 1
#define RDATE_MONTH 2
#define RDATE_DAY 4
int rdate_parse(const char *s, unsigned allowed, struct rdate *out);
/* Compare by the first day each date stands for. */
int rdate_cmp(const struct rdate *a, const struct rdate *b);
/* Whether every day a stands for is before every day b stands for
 * (2020-12 is not before 2020-12-13, nor after it). */
int rdate_before(const struct rdate *a, const struct rdate *b);
/* Days from 1970-01-01 to the first day of the date. */
long rdate_days(const struct rdate *a);
/* Days from 1970-01-01 to the last day the date stands for (2020-11:
 * 30 November 2020). */
long rdate_last_days(const struct rdate *a);
/* The report date: from "YYYY-MM-DD", else SOURCE_DATE_EPOCH, else today
 * (UTC). Returns -1 when date is given and is not a real date. */
int rdate_today(const char *date, struct rdate *out);


/* Reading a whole roster: rows stream through record_from_row and the
 * duplicate-id check; the callbacks see each record as it is decided. */
struct record_sink {
	/* A valid record. The callee may keep rec's contents by moving them
	 * out (then zero *rec); whatever is left is released afterwards. */
	void (*valid)(void *arg, const record_schema *s, struct record *rec);
	/* A record left out: its first line, its id (may be ""), and the
	 * first error message about it. */
	void (*invalid)(void *arg, long line, const char *id, const char *reason);
	/* Called after each row with the diagnostics so far, which the callee
	 * may print and clear (to keep memory flat). */
	void (*flush)(void *arg, struct diag *d);
	void *arg;
};

struct record_stats {
	size_t rows, valid, invalid;
};

/* Returns 0 when every record was valid, 1 when some were left out, 2 on a
 * file-level problem (nothing usable; the diag says what). */
int record_read_roster(const char *path, const struct roster_opts *ro,
		       const struct record_ctx *ctx,
		       const struct record_sink *sink, struct diag *d,
		       struct record_stats *stats);

#endif
