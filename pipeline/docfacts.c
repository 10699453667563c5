/* docfacts — number, issuer, title, date, office and cycles of the targets document. */
#include "docfacts.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

/* Reads digits at S[*I..LEN) (ASCII or full-width) into *V; false when there are none. */
static bool read_int(const char *s, size_t len, size_t *i, int *v)
{
    int digits = 0;
    *v = 0;
    while (*i < len) {
        uint32_t cp;
        int d;
        size_t n = pl_utf8_decode(s + *i, len - *i, &cp);
        if (n == 0 || !pl_doc_digit(cp, &d) || digits >= 6)
            break;
        *v = *v * 10 + d;
        digits++;
        *i += n;
    }
    return digits > 0;
}

static bool eat(const char *s, size_t len, size_t *i, const char *word)
{
    if (!pl_doc_starts(s + *i, len - *i, word))
        return false;
    *i += strlen(word);
    return true;
}

bool pl_doc_number(const char *s, size_t len, int *year)
{
    static const char *const open[] = {"〔", "［", "[", "（", "("};
    static const char *const close[] = {"〕", "］", "]", "）", ")"};
    pl_doc_trim(&s, &len);
    for (size_t k = 0; k < sizeof open / sizeof open[0]; k++) {
        const char *p = pl_doc_find(s, len, open[k]);
        if (!p || p == s)
            continue;
        size_t i = (size_t)(p - s) + strlen(open[k]);
        int y, n;
        if (!read_int(s, len, &i, &y) || y < 1900 || y > 2999 || !eat(s, len, &i, close[k]) ||
            !read_int(s, len, &i, &n) || !eat(s, len, &i, "号") || i != len)
            continue;
        *year = y;
        return true;
    }
    return false;
}

static bool date_at(const char *s, size_t len, size_t *i, int *y, int *m, int *d)
{
    return read_int(s, len, i, y) && eat(s, len, i, "年") && read_int(s, len, i, m) &&
           eat(s, len, i, "月") && read_int(s, len, i, d) && eat(s, len, i, "日") && *m >= 1 &&
           *m <= 12 && *d >= 1 && *d <= 31;
}

bool pl_doc_date(const char *s, size_t len, int *y, int *m, int *d)
{
    pl_doc_trim(&s, &len);
    size_t i = 0;
    return date_at(s, len, &i, y, m, d) && i == len && *y >= 1900;
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));

static char *fmt(const char *f, ...)
{
    struct pl_buf b;
    pl_buf_init(&b);
    va_list ap;
    va_start(ap, f);
    enum pl_status st = pl_buf_vprintf(&b, f, ap);
    va_end(ap);
    char *out = st == PL_OK ? pl_buf_take(&b) : NULL;
    pl_buf_fini(&b);
    return out;
}

static int month_days(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

enum pl_status pl_doc_cycles(struct pl_catalog *cat, int year, const int *months,
                             const int *days, size_t n)
{
    static const char *const halves[] = {"上半年", "下半年"};
    static const char *const quarters[] = {"第一季度", "第二季度", "第三季度", "第四季度"};
    if (n != 1 && n != 2 && n != 4)
        return PL_ERR_DATA;
    int span = 12 / (int)n, dy = year;
    for (size_t k = 0; k < n; k++) {
        if (k > 0 && months[k] < months[k - 1])
            dy++;
        int sm = (int)k * span + 1, em = sm + span - 1;
        struct pl_cycle *c = pl_catalog_add_cycle(cat);
        if (!c)
            return PL_ERR_NOMEM;
        if (n == 1) {
            c->id = fmt("%dY", year);
            c->label = fmt("%d年全年", year);
        } else if (n == 2) {
            c->id = fmt("%dH%zu", year, k + 1);
            c->label = fmt("%d年%s", year, halves[k]);
        } else {
            c->id = fmt("%dQ%zu", year, k + 1);
            c->label = fmt("%d年%s", year, quarters[k]);
        }
        c->start = fmt("%04d-%02d-01", year, sm);
        c->end = fmt("%04d-%02d-%02d", year, em, month_days(year, em));
        c->deadline = fmt("%04d-%02d-%02d", dy, months[k], days[k]);
        c->expected = fmt("%d", (int)(100 * (k + 1) / n));
        if (!c->id || !c->label || !c->start || !c->end || !c->deadline || !c->expected)
            return PL_ERR_NOMEM;
    }
    return PL_OK;
}

/* ---- the preamble --------------------------------------------------------------------- */

static enum pl_status set_fact(struct pl_catalog *cat, const char *key, const char *s,
                               size_t len)
{
    char *v = strndup(s, len);
    if (!v)
        return PL_ERR_NOMEM;
    enum pl_status st = pl_catalog_set_fact(cat, key, v);
    free(v);
    return st;
}

/* Looks for the sentence that says when progress is due: dates "M月D日" and 报 in one
 * sentence. Sets the deadlines and the office (the words after the last 报). */
static enum pl_status deadlines(const char *s, size_t len, int *months, int *days, size_t *n,
                                struct pl_buf *office)
{
    size_t start = 0;
    while (start < len) {
        const char *stop = pl_doc_find(s + start, len - start, "。");
        size_t end = stop ? (size_t)(stop - s) : len;
        const char *sent = s + start;
        size_t slen = end - start;
        size_t found = 0;
        int mm[8], dd[8];
        for (size_t i = 0; i < slen && found < 8;) {
            size_t j = i;
            int m, d;
            if (read_int(sent, slen, &j, &m) && eat(sent, slen, &j, "月") &&
                read_int(sent, slen, &j, &d) && eat(sent, slen, &j, "日") && m >= 1 && m <= 12 &&
                d >= 1 && d <= 31) {
                /* A full date (2023年6月30日) is a date, not a recurring deadline, unless it is
                 * the only form used; keep it simple: take month and day. */
                mm[found] = m;
                dd[found] = d;
                found++;
                i = j;
                continue;
            }
            i++;
        }
        const char *bao = NULL;
        for (const char *p = sent; (p = pl_doc_find(p, slen - (size_t)(p - sent), "报")) != NULL;
             p += strlen("报"))
            bao = p;
        if (found > 0 && bao && pl_doc_find(sent, slen, "前")) {
            *n = found;
            memcpy(months, mm, found * sizeof *mm);
            memcpy(days, dd, found * sizeof *dd);
            const char *o = bao + strlen("报");
            size_t olen = slen - (size_t)(o - sent);
            pl_doc_trim(&o, &olen);
            return pl_doc_squeeze(office, o, olen);
        }
        start = end + (stop ? strlen("。") : 0);
    }
    return PL_OK;
}

enum pl_status pl_docfacts_parse(const struct pl_doc_lines *lines, size_t from, size_t to,
                                 const char *file, struct pl_catalog *cat, struct pl_diag *diag)
{
    enum pl_status st = PL_OK;
    int year = 0, dy = 0, dm = 0, dd = 0;
    bool have_number = false, have_issuer = false, have_date = false;
    struct pl_buf title, addressees, office, county;
    pl_buf_init(&title);
    pl_buf_init(&addressees);
    pl_buf_init(&office);
    pl_buf_init(&county);
    int months[8], days[8];
    size_t ndeadlines = 0;
    enum { NUMBER, ISSUER, TITLE, ADDRESSEES, BODY } where = NUMBER;
    unsigned long first_line = from < to ? lines->v[from].no : 1;
    for (size_t i = from; i < to && st == PL_OK; i++) {
        const char *s = lines->v[i].s;
        size_t len = lines->v[i].len;
        pl_doc_trim(&s, &len);
        if (len == 0)
            continue;
        int y, m, d;
        if (where == NUMBER) {
            where = ISSUER;
            if (pl_doc_number(s, len, &year)) {
                have_number = true;
                st = set_fact(cat, "number", s, len);
                continue;
            }
        }
        if (where == ISSUER) {
            where = TITLE;
            static const char *const tails[] = {"人民政府办公室", "人民政府"};
            for (size_t k = 0; k < 2 && !have_issuer; k++) {
                if (pl_doc_ends(s, len, tails[k]) && len > strlen(tails[k])) {
                    have_issuer = true;
                    st = set_fact(cat, "issuer", s, len);
                    if (st == PL_OK)
                        st = pl_buf_append(&county, s, len - strlen(tails[k]));
                }
            }
            if (have_issuer)
                continue;
        }
        if (where == TITLE) {
            size_t before = title.len;
            st = pl_doc_squeeze(&title, s, len);
            static const char *const kinds[] = {"通知", "意见", "方案", "决定", "办法"};
            for (size_t k = 0; k < 5; k++)
                if (pl_doc_ends(title.data, title.len, kinds[k]))
                    where = ADDRESSEES;
            if (where == TITLE && title.len - before > 0 && i + 1 < to &&
                (pl_doc_ends(s, len, "：") || pl_doc_ends(s, len, ":"))) {
                /* No title ending in 通知…: this line is already the addressees. */
                title.len = before;
                title.data[before] = '\0';
                where = ADDRESSEES;
            } else {
                continue;
            }
        }
        if (where == ADDRESSEES) {
            st = pl_doc_squeeze(&addressees, s, len);
            if (pl_doc_ends(s, len, "：") || pl_doc_ends(s, len, ":")) {
                addressees.len -= pl_doc_ends(s, len, "：") ? strlen("：") : 1;
                addressees.data[addressees.len] = '\0';
                where = BODY;
            }
            continue;
        }
        if (pl_doc_date(s, len, &y, &m, &d)) {
            have_date = true;
            dy = y, dm = m, dd = d;
            continue;
        }
        if (ndeadlines == 0) {
            pl_buf_clear(&office);
            st = deadlines(s, len, months, days, &ndeadlines, &office);
        }
    }
    if (st != PL_OK)
        goto done;
    if (!have_number)
        pl_diag_report(diag, file, first_line, 0, "E_DOC_NUMBER",
                       "文件开头找不到文号（如“嘉政发〔2023〕1号”）");
    if (!have_issuer) {
        pl_diag_report(diag, file, first_line, 0, "E_DOC_ISSUER",
                       "文号下面找不到发文机关（如“嘉祥县人民政府”），不知道是哪个县的文件");
    } else {
        st = set_fact(cat, "county", county.data, county.len);
    }
    if (st == PL_OK && title.len)
        st = set_fact(cat, "title", title.data, title.len);
    if (st == PL_OK && addressees.len)
        st = set_fact(cat, "addressees", addressees.data, addressees.len);
    if (!have_date) {
        pl_diag_report(diag, file, first_line, 0, "E_DOC_DATE",
                       "正文后找不到成文日期（如“2023年2月22日”）");
    } else if (st == PL_OK) {
        char iso[32];
        snprintf(iso, sizeof iso, "%04d-%02d-%02d", dy, dm, dd);
        st = pl_catalog_set_fact(cat, "date", iso);
    }
    if (year == 0) {
        /* No number: the year the title names, else the date's. */
        size_t i = 0;
        int y;
        while (i < title.len && !read_int(title.data, title.len, &i, &y))
            i++;
        year = i < title.len && y >= 1900 && eat(title.data, title.len, &i, "年") ? y : dy;
    }
    if (st == PL_OK && year) {
        char yb[16];
        snprintf(yb, sizeof yb, "%d", year);
        st = pl_catalog_set_fact(cat, "year", yb);
    }
    if (st != PL_OK)
        goto done;
    if (ndeadlines == 0 || !year) {
        pl_diag_report(diag, file, first_line, 0, "E_DOC_DEADLINES",
                       "正文中找不到报送落实情况的时间（如“分别于6月30日和12月30日前……报县政府"
                       "督查室”），cycles.csv为空");
    } else if ((st = pl_doc_cycles(cat, year, months, days, ndeadlines)) == PL_ERR_DATA) {
        st = PL_OK;
        pl_diag_report(diag, file, first_line, 0, "E_DOC_DEADLINES",
                       "正文写了%zu个报送时间，只认1个（全年）、2个（上下半年）或4个（季度），"
                       "cycles.csv为空",
                       ndeadlines);
    }
    if (st != PL_OK)
        goto done;
    if (office.len == 0 && ndeadlines > 0)
        pl_diag_report(diag, file, first_line, 0, "E_DOC_OFFICE",
                       "报送时间那句话中找不到接收单位（如“报县政府督查室”）");
    else if (office.len)
        st = set_fact(cat, "office", office.data, office.len);
done:
    pl_buf_fini(&title);
    pl_buf_fini(&addressees);
    pl_buf_fini(&office);
    pl_buf_fini(&county);
    return st;
}
