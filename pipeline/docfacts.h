/*
 * docfacts — the targets document's own facts and its reporting cycles.
 *
 * The part before 附件1 is an ordinary 通知: the document number (嘉政发〔2023〕1号), the issuer
 * (嘉祥县人民政府, which names the county), the title (which may be spaced out: 通    知), the
 * addressees, a body saying when progress is due and to whom (具体落实情况分别于6月30日和
 * 12月30日前以正式文件报县政府督查室), the attachments list, the signature and the date. This
 * module reads those into facts (number, issuer, county, year, date, title, addressees, office)
 * and the deadlines into cycles: two deadlines make the half-years (2023H1 2023年上半年, expected
 * progress 50, and 2023H2, 100), four the quarters, one the whole year. A fact it cannot find is
 * an error (E_DOC_NUMBER, E_DOC_ISSUER, E_DOC_DATE, E_DOC_DEADLINES, E_DOC_OFFICE): the catalog
 * is then incomplete. It reads nothing else of the body.
 */
#ifndef PL_DOCFACTS_H
#define PL_DOCFACTS_H

#include <stddef.h>

#include "catalog.h"
#include "diag.h"
#include "docline.h"

/* Recognises a document number at the start of S[0..LEN): "X〔2023〕1号" (also [] and ()
 * around the year); sets *YEAR. */
bool pl_doc_number(const char *s, size_t len, int *year);

/* Recognises a date "2023年2月22日" making all of S[0..LEN) (white space around allowed), and
 * sets the parts. */
bool pl_doc_date(const char *s, size_t len, int *y, int *m, int *d);

/* Appends to CAT the cycles of YEAR for the deadlines MONTHS[i]/DAYS[i] (N of them, in the
 * order written); a deadline in an earlier month than the one before it is in the next year.
 * PL_ERR_DATA when N is not 1, 2 or 4. */
enum pl_status pl_doc_cycles(struct pl_catalog *cat, int year, const int *months,
                             const int *days, size_t n);

/* Reads LINES[FROM..TO) (the document before 附件1) into facts and cycles of CAT. Problems go
 * to DIAG against FILE. PL_ERR_NOMEM only. */
enum pl_status pl_docfacts_parse(const struct pl_doc_lines *lines, size_t from, size_t to,
                                 const char *file, struct pl_catalog *cat, struct pl_diag *diag);

#endif
