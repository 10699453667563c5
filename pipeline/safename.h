/*
 * safename — a unit's or a leader's name as a file name that is safe and unique.
 *
 * Forms and leader workbooks are named after the unit or the leader (县财政局.csv,
 * 朱亚峰.xlsx), and the names come from a catalog that people edit. A name must never reach
 * outside the output folder or break on the Windows machines the files are sent to, so:
 * no path separators (/ and \ become the full-width ／ and ＼), no characters Windows refuses
 * (: * ? " < > | become their full-width forms), no control characters or NUL or bytes that
 * are not UTF-8 (each becomes _), no name that is . or .. or starts with a dot, no two dots
 * in a row (the second becomes ．), no trailing dot or space, no device name of Windows
 * (CON, NUL, COM1 …, which get a _), nothing empty (未命名), and at most 200 bytes before the
 * extension, cut at a character boundary. Names are unique within a set by their match key
 * (NFKC, case and width folded), so that two names that differ only in width or case, or that
 * are cut to the same prefix, never overwrite each other on any file system: a later one gets
 * （2）, （3） … before the extension. The module does not touch the file system.
 */
#ifndef PL_SAFENAME_H
#define PL_SAFENAME_H

#include <stddef.h>

#include "buf.h"
#include "status.h"
#include "strmap.h"

/* The most bytes a name may have before its suffix and extension. */
#define PL_SAFENAME_MAX_STEM 200

/* Appends to OUT the safe form of NAME[0..LEN) (which may hold NUL bytes), without an
 * extension. PL_ERR_NOMEM on failure. */
enum pl_status pl_safename_stem(struct pl_buf *out, const char *name, size_t len);

/* The names handed out so far, by match key: a hash set, since a province's forms or
 * receipts are tens of thousands of names (a list walked for each new name made them
 * quadratic). Caller-owned storage: init before use, fini after. */
struct pl_safename_set {
    struct pl_strmap keys;
};

void pl_safename_set_init(struct pl_safename_set *set);
void pl_safename_set_fini(struct pl_safename_set *set);

/* Appends to OUT the safe, unique file name for NAME[0..LEN) with extension EXT (".csv"),
 * and records it in SET. PL_ERR_NOMEM on failure. */
enum pl_status pl_safename_unique(struct pl_safename_set *set, const char *name, size_t len,
                                  const char *ext, struct pl_buf *out);

#endif
