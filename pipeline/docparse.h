/*
 * docparse — the targets document as a whole → the catalog.
 *
 * Finds the document's parts (the notice before 附件1, 附件1's key tasks, 附件2's livelihood
 * table; a heading is a line "附件1：" / "附件2：" on its own) and hands each to its parser
 * (docfacts, doctasks, doctable); then settles one canonical name per unit (unitnames), puts
 * canonical names into every task's lists, and reads the indicators of every task's text.
 * A document without 附件1 (another county's wording) has its tasks in the body: from the
 * first numbered paragraph that labels follow (and the section headings above it) to the last
 * label line; the notice is the text before and after them, and 附件2 is then optional.
 * A text that is not such a document is refused: empty (E_EMPTY), neither a 附件1 heading nor
 * labelled tasks (E_NOT_A_DOCUMENT), 附件1 without 附件2 (E_ANNEX_MISSING), or no task or
 * table in them; the call then returns PL_ERR_DATA and the catalog must not be written. Everything else it cannot place
 * is reported to DIAG and the catalog is complete only when DIAG counted no errors.
 */
#ifndef PL_DOCPARSE_H
#define PL_DOCPARSE_H

#include <stddef.h>

#include "catalog.h"
#include "diag.h"
#include "encoding.h"

/* Imports the document TEXT[0..LEN) (UTF-8, as pl_text_load() gives it) into CAT (empty), with
 * FILE the name used in diagnostics. PL_OK, PL_ERR_DATA (not a usable document), PL_ERR_NOMEM. */
enum pl_status pl_doc_import(const char *text, size_t len, const char *file, struct pl_catalog *cat,
                             struct pl_diag *diag);

/* Imports the document at PATH ("-": standard input, read as text) into CAT (empty), whatever
 * form it came in, told by its bytes rather than its name: a text file (in ENC, or detected),
 * or a Word document (.docx, read as Word would save it as text), or a task table (tasktable):
 * a workbook (.xlsx, .xls: its first shown sheet with a task header; none is E_NOT_A_DOCUMENT,
 * a header without a task column E_TABLE_NO_TASK_COLUMN), a text file whose CSV rows hold a
 * task header, a .docx whose first table with a task header is its task list (the notice
 * before a 附件1 heading gives the facts, else the lines above the table its title). A table
 * alone gives the facts title, year and county from its title and no cycles (W_NO_CYCLES). What cannot be read is
 * refused with a hint to save it as .docx or text: a Word 97 or WPS document (E_WORD_DOC), a
 * PDF (E_PDF), an RTF file (E_RTF); these, and everything pl_doc_import() refuses, give
 * PL_ERR_DATA. PL_ERR_OPEN and PL_ERR_ENCODING as pl_text_load() gives them; PL_ERR_NOMEM. */
enum pl_status pl_doc_import_path(const char *path, enum pl_encoding enc, struct pl_catalog *cat,
                                  struct pl_diag *diag);

#endif
