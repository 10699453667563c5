/* workbook — the front of the workbook readers: what a file is, dispatch, accessors, and the
 * number formatting both readers share. */
#include "workbook_impl.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

static const unsigned char ole_magic[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};

enum pl_file_kind pl_file_kind_of(const unsigned char *head, size_t len)
{
    if (len >= 4 && head[0] == 'P' && head[1] == 'K' &&
        ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6)))
        return PL_FILE_ZIP;
    if (len >= 8 && memcmp(head, ole_magic, 8) == 0)
        return PL_FILE_OLE;
    return PL_FILE_TEXT;
}

/* --- encrypted OOXML inside an OLE container --------------------------------------------- */

/* Excel keeps a password-protected .xlsx as an OLE compound file holding the streams
 * "EncryptionInfo" and "EncryptedPackage" (MS-OFFCRYPTO 2.3.4); the .xls reader would take it
 * for a broken .xls, so the front looks for those names in the compound file's directory. Any
 * inconsistency ends the search with "not found": the .xls reader then judges the file. */

struct cfb {
    FILE *fp;
    unsigned shift; /* sector size is 1 << shift */
    unsigned char header[512];
};

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int cfb_read(struct cfb *c, uint64_t sector, size_t offset, void *out, size_t len)
{
    uint64_t pos = (sector + 1) << c->shift;
    if (pos > INT64_MAX / 2 || fseeko(c->fp, (off_t)(pos + offset), SEEK_SET) != 0)
        return -1;
    return fread(out, 1, len, c->fp) == len ? 0 : -1;
}

/* The FAT sector holding entry number INDEX of the FAT, following the DIFAT chain. */
static int cfb_fat_sector(struct cfb *c, uint32_t index, uint32_t *out)
{
    if (index < 109) {
        *out = le32(c->header + 76 + 4 * index);
        return 0;
    }
    uint32_t per = (1u << c->shift) / 4 - 1;
    uint32_t difat = le32(c->header + 68);
    index -= 109;
    for (unsigned hops = 0; index >= per; hops++) {
        unsigned char b[4];
        if (hops > 1u << 20 || difat >= 0xFFFFFFFAu || cfb_read(c, difat, per * 4, b, 4) != 0)
            return -1;
        difat = le32(b);
        index -= per;
    }
    unsigned char b[4];
    if (difat >= 0xFFFFFFFAu || cfb_read(c, difat, index * 4, b, 4) != 0)
        return -1;
    *out = le32(b);
    return 0;
}

static int cfb_next(struct cfb *c, uint32_t sector, uint32_t *next)
{
    uint32_t per = (1u << c->shift) / 4;
    uint32_t fat;
    unsigned char b[4];
    if (cfb_fat_sector(c, sector / per, &fat) != 0 || fat >= 0xFFFFFFFAu ||
        cfb_read(c, fat, (sector % per) * 4, b, 4) != 0)
        return -1;
    *next = le32(b);
    return 0;
}

static bool utf16_name_is(const unsigned char *entry, const char *ascii)
{
    size_t n = strlen(ascii);
    unsigned name_len = (unsigned)entry[64] | (unsigned)entry[65] << 8;
    if (name_len != 2 * (n + 1))
        return false;
    for (size_t i = 0; i < n; i++)
        if (entry[2 * i] != (unsigned char)ascii[i] || entry[2 * i + 1] != 0)
            return false;
    return true;
}

static bool ole_is_encrypted_ooxml(FILE *fp)
{
    struct cfb c = {.fp = fp};
    if (fseeko(fp, 0, SEEK_SET) != 0 || fread(c.header, 1, 512, fp) != 512)
        return false;
    c.shift = (unsigned)c.header[30] | (unsigned)c.header[31] << 8;
    if (c.shift != 9 && c.shift != 12)
        return false;
    size_t ssz = (size_t)1 << c.shift;
    unsigned char *sec = malloc(ssz);
    if (!sec)
        return false;
    bool info = false, package = false;
    uint32_t s = le32(c.header + 48);
    for (unsigned hops = 0; s < 0xFFFFFFFAu && hops < 65536 && !(info && package); hops++) {
        if (cfb_read(&c, s, 0, sec, ssz) != 0)
            break;
        for (size_t e = 0; e + 128 <= ssz; e += 128) {
            info = info || utf16_name_is(sec + e, "EncryptionInfo");
            package = package || utf16_name_is(sec + e, "EncryptedPackage");
        }
        if (cfb_next(&c, s, &s) != 0)
            break;
    }
    free(sec);
    return info && package;
}

/* --- open and accessors ------------------------------------------------------------------- */

static void release(struct pl_workbook *wb)
{
    if (wb->ops && wb->ctx)
        wb->ops->free(wb->ctx);
    for (size_t i = 0; i < wb->nsheets; i++)
        free(wb->sheets[i].name);
    free(wb->sheets);
    free(wb);
}

enum pl_status pl_workbook_open(const char *path, const char *display, struct pl_diag *diag,
                                struct pl_workbook **out)
{
    *out = NULL;
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        pl_diag_report(diag, display, 0, 0, "E_UNREADABLE", "无法打开文件：%s", strerror(errno));
        return PL_ERR_OPEN;
    }
    unsigned char head[8];
    size_t n = fread(head, 1, sizeof head, fp);
    enum pl_status st = PL_ERR_DATA;
    if (n == 0) {
        if (ferror(fp))
            pl_diag_report(diag, display, 0, 0, "E_UNREADABLE", "无法读取文件：%s",
                           strerror(errno));
        else
            pl_diag_report(diag, display, 0, 0, "E_UNREADABLE",
                           "文件是空的（0字节）：请重新导出或重新发送");
        fclose(fp);
        return PL_ERR_OPEN;
    }
    enum pl_file_kind kind = pl_file_kind_of(head, n);
    if (kind == PL_FILE_TEXT) {
        pl_diag_report(diag, display, 0, 0, "E_NOT_WORKBOOK",
                       "这不是Excel工作簿：请用Excel或WPS另存为.xlsx后重新报送");
        fclose(fp);
        return PL_ERR_DATA;
    }
    if (kind == PL_FILE_OLE && ole_is_encrypted_ooxml(fp)) {
        pl_diag_report(diag, display, 0, 0, "E_ENCRYPTED",
                       "工作簿设了打开密码，无法读取：请取消密码后另存为.xlsx重新报送");
        fclose(fp);
        return PL_ERR_DATA;
    }
    fclose(fp);
    struct pl_workbook *wb = calloc(1, sizeof *wb);
    if (!wb)
        return PL_ERR_NOMEM;
    wb->display = display;
    wb->diag = diag;
    st = kind == PL_FILE_ZIP ? pl_workbook_open_xlsx(wb, path) : pl_workbook_open_xls(wb, path);
    if (st == PL_OK && !wb->ops)
        st = PL_ERR_INTERNAL;
    if (st != PL_OK) {
        release(wb);
        return st;
    }
    *out = wb;
    return PL_OK;
}

size_t pl_workbook_sheet_count(const struct pl_workbook *wb)
{
    return wb->nsheets;
}

const char *pl_workbook_sheet_name(const struct pl_workbook *wb, size_t index)
{
    return index < wb->nsheets ? wb->sheets[index].name : NULL;
}

bool pl_workbook_sheet_visible(const struct pl_workbook *wb, size_t index)
{
    return index < wb->nsheets && wb->sheets[index].visible;
}

const char *pl_workbook_format(const struct pl_workbook *wb)
{
    return wb->ops->format;
}

void pl_workbook_read_merges(struct pl_workbook *wb, bool on)
{
    wb->merges = on;
}

enum pl_status pl_workbook_read_sheet(struct pl_workbook *wb, size_t index, pl_sheet_row_fn on_row,
                                      void *ctx)
{
    if (index >= wb->nsheets)
        return PL_ERR_USAGE;
    return wb->ops->read_sheet(wb->ctx, index, wb->merges, on_row, ctx);
}

/* --- merged ranges ------------------------------------------------------------------------ */

void pl_merges_init(struct pl_merges *m)
{
    memset(m, 0, sizeof *m);
}

void pl_merges_fini(struct pl_merges *m)
{
    free(m->v);
    free(m->active);
    pl_merges_init(m);
}

enum pl_status pl_merges_add(struct pl_merges *m, unsigned long first_row, unsigned long last_row,
                             size_t first_col, size_t last_col)
{
    if (last_row <= first_row || last_col < first_col)
        return PL_OK;
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 16;
        struct pl_merge_range *v = realloc(m->v, cap * sizeof *v);
        if (!v)
            return PL_ERR_NOMEM;
        m->v = v;
        m->cap = cap;
    }
    m->v[m->n++] = (struct pl_merge_range){first_row, last_row, first_col, last_col};
    return PL_OK;
}

static int by_first_row(const void *a, const void *b)
{
    const struct pl_merge_range *x = a, *y = b;
    return (x->first_row > y->first_row) - (x->first_row < y->first_row);
}

enum pl_status pl_merges_ready(struct pl_merges *m)
{
    if (m->n > 1)
        qsort(m->v, m->n, sizeof *m->v, by_first_row);
    free(m->active);
    m->active = malloc((m->n ? m->n : 1) * sizeof *m->active);
    if (!m->active)
        return PL_ERR_NOMEM;
    m->next = m->nactive = 0;
    m->row = 0;
    return PL_OK;
}

size_t pl_merges_at(struct pl_merges *m, unsigned long row)
{
    if (!m->active)
        return 0;
    if (row < m->row)
        m->next = m->nactive = 0; /* rows out of order: start over */
    m->row = row;
    size_t kept = 0;
    for (size_t i = 0; i < m->nactive; i++)
        if (m->v[m->active[i]].last_row >= row)
            m->active[kept++] = m->active[i];
    m->nactive = kept;
    for (; m->next < m->n && m->v[m->next].first_row < row; m->next++)
        if (m->v[m->next].last_row >= row)
            m->active[m->nactive++] = m->next;
    size_t end = 0;
    for (size_t i = 0; i < m->nactive; i++)
        if (m->v[m->active[i]].last_col + 1 > end)
            end = m->v[m->active[i]].last_col + 1;
    return end;
}

void pl_merges_mark(const struct pl_merges *m, unsigned char *flags, size_t ncols)
{
    memset(flags, 0, ncols);
    for (size_t i = 0; i < m->nactive; i++) {
        const struct pl_merge_range *r = &m->v[m->active[i]];
        for (size_t c = r->first_col; c <= r->last_col && c < ncols; c++)
            flags[c] = 1;
    }
}

void pl_workbook_free(struct pl_workbook *wb)
{
    if (wb)
        release(wb);
}

enum pl_status pl_workbook_cell_name(struct pl_buf *out, size_t column, unsigned long row)
{
    char letters[16]; /* 26^13 > SIZE_MAX: never full */
    size_t n = sizeof letters;
    size_t c = column + 1;
    while (c > 0 && n > 0) {
        letters[--n] = (char)('A' + (c - 1) % 26);
        c = (c - 1) / 26;
    }
    pl_buf_clear(out);
    if (pl_buf_append(out, letters + n, sizeof letters - n) != PL_OK)
        return PL_ERR_NOMEM;
    return pl_buf_printf(out, "%lu", row);
}

/* --- number formats ----------------------------------------------------------------------- */

enum pl_number_style pl_workbook_builtin_style(int id)
{
    /* ECMA-376 Part 1, 18.8.30, with the zh-CN numbering of the East-Asian ids: 27–31, 36,
     * 50–54, 57, 58 are dates (yyyy"年"m"月" …); 32–35, 55, 56 times (h"时"mm"分",
     * 上午/下午h"时"mm"分" …). */
    if (id == 9 || id == 10)
        return PL_NUM_PERCENT;
    if ((id >= 14 && id <= 17) || (id >= 27 && id <= 31) || id == 36 || (id >= 50 && id <= 54) ||
        id == 57 || id == 58)
        return PL_NUM_DATE;
    if (id == 22)
        return PL_NUM_DATETIME;
    if ((id >= 18 && id <= 21) || (id >= 32 && id <= 35) || (id >= 45 && id <= 47) || id == 55 ||
        id == 56)
        return PL_NUM_TIME;
    return PL_NUM_GENERAL;
}

static bool is_token(const char *s, const char *word)
{
    size_t n = strlen(word);
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (c != word[i])
            return false;
    }
    return true;
}

enum pl_number_style pl_workbook_format_style(const char *code)
{
    bool percent = false, date = false, time = false;
    char prev = 0;                /* the last date/time letter seen: y m d h s, or 0 */
    const char *pending_m = NULL; /* an 'm' whose meaning waits on the next letter */
    for (const char *p = code; *p;) {
        char c = *p;
        char lc = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
        if (c == '"') {
            const char *q = strchr(p + 1, '"');
            p = q ? q + 1 : p + strlen(p);
            continue;
        }
        if (c == '\\' || c == '_' || c == '*') { /* an escaped, a spacing or a fill character */
            p += p[1] ? 2 : 1;
            continue;
        }
        if (c == '[') {
            const char *q = strchr(p, ']');
            size_t n = q ? (size_t)(q - p - 1) : 0;
            /* [h], [mm], [ss]: elapsed time; [Red], [$-804], [DBNum1], [>100]: ignored */
            if (n > 0 && strspn(p + 1, "hHmMsS") == n)
                time = true;
            p = q ? q + 1 : p + strlen(p);
            continue;
        }
        if (is_token(p, "GENERAL")) {
            p += 7;
            continue;
        }
        if (is_token(p, "AM/PM") || is_token(p, "A/P")) {
            time = true;
            p += is_token(p, "AM/PM") ? 5 : 3;
            continue;
        }
        if (c == '%')
            percent = true;
        if (lc == 'y' || lc == 'd' || lc == 'h' || lc == 's' || lc == 'm') {
            size_t run = strspn(p, lc == 'y'   ? "yY"
                                   : lc == 'd' ? "dD"
                                   : lc == 'h' ? "hH"
                                   : lc == 's' ? "sS"
                                               : "mM");
            if (pending_m) { /* m followed by s is minutes, else a month */
                if (lc == 's')
                    time = true;
                else
                    date = true;
                pending_m = NULL;
            }
            if (lc == 'y' || lc == 'd')
                date = true;
            else if (lc == 'h' || lc == 's')
                time = true;
            else if (prev == 'h')
                time = true; /* m after h is minutes */
            else
                pending_m = p;
            prev = lc;
            p += run;
            continue;
        }
        p++;
    }
    if (pending_m)
        date = true;
    if (date && time)
        return PL_NUM_DATETIME;
    if (date)
        return PL_NUM_DATE;
    if (time)
        return PL_NUM_TIME;
    return percent ? PL_NUM_PERCENT : PL_NUM_GENERAL;
}

/* Writes the decimal digits of V (finite) with SIG significant digits, positional unless the
 * magnitude is beyond what a person types (then Excel's 1.5E+20), trailing zeros dropped. */
static enum pl_status append_decimal(struct pl_buf *out, double v, int sig)
{
    char e[40];
    snprintf(e, sizeof e, "%.*e", sig - 1, v); /* "-d.ddde+XX" */
    char *mant = e;
    bool neg = *mant == '-';
    if (neg)
        mant++;
    char *ex = strchr(mant, 'e');
    int exp10 = atoi(ex + 1);
    char digits[24];
    size_t nd = 0;
    for (char *q = mant; q < ex; q++)
        if (*q >= '0' && *q <= '9')
            digits[nd++] = *q;
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;
    if (nd == 1 && digits[0] == '0')
        neg = false, exp10 = 0;
    struct pl_buf *b = out;
    if (neg && pl_buf_append_char(b, '-') != PL_OK)
        return PL_ERR_NOMEM;
    enum pl_status st = PL_OK;
    if (exp10 > 15 || exp10 < -9) {
        st = pl_buf_append_char(b, digits[0]);
        if (st == PL_OK && nd > 1) {
            st = pl_buf_append_char(b, '.');
            if (st == PL_OK)
                st = pl_buf_append(b, digits + 1, nd - 1);
        }
        if (st == PL_OK)
            st = pl_buf_printf(b, "E%c%02d", exp10 < 0 ? '-' : '+', abs(exp10));
        return st;
    }
    if (exp10 < 0) {
        st = pl_buf_append_str(b, "0.");
        for (int i = -1; st == PL_OK && i > exp10; i--)
            st = pl_buf_append_char(b, '0');
        if (st == PL_OK)
            st = pl_buf_append(b, digits, nd);
        return st;
    }
    size_t whole = (size_t)exp10 + 1;
    for (size_t i = 0; st == PL_OK && i < whole; i++)
        st = pl_buf_append_char(b, i < nd ? digits[i] : '0');
    if (st == PL_OK && nd > whole) {
        st = pl_buf_append_char(b, '.');
        if (st == PL_OK)
            st = pl_buf_append(b, digits + whole, nd - whole);
    }
    return st;
}

static enum pl_status append_general(struct pl_buf *out, double v)
{
    if (!isfinite(v))
        return pl_buf_append_str(out, isnan(v) ? "#NUM!" : v < 0 ? "-#NUM!" : "#NUM!");
    if (v == floor(v) && fabs(v) < 1e15) {
        /* Whole numbers, most cells: digits by hand, printf's float path is a tenth of a
         * sheet's reading time. */
        char digits[24];
        size_t n = sizeof digits;
        unsigned long long u = (unsigned long long)fabs(v);
        do {
            digits[--n] = (char)('0' + u % 10);
            u /= 10;
        } while (u);
        if (v < 0)
            digits[--n] = '-';
        return pl_buf_append(out, digits + n, sizeof digits - n);
    }
    int sig = 15;
    for (; sig < 17; sig++) {
        char t[40];
        snprintf(t, sizeof t, "%.*e", sig - 1, v);
        if (strtod(t, NULL) == v)
            break;
    }
    return append_decimal(out, v, sig);
}

/* Howard Hinnant's civil_from_days: days since 1970-01-01 to a proleptic Gregorian date. */
static void civil_from_days(long z, long *y, unsigned *m, unsigned *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned long doe = (unsigned long)(z - era * 146097);
    unsigned long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long yy = (long)yoe + era * 400;
    unsigned long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned long mp = (5 * doy + 2) / 153;
    *d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
    *m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
    *y = yy + (*m <= 2);
}

enum pl_status pl_workbook_format_number(struct pl_buf *out, double value,
                                         enum pl_number_style style, bool date1904)
{
    if (style == PL_NUM_PERCENT) {
        double p = value * 100;
        /* 0.55 * 100 is 55.00000000000001: 15 significant digits undo the multiplication */
        enum pl_status st = isfinite(p) ? append_decimal(out, p, 15) : append_general(out, value);
        return st == PL_OK ? pl_buf_append_char(out, '%') : st;
    }
    double max = date1904 ? 2957003.0 : 2958465.0; /* 9999-12-31 */
    if (style == PL_NUM_GENERAL || !isfinite(value) || value < 0 || value >= max + 1)
        return append_general(out, value);
    /* to the nearest second first, so that 45000.99999999999 is the next midnight */
    double secs_total = round(value * 86400.0);
    long days = (long)floor(secs_total / 86400.0);
    long secs = (long)(secs_total - (double)days * 86400.0);
    if (style == PL_NUM_TIME) {
        if (secs % 60)
            return pl_buf_printf(out, "%02ld:%02ld:%02ld", secs / 3600, secs / 60 % 60, secs % 60);
        return pl_buf_printf(out, "%02ld:%02ld", secs / 3600, secs / 60 % 60);
    }
    long y;
    unsigned m, d;
    if (date1904) {
        civil_from_days(days - 24107, &y, &m, &d);
    } else if (days == 0) {
        y = 1900, m = 1, d = 0; /* Excel shows serial 0 as 1900-01-00 */
    } else if (days == 60) {
        y = 1900, m = 2, d = 29; /* Lotus 1-2-3's leap day, kept by Excel */
    } else {
        civil_from_days(days - (days < 60 ? 25568 : 25569), &y, &m, &d);
    }
    enum pl_status st = pl_buf_printf(out, "%04ld-%02u-%02u", y, m, d);
    if (st != PL_OK || style != PL_NUM_DATETIME)
        return st;
    if (secs % 60)
        return pl_buf_printf(out, " %02ld:%02ld:%02ld", secs / 3600, secs / 60 % 60, secs % 60);
    return pl_buf_printf(out, " %02ld:%02ld", secs / 3600, secs / 60 % 60);
}
