/* doctasks — the key tasks of 附件1. */
#include "doctasks.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

static const struct {
    const char *name;
    enum pl_label kind;
} labels[] = {
    {"牵头领导", PL_LABEL_LEADERS}, {"牵头县领导", PL_LABEL_LEADERS},
    {"分管领导", PL_LABEL_LEADERS}, {"责任领导", PL_LABEL_LEADERS},
    {"责任县领导", PL_LABEL_LEADERS},
    {"承办单位", PL_LABEL_HOSTS},   {"主办单位", PL_LABEL_HOSTS},
    {"牵头单位", PL_LABEL_HOSTS},   {"主要责任单位", PL_LABEL_HOSTS},
    {"责任单位", PL_LABEL_RESPONSIBLE},
    {"协办单位", PL_LABEL_COHOSTS}, {"配合单位", PL_LABEL_COHOSTS},
    {"参与单位", PL_LABEL_COHOSTS}, {"其他责任单位", PL_LABEL_COHOSTS},
};

static const char *const label_words[] = {"领导", "单位", "部门", "责任人", "时限", "时间"};

/* After S[0..LEN) at offset I: optional spaces and a colon; the offset after the colon or 0. */
static size_t colon_after(const char *s, size_t len, size_t i)
{
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (pl_doc_starts(s + i, len - i, "："))
        return i + strlen("：");
    if (i < len && s[i] == ':')
        return i + 1;
    return 0;
}

enum pl_label pl_doc_label(const char *s, size_t len, size_t *value)
{
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = pl_utf8_decode(s + i, len - i, &cp);
        if (n == 0 || !pl_text_is_space(cp))
            break;
        i += n;
    }
    for (size_t k = 0; k < sizeof labels / sizeof labels[0]; k++) {
        size_t n = strlen(labels[k].name);
        if (!pl_doc_starts(s + i, len - i, labels[k].name))
            continue;
        size_t v = colon_after(s, len, i + n);
        if (v) {
            *value = v;
            return labels[k].kind;
        }
    }
    /* Something that reads like a label: 2 to 6 ideographs ending in a label word, a colon. */
    size_t j = i, chars = 0;
    while (j < len && chars <= 6) {
        uint32_t cp;
        size_t n = pl_utf8_decode(s + j, len - j, &cp);
        if (n == 0 || cp < 0x4E00 || cp > 0x9FFF)
            break;
        j += n;
        chars++;
    }
    size_t v = chars >= 2 && chars <= 6 ? colon_after(s, len, j) : 0;
    if (v) {
        for (size_t k = 0; k < sizeof label_words / sizeof label_words[0]; k++) {
            if (pl_doc_ends(s + i, j - i, label_words[k])) {
                *value = v;
                return PL_LABEL_UNKNOWN;
            }
        }
    }
    return PL_LABEL_NONE;
}

size_t pl_doc_label_next(const char *s, size_t len)
{
    size_t best = len;
    for (size_t k = 0; k < sizeof labels / sizeof labels[0]; k++) {
        size_t from = 0;
        const char *p;
        while ((p = pl_doc_find(s + from, len - from, labels[k].name)) != NULL) {
            size_t at = (size_t)(p - s);
            if (colon_after(s, len, at + strlen(labels[k].name)) && at < best)
                best = at;
            from = at + 1;
        }
    }
    return best;
}

static size_t skip_space(const char *s, size_t len, size_t i)
{
    while (i < len) {
        uint32_t cp;
        size_t n = pl_utf8_decode(s + i, len - i, &cp);
        if (n == 0 || !pl_text_is_space(cp))
            break;
        i += n;
    }
    return i;
}

/* Digits (ASCII or full-width) at S[*I..LEN): 1 to 3 of them, their value in *V. */
static bool digits_at(const char *s, size_t len, size_t *i, unsigned long *v)
{
    int digits = 0;
    *v = 0;
    while (*i < len) {
        uint32_t cp;
        int d;
        size_t n = pl_utf8_decode(s + *i, len - *i, &cp);
        if (n == 0 || !pl_doc_digit(cp, &d))
            break;
        *v = *v * 10 + (unsigned long)d;
        digits++;
        *i += n;
    }
    return digits > 0 && digits <= 3;
}

/* A Chinese numeral 一 to 九十九 at S[*I..LEN): its value in *V. */
static bool numeral_at(const char *s, size_t len, size_t *i, unsigned long *v)
{
    static const char *const ones[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九"};
    unsigned long tens = 0, unit = 0;
    size_t j = *i;
    for (int k = 0; k < 9 && !unit; k++)
        if (pl_doc_starts(s + j, len - j, ones[k]))
            unit = (unsigned long)k + 1, j += strlen(ones[k]);
    if (pl_doc_starts(s + j, len - j, "十")) {
        tens = unit ? unit : 1;
        unit = 0;
        j += strlen("十");
        for (int k = 0; k < 9 && !unit; k++)
            if (pl_doc_starts(s + j, len - j, ones[k]))
                unit = (unsigned long)k + 1, j += strlen(ones[k]);
    }
    if (j == *i || (tens == 0 && unit == 0))
        return false;
    *v = tens * 10 + unit;
    *i = j;
    return true;
}

/* An opening parenthesis, full-width or ASCII, at S[*I..LEN); likewise the closing one. */
static bool paren_at(const char *s, size_t len, size_t *i, bool open)
{
    const char *wide = open ? "（" : "）";
    if (pl_doc_starts(s + *i, len - *i, wide)) {
        *i += strlen(wide);
        return true;
    }
    if (*i < len && s[*i] == (open ? '(' : ')')) {
        (*i)++;
        return true;
    }
    return false;
}

bool pl_doc_task_number_style(const char *s, size_t len, unsigned long *num, size_t *text,
                              enum pl_numbering *style)
{
    size_t i = skip_space(s, len, 0);
    unsigned long v = 0;
    enum pl_numbering how;
    size_t j = i;
    if (digits_at(s, len, &j, &v)) {
        if (pl_doc_starts(s + j, len - j, "、"))
            j += strlen("、");
        else if (pl_doc_starts(s + j, len - j, "．"))
            j += strlen("．");
        else if (j < len && s[j] == '.' && !(j + 1 < len && s[j + 1] >= '0' && s[j + 1] <= '9'))
            j++;
        else
            return false;
        how = PL_NUM_DIGITS;
    } else if ((j = i, paren_at(s, len, &j, true))) {
        if (!digits_at(s, len, &j, &v) || !paren_at(s, len, &j, false))
            return false;
        how = PL_NUM_PAREN;
    } else if ((j = i, numeral_at(s, len, &j, &v)) && pl_doc_starts(s + j, len - j, "是")) {
        j += strlen("是");
        how = PL_NUM_SHI;
    } else {
        return false;
    }
    *num = v;
    *text = j;
    if (style)
        *style = how;
    return true;
}

bool pl_doc_task_number(const char *s, size_t len, unsigned long *num, size_t *text)
{
    return pl_doc_task_number_style(s, len, num, text, NULL);
}

bool pl_doc_section_heading(const char *s, size_t len, size_t *text)
{
    size_t i = skip_space(s, len, 0), j = i;
    unsigned long v;
    if (paren_at(s, len, &j, true)) {
        if (!numeral_at(s, len, &j, &v) || !paren_at(s, len, &j, false))
            return false;
    } else if (!numeral_at(s, len, &j, &v) || !pl_doc_starts(s + j, len - j, "、")) {
        return false;
    } else {
        j += strlen("、");
    }
    size_t rest = len - j;
    const char *r = s + j;
    pl_doc_trim(&r, &rest);
    if (rest == 0)
        return false;
    *text = j;
    return true;
}

enum pl_status pl_doc_task_title(const char *text, size_t len, struct pl_buf *out)
{
    static const char *const stops[] = {"，", "。", "；", "："};
    size_t end = len;
    for (size_t k = 0; k < sizeof stops / sizeof stops[0]; k++) {
        const char *p = pl_doc_find(text, end, stops[k]);
        if (p)
            end = (size_t)(p - text);
    }
    return pl_buf_append(out, text, end);
}

/* ---- the parser ----------------------------------------------------------------------- */

struct draft {
    bool open;
    bool discard; /* its number could not be settled: read its labels, keep nothing */
    unsigned long num;
    unsigned long line;
    struct pl_buf text;
    struct pl_buf section;
    struct pl_strv lists[4]; /* leaders, hosts, co-units, 责任单位 (hosts or co-units) */
    unsigned long list_line[4];
    bool has[4];
};

struct parser {
    const struct pl_doc_lines *lines;
    size_t from, to;
    const char *file;
    struct pl_catalog *cat;
    struct pl_unitreg *reg;
    struct pl_diag *diag;
    struct draft d;
    unsigned long last; /* the last task number taken */
    size_t tasks;
    bool titled;
    enum pl_numbering style; /* the tasks' numbering, set by the first one; 0 before */
    bool any_leader;         /* some task has a leader label: one without is incomplete */
    struct pl_buf section;   /* the heading the tasks are under */
    size_t pending[64]; /* indexes of paragraphs not yet placed; older ones spill as errors */
    size_t npending;
};

static void draft_reset(struct draft *d)
{
    pl_buf_clear(&d->text);
    pl_buf_clear(&d->section);
    for (int k = 0; k < 4; k++) {
        pl_strv_fini(&d->lists[k]);
        d->has[k] = false;
        d->list_line[k] = 0;
    }
    d->open = false;
    d->discard = false;
}

static bool labelled(const struct draft *d)
{
    return d->has[0] || d->has[1] || d->has[2] || d->has[3];
}

/* True when line L is numbered as the tasks are (the first numbered line sets the style). */
static bool numbered(const struct parser *p, const struct pl_doc_line *l, unsigned long *num,
                     size_t *off, enum pl_numbering *style)
{
    enum pl_numbering how;
    if (!pl_doc_task_number_style(l->s, l->len, num, off, &how))
        return false;
    if (style)
        *style = how;
    return p->style == 0 || p->style == how;
}

static const struct pl_doc_line *line_at(const struct parser *p, size_t idx)
{
    return &p->lines->v[idx];
}

/* A short quote of a line for messages: its first 20 characters. */
static int quote_len(const char *s, size_t len)
{
    size_t i = 0, chars = 0;
    while (i < len && chars < 20) {
        uint32_t cp;
        size_t n = pl_utf8_decode(s + i, len - i, &cp);
        i += n ? n : 1;
        chars++;
    }
    return (int)i;
}

static void report_unplaced(struct parser *p, size_t idx)
{
    const struct pl_doc_line *l = line_at(p, idx);
    const char *s = l->s;
    size_t len = l->len;
    pl_doc_trim(&s, &len);
    pl_diag_report(p->diag, p->file, l->no, 0, "E_UNPLACED_TEXT",
                   "这段文字不属于任何任务（不是任务正文，后面也没有“牵头领导”等标签）："
                   "“%.*s%s”，请删去或补上序号和标签",
                   quote_len(s, len), s, (size_t)quote_len(s, len) < len ? "…" : "");
}

static void spill_pending(struct parser *p, size_t keep)
{
    for (size_t i = 0; i + keep < p->npending; i++)
        report_unplaced(p, p->pending[i]);
    if (keep && p->npending)
        p->pending[0] = p->pending[p->npending - 1];
    p->npending = keep && p->npending ? 1 : 0;
}

static enum pl_status note_names(struct parser *p, const struct pl_strv *names, unsigned long line,
                                 bool units)
{
    if (!units)
        return PL_OK;
    for (size_t i = 0; i < names->n; i++) {
        enum pl_status st = pl_unitreg_note(p->reg, names->v[i], line);
        if (st != PL_OK)
            return st;
    }
    return PL_OK;
}

static enum pl_status finish(struct parser *p)
{
    struct draft *d = &p->d;
    enum pl_status st = PL_OK;
    if (!d->open || d->discard)
        goto done;
    static const char *const what[] = {"牵头领导", "承办单位"};
    static const char *const codes[] = {"E_TASK_NO_LEADER", "E_TASK_NO_HOST"};
    const char *text = d->text.data;
    size_t tlen = d->text.len;
    pl_doc_trim(&text, &tlen);
    if (tlen == 0)
        pl_diag_report(p->diag, p->file, d->line, 0, "E_TASK_NO_TEXT", "第%lu项任务没有正文",
                       d->num);
    /* Names moved from 责任单位 are noted at its line. */
    if (!d->has[1])
        d->list_line[1] = d->list_line[3];
    if (!d->has[2])
        d->list_line[2] = d->list_line[3];
    /* Who hosts: 牵头单位 and its synonyms; else 责任单位, its units marked （牵头） if any. */
    struct pl_strv hosts, cohosts, lead, rest;
    pl_strv_init(&hosts);
    pl_strv_init(&cohosts);
    pl_strv_init(&lead);
    pl_strv_init(&rest);
    st = pl_names_lead(&d->lists[1], &lead, &rest);
    if (st == PL_OK)
        st = pl_strv_copy(&hosts, &lead);
    for (size_t i = 0; i < rest.n && st == PL_OK; i++)
        st = pl_strv_push_unique(&hosts, rest.v[i]);
    pl_strv_fini(&lead);
    pl_strv_fini(&rest);
    if (st == PL_OK)
        st = pl_names_lead(&d->lists[3], &lead, &rest);
    if (st == PL_OK && hosts.n == 0) {
        st = pl_strv_copy(&hosts, lead.n ? &lead : &rest);
        if (lead.n == 0)
            pl_strv_fini(&rest);
    } else {
        for (size_t i = 0; i < lead.n && st == PL_OK; i++)
            st = pl_strv_push_unique(&cohosts, lead.v[i]);
    }
    for (size_t i = 0; i < rest.n && st == PL_OK; i++)
        st = pl_strv_push_unique(&cohosts, rest.v[i]);
    pl_strv_fini(&lead);
    pl_strv_fini(&rest);
    if (st == PL_OK)
        st = pl_names_lead(&d->lists[2], &lead, &rest);
    for (size_t i = 0; i < lead.n && st == PL_OK; i++)
        st = pl_strv_push_unique(&cohosts, lead.v[i]);
    for (size_t i = 0; i < rest.n && st == PL_OK; i++)
        st = pl_strv_push_unique(&cohosts, rest.v[i]);
    pl_strv_fini(&lead);
    pl_strv_fini(&rest);
    pl_strv_fini(&d->lists[1]);
    pl_strv_fini(&d->lists[2]);
    d->lists[1] = hosts;
    d->lists[2] = cohosts;
    if (st != PL_OK)
        goto done;
    for (int k = 0; k < 2; k++)
        if (d->lists[k].n == 0 && (k > 0 || p->any_leader))
            pl_diag_report(p->diag, p->file, d->line, 0, codes[k],
                           "第%lu项任务没有“%s”，目录中此项不完整，请在文件中补上", d->num,
                           what[k]);
    char id[24];
    snprintf(id, sizeof id, "%lu", d->num);
    for (size_t i = 0; i < p->cat->ntasks; i++) {
        if (strcmp(p->cat->tasks[i].id, id) == 0) {
            pl_diag_report(p->diag, p->file, d->line, 0, "E_TASK_NUMBER_ORDER",
                           "任务序号%lu重复，后一项未收入目录", d->num);
            goto done;
        }
    }
    struct pl_task *t = pl_catalog_add_task(p->cat);
    if (!t) {
        st = PL_ERR_NOMEM;
        goto done;
    }
    t->kind = PL_TASK_KEY;
    struct pl_buf title;
    pl_buf_init(&title);
    st = pl_doc_task_title(text, tlen, &title);
    t->id = strdup(id);
    t->text = strndup(text, tlen);
    t->title = st == PL_OK ? pl_buf_take(&title) : NULL;
    pl_buf_fini(&title);
    if (d->section.len && !(t->section = strdup(d->section.data)))
        st = PL_ERR_NOMEM;
    if (!t->id || !t->text || !t->title) {
        st = PL_ERR_NOMEM;
        goto done;
    }
    struct pl_strv *dst[] = {&t->leaders, &t->hosts, &t->cohosts};
    for (int k = 0; k < 3 && st == PL_OK; k++) {
        st = pl_strv_copy(dst[k], &d->lists[k]);
        if (st == PL_OK)
            st = note_names(p, &d->lists[k], d->list_line[k], k > 0);
    }
    p->tasks++;
done:
    draft_reset(d);
    return st;
}

static void start(struct parser *p, unsigned long num, unsigned long line)
{
    struct draft *d = &p->d;
    draft_reset(d);
    d->open = true;
    d->num = num;
    d->line = line;
    /* A section that cannot be copied for want of memory is only a section lost. */
    if (p->section.len)
        (void)pl_buf_append(&d->section, p->section.data, p->section.len);
}

/* A heading between tasks: the task before it ends, the tasks after it are filed under it. */
static enum pl_status heading_line(struct parser *p, size_t idx, size_t off)
{
    const struct pl_doc_line *l = line_at(p, idx);
    spill_pending(p, 0);
    enum pl_status st = finish(p);
    if (st != PL_OK)
        return st;
    const char *s = l->s + off;
    size_t len = l->len - off;
    pl_doc_trim(&s, &len);
    while (len && (pl_doc_ends(s, len, "：") || s[len - 1] == ':'))
        len -= s[len - 1] == ':' ? 1 : strlen("：");
    pl_buf_clear(&p->section);
    return pl_buf_append(&p->section, s, len);
}

/* The number of the next numbered task after line index IDX, or 0. */
static unsigned long next_number(const struct parser *p, size_t idx)
{
    for (size_t i = idx + 1; i < p->to; i++) {
        unsigned long n;
        size_t off;
        if (numbered(p, &p->lines->v[i], &n, &off, NULL))
            return n;
    }
    return 0;
}

static enum pl_status apply_label(struct parser *p, enum pl_label kind, const char *v, size_t vlen,
                                  unsigned long line)
{
    static const char *const names[] = {"牵头领导", "承办单位", "协办单位", "责任单位"};
    int k = kind == PL_LABEL_LEADERS       ? 0
            : kind == PL_LABEL_HOSTS       ? 1
            : kind == PL_LABEL_RESPONSIBLE ? 3
                                           : 2;
    struct draft *d = &p->d;
    if (d->has[k]) {
        pl_diag_report(p->diag, p->file, line, 0, "E_LABEL_DUPLICATE",
                       "第%lu项任务的“%s”出现了两次，只取第一次", d->num, names[k]);
        return PL_OK;
    }
    d->has[k] = true;
    d->list_line[k] = line;
    return pl_names_split(v, vlen, &d->lists[k]);
}

/* A label line: the paragraph just above it (if any) becomes a task without its number. */
static enum pl_status label_line(struct parser *p, size_t idx, enum pl_label kind, size_t value)
{
    const struct pl_doc_line *l = line_at(p, idx);
    enum pl_status st = PL_OK;
    if (p->npending > 0 && (!p->d.open || labelled(&p->d))) {
        spill_pending(p, 1);
        size_t para = p->pending[0];
        p->npending = 0;
        if ((st = finish(p)) != PL_OK)
            return st;
        const struct pl_doc_line *pl = line_at(p, para);
        unsigned long guess = p->last + 1, next = next_number(p, para);
        start(p, guess, pl->no);
        if (next == 0 || next == guess + 1) {
            pl_diag_report(p->diag, p->file, pl->no, 0, "W_TASK_NUMBER_MISSING",
                           "这段任务正文前缺少序号“%lu、”，按前后序号定为第%lu项", guess, guess);
            p->last = guess;
        } else {
            pl_diag_report(p->diag, p->file, pl->no, 0, "E_TASK_NUMBER_MISSING",
                           "这段任务正文前缺少序号，前一项是第%lu项、后一项是第%lu项，无法确定"
                           "它是第几项，未收入目录",
                           p->last, next);
            p->d.discard = true;
        }
        const char *s = pl->s;
        size_t len = pl->len;
        pl_doc_trim(&s, &len);
        if ((st = pl_buf_append(&p->d.text, s, len)) != PL_OK)
            return st;
    } else if (p->npending > 0) {
        spill_pending(p, 0);
    }
    if (!p->d.open) {
        pl_diag_report(p->diag, p->file, l->no, 0, "E_LABEL_OUTSIDE",
                       "这一行的标签不属于任何任务（前面没有任务正文）");
        return PL_OK;
    }
    /* One line may hold several labels. */
    const char *s = l->s;
    size_t len = l->len;
    for (;;) {
        size_t next = value + pl_doc_label_next(s + value, len - value);
        const char *v = s + value;
        size_t vlen = next - value;
        pl_doc_trim(&v, &vlen);
        if (kind == PL_LABEL_UNKNOWN) {
            size_t a = 0, b = value;
            const char *ls = s;
            pl_doc_trim(&ls, &b);
            a = (size_t)(ls - s);
            pl_diag_report(p->diag, p->file, l->no, 0, "E_UNKNOWN_LABEL",
                           "不认识的标签“%.*s”，这一项未读入（认得的标签：牵头领导、责任领导等领导，"
                           "牵头单位、承办单位、责任单位，配合单位、协办单位等；见ducha-import(1)）",
                           (int)(b - a), ls);
        } else if ((st = apply_label(p, kind, v, vlen, l->no)) != PL_OK) {
            return st;
        }
        if (next >= len)
            break;
        s += next;
        len -= next;
        kind = pl_doc_label(s, len, &value);
    }
    return PL_OK;
}

/* True when the next non-blank line after IDX is a label. */
static bool next_label(const struct parser *p, size_t idx)
{
    for (size_t i = idx + 1; i < p->to; i++) {
        const struct pl_doc_line *l = &p->lines->v[i];
        if (pl_doc_blank(l->s, l->len))
            continue;
        size_t v;
        return pl_doc_label(l->s, l->len, &v) != PL_LABEL_NONE;
    }
    return false;
}

static enum pl_status text_line(struct parser *p, size_t idx)
{
    const struct pl_doc_line *l = line_at(p, idx);
    const char *s = l->s;
    size_t len = l->len;
    pl_doc_trim(&s, &len);
    struct draft *d = &p->d;
    if (d->open && !labelled(d)) {
        enum pl_status st = PL_OK;
        if (d->text.len)
            st = pl_buf_append_char(&d->text, '\n');
        return st == PL_OK ? pl_buf_append(&d->text, s, len) : st;
    }
    if (!p->titled && !d->open && p->tasks == 0 && p->npending == 0 &&
        !next_label(p, idx)) {
        p->titled = true;
        char *title = strndup(s, len);
        if (!title)
            return PL_ERR_NOMEM;
        enum pl_status st = pl_catalog_set_fact(p->cat, "annex1_title", title);
        free(title);
        return st;
    }
    if (p->npending == sizeof p->pending / sizeof p->pending[0])
        spill_pending(p, 1);
    p->pending[p->npending++] = idx;
    return PL_OK;
}

enum pl_status pl_doctasks_parse(const struct pl_doc_lines *lines, size_t from, size_t to,
                                 const char *file, struct pl_catalog *cat, struct pl_unitreg *reg,
                                 struct pl_diag *diag)
{
    struct parser p = {.lines = lines, .from = from, .to = to, .file = file, .cat = cat,
                       .reg = reg, .diag = diag};
    pl_buf_init(&p.d.text);
    pl_buf_init(&p.d.section);
    pl_buf_init(&p.section);
    for (int k = 0; k < 4; k++)
        pl_strv_init(&p.d.lists[k]);
    for (size_t i = from; i < to && !p.any_leader; i++) {
        size_t v;
        p.any_leader = pl_doc_label(lines->v[i].s, lines->v[i].len, &v) == PL_LABEL_LEADERS;
    }
    enum pl_status st = PL_OK;
    for (size_t i = from; i < to && st == PL_OK; i++) {
        const struct pl_doc_line *l = &lines->v[i];
        if (pl_doc_blank(l->s, l->len))
            continue;
        unsigned long num;
        size_t off, value;
        enum pl_label kind;
        enum pl_numbering style;
        if (numbered(&p, l, &num, &off, &style)) {
            p.style = style;
            spill_pending(&p, 0);
            if ((st = finish(&p)) != PL_OK)
                break;
            if (num != p.last + 1)
                pl_diag_report(diag, file, l->no, 0, "E_TASK_NUMBER_ORDER",
                               "任务序号%lu不接续上一项（第%lu项），请核对是否漏项或重号", num,
                               p.last);
            p.last = num;
            start(&p, num, l->no);
            const char *s = l->s + off;
            size_t len = l->len - off;
            pl_doc_trim(&s, &len);
            st = pl_buf_append(&p.d.text, s, len);
        } else if ((kind = pl_doc_label(l->s, l->len, &value)) != PL_LABEL_NONE) {
            st = label_line(&p, i, kind, value);
        } else if (pl_doc_section_heading(l->s, l->len, &off)) {
            st = heading_line(&p, i, off);
        } else {
            st = text_line(&p, i);
        }
    }
    if (st == PL_OK) {
        spill_pending(&p, 0);
        st = finish(&p);
    }
    draft_reset(&p.d);
    pl_buf_fini(&p.d.text);
    pl_buf_fini(&p.d.section);
    pl_buf_fini(&p.section);
    if (st == PL_OK && p.tasks == 0) {
        unsigned long line = from > 0 ? lines->v[from - 1].no : 0;
        pl_diag_report(diag, file, line, 0, "E_NO_TASKS",
                       "附件1中找不到任何“1、……”这样的重点工作任务");
        st = PL_ERR_DATA;
    }
    return st;
}

/* ---- a task's own deadline ------------------------------------------------------------ */

static int month_days(int year, int month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
        return 29;
    return days[month - 1];
}

/* The patterns, on width-folded text (digits ASCII). Group 2 is a year where a pattern has
 * one; WHAT says how the rest gives the date. */
enum due_kind { DUE_MONTH_END, DUE_DAY, DUE_YEAR_END, DUE_HALF, DUE_AUTUMN_TERM };

static const struct {
    const char *re;
    enum due_kind kind;
} due_patterns[] = {
    {"(([0-9]{4})年)?([0-9]{1,2})月([0-9]{1,2})日(前|以前|之前)", DUE_DAY},
    {"(([0-9]{4})年)?([0-9]{1,2})月(底|末)(前|以前|之前|全面完成|全部完成|完成|建成)", DUE_MONTH_END},
    {"(([0-9]{4})年)?([0-9]{1,2})月(份)?(全面|全部)(完成|建成|竣工)", DUE_MONTH_END},
    {"(([0-9]{4})年)?([0-9]{1,2})月(份)?(建成|竣工)", DUE_MONTH_END},
    {"(([0-9]{4}))?年(底|末)(前|以前|之前)", DUE_YEAR_END},
    {"(([0-9]{4})年)?上半年(前|以前|之前|内)?(全面|全部)?(完成|建成)", DUE_HALF},
    {"(([0-9]{4})年)?秋季(学期)?开学(前|以前|之前)", DUE_AUTUMN_TERM},
};

static int number_at(const char *s, const regmatch_t *m)
{
    if (m->rm_so < 0)
        return -1;
    int v = 0;
    for (regoff_t i = m->rm_so; i < m->rm_eo; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

enum pl_status pl_doc_due(const char *text, size_t len, int year, struct pl_buf *out)
{
    struct pl_buf folded;
    pl_buf_init(&folded);
    enum pl_status st = pl_text_fold_width(&folded, text, len);
    char best[11] = "";
    for (size_t p = 0; st == PL_OK && p < sizeof due_patterns / sizeof due_patterns[0]; p++) {
        regex_t re;
        if (regcomp(&re, due_patterns[p].re, REG_EXTENDED) != 0) {
            st = PL_ERR_INTERNAL;
            break;
        }
        regmatch_t m[6];
        const char *s = folded.data;
        while (regexec(&re, s, 6, m, 0) == 0) {
            int y = number_at(s, &m[2]);
            int month = 12, day = 31;
            bool ok = y < 0 || y == year;
            /* "1-6月全面完成…" is a period, not a deadline. */
            size_t at = (size_t)m[0].rm_so;
            if (at > 0 && (s[at - 1] == '-' || s[at - 1] == '~' || pl_doc_ends(s, at, "至") ||
                           pl_doc_ends(s, at, "—") || pl_doc_ends(s, at, "到")))
                ok = false;
            /* "明年年底前", "次年6月底前": another year. */
            static const char *const other_year[] = {"明", "次", "去", "后", "明年", "次年",
                                                     "去年", "后年", "上年"};
            for (size_t o = 0; ok && y < 0 && o < sizeof other_year / sizeof other_year[0]; o++)
                if (pl_doc_ends(s, at, other_year[o]))
                    ok = false;
            switch (due_patterns[p].kind) {
            case DUE_DAY:
                month = number_at(s, &m[3]);
                day = number_at(s, &m[4]);
                ok = ok && month >= 1 && month <= 12 && day >= 1 && day <= month_days(year, month);
                break;
            case DUE_MONTH_END:
                month = number_at(s, &m[3]);
                ok = ok && month >= 1 && month <= 12;
                if (ok)
                    day = month_days(year, month);
                break;
            case DUE_YEAR_END:
                break;
            case DUE_HALF:
                month = 6;
                day = 30;
                break;
            case DUE_AUTUMN_TERM:
                month = 8;
                day = 31;
                break;
            }
            if (ok) {
                char date[16];
                snprintf(date, sizeof date, "%04d-%02d-%02d", year, month, day);
                if (strcmp(date, best) > 0)
                    memcpy(best, date, 11);
            }
            s += m[0].rm_eo > 0 ? m[0].rm_eo : 1;
        }
        regfree(&re);
    }
    if (st == PL_OK && best[0])
        st = pl_buf_append_str(out, best);
    pl_buf_fini(&folded);
    return st;
}

/* ---- a task table's time column ------------------------------------------------------- */

enum cell_kind { CELL_DAY, CELL_MONTH, CELL_YEAR_END, CELL_HALF, CELL_QUARTER };

static const struct {
    const char *re;
    enum cell_kind kind;
    int month, day; /* the groups of month and day; year is group 2 */
} cell_patterns[] = {
    {"^(([0-9]{4}))[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})(前|以前|之前)?$", CELL_DAY, 3, 4},
    {"^(([0-9]{4})年)?([0-9]{1,2})月([0-9]{1,2})(日|号)(前|以前|之前)?(完成)?$", CELL_DAY, 3, 4},
    {"^(([0-9]{4})年)?([0-9]{1,2})月(份)?(底|末)?(前|以前|之前)?(完成)?$", CELL_MONTH, 3, 0},
    {"^(([0-9]{4})年)?(年底|年末|底|末|全年|下半年)(前|以前|之前|内)?(完成)?$", CELL_YEAR_END, 0, 0},
    {"^(([0-9]{4})年)?上半年(前|以前|之前|内)?(完成)?$", CELL_HALF, 0, 0},
    /* Alternatives, not a bracket: a bracket holds bytes in the C locale. */
    {"^(([0-9]{4})年)?(第)?(1|2|3|4|一|二|三|四)季度(末|底)?(前|以前|之前|内)?(完成)?$", CELL_QUARTER,
     4, 0},
};

enum pl_status pl_doc_due_cell(const char *text, size_t len, int year, struct pl_buf *out,
                               bool *need_year)
{
    struct pl_buf folded, bare;
    pl_buf_init(&folded);
    pl_buf_init(&bare);
    enum pl_status st = pl_text_fold_width(&folded, text, len);
    if (st == PL_OK)
        st = pl_doc_squeeze(&bare, folded.data, folded.len);
    bool matched = false;
    for (size_t p = 0; st == PL_OK && !matched && bare.len &&
                       p < sizeof cell_patterns / sizeof cell_patterns[0];
         p++) {
        regex_t re;
        if (regcomp(&re, cell_patterns[p].re, REG_EXTENDED) != 0) {
            st = PL_ERR_INTERNAL;
            break;
        }
        regmatch_t m[8];
        if (regexec(&re, bare.data, 8, m, 0) == 0) {
            matched = true;
            int y = number_at(bare.data, &m[2]);
            if (y < 0)
                y = year;
            int month = 12, day = 31;
            switch (cell_patterns[p].kind) {
            case CELL_DAY:
                month = number_at(bare.data, &m[cell_patterns[p].month]);
                day = number_at(bare.data, &m[cell_patterns[p].day]);
                break;
            case CELL_MONTH:
                month = number_at(bare.data, &m[cell_patterns[p].month]);
                day = 0;
                break;
            case CELL_YEAR_END:
                break;
            case CELL_HALF:
                month = 6;
                day = 30;
                break;
            case CELL_QUARTER: {
                const regmatch_t *q = &m[cell_patterns[p].month];
                static const char *const cn[] = {"一", "二", "三", "四"};
                int n = 0;
                if (q->rm_eo - q->rm_so == 1)
                    n = bare.data[q->rm_so] - '0';
                for (int k = 0; k < 4 && !n; k++)
                    if (pl_doc_starts(bare.data + q->rm_so, (size_t)(q->rm_eo - q->rm_so), cn[k]))
                        n = k + 1;
                month = n * 3;
                day = 0;
                break;
            }
            }
            if (y <= 0) {
                if (need_year)
                    *need_year = true;
            } else if (month >= 1 && month <= 12) {
                if (day == 0)
                    day = month_days(y, month);
                if (day >= 1 && day <= month_days(y, month)) {
                    char date[32];
                    snprintf(date, sizeof date, "%04d-%02d-%02d", y, month, day);
                    st = pl_buf_append_str(out, date);
                }
            }
        }
        regfree(&re);
    }
    if (st == PL_OK && !matched && bare.len) {
        if (year > 0)
            st = pl_doc_due(text, len, year, out);
    }
    pl_buf_fini(&folded);
    pl_buf_fini(&bare);
    return st;
}
