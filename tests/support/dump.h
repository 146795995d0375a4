/* dump.h: typeset pages as text, for golden tests and debugging.
 *
 * One line per box, in drawing order, numbers with two decimals:
 *
 *   page 1 595.28x841.89
 *   text 72.00 756.50 10.50 NotoSerif "The detainee was"
 *   link 72.00 750.00 80.25 11.55 "https://example.org/"
 *   rule 72.00 700.00 451.28 0.00 0.50
 *   image 72.00 500.00 200.00 150.00 #0 120x90
 *   rect 72.00 400.00 120.00 12.00 0.30 diag 0.50
 *   outline 1 page 1 760.00 "Summary"
 *   dest page 2 765.00 "brief:F-001"
 *   label page 1 r 1 "A-"
 *
 * A link to a destination or another file adds dest "name" and file
 * "path"; a rectangle gives its grey fill, hatching and outline width.
 */
#ifndef DOSSIER_DUMP_H
#define DOSSIER_DUMP_H

#include <stdio.h>

struct typeset_doc;

/* Write the dump of td to fp. */
void dump_boxes(const struct typeset_doc *td, FILE *fp);

#endif
