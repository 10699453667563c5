/* docx — word/document.xml's paragraphs and tables, with Word's list numbers resolved. */
#include "docx.h"

#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "ooxml.h"

#define LEVELS 9
#define SKIP_MAX 64 /* nesting of left-out elements (fallbacks, text boxes) we follow */

static const char msg_resave[] = "请用Word或WPS打开后另存为.docx再导入";

/* --- numbering ---------------------------------------------------------------------------- */

struct level {
    bool set;
    int start;
    char fmt[40];
    char *text; /* lvlText's value, NULL: none given */
    char suff;  /* 't' tab (Word's default), 's' space, 'n' nothing */
    bool legal; /* isLgl: every level shown as decimal */
};

struct abstract {
    char *id;
    struct level lv[LEVELS];
};

struct instance {
    char *id;
    char *abstract;
    bool restart;            /* a startOverride: this instance counts on its own */
    int start_over[LEVELS];  /* -1: none */
    struct level lv[LEVELS]; /* lvlOverride's own levels (set when given) */
};

struct counter {
    char *key;
    int cur[LEVELS];
    bool on[LEVELS];
};

struct style {
    char *id, *based_on;
    char *num_id; /* NULL: none */
    int ilvl;
    bool is_default;
};

struct numbering {
    struct abstract *abs;
    size_t nabs;
    struct instance *ins;
    size_t nins;
    struct counter *cnt;
    size_t ncnt;
    struct style *sty;
    size_t nsty;
};

/* --- parsing state ------------------------------------------------------------------------ */

struct reader {
    struct pl_ooxml_parser ps; /* first: the handlers' user data */
    struct numbering *num;
    struct pl_docx *doc;
    /* numbering.xml / styles.xml */
    struct abstract *cur_abs;
    struct instance *cur_ins;
    struct style *cur_sty;
    struct level *cur_lvl;
    int ovr_lvl;
    /* document.xml */
    int skip; /* depth inside a left-out element */
    int in_body;
    int tbl_depth; /* tables open; only the outermost makes rows */
    int in_run, in_t, in_ppr, in_numpr, in_pprchange, in_tcpr, in_p;
    char *p_style, *p_num;
    int p_ilvl;
    bool p_has_num;
    struct pl_buf para; /* the paragraph being read */
    struct pl_buf cell; /* the outermost table cell being read */
    bool cell_open, cell_cont, cell_any;
    unsigned cell_span;
};

static void stop(struct reader *r, enum pl_status st)
{
    pl_ooxml_stop(&r->ps, st);
}

/* The value of attribute LOCAL_NAME (any prefix), or NULL. */
static const char *attr(const XML_Char **atts, const char *local_name)
{
    for (size_t i = 0; atts[i]; i += 2)
        if (strcmp(pl_ooxml_local(atts[i]), local_name) == 0)
            return atts[i + 1];
    return NULL;
}

/* The value of attribute LOCAL_NAME, or FALLBACK when the element has none. */
static const char *attr_or(const XML_Char **atts, const char *local_name, const char *fallback)
{
    const char *v = attr(atts, local_name);
    return v ? v : fallback;
}

static bool grow(void **v, size_t n, size_t size)
{
    /* Grows one element at a time in powers of two: N is the count before the push. */
    if (n & (n - 1) && n > 4)
        return true;
    size_t cap = n < 4 ? 4 : n * 2;
    void *nv = realloc(*v, cap * size);
    if (!nv)
        return false;
    *v = nv;
    return true;
}

static bool is_off(const char *v)
{
    return v && (strcmp(v, "0") == 0 || strcmp(v, "false") == 0 || strcmp(v, "off") == 0);
}

/* --- reading numbering.xml ---------------------------------------------------------------- */

static void level_init(struct level *lv)
{
    memset(lv, 0, sizeof *lv);
    lv->start = 1;
    strcpy(lv->fmt, "decimal");
    lv->suff = 't';
}

static void level_attr(struct reader *r, struct level *lv, const char *name, const XML_Char **atts)
{
    const char *v = attr(atts, "val");
    if (strcmp(name, "start") == 0 && v) {
        lv->start = atoi(v);
    } else if (strcmp(name, "numFmt") == 0 && v) {
        snprintf(lv->fmt, sizeof lv->fmt, "%s", v);
    } else if (strcmp(name, "lvlText") == 0) {
        free(lv->text);
        lv->text = strdup(v ? v : "");
        if (!lv->text)
            stop(r, PL_ERR_NOMEM);
    } else if (strcmp(name, "suff") == 0 && v) {
        lv->suff = strcmp(v, "space") == 0 ? 's' : strcmp(v, "nothing") == 0 ? 'n' : 't';
    } else if (strcmp(name, "isLgl") == 0) {
        lv->legal = !is_off(v);
    }
}

static void num_start(void *ud, const XML_Char *el, const XML_Char **atts)
{
    struct reader *r = ud;
    struct numbering *nb = r->num;
    const char *name = pl_ooxml_local(el);
    if (strcmp(name, "abstractNum") == 0) {
        if (!grow((void **)&nb->abs, nb->nabs, sizeof *nb->abs)) {
            stop(r, PL_ERR_NOMEM);
            return;
        }
        r->cur_abs = &nb->abs[nb->nabs++];
        memset(r->cur_abs, 0, sizeof *r->cur_abs);
        for (int i = 0; i < LEVELS; i++)
            level_init(&r->cur_abs->lv[i]);
        r->cur_abs->id = strdup(attr_or(atts, "abstractNumId", ""));
        if (!r->cur_abs->id)
            stop(r, PL_ERR_NOMEM);
    } else if (strcmp(name, "num") == 0) {
        if (!grow((void **)&nb->ins, nb->nins, sizeof *nb->ins)) {
            stop(r, PL_ERR_NOMEM);
            return;
        }
        r->cur_ins = &nb->ins[nb->nins++];
        memset(r->cur_ins, 0, sizeof *r->cur_ins);
        for (int i = 0; i < LEVELS; i++) {
            r->cur_ins->start_over[i] = -1;
            level_init(&r->cur_ins->lv[i]);
        }
        r->cur_ins->id = strdup(attr_or(atts, "numId", ""));
        if (!r->cur_ins->id)
            stop(r, PL_ERR_NOMEM);
    } else if (strcmp(name, "abstractNumId") == 0 && r->cur_ins) {
        free(r->cur_ins->abstract);
        r->cur_ins->abstract = strdup(attr_or(atts, "val", ""));
        if (!r->cur_ins->abstract)
            stop(r, PL_ERR_NOMEM);
    } else if (strcmp(name, "lvlOverride") == 0 && r->cur_ins) {
        const char *v = attr(atts, "ilvl");
        int i = v ? atoi(v) : -1;
        r->ovr_lvl = i >= 0 && i < LEVELS ? i : -1;
    } else if (strcmp(name, "startOverride") == 0 && r->cur_ins && r->ovr_lvl >= 0) {
        const char *v = attr(atts, "val");
        r->cur_ins->start_over[r->ovr_lvl] = v ? atoi(v) : 1;
        r->cur_ins->restart = true;
    } else if (strcmp(name, "lvl") == 0) {
        const char *v = attr(atts, "ilvl");
        int i = v ? atoi(v) : -1;
        r->cur_lvl = NULL;
        if (i >= 0 && i < LEVELS) {
            if (r->cur_ins && r->ovr_lvl >= 0) {
                r->cur_lvl = &r->cur_ins->lv[i];
                r->cur_lvl->set = true;
                r->cur_ins->restart = true;
            } else if (r->cur_abs) {
                r->cur_lvl = &r->cur_abs->lv[i];
                r->cur_lvl->set = true;
            }
        }
    } else if (r->cur_lvl) {
        level_attr(r, r->cur_lvl, name, atts);
    }
}

static void num_end(void *ud, const XML_Char *el)
{
    struct reader *r = ud;
    const char *name = pl_ooxml_local(el);
    if (strcmp(name, "abstractNum") == 0)
        r->cur_abs = NULL;
    else if (strcmp(name, "num") == 0)
        r->cur_ins = NULL;
    else if (strcmp(name, "lvlOverride") == 0)
        r->ovr_lvl = -1;
    else if (strcmp(name, "lvl") == 0)
        r->cur_lvl = NULL;
}

/* --- reading styles.xml ------------------------------------------------------------------- */

static void sty_start(void *ud, const XML_Char *el, const XML_Char **atts)
{
    struct reader *r = ud;
    struct numbering *nb = r->num;
    const char *name = pl_ooxml_local(el);
    if (strcmp(name, "style") == 0) {
        r->cur_sty = NULL;
        const char *type = attr(atts, "type");
        if (type && strcmp(type, "paragraph") != 0)
            return;
        if (!grow((void **)&nb->sty, nb->nsty, sizeof *nb->sty)) {
            stop(r, PL_ERR_NOMEM);
            return;
        }
        r->cur_sty = &nb->sty[nb->nsty++];
        memset(r->cur_sty, 0, sizeof *r->cur_sty);
        r->cur_sty->id = strdup(attr_or(atts, "styleId", ""));
        const char *d = attr(atts, "default");
        r->cur_sty->is_default = d && !is_off(d);
        if (!r->cur_sty->id)
            stop(r, PL_ERR_NOMEM);
    } else if (!r->cur_sty) {
        return;
    } else if (strcmp(name, "basedOn") == 0) {
        free(r->cur_sty->based_on);
        r->cur_sty->based_on = strdup(attr_or(atts, "val", ""));
        if (!r->cur_sty->based_on)
            stop(r, PL_ERR_NOMEM);
    } else if (strcmp(name, "numId") == 0) {
        free(r->cur_sty->num_id);
        r->cur_sty->num_id = strdup(attr_or(atts, "val", "0"));
        if (!r->cur_sty->num_id)
            stop(r, PL_ERR_NOMEM);
    } else if (strcmp(name, "ilvl") == 0) {
        const char *v = attr(atts, "val");
        r->cur_sty->ilvl = v ? atoi(v) : 0;
    }
}

static void sty_end(void *ud, const XML_Char *el)
{
    struct reader *r = ud;
    if (strcmp(pl_ooxml_local(el), "style") == 0)
        r->cur_sty = NULL;
}

static const struct style *style_by_id(const struct numbering *nb, const char *id)
{
    for (size_t i = 0; id && i < nb->nsty; i++)
        if (strcmp(nb->sty[i].id, id) == 0)
            return &nb->sty[i];
    return NULL;
}

/* The numbering a paragraph style gives (through basedOn), or false. */
static bool style_numbering(const struct numbering *nb, const char *id, const char **num_id,
                            int *ilvl)
{
    const struct style *s = id ? style_by_id(nb, id) : NULL;
    if (!id)
        for (size_t i = 0; i < nb->nsty && !s; i++)
            if (nb->sty[i].is_default)
                s = &nb->sty[i];
    for (int hop = 0; s && hop < 16; hop++) {
        if (s->num_id) {
            *num_id = s->num_id;
            *ilvl = s->ilvl;
            return true;
        }
        s = s->based_on ? style_by_id(nb, s->based_on) : NULL;
    }
    return false;
}

/* --- number formats ----------------------------------------------------------------------- */

static enum pl_status chinese(struct pl_buf *out, int n, const char *const digits[10],
                              const char *ten, const char *hundred, const char *thousand)
{
    if (n <= 0 || n > 9999)
        return pl_buf_printf(out, "%d", n);
    enum pl_status st = PL_OK;
    const char *unit[4] = {thousand, hundred, ten, ""};
    int div[4] = {1000, 100, 10, 1};
    bool zero = false, any = false;
    for (int i = 0; i < 4 && st == PL_OK; i++) {
        int d = n / div[i] % 10;
        if (d == 0) {
            zero = any;
            continue;
        }
        if (zero)
            st = pl_buf_append_str(out, digits[0]);
        zero = false;
        /* 十一, not 一十一, when ten is the largest unit */
        if (st == PL_OK && !(i == 2 && d == 1 && !any))
            st = pl_buf_append_str(out, digits[d]);
        if (st == PL_OK)
            st = pl_buf_append_str(out, unit[i]);
        any = true;
    }
    return st;
}

static enum pl_status letters(struct pl_buf *out, int n, char a)
{
    if (n <= 0)
        return pl_buf_printf(out, "%d", n);
    /* Word repeats the letter: 27 is aa, 28 bb. */
    int reps = (n - 1) / 26 + 1;
    enum pl_status st = PL_OK;
    for (int i = 0; i < reps && st == PL_OK; i++)
        st = pl_buf_append_char(out, (char)(a + (n - 1) % 26));
    return st;
}

static enum pl_status roman(struct pl_buf *out, int n, bool upper)
{
    static const int val[] = {1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1};
    static const char *const sym[] = {"m",  "cm", "d",  "cd", "c",  "xc", "l",
                                      "xl", "x",  "ix", "v",  "iv", "i"};
    if (n <= 0 || n >= 4000)
        return pl_buf_printf(out, "%d", n);
    enum pl_status st = PL_OK;
    for (int i = 0; i < 13 && st == PL_OK; i++)
        while (n >= val[i] && st == PL_OK) {
            for (const char *c = sym[i]; *c && st == PL_OK; c++)
                st = pl_buf_append_char(out, upper ? (char)(*c - 'a' + 'A') : *c);
            n -= val[i];
        }
    return st;
}

/* The code point BASE + N - 1 for 1 ≤ N ≤ MAX (①, ⑴, ⒈), else decimal. */
static enum pl_status enclosed(struct pl_buf *out, int n, unsigned base, int max)
{
    if (n < 1 || n > max)
        return pl_buf_printf(out, "%d", n);
    unsigned cp = base + (unsigned)n - 1;
    char u[3] = {(char)(0xE0 | cp >> 12), (char)(0x80 | (cp >> 6 & 0x3F)),
                 (char)(0x80 | (cp & 0x3F))};
    return pl_buf_append(out, u, 3);
}

enum pl_status pl_docx_format_number(struct pl_buf *out, const char *fmt, int n)
{
    static const char *const cn[10] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
    static const char *const legal[10] = {"零", "壹", "贰", "叁", "肆",
                                          "伍", "陆", "柒", "捌", "玖"};
    static const char *const gan[10] = {"甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸"};
    if (strcmp(fmt, "chineseCounting") == 0 || strcmp(fmt, "chineseCountingThousand") == 0 ||
        strcmp(fmt, "japaneseCounting") == 0 || strcmp(fmt, "taiwaneseCounting") == 0 ||
        strcmp(fmt, "taiwaneseCountingThousand") == 0 || strcmp(fmt, "ideographDigital") == 0)
        return chinese(out, n, cn, "十", "百", "千");
    if (strcmp(fmt, "chineseLegalSimplified") == 0)
        return chinese(out, n, legal, "拾", "佰", "仟");
    if (strcmp(fmt, "ideographTraditional") == 0 && n >= 1 && n <= 10)
        return pl_buf_append_str(out, gan[n - 1]);
    if (strcmp(fmt, "decimalZero") == 0)
        return pl_buf_printf(out, "%02d", n);
    if (strcmp(fmt, "decimalFullWidth") == 0 || strcmp(fmt, "decimalFullWidth2") == 0) {
        char tmp[16];
        snprintf(tmp, sizeof tmp, "%d", n);
        enum pl_status st = PL_OK;
        for (const char *c = tmp; *c && st == PL_OK; c++)
            st = *c >= '0' && *c <= '9' ? enclosed(out, *c - '0' + 1, 0xFF10, 10)
                                        : pl_buf_append_char(out, *c);
        return st;
    }
    if (strcmp(fmt, "decimalEnclosedCircle") == 0 ||
        strcmp(fmt, "decimalEnclosedCircleChinese") == 0)
        return enclosed(out, n, 0x2460, 20);
    if (strcmp(fmt, "decimalEnclosedParen") == 0)
        return enclosed(out, n, 0x2474, 20);
    if (strcmp(fmt, "decimalEnclosedFullstop") == 0)
        return enclosed(out, n, 0x2488, 20);
    if (strcmp(fmt, "lowerLetter") == 0)
        return letters(out, n, 'a');
    if (strcmp(fmt, "upperLetter") == 0)
        return letters(out, n, 'A');
    if (strcmp(fmt, "lowerRoman") == 0)
        return roman(out, n, false);
    if (strcmp(fmt, "upperRoman") == 0)
        return roman(out, n, true);
    if (strcmp(fmt, "none") == 0)
        return PL_OK;
    return pl_buf_printf(out, "%d", n);
}

/* --- labels ------------------------------------------------------------------------------- */

static const struct instance *instance_by_id(const struct numbering *nb, const char *id)
{
    for (size_t i = 0; i < nb->nins; i++)
        if (strcmp(nb->ins[i].id, id) == 0)
            return &nb->ins[i];
    return NULL;
}

static const struct abstract *abstract_by_id(const struct numbering *nb, const char *id)
{
    for (size_t i = 0; id && i < nb->nabs; i++)
        if (strcmp(nb->abs[i].id, id) == 0)
            return &nb->abs[i];
    return NULL;
}

static const struct level *level_of(const struct instance *in, const struct abstract *ab, int i)
{
    if (in->lv[i].set)
        return &in->lv[i];
    if (ab)
        return &ab->lv[i];
    return NULL;
}

static struct counter *counter_for(struct numbering *nb, const char *key)
{
    for (size_t i = 0; i < nb->ncnt; i++)
        if (strcmp(nb->cnt[i].key, key) == 0)
            return &nb->cnt[i];
    if (!grow((void **)&nb->cnt, nb->ncnt, sizeof *nb->cnt))
        return NULL;
    struct counter *c = &nb->cnt[nb->ncnt];
    memset(c, 0, sizeof *c);
    c->key = strdup(key);
    if (!c->key)
        return NULL;
    nb->ncnt++;
    return c;
}

/* True when the label OUT[BEFORE..) ends in a digit, a letter or a Chinese numeral (一, 甲, 壹):
 * Word separates such a number from the text by a tab (its default), kept as one space. After a
 * label that ends in punctuation (1、 （一） 1.) the text follows directly, as people type it;
 * a space Word was told to put (suff space) is kept always. */
static bool ends_in_numeral(const struct pl_buf *out, size_t before)
{
    static const char numerals[] = "零一二三四五六七八九十百千壹贰叁肆伍陆柒捌玖拾佰仟"
                                   "甲乙丙丁戊己庚辛壬癸";
    unsigned char last = (unsigned char)out->data[out->len - 1];
    if ((last >= '0' && last <= '9') || (last >= 'a' && last <= 'z') ||
        (last >= 'A' && last <= 'Z'))
        return true;
    if (out->len - before < 3 || last < 0x80)
        return false;
    char ch[4] = {0};
    memcpy(ch, out->data + out->len - 3, 3);
    return strstr(numerals, ch) != NULL && ((unsigned char)ch[0] & 0xF0) == 0xE0;
}

/* Counts one paragraph of list NUM_ID at level ILVL and appends its label to OUT. */
static enum pl_status label(struct numbering *nb, const char *num_id, int ilvl, struct pl_buf *out)
{
    if (!num_id || strcmp(num_id, "0") == 0 || ilvl < 0 || ilvl >= LEVELS)
        return PL_OK;
    const struct instance *in = instance_by_id(nb, num_id);
    if (!in)
        return PL_OK;
    const struct abstract *ab = abstract_by_id(nb, in->abstract);
    /* Instances of one abstract numbering continue one list, unless one restarts it. */
    char key[256];
    snprintf(key, sizeof key, "%s:%s", in->restart ? "n" : "a",
             in->restart ? in->id : (in->abstract ? in->abstract : ""));
    struct counter *c = counter_for(nb, key);
    if (!c)
        return PL_ERR_NOMEM;
    for (int i = 0; i <= ilvl; i++) {
        const struct level *lv = level_of(in, ab, i);
        int start = in->start_over[i] >= 0 ? in->start_over[i] : lv ? lv->start : 1;
        if (!c->on[i]) {
            c->on[i] = true;
            c->cur[i] = start;
        } else if (i == ilvl) {
            c->cur[i]++;
        }
    }
    for (int i = ilvl + 1; i < LEVELS; i++)
        c->on[i] = false;
    const struct level *me = level_of(in, ab, ilvl);
    if (!me || !me->text)
        return PL_OK;
    enum pl_status st = PL_OK;
    size_t before = out->len;
    for (const char *s = me->text; *s && st == PL_OK; s++) {
        if (s[0] == '%' && s[1] >= '1' && s[1] <= '9') {
            int i = s[1] - '1';
            const struct level *lv = level_of(in, ab, i);
            const char *fmt = lv ? lv->fmt : "decimal";
            if (me->legal && strcmp(fmt, "none") != 0)
                fmt = "decimal";
            st = pl_docx_format_number(out, fmt, c->on[i] ? c->cur[i] : (lv ? lv->start : 1));
            s++;
        } else {
            st = pl_buf_append_char(out, *s);
        }
    }
    if (st == PL_OK && out->len > before &&
        (me->suff == 's' || (me->suff == 't' && ends_in_numeral(out, before))))
        st = pl_buf_append_char(out, ' ');
    return st;
}

static void numbering_fini(struct numbering *nb)
{
    for (size_t i = 0; i < nb->nabs; i++) {
        free(nb->abs[i].id);
        for (int k = 0; k < LEVELS; k++)
            free(nb->abs[i].lv[k].text);
    }
    for (size_t i = 0; i < nb->nins; i++) {
        free(nb->ins[i].id);
        free(nb->ins[i].abstract);
        for (int k = 0; k < LEVELS; k++)
            free(nb->ins[i].lv[k].text);
    }
    for (size_t i = 0; i < nb->ncnt; i++)
        free(nb->cnt[i].key);
    for (size_t i = 0; i < nb->nsty; i++) {
        free(nb->sty[i].id);
        free(nb->sty[i].based_on);
        free(nb->sty[i].num_id);
    }
    free(nb->abs);
    free(nb->ins);
    free(nb->cnt);
    free(nb->sty);
}

/* --- document.xml ------------------------------------------------------------------------- */

static enum pl_status push_block(struct pl_docx *doc, struct pl_docx_block **out)
{
    if (!grow((void **)&doc->v, doc->n, sizeof *doc->v))
        return PL_ERR_NOMEM;
    *out = &doc->v[doc->n++];
    memset(*out, 0, sizeof **out);
    return PL_OK;
}

static struct pl_docx_block *last_table(struct pl_docx *doc)
{
    return doc->n && doc->v[doc->n - 1].is_table ? &doc->v[doc->n - 1] : NULL;
}

static void end_paragraph(struct reader *r)
{
    struct pl_buf text;
    pl_buf_init(&text);
    const char *num_id = r->p_has_num ? r->p_num : NULL;
    int ilvl = r->p_ilvl;
    if (!r->p_has_num && !style_numbering(r->num, r->p_style, &num_id, &ilvl))
        num_id = NULL;
    enum pl_status st = label(r->num, num_id, ilvl, &text);
    if (st == PL_OK)
        st = pl_buf_append(&text, r->para.data, r->para.len);
    if (st == PL_OK && r->tbl_depth > 0) {
        if (r->cell_open) {
            if (r->cell_any)
                st = pl_buf_append_char(&r->cell, '\n');
            if (st == PL_OK)
                st = pl_buf_append(&r->cell, text.data, text.len);
            r->cell_any = true;
        }
    } else if (st == PL_OK) {
        struct pl_docx_block *b;
        st = push_block(r->doc, &b);
        if (st == PL_OK)
            b->text = pl_buf_take(&text);
        if (st == PL_OK && !b->text)
            st = PL_ERR_NOMEM;
    }
    pl_buf_fini(&text);
    pl_buf_clear(&r->para);
    free(r->p_style);
    free(r->p_num);
    r->p_style = r->p_num = NULL;
    r->p_has_num = false;
    r->p_ilvl = 0;
    if (st != PL_OK)
        stop(r, st);
}

static void doc_start(void *ud, const XML_Char *el, const XML_Char **atts)
{
    struct reader *r = ud;
    const char *name = pl_ooxml_local(el);
    if (r->skip) {
        r->skip++;
        return;
    }
    /* Left out: the fallback Word writes beside a drawing (the Choice is kept), text boxes
     * (their paragraphs would land inside the paragraph that anchors them), deleted and
     * moved-away text, the previous formatting of a tracked change. */
    if (strcmp(name, "Fallback") == 0 || strcmp(name, "txbxContent") == 0 ||
        strcmp(name, "del") == 0 || strcmp(name, "moveFrom") == 0 ||
        strcmp(name, "pPrChange") == 0 || strcmp(name, "rPrChange") == 0 ||
        strcmp(name, "instrText") == 0 || strcmp(name, "delText") == 0) {
        r->skip = 1;
        return;
    }
    if (strcmp(name, "body") == 0) {
        r->in_body = 1;
    } else if (!r->in_body) {
        return;
    } else if (strcmp(name, "p") == 0) {
        r->in_p++;
        pl_buf_clear(&r->para);
    } else if (strcmp(name, "pPr") == 0) {
        r->in_ppr = 1;
    } else if (r->in_ppr && strcmp(name, "pStyle") == 0) {
        free(r->p_style);
        r->p_style = strdup(attr_or(atts, "val", ""));
        if (!r->p_style)
            stop(r, PL_ERR_NOMEM);
    } else if (r->in_ppr && strcmp(name, "numPr") == 0) {
        r->in_numpr = 1;
        r->p_has_num = true;
        free(r->p_num);
        r->p_num = NULL;
    } else if (r->in_numpr && strcmp(name, "numId") == 0) {
        free(r->p_num);
        r->p_num = strdup(attr_or(atts, "val", "0"));
        if (!r->p_num)
            stop(r, PL_ERR_NOMEM);
    } else if (r->in_numpr && strcmp(name, "ilvl") == 0) {
        const char *v = attr(atts, "val");
        r->p_ilvl = v ? atoi(v) : 0;
    } else if (strcmp(name, "r") == 0) {
        r->in_run++;
    } else if (strcmp(name, "t") == 0) {
        r->in_t = 1;
    } else if (r->in_run && strcmp(name, "tab") == 0) {
        if (pl_buf_append_char(&r->para, '\t') != PL_OK)
            stop(r, PL_ERR_NOMEM);
    } else if (r->in_run && (strcmp(name, "br") == 0 || strcmp(name, "cr") == 0)) {
        const char *type = attr(atts, "type");
        /* A page or column break is no break in the text. */
        if (!type || strcmp(type, "textWrapping") == 0)
            if (pl_buf_append_char(&r->para, '\n') != PL_OK)
                stop(r, PL_ERR_NOMEM);
    } else if (r->in_run && strcmp(name, "noBreakHyphen") == 0) {
        if (pl_buf_append_char(&r->para, '-') != PL_OK)
            stop(r, PL_ERR_NOMEM);
    } else if (strcmp(name, "tbl") == 0) {
        if (r->tbl_depth++ == 0) {
            struct pl_docx_block *b;
            if (push_block(r->doc, &b) != PL_OK) {
                stop(r, PL_ERR_NOMEM);
                return;
            }
            b->is_table = true;
        }
    } else if (r->tbl_depth == 1 && strcmp(name, "tr") == 0) {
        struct pl_docx_block *b = last_table(r->doc);
        if (!b) {
            stop(r, PL_ERR_INTERNAL);
            return;
        }
        if (!grow((void **)&b->rows, b->nrows, sizeof *b->rows)) {
            stop(r, PL_ERR_NOMEM);
            return;
        }
        memset(&b->rows[b->nrows++], 0, sizeof *b->rows);
    } else if (r->tbl_depth == 1 && strcmp(name, "tc") == 0) {
        r->cell_open = true;
        r->cell_cont = false;
        r->cell_span = 1;
        r->cell_any = false;
        pl_buf_clear(&r->cell);
    } else if (r->tbl_depth == 1 && strcmp(name, "tcPr") == 0) {
        r->in_tcpr = 1;
    } else if (r->in_tcpr && strcmp(name, "vMerge") == 0) {
        const char *v = attr(atts, "val");
        r->cell_cont = !v || strcmp(v, "continue") == 0;
    } else if (r->in_tcpr && strcmp(name, "gridSpan") == 0) {
        /* A table is at most 63 columns wide in Word; a larger span is a broken file's. */
        const char *v = attr(atts, "val");
        long n = v ? strtol(v, NULL, 10) : 1;
        r->cell_span = n >= 1 && n <= 63 ? (unsigned)n : 1;
    }
}

static void doc_end(void *ud, const XML_Char *el)
{
    struct reader *r = ud;
    if (r->skip) {
        r->skip--;
        return;
    }
    if (!r->in_body)
        return;
    const char *name = pl_ooxml_local(el);
    if (strcmp(name, "p") == 0) {
        if (r->in_p) {
            r->in_p--;
            end_paragraph(r);
        }
    } else if (strcmp(name, "pPr") == 0) {
        r->in_ppr = 0;
    } else if (strcmp(name, "numPr") == 0) {
        r->in_numpr = 0;
    } else if (strcmp(name, "r") == 0) {
        if (r->in_run)
            r->in_run--;
    } else if (strcmp(name, "t") == 0) {
        r->in_t = 0;
    } else if (strcmp(name, "tcPr") == 0) {
        r->in_tcpr = 0;
    } else if (r->tbl_depth == 1 && strcmp(name, "tc") == 0 && r->cell_open) {
        struct pl_docx_block *b = last_table(r->doc);
        struct pl_docx_row *row = b && b->nrows ? &b->rows[b->nrows - 1] : NULL;
        if (!row) {
            stop(r, PL_ERR_INTERNAL);
            return;
        }
        if (!grow((void **)&row->cells, row->ncells, sizeof *row->cells) ||
            !grow((void **)&row->continued, row->ncells, 1) ||
            !grow((void **)&row->span, row->ncells, sizeof *row->span)) {
            stop(r, PL_ERR_NOMEM);
            return;
        }
        char *text = pl_buf_take(&r->cell);
        if (!text) {
            stop(r, PL_ERR_NOMEM);
            return;
        }
        row->cells[row->ncells] = text;
        row->continued[row->ncells] = r->cell_cont;
        row->span[row->ncells] = r->cell_span;
        row->ncells++;
        r->cell_open = false;
    } else if (strcmp(name, "tbl") == 0) {
        if (r->tbl_depth > 0)
            r->tbl_depth--;
    } else if (strcmp(name, "body") == 0) {
        r->in_body = 0;
    }
}

static void doc_text(void *ud, const XML_Char *s, int len)
{
    struct reader *r = ud;
    if (r->skip || !r->in_t)
        return;
    if (pl_buf_append(&r->para, s, (size_t)len) != PL_OK)
        stop(r, PL_ERR_NOMEM);
}

/* --- the zip ------------------------------------------------------------------------------ */

static void report_zip(struct pl_diag *diag, const char *display, int code)
{
    if (code == ZIP_ER_NOPASSWD || code == ZIP_ER_WRONGPASSWD || code == ZIP_ER_ENCRNOTSUPP)
        pl_diag_report(diag, display, 0, 0, "E_ENCRYPTED", "文件设了密码，无法读取：请取消密码后%s",
                       msg_resave);
    else
        pl_diag_report(diag, display, 0, 0, "E_TRUNCATED_FILE",
                       "文件不完整或已损坏（可能下载或拷贝中断）：%s", msg_resave);
}

/* Streams PART of ZA through R's parser with the handlers given. An absent part is PL_OK
 * unless REQUIRED. */
static enum pl_status parse_part(zip_t *za, const char *part, bool required, struct reader *r,
                                 XML_StartElementHandler start, XML_EndElementHandler end,
                                 XML_CharacterDataHandler text, const char *display,
                                 struct pl_diag *diag)
{
    zip_int64_t index = zip_name_locate(za, part, ZIP_FL_NOCASE);
    if (index < 0) {
        if (!required)
            return PL_OK;
        pl_diag_report(diag, display, 0, 0, "E_NOT_A_DOCUMENT",
                       "这个压缩文件里没有Word文档（word/document.xml）：%s", msg_resave);
        return PL_ERR_DATA;
    }
    int zip_code;
    bool bad_xml;
    enum pl_status st =
        pl_ooxml_stream(za, index, &r->ps, start, end, text, &zip_code, &bad_xml);
    if (zip_code)
        report_zip(diag, display, zip_code);
    if (bad_xml)
        pl_diag_report(diag, display, 0, 0, "E_DOCX_BROKEN",
                       "Word文档的组成部分%s损坏，无法读取：%s", part, msg_resave);
    return st;
}

int pl_docx_probe(const char *path)
{
    int zerr = 0;
    zip_t *za = zip_open(path, ZIP_RDONLY, &zerr);
    if (!za)
        return -1;
    int kind = zip_name_locate(za, "word/document.xml", ZIP_FL_NOCASE) >= 0;
    zip_discard(za);
    return kind;
}

enum pl_status pl_docx_read(const char *path, const char *display, struct pl_diag *diag,
                            struct pl_docx *out)
{
    memset(out, 0, sizeof *out);
    int zerr = 0;
    zip_t *za = zip_open(path, ZIP_RDONLY, &zerr);
    if (!za) {
        if (zerr == ZIP_ER_MEMORY)
            return PL_ERR_NOMEM;
        if (zerr == ZIP_ER_OPEN || zerr == ZIP_ER_NOENT || zerr == ZIP_ER_READ) {
            pl_diag_report(diag, display, 0, 0, "E_UNREADABLE", "无法打开文件");
            return PL_ERR_OPEN;
        }
        report_zip(diag, display, ZIP_ER_INCONS);
        return PL_ERR_DATA;
    }
    struct numbering nb = {0};
    struct reader r;
    memset(&r, 0, sizeof r);
    r.num = &nb;
    r.doc = out;
    r.ovr_lvl = -1;
    pl_buf_init(&r.para);
    pl_buf_init(&r.cell);
    enum pl_status st =
        parse_part(za, "word/numbering.xml", false, &r, num_start, num_end, NULL, display, diag);
    if (st == PL_OK)
        st = parse_part(za, "word/styles.xml", false, &r, sty_start, sty_end, NULL, display, diag);
    if (st == PL_OK)
        st = parse_part(za, "word/document.xml", true, &r, doc_start, doc_end, doc_text, display,
                        diag);
    free(r.p_style);
    free(r.p_num);
    pl_buf_fini(&r.para);
    pl_buf_fini(&r.cell);
    numbering_fini(&nb);
    zip_discard(za);
    if (st != PL_OK)
        pl_docx_free(out);
    return st;
}

void pl_docx_free(struct pl_docx *doc)
{
    if (!doc)
        return;
    for (size_t i = 0; i < doc->n; i++) {
        struct pl_docx_block *b = &doc->v[i];
        free(b->text);
        for (size_t k = 0; k < b->nrows; k++) {
            for (size_t c = 0; c < b->rows[k].ncells; c++)
                free(b->rows[k].cells[c]);
            free(b->rows[k].cells);
            free(b->rows[k].continued);
            free(b->rows[k].span);
        }
        free(b->rows);
    }
    free(doc->v);
    doc->v = NULL;
    doc->n = 0;
}

enum pl_status pl_docx_text(const struct pl_docx *doc, struct pl_buf *out)
{
    enum pl_status st = PL_OK;
    for (size_t i = 0; i < doc->n && st == PL_OK; i++) {
        const struct pl_docx_block *b = &doc->v[i];
        if (!b->is_table) {
            st = pl_buf_append_str(out, b->text);
            if (st == PL_OK)
                st = pl_buf_append_char(out, '\n');
            continue;
        }
        for (size_t k = 0; k < b->nrows && st == PL_OK; k++) {
            const struct pl_docx_row *row = &b->rows[k];
            for (size_t c = 0; c < row->ncells && st == PL_OK; c++) {
                st = pl_buf_append_char(out, '\t');
                if (st == PL_OK)
                    st = pl_buf_append_str(out, row->cells[c]);
                if (st == PL_OK)
                    st = pl_buf_append_char(out, '\n');
            }
            if (st == PL_OK)
                st = pl_buf_append_char(out, '\n');
        }
    }
    return st;
}
