/* translit.h: names written in one script, transliterated into another the
 * way their readers spell them (Armenian passports in Latin letters,
 * Russian usage in Cyrillic), by ICU transforms whose rules are data files
 * in layouts/translit/, named FROM-TO.txt (hy-en.txt, hy-ru.txt, en-ru.txt,
 * ru-en.txt), so a translator can correct them without rebuilding.
 *
 * A translit_set is read-only after translit_load; each call transforms
 * with a private clone of the prepared transliterator, so one set serves
 * every thread. */
#ifndef DOSSIER_TRANSLIT_H
#define DOSSIER_TRANSLIT_H

struct diag;
struct sbuf;

typedef struct translit_set translit_set;

/* Load every FROM-TO.txt rule file of dir (FROM and TO among en, ru, hy).
 * Each is read with translit_read_file, confined to dir. Rule syntax
 * errors are reported as dir/FILE:LINE:COL. Returns NULL after an error; a
 * folder without rule files gives an empty set. Free with translit_free
 * (NULL is fine). */
translit_set *translit_load(const char *dir, struct diag *d);

/* The largest layouts file read. */
#define TRANSLIT_MAX_FILE ((size_t)4 << 20)

/* Append to out the contents of path, a file of a layouts folder, only if
 * it is a regular file (never a FIFO, a device or a folder) of at most
 * TRANSLIT_MAX_FILE bytes whose resolved path (symlinks followed) lies
 * inside the resolved folder root, so that a layouts folder cannot bring
 * other files of the system into a document: safefile_read, with the
 * messages located at the file ("path: error: refused: ..."). Returns 0
 * when read, -1 after an error reported in d, and 1 without a report
 * when the file does not exist and missing_ok is set. tpl.c reads its
 * .lay files through it too. */
int translit_read_file(const char *root, const char *path, int missing_ok,
		       struct sbuf *out, struct diag *d);

/* Whether the resolved path lies inside the resolved folder root (both
 * must exist): 1 inside, 0 outside, -1 after an error reported in d
 * (safefile_inside, for the folders of a layouts folder). */
int translit_inside(const char *root, const char *path, struct diag *d);
void translit_free(translit_set *t);

/* Whether there are rules from one language's script to another's. */
int translit_has(const translit_set *t, const char *from_lang,
		 const char *to_lang);

/* The name (UTF-8, NFC) written in the script of from_lang, transliterated
 * into that of to_lang. Returns a string the caller frees, or NULL when
 * there are no rules for the pair or ICU fails (with an error in d when d
 * is not NULL). */
char *translit_name(const translit_set *t, const char *from_lang,
		    const char *to_lang, const char *name, struct diag *d);

#endif
