/* dump.h: typeset pages as text, for golden tests and debugging.
 *
 * One line per box, in drawing order, numbers with two decimals:
 *
 *   page 1 595.28x841.89
 *   text 72.00 756.50 10.50 NotoSerif "The detainee was"
 *   link 72.00 750.00 80.25 11.55 "https://example.org/"
 *   rule 72.00 700.00 451.28 0.00 0.50
 *   image 72.00 500.00 200.00 150.00 #0 120x90
 *   outline 1 page 1 760.00 "Summary"
 */
#ifndef DOSSIER_DUMP_H
#define DOSSIER_DUMP_H

#include <stdio.h>

struct typeset_doc;

/* Write the dump of td to fp. */
void dump_boxes(const struct typeset_doc *td, FILE *fp);

#endif
