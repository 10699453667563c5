/*
 * fields — parsers for the cells of a unit's return: progress, values, task ids; and the
 * reasons a cell is refused, in Chinese for the unit.
 *
 * Each parser takes a cell as the unit wrote it (UTF-8, not NUL-terminated, possibly with
 * full-width digits, ％, （）and U+3000 spaces), folds widths and trims surrounding space
 * itself, and either returns PL_OK with its result in caller-provided storage, or PL_ERR_DATA
 * with a stable reason (enum pl_field_error) that pl_field_error_message() turns into a
 * sentence a unit can act on. A blank cell is refused with the field's own *_ABSENT reason,
 * so that a caller can tell "not filled in" from "filled in wrongly". The parsers only read
 * their argument and write their results: no I/O, no diagnostics, no global state (numbers
 * are read and written with '.' whatever the locale). They allocate only scratch memory, so
 * PL_ERR_NOMEM is the one other status they return.
 *
 * What the module does not do: it does not know which task ids or units exist (the catalog
 * does), what progress a cycle expects, or whether a value meets its indicator (the checks
 * do); it does not rewrite text fields (names and narratives are the caller's). Dates are in
 * the date module and status words in the status_words module; both report their reasons
 * with the enum below.
 *
 * Decisions where the design is silent:
 * - Progress without a percent sign above 0 and at most 1 (0.5, 0.85, 1, 1.0) is ambiguous:
 *   0.85 may be a fraction (85 %) or 0.85 points. A careful office does not guess; unless the
 *   caller says how such cells read (PL_PROGRESS_FRACTIONS: "0.85" is 85; or
 *   PL_PROGRESS_SMALL_POINTS: "0.85" is 0.85), they are refused as
 *   PL_FERR_PROGRESS_AMBIGUOUS and the unit is asked to write 85 or 0.85%. Zero is zero
 *   either way and always accepted; "0.85%" is explicit and always 0.85. With
 *   PL_PROGRESS_FRACTIONS a bare number above 1 is still read as points (a unit that wrote
 *   85 meant 85).
 * - A progress outside 0..100 is refused (PL_FERR_PROGRESS_RANGE), never clipped, unless the
 *   caller passes PL_PROGRESS_CAP: then a progress above 100 up to a limit (超额完成, 120) is
 *   read as 100 and reported through *WHY as PL_FERR_PROGRESS_CAPPED (W_PROGRESS_CAPPED, a
 *   warning) with PL_OK; above the limit (1000, a clear typo) it is still refused.
 * - Values: only exact numbers by default. Words that make a number approximate or a lower
 *   bound (约, 大约, 近, 超, 超过, 逾, 达, 达到 before it; 余, 多 after it; 左右, 以上 at the
 *   end) are refused as PL_FERR_VALUE_QUALIFIED unless the caller passes
 *   PL_VALUE_QUALIFIERS, in which case the number is kept and the word's kind reported.
 * - Multipliers are 万, 亿, 百万, 千万 and 万亿; 千 alone is not one, because it begins units
 *   (千米, 千克, 千瓦时). Scientific notation (1.2E+05) is refused.
 * - A value's unit is everything after the number, trimmed, widths folded; it may not
 *   contain a digit (that is a range such as 1万-2万, or two numbers), so m2 is refused.
 * - Task ids: key tasks may be written 17, 017, 第17项, 第17条, 17号, 重点工作17,
 *   重点工作第17项, 第十七项 (Chinese numerals up to 999); livelihood items M1-2, m1-2,
 *   M1(2), 民生1-2, 民生实事1（2）, 民生实事第1项（2）, and projects with one item M3,
 *   民生实事3. A bare 1-2 is refused: it may be a key task or a livelihood item.
 */
#ifndef PL_FIELDS_H
#define PL_FIELDS_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "status.h"

/* Why a cell was refused. The values are stable (new ones are added before
 * PL_FERR_COUNT); pl_field_error_code() names each for the rejects file. */
enum pl_field_error {
    PL_FERR_NONE = 0,
    PL_FERR_PROGRESS_ABSENT,     /* progress cell blank */
    PL_FERR_PROGRESS_NOT_NUMBER, /* 过半, 已完成, —, /, 85%% ... */
    PL_FERR_PROGRESS_RANGE,      /* a number below 0 or above 100 */
    PL_FERR_PROGRESS_AMBIGUOUS,  /* 0 < bare number <= 1 and no rule saying how to read it */
    PL_FERR_VALUE_ABSENT,        /* value cell blank */
    PL_FERR_VALUE_NOT_NUMBER,    /* no number where one must begin */
    PL_FERR_VALUE_QUALIFIED,     /* 约1万, 超5000: not exact, and the caller wants exact */
    PL_FERR_VALUE_EXTRA,         /* digits after the number: a range or two numbers */
    PL_FERR_DATE_ABSENT,         /* date cell blank */
    PL_FERR_DATE_FORMAT,         /* not one of the accepted spellings */
    PL_FERR_DATE_NO_YEAR,        /* 6月28日: month and day without a year */
    PL_FERR_DATE_INVALID,        /* spelled right but no such day: 2023-02-30, year < 1900 */
    PL_FERR_DATE_SERIAL,         /* an Excel serial with no real day: 0, 60 (1900-02-29) */
    PL_FERR_TASK_ID_ABSENT,      /* task id cell blank */
    PL_FERR_TASK_ID_FORMAT,      /* not a task id spelling */
    PL_FERR_TASK_ID_ZERO,        /* 0, 第0项, M0-1, M1-0 */
    PL_FERR_STATUS_ABSENT,       /* status cell blank: derive it from the progress */
    PL_FERR_STATUS_UNKNOWN,      /* a word not in the status table */
    PL_FERR_PROGRESS_CAPPED,     /* not an error: over 100 (超额完成), read as 100 */
    PL_FERR_COUNT
};

/* The stable ASCII code of ERR for the rejects file's `code` column ("E_PROGRESS_RANGE");
 * a static string, never NULL ("E_UNKNOWN" for values out of range, "" for PL_FERR_NONE). */
const char *pl_field_error_code(enum pl_field_error err);

/* True for the *_ABSENT reasons (the cell was blank). */
bool pl_field_error_is_absent(enum pl_field_error err);

/* Appends to OUT the Chinese sentence for ERR, quoting the cell INPUT[0..LEN) as the unit
 * wrote it (trimmed; cut to 40 characters with "…"; bytes that are not UTF-8 shown as \xNN),
 * e.g. 无法识别的完成进度“abc”：请填写0–100之间的数字，如85或85%. INPUT may be NULL when LEN
 * is 0. Nothing is appended for PL_FERR_NONE. Returns PL_ERR_NOMEM when OUT cannot grow
 * (OUT then holds part of the sentence), PL_ERR_USAGE for ERR out of range. */
enum pl_status pl_field_error_message(struct pl_buf *out, enum pl_field_error err,
                                      const char *input, size_t len);

/* How a bare progress number above 0 and at most 1 reads (see the header paragraph). */
enum pl_progress_flags {
    PL_PROGRESS_FRACTIONS = 1u << 0,    /* 0.85 and 1 are fractions: 85 and 100 */
    PL_PROGRESS_SMALL_POINTS = 1u << 1, /* 0.85 and 1 are points: 0.85 and 1 */
    PL_PROGRESS_CAP = 1u << 2,          /* over 100 up to the limit reads 100 (超额完成) */
};

/* The default limit of PL_PROGRESS_CAP (rules [progress] over_limit). */
#define PL_PROGRESS_OVER_LIMIT 200.0

/* Parses a completion progress, in percentage points, from S[0..LEN): a decimal number
 * (85, 85.5, 085, -1 for the range check) optionally followed by % or ％, with surrounding
 * and inner space (85 %) allowed. FLAGS is 0 or one of enum pl_progress_flags. On PL_OK
 * *PROGRESS is in 0..100 (never -0). On PL_ERR_DATA *WHY (if WHY is not NULL) is one of
 * PL_FERR_PROGRESS_* and *PROGRESS is unchanged. PL_ERR_USAGE when both flags are given,
 * PL_ERR_NOMEM when scratch memory runs out. */
enum pl_status pl_field_parse_progress(const char *s, size_t len, unsigned flags, double *progress,
                                       enum pl_field_error *why);

/* The same with the limit of PL_PROGRESS_CAP given (at least 100): with that flag, a progress
 * above 100 and at most OVER_LIMIT gives PL_OK, *PROGRESS 100 and *WHY
 * PL_FERR_PROGRESS_CAPPED; otherwise *WHY is PL_FERR_NONE on PL_OK. pl_field_parse_progress()
 * is this with PL_PROGRESS_OVER_LIMIT. */
enum pl_status pl_field_parse_progress_limit(const char *s, size_t len, unsigned flags,
                                             double over_limit, double *progress,
                                             enum pl_field_error *why);

/* Appends V to OUT in the shortest plain decimal that reads back as the same double, with
 * '.' as the decimal point and no trailing zeros: 85, 85.5, 12000, 0.85, never 85.0 or -0.
 * Used for progress and values alike. PL_ERR_USAGE for NaN and infinities, PL_ERR_NOMEM when
 * OUT cannot grow. */
enum pl_status pl_field_format_number(struct pl_buf *out, double v);

/* A word that made a value approximate or a lower bound (only with PL_VALUE_QUALIFIERS). */
enum pl_value_qualifier {
    PL_QUAL_NONE = 0,
    PL_QUAL_ABOUT,   /* 约, 大约, 近, 左右 */
    PL_QUAL_AT_LEAST /* 超, 超过, 逾, 达, 达到, 余, 多, 以上 */
};

enum pl_value_flags {
    PL_VALUE_QUALIFIERS = 1u << 0, /* accept 约/超/... and report them instead of refusing */
};

struct pl_value {
    double number;                     /* multiplier applied: 1.2万 is 12000 */
    enum pl_value_qualifier qualifier; /* PL_QUAL_NONE unless PL_VALUE_QUALIFIERS */
};

/* Parses a value with an optional multiplier and unit from S[0..LEN): 13000家, 1,234,
 * 1.2万, 5亿元, 6.5%, -3.2%, １．３万家. Thousands separators must group by three (1,234,567;
 * 12,34 is refused). FLAGS is 0 or PL_VALUE_QUALIFIERS. On PL_OK *VALUE is set and UNIT is
 * cleared and given the unit, widths folded (家, 元, %, or empty). On PL_ERR_DATA *WHY (if
 * not NULL) is one of PL_FERR_VALUE_*, *VALUE is unchanged and UNIT is cleared. PL_ERR_NOMEM
 * when memory runs out. VALUE and UNIT are caller-owned. */
enum pl_status pl_field_parse_value(const char *s, size_t len, unsigned flags,
                                    struct pl_value *value, struct pl_buf *unit,
                                    enum pl_field_error *why);

/* Parses a task id as units write it (see the header paragraph) and, on PL_OK, clears ID
 * and gives it the catalog's canonical spelling: "17", "M1-2", "M3". Leading zeros go. On
 * PL_ERR_DATA *WHY (if not NULL) is PL_FERR_TASK_ID_ABSENT, _FORMAT or _ZERO and ID is
 * cleared. Whether the id exists is the catalog's question. PL_ERR_NOMEM when memory runs
 * out. ID is caller-owned. */
enum pl_status pl_field_parse_task_id(const char *s, size_t len, struct pl_buf *id,
                                      enum pl_field_error *why);

#endif
