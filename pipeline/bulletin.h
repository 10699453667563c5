/*
 * bulletin — ducha-pdf's whole job: catalog and streams in, a circular's PDF out.
 *
 * Reads the catalog (tasks.csv, units.csv, cycles.csv, and document.csv for the document
 * facts, which may be missing), the rated and ranks streams, finds the template and the font
 * table, fills the template with the circular's data (circular), sets the result as pages
 * (typeset) and writes the PDF whole or not at all (fsutil). Templates are found as given
 * when the name holds a '/', else in $DUCHA_TEMPLATES, then in the checkout's templates/
 * beside the program (bin/../templates, up to three levels up), then in DUCHA_DATADIR; a
 * name without ".tpl" is also tried with it. The font table is --fonts, else fonts.conf
 * beside the template, else found like a template.
 */
#ifndef PL_BULLETIN_H
#define PL_BULLETIN_H

#include "diag.h"
#include "status.h"

struct pl_bulletin_options {
    const char *catalog; /* directory */
    const char *rated, *ranks;
    const char *output;        /* "-" for standard output */
    const char *template_name; /* NULL: circular.tpl */
    const char *fonts;         /* NULL: found beside the template */
    const char *markup;        /* NULL, or where to write the rendered markup too */
    const char *program;       /* argv[0], to find bin/../templates */
    const char *cycle, *leader, *unit, *colour, *tasks, *title, *number, *date;
    long long epoch; /* SOURCE_DATE_EPOCH or -1 */
};

/* Does the job. PL_ERR_OPEN when an input cannot be read, PL_ERR_CONFIG for a template or
 * font table that is missing or wrong, PL_ERR_DATA for unusable streams or an empty subset,
 * PL_ERR_USAGE for an unreadable option value, PL_ERR_CREATE/PL_ERR_IO when the output
 * cannot be written; everything reported to DIAG. */
enum pl_status pl_bulletin_run(const struct pl_bulletin_options *o, struct pl_diag *diag);

/* Appends to OUT the path of NAME found as described above (in PROGRAM's checkout too);
 * PL_ERR_CONFIG (nothing appended) when no such file exists. */
enum pl_status pl_bulletin_find(const char *name, const char *program, struct pl_buf *out);

#endif
