/*
 * date — calendar dates as units write them, as day numbers, and as ISO text.
 *
 * A date is held as a day number: days since 1970-01-01 in the proleptic Gregorian calendar
 * (negative before), so that comparing, adding and subtracting days is arithmetic on a
 * long. pl_date_parse() reads a cell as a unit wrote it (UTF-8, widths folded here) in the
 * spellings returns use: 2023-06-28, 2023/6/28, 2023.6.28, 20230628, 2023年6月28日,
 * 2023年06月28日 (日 or 号 or neither at the end), any of these followed by a time of day
 * (2023-6-28 10:15, 2023-06-28T10:15:00, ignored), and Excel date serials (45105).
 * pl_date_format_iso() writes the YYYY-MM-DD the record streams carry.
 *
 * What the module does not do: it knows no time of day and no time zone, reads no clock,
 * and does not judge whether a date is plausible for a cycle (before its start, more than 60
 * days after its deadline: the checks do that with pl_date_diff_days()). It does not read
 * period words (6月底, 年底前, 上半年) or Chinese-numeral dates (二〇二三年六月三十日).
 *
 * Decisions where the design is silent:
 * - Years have four digits and run from 1900 to 9999; two-digit years, day-first and
 *   month-first orders (28/06/2023, 6/28/2023) are refused as unreadable, a month and day
 *   without a year (6月28日, 6/28) as PL_FERR_DATE_NO_YEAR.
 * - The two separators of 2023-6-28 must be the same character.
 * - Excel serials are read in the 1900 date system (the Windows default; the Mac 1904
 *   system is not supported). Excel counts a 1900-02-29 that never was: serials 1..59 are
 *   1900-01-01..1900-02-28, 60 is that false day and refused, 61 is 1900-03-01, and from
 *   there serial S is 1899-12-30 plus S days (45107 is 2023-06-30). A fraction (a time of
 *   day) is ignored. In a cell only a five-digit number is read as a serial (10000..99999,
 *   years 1927..2173): a shorter one (2023) is far more likely a mistake than a date, and
 *   eight digits are YYYYMMDD.
 */
#ifndef PL_DATE_H
#define PL_DATE_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "fields.h"
#include "status.h"

/* The first and last years pl_date_parse() accepts. */
enum { PL_DATE_YEAR_MIN = 1900, PL_DATE_YEAR_MAX = 9999 };

/* True when YEAR-MONTH-DAY is a real day of the Gregorian calendar with YEAR in 1..9999
 * (2024-02-29 is, 2023-02-29 and 1900-02-29 are not). */
bool pl_date_is_valid(int year, int month, int day);

/* The day number of YEAR-MONTH-DAY, which must be valid (pl_date_is_valid()); the result is
 * unspecified otherwise. */
long pl_date_from_civil(int year, int month, int day);

/* Splits day number DAYS into *YEAR, *MONTH and *DAY (none may be NULL). Any long within
 * years 1..9999 gives the day pl_date_from_civil() would map back to DAYS. */
void pl_date_to_civil(long days, int *year, int *month, int *day);

/* The day number of Excel serial SERIAL (1900 date system; see the header paragraph). On
 * PL_ERR_DATA (SERIAL below 1, 60, or after 9999-12-31 = 2958465) *WHY (if not NULL) is
 * PL_FERR_DATE_SERIAL and *DAYS unchanged. */
enum pl_status pl_date_from_excel_serial(long serial, long *days, enum pl_field_error *why);

/* Parses the date in S[0..LEN) (see the header paragraph) into the day number *DAYS. On
 * PL_ERR_DATA *WHY (if not NULL) is one of PL_FERR_DATE_* and *DAYS is unchanged.
 * PL_ERR_NOMEM when scratch memory runs out. */
enum pl_status pl_date_parse(const char *s, size_t len, long *days, enum pl_field_error *why);

/* Appends day number DAYS to OUT as YYYY-MM-DD. PL_ERR_USAGE when the day lies outside
 * years 1..9999, PL_ERR_NOMEM when OUT cannot grow. */
enum pl_status pl_date_format_iso(struct pl_buf *out, long days);

/* The day N days after DAYS (before it for negative N). */
long pl_date_add_days(long days, long n);

/* How many days TO lies after FROM (negative when before): 2023-08-29 is 60 days after
 * 2023-06-30, so a return dated then is exactly at a 60-day limit. */
long pl_date_diff_days(long from, long to);

#endif
