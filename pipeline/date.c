/* date — day numbers, Excel serials and the date spellings of returns. */
#include "date.h"

#include <stdbool.h>
#include <string.h>

#include "text.h"

static bool is_leap(long y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(long y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

bool pl_date_is_valid(int year, int month, int day)
{
    return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
           day <= days_in_month(year, month);
}

/* Howard Hinnant's days_from_civil and civil_from_days (public domain algorithms, written
 * out here: no Debian package offers calendar arithmetic on plain day numbers without a
 * time zone): eras of 400 years, years starting in March so that the leap day is last. */
long pl_date_from_civil(int year, int month, int day)
{
    long y = (long)year - (month <= 2);
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void pl_date_to_civil(long days, int *year, int *month, int *day)
{
    long z = days + 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *day = (int)(doy - (153 * mp + 2) / 5 + 1);
    *month = m;
    *year = (int)(yoe + era * 400 + (m <= 2));
}

enum { EXCEL_SERIAL_MAX = 2958465 }; /* 9999-12-31, Excel's last day */

enum pl_status pl_date_from_excel_serial(long serial, long *days, enum pl_field_error *why)
{
    if (serial < 1 || serial == 60 || serial > EXCEL_SERIAL_MAX) {
        if (why)
            *why = PL_FERR_DATE_SERIAL;
        return PL_ERR_DATA;
    }
    /* Before the false 1900-02-29 the serials count from 1900-01-01 = 1; after it, one
     * day too many, which is why the epoch is 1899-12-30 rather than 12-31. */
    long epoch = serial < 60 ? pl_date_from_civil(1899, 12, 31) : pl_date_from_civil(1899, 12, 30);
    *days = epoch + serial;
    if (why)
        *why = PL_FERR_NONE;
    return PL_OK;
}

enum pl_status pl_date_format_iso(struct pl_buf *out, long days)
{
    if (days < pl_date_from_civil(1, 1, 1) || days > pl_date_from_civil(9999, 12, 31))
        return PL_ERR_USAGE;
    int y, m, d;
    pl_date_to_civil(days, &y, &m, &d);
    /* YYYY-MM-DD by hand: every valid record carries one, and printf costs more than the
     * rest of the row's date handling together. */
    char t[10] = {
        (char)('0' + y / 1000), (char)('0' + y / 100 % 10), (char)('0' + y / 10 % 10),
        (char)('0' + y % 10),   '-',                        (char)('0' + m / 10),
        (char)('0' + m % 10),   '-',                        (char)('0' + d / 10),
        (char)('0' + d % 10),
    };
    return pl_buf_append(out, t, sizeof t);
}

long pl_date_add_days(long days, long n)
{
    return days + n;
}

long pl_date_diff_days(long from, long to)
{
    return to - from;
}

/* ---- parsing ---------------------------------------------------------------------------- */

struct cursor {
    const char *s;
    size_t i, n;
};

static bool at_digit(const struct cursor *c)
{
    return c->i < c->n && c->s[c->i] >= '0' && c->s[c->i] <= '9';
}

static bool eat(struct cursor *c, const char *lit)
{
    size_t k = strlen(lit);
    if (c->n - c->i < k || memcmp(c->s + c->i, lit, k) != 0)
        return false;
    c->i += k;
    return true;
}

static void skip_spaces(struct cursor *c)
{
    while (c->i < c->n) {
        uint32_t cp;
        size_t k = pl_utf8_decode(c->s + c->i, c->n - c->i, &cp);
        if (k == 0 || !pl_text_is_space(cp))
            return;
        c->i += k;
    }
}

/* Reads a run of ASCII digits; returns how many (the value in *V only up to nine). */
static size_t digits(struct cursor *c, long *v)
{
    size_t start = c->i;
    long x = 0;
    while (at_digit(c)) {
        if (c->i - start < 9)
            x = x * 10 + (c->s[c->i] - '0');
        c->i++;
    }
    *v = x;
    return c->i - start;
}

/* What may follow a date: nothing, or a time of day after space or 'T' (H:MM, H:MM:SS,
 * H:MM:SS.fff), which is checked for sense and then ignored. */
static bool rest_is_time(struct cursor *c)
{
    size_t before = c->i;
    skip_spaces(c);
    if (c->i == c->n)
        return true;
    if (c->i == before && !eat(c, "T"))
        return false;
    long h, m, s;
    size_t nh = digits(c, &h);
    if (nh < 1 || nh > 2 || h > 23 || !eat(c, ":"))
        return false;
    if (digits(c, &m) != 2 || m > 59)
        return false;
    if (eat(c, ":")) {
        if (digits(c, &s) != 2 || s > 59)
            return false;
        if (eat(c, ".") && digits(c, &s) == 0)
            return false;
    }
    skip_spaces(c);
    return c->i == c->n;
}

static enum pl_field_error check_ymd(long y, long m, long d, long *days)
{
    if (y < PL_DATE_YEAR_MIN || y > PL_DATE_YEAR_MAX || m < 1 || m > 12 || d < 1 ||
        d > days_in_month(y, (int)m))
        return PL_FERR_DATE_INVALID;
    *days = pl_date_from_civil((int)y, (int)m, (int)d);
    return PL_FERR_NONE;
}

static enum pl_field_error parse_folded(struct cursor *c, long *days)
{
    long first, m, d;
    size_t n1 = digits(c, &first);
    if (n1 == 0)
        return PL_FERR_DATE_FORMAT;

    /* 2023-6-28, 2023/6/28, 2023.6.28; and 6/28 without a year. */
    static const char seps[] = "-/.";
    char sep = c->i < c->n ? c->s[c->i] : '\0';
    if (sep && strchr(seps, sep) && !(sep == '.' && n1 == 5)) {
        c->i++;
        size_t n2 = digits(c, &m);
        if (n2 < 1 || n2 > 2)
            return PL_FERR_DATE_FORMAT;
        if (n1 <= 2 && (c->i == c->n || c->s[c->i] == ' '))
            return rest_is_time(c) ? PL_FERR_DATE_NO_YEAR : PL_FERR_DATE_FORMAT;
        if (n1 != 4 || c->i >= c->n || c->s[c->i] != sep)
            return PL_FERR_DATE_FORMAT;
        c->i++;
        size_t n3 = digits(c, &d);
        if (n3 < 1 || n3 > 2 || !rest_is_time(c))
            return PL_FERR_DATE_FORMAT;
        return check_ymd(first, m, d, days);
    }

    /* 2023年6月28日, with spaces allowed around the parts; and 6月28日 without a year. */
    size_t after_digits = c->i;
    skip_spaces(c);
    bool has_year = eat(c, "年");
    if (has_year) {
        if (n1 != 4)
            return PL_FERR_DATE_FORMAT;
        skip_spaces(c);
        size_t n2 = digits(c, &m);
        if (n2 < 1 || n2 > 2)
            return PL_FERR_DATE_FORMAT;
        skip_spaces(c);
    } else {
        m = first;
    }
    if (eat(c, "月")) {
        if (!has_year && n1 > 2)
            return PL_FERR_DATE_FORMAT;
        skip_spaces(c);
        size_t n3 = digits(c, &d);
        if (n3 < 1 || n3 > 2)
            return PL_FERR_DATE_FORMAT;
        skip_spaces(c);
        if (!eat(c, "日"))
            eat(c, "号");
        if (!rest_is_time(c))
            return PL_FERR_DATE_FORMAT;
        return has_year ? check_ymd(first, m, d, days) : PL_FERR_DATE_NO_YEAR;
    }
    if (has_year)
        return PL_FERR_DATE_FORMAT;
    c->i = after_digits;

    /* 20230628 */
    if (n1 == 8) {
        if (!rest_is_time(c))
            return PL_FERR_DATE_FORMAT;
        return check_ymd(first / 10000, first / 100 % 100, first % 100, days);
    }

    /* 45105, or 45105.4375 with the time of day as a fraction. */
    if (n1 == 5) {
        if (eat(c, ".")) {
            long ignored;
            if (digits(c, &ignored) == 0)
                return PL_FERR_DATE_FORMAT;
        }
        skip_spaces(c);
        if (c->i != c->n)
            return PL_FERR_DATE_FORMAT;
        enum pl_field_error err;
        if (pl_date_from_excel_serial(first, days, &err) != PL_OK)
            return err;
        return PL_FERR_NONE;
    }
    return PL_FERR_DATE_FORMAT;
}

enum pl_status pl_date_parse(const char *s, size_t len, long *days, enum pl_field_error *why)
{
    if (!s && len)
        return PL_ERR_USAGE;
    struct pl_buf t;
    pl_buf_init(&t);
    /* A cell of ASCII with no space at either end (2023-06-28) folds to itself: read it where
     * it is rather than copy it. */
    bool plain = len && (unsigned char)s[0] > ' ' && (unsigned char)s[len - 1] > ' ';
    for (size_t i = 0; plain && i < len; i++)
        plain = (unsigned char)s[i] < 0x80;
    enum pl_status st = len && !plain ? pl_text_fold_width(&t, s, len) : PL_OK;
    enum pl_field_error err = PL_FERR_NONE;
    if (st == PL_OK) {
        const char *text = plain ? s : t.data;
        size_t n = plain ? len : t.len;
        if (n == 0) {
            err = PL_FERR_DATE_ABSENT;
        } else {
            struct cursor c = {text, 0, n};
            long d;
            err = parse_folded(&c, &d);
            if (err == PL_FERR_NONE)
                *days = d;
        }
    }
    pl_buf_fini(&t);
    if (st != PL_OK)
        return st;
    if (why)
        *why = err;
    return err == PL_FERR_NONE ? PL_OK : PL_ERR_DATA;
}
