/* fields — parsers for progress, values and task ids; refusal reasons in Chinese. */
#include "fields.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

/* ---- reasons ---------------------------------------------------------------------------- */

struct reason {
    const char *code;
    const char *text; /* "%s" stands for the quoted cell */
};

/* The examples in the texts are the spellings the parsers accept, so that a unit that copies
 * them gets through. */
static const struct reason reasons[PL_FERR_COUNT] = {
    [PL_FERR_NONE] = {"", ""},
    [PL_FERR_PROGRESS_ABSENT] = {"E_PROGRESS_ABSENT",
                                 "未填写完成进度：请填写0–100之间的数字，如85或85%"},
    [PL_FERR_PROGRESS_NOT_NUMBER] = {"E_PROGRESS_NOT_NUMBER",
                                     "无法识别的完成进度“%s”：请填写0–100之间的数字，如85或85%"},
    [PL_FERR_PROGRESS_RANGE] = {"E_PROGRESS_RANGE",
                                "完成进度“%s”超出0–100范围：请填写0–100之间的数字"},
    [PL_FERR_PROGRESS_AMBIGUOUS] = {"E_PROGRESS_AMBIGUOUS",
                                    "完成进度“%s”含义不明（是比例还是百分数？）：请填写百分数，"
                                    "如85或85%；不足1%的请写成0.5%"},
    [PL_FERR_VALUE_ABSENT] = {"E_VALUE_ABSENT",
                              "未填写完成值：请填写一个数字，可带单位，如13000家、1.2万或6.5%"},
    [PL_FERR_VALUE_NOT_NUMBER] = {"E_VALUE_NOT_NUMBER",
                                  "无法识别的完成值“%s”：请填写一个数字，可带单位，"
                                  "如13000家、1.2万或6.5%"},
    [PL_FERR_VALUE_QUALIFIED] = {"E_VALUE_QUALIFIED",
                                 "完成值“%s”不是确切数字：请去掉“约”“超过”“左右”等字样，"
                                 "填写确切数字，如12000或1.2万"},
    [PL_FERR_VALUE_EXTRA] = {"E_VALUE_EXTRA",
                             "完成值“%s”含有多个数字：每格只填一个数字加单位，如13000家，"
                             "不填范围"},
    [PL_FERR_DATE_ABSENT] = {"E_DATE_ABSENT", "未填写日期：请按2023-06-28或2023年6月28日填写"},
    [PL_FERR_DATE_FORMAT] = {"E_DATE_FORMAT",
                             "无法识别的日期“%s”：请按2023-06-28或2023年6月28日填写"},
    [PL_FERR_DATE_NO_YEAR] = {"E_DATE_NO_YEAR", "日期“%s”缺少年份：请按2023年6月28日填写"},
    [PL_FERR_DATE_INVALID] = {"E_DATE_INVALID", "日期“%s”不存在：请核对年、月、日"},
    [PL_FERR_DATE_SERIAL] = {"E_DATE_SERIAL",
                             "日期“%s”不是有效的Excel日期序号：请按2023-06-28填写"},
    [PL_FERR_TASK_ID_ABSENT] = {"E_TASK_ID_ABSENT",
                                "未填写任务编号：重点工作填写序号如17，民生实事填写如M1-2"},
    [PL_FERR_TASK_ID_FORMAT] = {"E_TASK_ID_FORMAT", "无法识别的任务编号“%s”：重点工作填写序号如17，"
                                                    "民生实事填写如M1-2或民生实事1（2）"},
    [PL_FERR_TASK_ID_ZERO] = {"E_TASK_ID_ZERO", "任务编号“%s”的序号不能为0：重点工作填写序号如17，"
                                                "民生实事填写如M1-2"},
    /* Not an error: the design derives an empty status from the progress and flags it. */
    [PL_FERR_PROGRESS_CAPPED] = {"W_PROGRESS_CAPPED",
                                 "完成进度“%s”超过100%（超额完成）：按100%计"},
    [PL_FERR_STATUS_ABSENT] = {"W_STATUS_ABSENT",
                               "未填写状态：按完成进度推定（100为已完成，0为未启动，"
                               "其余为序时推进）"},
    [PL_FERR_STATUS_UNKNOWN] = {"E_STATUS_UNKNOWN",
                                "无法识别的状态“%s”：请填写已完成、序时推进、滞后或未启动"},
};

/* How much of a cell a message quotes: enough to recognise it, not a pasted narrative. */
enum { QUOTE_MAX_CHARS = 40 };

const char *pl_field_error_code(enum pl_field_error err)
{
    if ((unsigned)err >= PL_FERR_COUNT || !reasons[err].code)
        return "E_UNKNOWN";
    return reasons[err].code;
}

bool pl_field_error_is_absent(enum pl_field_error err)
{
    return err == PL_FERR_PROGRESS_ABSENT || err == PL_FERR_VALUE_ABSENT ||
           err == PL_FERR_DATE_ABSENT || err == PL_FERR_TASK_ID_ABSENT ||
           err == PL_FERR_STATUS_ABSENT;
}

static enum pl_status append_quote(struct pl_buf *out, const char *s, size_t len)
{
    size_t a, b;
    pl_text_trim(s, len, &a, &b);
    size_t i = a, chars = 0;
    while (i < b && chars < QUOTE_MAX_CHARS) {
        uint32_t cp;
        size_t n = pl_utf8_decode(s + i, b - i, &cp);
        i += n ? n : 1;
        chars++;
    }
    enum pl_status st = pl_text_escape_invalid(out, s + a, i - a);
    if (st == PL_OK && i < b)
        st = pl_buf_append_str(out, "…");
    return st;
}

enum pl_status pl_field_error_message(struct pl_buf *out, enum pl_field_error err,
                                      const char *input, size_t len)
{
    if ((unsigned)err >= PL_FERR_COUNT)
        return PL_ERR_USAGE;
    const char *text = reasons[err].text;
    const char *hole = strstr(text, "%s");
    if (!hole)
        return pl_buf_append_str(out, text);
    enum pl_status st = pl_buf_append(out, text, (size_t)(hole - text));
    if (st == PL_OK && len)
        st = append_quote(out, input, len);
    if (st == PL_OK)
        st = pl_buf_append_str(out, hole + 2);
    return st;
}

/* ---- scanning folded text --------------------------------------------------------------- */

struct cursor {
    const char *s;
    size_t i, n;
};

static bool at_end(const struct cursor *c)
{
    return c->i >= c->n;
}

static bool at_digit(const struct cursor *c)
{
    return c->i < c->n && c->s[c->i] >= '0' && c->s[c->i] <= '9';
}

/* Folding turns U+3000 into a space but leaves NBSP, tabs and zero-width spaces as they are,
 * so inner space is whatever pl_text_is_space() says. */
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

static bool eat(struct cursor *c, const char *lit)
{
    size_t k = strlen(lit);
    if (c->n - c->i < k || memcmp(c->s + c->i, lit, k) != 0)
        return false;
    c->i += k;
    return true;
}

/* Eats the longest of WORDS (NULL-terminated, longest listed first where one is a prefix of
 * another) and returns its index, or -1. */
static int eat_one_of(struct cursor *c, const char *const *words)
{
    for (int k = 0; words[k]; k++)
        if (eat(c, words[k]))
            return k;
    return -1;
}

static enum pl_status fold(struct pl_buf *t, const char *s, size_t len)
{
    return len ? pl_text_fold_width(t, s, len) : PL_OK;
}

/* The cell as fold() would make it, without the copy when it would be the same: ASCII with
 * no space at either end (17, M1-2) folds to itself. *TEXT and *N get the folded cell. */
static enum pl_status fold_view(struct pl_buf *t, const char *s, size_t len, const char **text,
                                size_t *n)
{
    bool plain = len && (unsigned char)s[0] > ' ' && (unsigned char)s[len - 1] > ' ';
    for (size_t i = 0; plain && i < len; i++)
        plain = (unsigned char)s[i] < 0x80;
    if (plain) {
        *text = s;
        *n = len;
        return PL_OK;
    }
    enum pl_status st = fold(t, s, len);
    *text = t->data;
    *n = t->len;
    return st;
}

/* ---- numbers ---------------------------------------------------------------------------- */

enum lex { LEX_NONE, LEX_OK, LEX_BAD };

/* Reads a decimal number at C: an optional sign, digits (grouped by three with commas when
 * GROUPS), an optional fraction. Writes it to CLEAN without separators ("-1234.5"). LEX_NONE
 * (cursor unchanged) when no number begins here; LEX_BAD when one begins but is malformed
 * (12,34 or 85.). */
static enum lex lex_number(struct cursor *c, bool groups, struct pl_buf *clean, enum pl_status *st)
{
    size_t start = c->i;
    pl_buf_clear(clean);
    bool negative = false;
    if (c->i < c->n && (c->s[c->i] == '-' || c->s[c->i] == '+')) {
        negative = c->s[c->i] == '-';
        c->i++;
    }
    if (!at_digit(c)) {
        c->i = start;
        return LEX_NONE;
    }
    if (negative)
        *st = pl_buf_append_char(clean, '-');
    size_t run = c->i;
    while (at_digit(c))
        c->i++;
    if (*st == PL_OK)
        *st = pl_buf_append(clean, c->s + run, c->i - run);
    if (groups && c->i < c->n && c->s[c->i] == ',') {
        if (c->i - run > 3)
            return LEX_BAD;
        while (c->i < c->n && c->s[c->i] == ',') {
            c->i++;
            run = c->i;
            while (at_digit(c))
                c->i++;
            if (c->i - run != 3)
                return LEX_BAD;
            if (*st == PL_OK)
                *st = pl_buf_append(clean, c->s + run, 3);
        }
    }
    if (c->i < c->n && c->s[c->i] == '.') {
        c->i++;
        run = c->i;
        while (at_digit(c))
            c->i++;
        if (c->i == run)
            return LEX_BAD;
        if (*st == PL_OK)
            *st = pl_buf_append_char(clean, '.');
        if (*st == PL_OK)
            *st = pl_buf_append(clean, c->s + run, c->i - run);
    }
    return LEX_OK;
}

/* Converts CLEAN (as lex_number() wrote it) times 10^EXP10 to a double, correctly rounded:
 * the multiplier goes into the exponent rather than a multiplication, so that 0.57 as a
 * fraction is 57 and not 56.99999999999999. strtod() follows LC_NUMERIC, so the locale's
 * decimal point stands in for '.'. False when the number is out of double's range. */
static bool to_double(const char *clean, int exp10, double *v, enum pl_status *st)
{
    const char *dp = localeconv()->decimal_point;
    if (!dp || !*dp)
        dp = ".";
    struct pl_buf b;
    pl_buf_init(&b);
    for (const char *p = clean; *p && *st == PL_OK; p++)
        *st = *p == '.' ? pl_buf_append_str(&b, dp) : pl_buf_append_char(&b, *p);
    if (*st == PL_OK && exp10)
        *st = pl_buf_printf(&b, "e%d", exp10);
    bool ok = false;
    if (*st == PL_OK) {
        char *end;
        errno = 0;
        double x = strtod(b.data, &end);
        ok = *end == '\0' && end != b.data && isfinite(x) && !(errno == ERANGE && x != 0);
        if (ok)
            *v = x == 0 ? 0.0 : x;
    }
    pl_buf_fini(&b);
    return ok;
}

enum pl_status pl_field_format_number(struct pl_buf *out, double v)
{
    if (!isfinite(v))
        return PL_ERR_USAGE;
    if (v == 0)
        return pl_buf_append_char(out, '0');
    char tmp[400];
    /* Whole numbers (most progress values) need no search for their decimals. */
    if (fabs(v) < 1e15 && v == (double)(long long)v) {
        long long w = (long long)v;
        unsigned long long u = w < 0 ? 0 - (unsigned long long)w : (unsigned long long)w;
        size_t i = sizeof tmp;
        do {
            tmp[--i] = (char)('0' + u % 10);
            u /= 10;
        } while (u);
        if (w < 0)
            tmp[--i] = '-';
        return pl_buf_append(out, tmp + i, sizeof tmp - i);
    }
    int used = 0;
    /* The fewest decimals that read back as V: 85.5, not 85.500000000000000. */
    for (int d = 0; d <= 40; d++) {
        used = snprintf(tmp, sizeof tmp, "%.*f", d, v);
        if (used < 0 || (size_t)used >= sizeof tmp)
            break;
        if (strtod(tmp, NULL) == v)
            goto found;
    }
    used = snprintf(tmp, sizeof tmp, "%.17g", v);
    if (used < 0 || (size_t)used >= sizeof tmp)
        return PL_ERR_INTERNAL;
found:;
    const char *dp = localeconv()->decimal_point;
    size_t dplen = dp ? strlen(dp) : 0;
    char *at = dplen ? strstr(tmp, dp) : NULL;
    if (at && strcmp(dp, ".") != 0) {
        enum pl_status st = pl_buf_append(out, tmp, (size_t)(at - tmp));
        if (st == PL_OK)
            st = pl_buf_append_char(out, '.');
        if (st == PL_OK)
            st = pl_buf_append_str(out, at + dplen);
        return st;
    }
    return pl_buf_append_str(out, tmp);
}

/* ---- progress --------------------------------------------------------------------------- */

enum pl_status pl_field_parse_progress(const char *s, size_t len, unsigned flags, double *progress,
                                       enum pl_field_error *why)
{
    return pl_field_parse_progress_limit(s, len, flags, PL_PROGRESS_OVER_LIMIT, progress, why);
}

/* True when S[0..LEN) is one to fifteen ASCII digits, optionally followed by '%', and
 * nothing else: then folding, trimming and the lexer would read exactly those digits, and
 * their value is an integer a double holds exactly, so *V is what strtod() would give. */
static bool plain_count(const char *s, size_t len, double *v, bool *percent)
{
    *percent = len && s[len - 1] == '%';
    size_t n = len - *percent;
    if (n == 0 || n > 15)
        return false;
    unsigned long long x = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        x = x * 10 + (unsigned long long)(s[i] - '0');
    }
    *v = (double)x;
    return true;
}

enum pl_status pl_field_parse_progress_limit(const char *s, size_t len, unsigned flags,
                                             double over_limit, double *progress,
                                             enum pl_field_error *why)
{
    const unsigned reading = PL_PROGRESS_FRACTIONS | PL_PROGRESS_SMALL_POINTS;
    const unsigned known = reading | PL_PROGRESS_CAP;
    if ((flags & ~known) || (flags & reading) == reading || (!s && len) || !(over_limit >= 100))
        return PL_ERR_USAGE;
    struct pl_buf t, num;
    pl_buf_init(&t);
    pl_buf_init(&num);
    enum pl_field_error err = PL_FERR_NONE;
    enum pl_status st = PL_OK;
    double v;
    bool percent;
    if (plain_count(s, len, &v, &percent)) {
        /* 85 or 85%: the cell as nearly every unit writes it, read without folding. */
        st = pl_buf_append(&num, s, len - percent); /* the digits, for a fraction below */
        if (st != PL_OK)
            goto done;
    } else {
        st = fold(&t, s, len);
        if (st != PL_OK)
            goto done;
        if (t.len == 0) {
            err = PL_FERR_PROGRESS_ABSENT;
            goto done;
        }
        struct cursor c = {t.data, 0, t.len};
        if (lex_number(&c, false, &num, &st) != LEX_OK || st != PL_OK) {
            err = PL_FERR_PROGRESS_NOT_NUMBER;
            goto done;
        }
        skip_spaces(&c);
        percent = eat(&c, "%");
        skip_spaces(&c);
        if (!at_end(&c) || !to_double(num.data, 0, &v, &st)) {
            err = PL_FERR_PROGRESS_NOT_NUMBER;
            goto done;
        }
    }
    if (!percent && v > 0 && v <= 1) {
        if (flags & PL_PROGRESS_FRACTIONS) {
            if (!to_double(num.data, 2, &v, &st)) {
                err = PL_FERR_PROGRESS_NOT_NUMBER;
                goto done;
            }
        } else if (!(flags & PL_PROGRESS_SMALL_POINTS)) {
            err = PL_FERR_PROGRESS_AMBIGUOUS;
            goto done;
        }
    }
    /* DESIGN.md: 超额完成 counts as 100 and is flagged; a clear typo (1000) is still wrong. */
    if (v > 100 && (flags & PL_PROGRESS_CAP) && v <= over_limit) {
        *progress = 100;
        err = PL_FERR_PROGRESS_CAPPED;
        goto done;
    }
    if (v < 0 || v > 100) {
        err = PL_FERR_PROGRESS_RANGE;
        goto done;
    }
    *progress = v;
done:
    pl_buf_fini(&t);
    pl_buf_fini(&num);
    if (st != PL_OK)
        return st;
    if (why)
        *why = err;
    return err == PL_FERR_NONE || err == PL_FERR_PROGRESS_CAPPED ? PL_OK : PL_ERR_DATA;
}

/* ---- values ----------------------------------------------------------------------------- */

static const char *const qualifiers_before[] = {"大约", "约",   "近", "超过", "超",
                                                "逾",   "达到", "达", NULL};
static const enum pl_value_qualifier qualifiers_before_kind[] = {
    PL_QUAL_ABOUT,    PL_QUAL_ABOUT,    PL_QUAL_ABOUT,    PL_QUAL_AT_LEAST,
    PL_QUAL_AT_LEAST, PL_QUAL_AT_LEAST, PL_QUAL_AT_LEAST, PL_QUAL_AT_LEAST};
static const char *const qualifiers_after[] = {"余", "多", NULL};
static const char *const multipliers[] = {"万亿", "千万", "百万", "亿", "万", NULL};
static const int multipliers_exp[] = {12, 7, 6, 8, 4};

static bool ends_with(const char *s, size_t len, const char *suffix, size_t *cut)
{
    size_t k = strlen(suffix);
    if (len < k || memcmp(s + len - k, suffix, k) != 0)
        return false;
    *cut = len - k;
    return true;
}

enum pl_status pl_field_parse_value(const char *s, size_t len, unsigned flags,
                                    struct pl_value *value, struct pl_buf *unit,
                                    enum pl_field_error *why)
{
    if ((flags & ~(unsigned)PL_VALUE_QUALIFIERS) || (!s && len))
        return PL_ERR_USAGE;
    pl_buf_clear(unit);
    struct pl_buf t, num;
    pl_buf_init(&t);
    pl_buf_init(&num);
    enum pl_field_error err = PL_FERR_NONE;
    enum pl_value_qualifier qual = PL_QUAL_NONE;
    enum pl_status st = fold(&t, s, len);
    if (st != PL_OK)
        goto done;
    if (t.len == 0) {
        err = PL_FERR_VALUE_ABSENT;
        goto done;
    }
    struct cursor c = {t.data, 0, t.len};
    int k = eat_one_of(&c, qualifiers_before);
    if (k >= 0)
        qual = qualifiers_before_kind[k];
    skip_spaces(&c);
    if (lex_number(&c, true, &num, &st) != LEX_OK || st != PL_OK) {
        err = PL_FERR_VALUE_NOT_NUMBER;
        goto done;
    }
    skip_spaces(&c);
    int exp10 = 0;
    k = eat_one_of(&c, multipliers);
    if (k >= 0)
        exp10 = multipliers_exp[k];
    if (eat_one_of(&c, qualifiers_after) >= 0 && qual == PL_QUAL_NONE)
        qual = PL_QUAL_AT_LEAST;
    size_t a, b, cut;
    pl_text_trim(c.s + c.i, c.n - c.i, &a, &b);
    const char *rest = c.s + c.i + a;
    size_t rest_len = b - a;
    if (ends_with(rest, rest_len, "左右", &cut)) {
        if (qual == PL_QUAL_NONE)
            qual = PL_QUAL_ABOUT;
        rest_len = cut;
    } else if (ends_with(rest, rest_len, "以上", &cut)) {
        if (qual == PL_QUAL_NONE)
            qual = PL_QUAL_AT_LEAST;
        rest_len = cut;
    }
    pl_text_trim(rest, rest_len, &a, &b);
    for (size_t i = a; i < b; i++) {
        if (rest[i] >= '0' && rest[i] <= '9') {
            err = PL_FERR_VALUE_EXTRA;
            goto done;
        }
    }
    /* A unit is text: bytes that are not UTF-8 (found by fuzzing) make no unit. */
    if (!pl_utf8_valid(rest + a, b - a)) {
        err = PL_FERR_VALUE_NOT_NUMBER;
        goto done;
    }
    double v;
    if (!to_double(num.data, exp10, &v, &st)) {
        err = PL_FERR_VALUE_NOT_NUMBER;
        goto done;
    }
    if (qual != PL_QUAL_NONE && !(flags & PL_VALUE_QUALIFIERS)) {
        err = PL_FERR_VALUE_QUALIFIED;
        goto done;
    }
    st = pl_buf_append(unit, rest + a, b - a);
    if (st != PL_OK)
        goto done;
    value->number = v;
    value->qualifier = qual;
done:
    pl_buf_fini(&t);
    pl_buf_fini(&num);
    if (st != PL_OK || err != PL_FERR_NONE)
        pl_buf_clear(unit);
    if (st != PL_OK)
        return st;
    if (why)
        *why = err;
    return err == PL_FERR_NONE ? PL_OK : PL_ERR_DATA;
}

/* ---- task ids --------------------------------------------------------------------------- */

/* Chinese numerals as units write item numbers (第十七项, 第一百零一项): 1..999 in the
 * ordinary forms. Returns false for anything else, the cursor then unchanged. */
static bool read_chinese_count(struct cursor *c, unsigned long *out)
{
    static const char *const digits[] = {"零", "〇", "一", "二", "两", "三", "四",
                                         "五", "六", "七", "八", "九", NULL};
    static const int digit_value[] = {0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9};
    size_t start = c->i;
    unsigned long total = 0;
    int pending = -1; /* a digit not yet given its place */
    bool any = false, ten = false, hundred = false;
    for (;;) {
        int k = eat_one_of(c, digits);
        if (k >= 0) {
            int d = digit_value[k];
            if (pending > 0 || (pending == 0 && d == 0))
                goto bad;
            pending = d;
            any = true;
        } else if (eat(c, "十")) {
            if (ten)
                goto bad;
            total += (unsigned long)(pending < 0 ? 1 : pending) * 10;
            pending = -1;
            ten = any = true;
        } else if (eat(c, "百")) {
            if (hundred || ten || pending <= 0)
                goto bad;
            total += (unsigned long)pending * 100;
            pending = -1;
            hundred = true;
        } else {
            break;
        }
    }
    if (!any)
        goto bad;
    if (pending > 0)
        total += (unsigned long)pending;
    *out = total;
    return true;
bad:
    c->i = start;
    return false;
}

/* A count in ASCII digits (leading zeros allowed, at most nine significant digits) or in
 * Chinese numerals. */
static bool read_count(struct cursor *c, unsigned long *out)
{
    if (!at_digit(c))
        return read_chinese_count(c, out);
    size_t start = c->i;
    unsigned long v = 0;
    int significant = 0;
    while (at_digit(c)) {
        v = v * 10 + (unsigned long)(c->s[c->i] - '0');
        if (v)
            significant++;
        c->i++;
    }
    if (significant > 9) {
        c->i = start;
        return false;
    }
    *out = v;
    return true;
}

static const char *const livelihood_prefixes[] = {
    "民生实事项目", "民生实事", "民生项目", "民生", "M", "m", NULL};
static const char *const key_prefixes[] = {"重点工作", "重点任务", NULL};
static const char *const item_dashes[] = {"-", "\u2013", "\u2014", "\u2212", NULL};

/* Parses the folded text; returns the reason, with *PROJECT (and *ITEM, 0 when none) set. */
static enum pl_field_error parse_task_id(struct cursor *c, bool *livelihood, unsigned long *project,
                                         unsigned long *item)
{
    *item = 0;
    *livelihood = eat_one_of(c, livelihood_prefixes) >= 0;
    if (!*livelihood)
        eat_one_of(c, key_prefixes);
    skip_spaces(c);
    eat(c, "第");
    skip_spaces(c);
    if (!read_count(c, project))
        return PL_FERR_TASK_ID_FORMAT;
    skip_spaces(c);
    if (!*livelihood) {
        if (eat(c, "项") || eat(c, "条") || eat(c, "号"))
            skip_spaces(c);
        if (!at_end(c))
            return PL_FERR_TASK_ID_FORMAT;
        return *project ? PL_FERR_NONE : PL_FERR_TASK_ID_ZERO;
    }
    if (eat(c, "项"))
        skip_spaces(c);
    bool has_item = false;
    if (eat_one_of(c, item_dashes) >= 0) {
        skip_spaces(c);
        eat(c, "第");
        if (!read_count(c, item))
            return PL_FERR_TASK_ID_FORMAT;
        skip_spaces(c);
        if (eat(c, "项"))
            skip_spaces(c);
        has_item = true;
    } else if (eat(c, "(")) {
        skip_spaces(c);
        if (!read_count(c, item))
            return PL_FERR_TASK_ID_FORMAT;
        skip_spaces(c);
        if (!eat(c, ")"))
            return PL_FERR_TASK_ID_FORMAT;
        skip_spaces(c);
        has_item = true;
    }
    if (!at_end(c))
        return PL_FERR_TASK_ID_FORMAT;
    if (*project == 0 || (has_item && *item == 0))
        return PL_FERR_TASK_ID_ZERO;
    return PL_FERR_NONE;
}

enum pl_status pl_field_parse_task_id(const char *s, size_t len, struct pl_buf *id,
                                      enum pl_field_error *why)
{
    if (!s && len)
        return PL_ERR_USAGE;
    pl_buf_clear(id);
    struct pl_buf t;
    pl_buf_init(&t);
    enum pl_field_error err = PL_FERR_NONE;
    const char *text;
    size_t n;
    enum pl_status st = fold_view(&t, s, len, &text, &n);
    if (st != PL_OK)
        goto done;
    if (n == 0) {
        err = PL_FERR_TASK_ID_ABSENT;
        goto done;
    }
    struct cursor c = {text, 0, n};
    bool livelihood;
    unsigned long project, item;
    err = parse_task_id(&c, &livelihood, &project, &item);
    if (err != PL_FERR_NONE)
        goto done;
    if (livelihood)
        st = pl_buf_append_char(id, 'M');
    if (st == PL_OK)
        st = pl_buf_append_ulong(id, project);
    if (st == PL_OK && livelihood && item) {
        st = pl_buf_append_char(id, '-');
        if (st == PL_OK)
            st = pl_buf_append_ulong(id, item);
    }
done:
    pl_buf_fini(&t);
    if (st != PL_OK || err != PL_FERR_NONE)
        pl_buf_clear(id);
    if (st != PL_OK)
        return st;
    if (why)
        *why = err;
    return err == PL_FERR_NONE ? PL_OK : PL_ERR_DATA;
}
