/*
 * typeset — a circular's markup set as pages of an official document (GB/T 9704-2012).
 *
 * The markup is what a template renders to (ducha-template(5) describes it): one block a
 * line. Directives start with @ (@issuer, @number, @imprint, @title, @to, @signature, @date,
 * @appendix, @table/@head/@row/@end, @copy, @printed, @subject, @page); "# " starts a
 * first-level heading (黑体), "## " a second-level one (楷体); any other non-blank line is a
 * body paragraph (仿宋, indented two characters). A backslash makes the next character
 * literal (\\ \| \{ \@ \#).
 *
 * The page: A4, text block 156 × 225 mm at 37 mm from the top and 28 mm from the left, body
 * in 3号 (16 pt) on the 22-line × 28-character grid, lines justified to it; the red issuer
 * mark 35 mm below the top of the block, the number two lines below it, the red rule 4 mm
 * below that, the title two lines below the rule in 2号, balanced; headings kept with the
 * next line; the signature two characters in from the right and the date two characters
 * further right; 附件说明 before the signature; each appendix on a new page under "附件N";
 * tables with wrapped cells, the header repeated on every page, coloured cells; the closing
 * block (版记) at the foot of the last page between rules; page numbers "— N —" in 4号, 7 mm
 * below the block, right on odd pages and left on even ones, one character in.
 *
 * Not here: what the circular says (circular, the templates), fonts and drawing (pdf).
 */
#ifndef PL_TYPESET_H
#define PL_TYPESET_H

#include <stddef.h>

#include "buf.h"
#include "diag.h"
#include "pdf.h"

/* Sets the markup TEXT[0..LEN) on new pages of PDF, and the document information (title,
 * author = the signature or issuer, subject, creation date WHEN as a Unix time, 0 for none).
 * SOURCE names the markup in messages. An unknown directive or a table row outside a table is
 * PL_ERR_CONFIG (E_MARKUP, with the line); drawing failures are passed on. */
enum pl_status pl_typeset(struct pl_pdf *pdf, const char *text, size_t len, const char *source,
                          long long when, struct pl_diag *diag);

/* pl_typeset on TEXT[0..LEN), which TEXT[LEN] must follow (a NUL, as in a struct pl_buf),
 * without a copy: the markup is unescaped where it lies and its fields point into it, so
 * TEXT holds no markup afterwards. For a large document whose markup is not needed again. */
enum pl_status pl_typeset_in_place(struct pl_pdf *pdf, char *text, size_t len, const char *source,
                                   long long when, struct pl_diag *diag);

/* Appends S to OUT so that the markup shows it as it is: \ | { @ # get a backslash, line
 * breaks become spaces. The escape function for pl_tpl_render. */
enum pl_status pl_typeset_escape(struct pl_buf *out, const char *s);

#endif
