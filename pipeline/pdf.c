/* pdf — libharu documents with role fonts, per-character fallback and correct ToUnicode. */
#include "pdf.h"

#include <ini.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "cjkbreak.h"
#include "fontsubset.h"
#include "pdf_haru.h"
#include "text.h"

#include <hpdf.h>

static const char *const role_names[PL_FONT_ROLES] = {"小标宋", "仿宋", "黑体", "楷体", "页码"};

/* U+25A1 WHITE SQUARE, drawn in place of a character no font has. */
#define MISSING_SUBSTITUTE 0x25A1u

struct font {
    char *path;
    unsigned face;
    char *label; /* "path" or "path face N", for messages */
    void *def;   /* libharu's font definition */
    const char *name;
    HPDF_Font font; /* created on first use, so that unused fonts are not embedded */
    uint8_t *used;  /* one bit per BMP code point drawn with this font */
    /* The glyph cache. gid: every BMP code point's glyph (0: none), filled once when the font
     * is loaded (pl_haru_direct_cmap, which also makes libharu's own lookups one array read);
     * adv: the advance, WIDTH_UNKNOWN until first asked, because asking libharu is what marks
     * the glyph for embedding and only glyphs measured or drawn are embedded. */
    uint16_t *gid;
    int16_t *adv;
};

#define WIDTH_UNKNOWN INT16_MIN

struct entry {
    int role;
    char *path;
    unsigned face;
    double embolden;
    int line;
};

/* The graphics state this page's content has set so far, so that an operator setting what is
 * already set is not written again (a 3,000-page circular drew each of its 450,000 text runs
 * and 400,000 table rules with its colour, width, font and spacing restated: a third of its
 * content). Only what this module wrote on the current page counts: each page starts unknown,
 * and nothing here uses the save/restore operators that would make the state nest. */
struct page_state {
    bool fill_set, stroke_set, width_set, mode_set, space_set;
    HPDF_REAL fill[3], stroke[3], width, space, size;
    HPDF_TextRenderingMode mode;
    HPDF_Font font;
};

struct pl_pdf {
    HPDF_Doc doc;
    struct pl_diag *diag;
    HPDF_STATUS error, detail;
    struct font *fonts;
    size_t nfonts;
    int role_font[PL_FONT_ROLES];
    double role_embolden[PL_FONT_ROLES];
    HPDF_Page page;
    struct pl_haru_deflater *deflater; /* each page compressed when finished */
    struct page_state gs;
    size_t npages;
    uint8_t *reported; /* missing BMP characters already reported */
    uint32_t *beyond;  /* missing characters beyond the BMP already reported */
    size_t nbeyond;
    struct pl_buf run;
};

const char *pl_font_role_name(enum pl_font_role role)
{
    return role >= 0 && role < PL_FONT_ROLES ? role_names[role] : "?";
}

static void on_error(HPDF_STATUS error, HPDF_STATUS detail, void *data)
{
    struct pl_pdf *p = data;
    p->error = error;
    p->detail = detail;
}

/* Reports libharu's last error and clears it; returns PL_ERR_INTERNAL. */
static enum pl_status haru_failed(struct pl_pdf *p, const char *what)
{
    pl_diag_report(p->diag, NULL, 0, 0, "E_PDF", "libharu 出错（%s）：错误 0x%04X，细节 %u", what,
                   (unsigned)p->error, (unsigned)p->detail);
    HPDF_ResetError(p->doc);
    p->error = 0;
    return PL_ERR_INTERNAL;
}

enum pl_status pl_pdf_new(struct pl_pdf **out, struct pl_diag *diag)
{
    *out = NULL;
    struct pl_pdf *p = calloc(1, sizeof *p);
    if (!p)
        return PL_ERR_NOMEM;
    p->diag = diag;
    pl_buf_init(&p->run);
    for (int r = 0; r < PL_FONT_ROLES; r++)
        p->role_font[r] = -1;
    p->reported = calloc(65536 / 8 + 1, 1);
    p->doc = HPDF_New(on_error, p);
    p->deflater = pl_haru_deflater_new();
    if (!p->reported || !p->doc || !p->deflater) {
        pl_pdf_free(p);
        return PL_ERR_NOMEM;
    }
    if (HPDF_UseUTFEncodings(p->doc) != HPDF_OK ||
        HPDF_SetCompressionMode(p->doc, HPDF_COMP_ALL) != HPDF_OK) {
        enum pl_status st = haru_failed(p, "UTF-8");
        pl_pdf_free(p);
        return st;
    }
    *out = p;
    return PL_OK;
}

void pl_pdf_free(struct pl_pdf *p)
{
    if (!p)
        return;
    if (p->doc)
        HPDF_Free(p->doc);
    pl_haru_deflater_free(p->deflater);
    for (size_t i = 0; i < p->nfonts; i++) {
        free(p->fonts[i].path);
        free(p->fonts[i].label);
        free(p->fonts[i].used);
        free(p->fonts[i].gid);
        free(p->fonts[i].adv);
    }
    free(p->fonts);
    free(p->reported);
    free(p->beyond);
    pl_buf_fini(&p->run);
    free(p);
}

/* ---- the font table ---- */

struct conf {
    const char *path;
    char *dir;
    struct entry *entries;
    size_t n;
    int bad_line;
    const char *bad_what;
    bool nomem;
};

static int role_by_name(const char *name)
{
    for (int r = 0; r < PL_FONT_ROLES; r++)
        if (strcmp(name, role_names[r]) == 0)
            return r;
    return -1;
}

/* Splits "PATH [face=N] [embolden=PT]": options are the trailing words with '=', so a path
 * may hold spaces. */
static bool parse_font_value(const char *value, struct entry *e)
{
    char *v = strdup(value);
    if (!v)
        return false;
    e->face = 0;
    e->embolden = 0;
    for (;;) {
        size_t n = strlen(v);
        while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
            v[--n] = '\0';
        char *sp = strrchr(v, ' ');
        char *tab = strrchr(v, '\t');
        if (tab && (!sp || tab > sp))
            sp = tab;
        char *word = sp ? sp + 1 : NULL;
        if (!word || !strchr(word, '='))
            break;
        char *end;
        if (strncmp(word, "face=", 5) == 0) {
            unsigned long f = strtoul(word + 5, &end, 10);
            if (*end || end == word + 5 || f > 255)
                goto bad;
            e->face = (unsigned)f;
        } else if (strncmp(word, "embolden=", 9) == 0) {
            double d = strtod(word + 9, &end);
            if (*end || end == word + 9 || d < 0 || d > 3)
                goto bad;
            e->embolden = d;
        } else {
            goto bad;
        }
        *sp = '\0';
    }
    if (!*v)
        goto bad;
    e->path = v;
    return true;
bad:
    free(v);
    e->path = NULL;
    return false;
}

static int on_conf(void *user, const char *section, const char *name, const char *value)
{
    struct conf *c = user;
    int role = role_by_name(section);
    if (role < 0) {
        c->bad_what = "未知的字体角色（应为 小标宋、仿宋、黑体、楷体、页码）";
        return 0;
    }
    if (strcmp(name, "font") != 0) {
        c->bad_what = "未知的键（应为 font）";
        return 0;
    }
    struct entry e = {.role = role};
    if (!parse_font_value(value, &e)) {
        c->bad_what = "font 的值应为 “路径 [face=N] [embolden=磅]”";
        return 0;
    }
    struct entry *grown = realloc(c->entries, (c->n + 1) * sizeof *grown);
    if (!grown) {
        free(e.path);
        c->nomem = true;
        return 0;
    }
    c->entries = grown;
    c->entries[c->n++] = e;
    return 1;
}

static char *resolve(const struct conf *c, const char *path)
{
    struct pl_buf b;
    pl_buf_init(&b);
    if (path[0] != '/' && c->dir)
        pl_buf_printf(&b, "%s/%s", c->dir, path);
    else
        pl_buf_append_str(&b, path);
    return pl_buf_take(&b);
}

/* The index of the loaded font for PATH and FACE, loading it if needed; -1 when it cannot be
 * loaded (a missing file is silent: the table lists alternatives). */
static int load_font(struct pl_pdf *p, const char *path, unsigned face, int line, const char *conf)
{
    for (size_t i = 0; i < p->nfonts; i++)
        if (strcmp(p->fonts[i].path, path) == 0 && p->fonts[i].face == face)
            return (int)i;
    if (access(path, R_OK) != 0)
        return -1;
    size_t n = strlen(path);
    bool collection =
        n > 4 && (strcmp(path + n - 4, ".ttc") == 0 || strcmp(path + n - 4, ".TTC") == 0);
    const char *name = collection ? HPDF_LoadTTFontFromFile2(p->doc, path, face, HPDF_TRUE)
                                  : HPDF_LoadTTFontFromFile(p->doc, path, HPDF_TRUE);
    void *def = name ? pl_haru_fontdef(p->doc, name) : NULL;
    if (!def) {
        pl_diag_report(p->diag, conf, (unsigned long)line, 0, "W_FONT_LOAD",
                       "字体 %s（face %u）无法载入（libharu 错误 0x%04X），试下一个", path, face,
                       (unsigned)p->error);
        HPDF_ResetError(p->doc);
        p->error = 0;
        return -1;
    }
    struct font *grown = realloc(p->fonts, (p->nfonts + 1) * sizeof *grown);
    if (!grown)
        return -2;
    p->fonts = grown;
    struct font *f = &p->fonts[p->nfonts];
    memset(f, 0, sizeof *f);
    struct pl_buf label;
    pl_buf_init(&label);
    if (collection)
        pl_buf_printf(&label, "%s face %u", path, face);
    else
        pl_buf_append_str(&label, path);
    f->path = strdup(path);
    f->label = pl_buf_take(&label);
    f->used = calloc(65536 / 8, 1);
    f->gid = malloc(65536 * sizeof *f->gid);
    f->adv = malloc(65536 * sizeof *f->adv);
    if (f->adv)
        for (size_t cp = 0; cp < 65536; cp++)
            f->adv[cp] = WIDTH_UNKNOWN;
    f->face = face;
    f->def = def;
    f->name = name;
    if (!f->path || !f->label || !f->used || !f->gid || !f->adv ||
        pl_haru_direct_cmap(def, f->gid) != HPDF_OK) {
        free(f->path);
        free(f->label);
        free(f->used);
        free(f->gid);
        free(f->adv);
        return -2;
    }
    return (int)p->nfonts++;
}

enum pl_status pl_pdf_load_fonts(struct pl_pdf *p, const char *conf_path)
{
    enum pl_status st = PL_OK;
    struct conf c = {.path = conf_path};
    const char *slash = strrchr(conf_path, '/');
    if (slash) {
        c.dir = strndup(conf_path, (size_t)(slash - conf_path));
        if (!c.dir)
            return PL_ERR_NOMEM;
    }
    int rc = ini_parse(conf_path, on_conf, &c);
    if (c.nomem) {
        st = PL_ERR_NOMEM;
        goto done;
    }
    if (rc < 0) {
        pl_diag_report(p->diag, conf_path, 0, 0, "E_FONT_TABLE", "字体表无法读取");
        st = PL_ERR_CONFIG;
        goto done;
    }
    if (rc > 0) {
        pl_diag_report(p->diag, conf_path, (unsigned long)rc, 0, "E_FONT_TABLE", "%s",
                       c.bad_what ? c.bad_what : "字体表格式错误");
        st = PL_ERR_CONFIG;
        goto done;
    }
    for (int r = 0; r < PL_FONT_ROLES && st == PL_OK; r++) {
        for (size_t i = 0; i < c.n; i++) {
            if (c.entries[i].role != r)
                continue;
            char *path = resolve(&c, c.entries[i].path);
            if (!path) {
                st = PL_ERR_NOMEM;
                break;
            }
            int f = load_font(p, path, c.entries[i].face, c.entries[i].line, conf_path);
            free(path);
            if (f == -2) {
                st = PL_ERR_NOMEM;
                break;
            }
            if (f >= 0) {
                p->role_font[r] = f;
                p->role_embolden[r] = c.entries[i].embolden;
                break;
            }
        }
        if (st == PL_OK && p->role_font[r] < 0) {
            pl_diag_report(p->diag, conf_path, 0, 0, "E_NO_FONT",
                           "字体角色“%s”没有一个能载入的字体（安装 fonts-arphic-uming、"
                           "fonts-arphic-ukai、fonts-wqy-zenhei，或在字体表里写上已有的字体）",
                           role_names[r]);
            st = PL_ERR_CONFIG;
        }
    }
done:
    for (size_t i = 0; i < c.n; i++)
        free(c.entries[i].path);
    free(c.entries);
    free(c.dir);
    return st;
}

const char *pl_pdf_font_file(const struct pl_pdf *p, enum pl_font_role role)
{
    int f = p->role_font[role];
    return f >= 0 ? p->fonts[f].label : "";
}

static bool has_glyph(struct font *f, uint32_t cp)
{
    return cp <= 0xFFFF && f->gid[cp] != 0;
}

/* The advance in thousandths of an em (asking libharu marks the glyph for embedding). */
static int glyph_advance(struct font *f, uint32_t cp)
{
    if (cp > 0xFFFF)
        return 0;
    if (f->adv[cp] == WIDTH_UNKNOWN)
        f->adv[cp] = (int16_t)pl_haru_width(f->def, cp);
    return f->adv[cp];
}

/* The font that draws CP for ROLE: the role's own, else the first loaded font that has it;
 * -1 when none has. */
static int font_for(struct pl_pdf *p, enum pl_font_role role, uint32_t cp)
{
    int own = p->role_font[role];
    if (own >= 0 && has_glyph(&p->fonts[own], cp))
        return own;
    for (size_t i = 0; i < p->nfonts; i++)
        if ((int)i != own && has_glyph(&p->fonts[i], cp))
            return (int)i;
    return -1;
}

bool pl_pdf_covers(struct pl_pdf *p, uint32_t cp)
{
    if (cp == ' ')
        return true;
    for (size_t i = 0; i < p->nfonts; i++)
        if (has_glyph(&p->fonts[i], cp))
            return true;
    return false;
}

/* Resolves CP to what is drawn: the character itself or its substitute, and the font. */
static int resolve_char(struct pl_pdf *p, enum pl_font_role role, uint32_t *cp)
{
    int f = font_for(p, role, *cp);
    if (f >= 0)
        return f;
    *cp = MISSING_SUBSTITUTE;
    f = font_for(p, role, *cp);
    if (f >= 0)
        return f;
    *cp = '?';
    f = font_for(p, role, *cp);
    return f >= 0 ? f : p->role_font[role];
}

double pl_pdf_char_width(struct pl_pdf *p, enum pl_font_role role, uint32_t cp, double size)
{
    int f = resolve_char(p, role, &cp);
    if (f < 0)
        return size;
    return glyph_advance(&p->fonts[f], cp) * size / 1000.0;
}

enum pl_status pl_pdf_set_info(struct pl_pdf *p, const char *title, const char *author,
                               const char *subject, long long when)
{
    if (HPDF_SetCurrentEncoder(p->doc, "UTF-8") != HPDF_OK)
        return haru_failed(p, "UTF-8 编码");
    const char *vals[] = {title, author, subject};
    const HPDF_InfoType types[] = {HPDF_INFO_TITLE, HPDF_INFO_AUTHOR, HPDF_INFO_SUBJECT};
    for (int i = 0; i < 3; i++)
        if (vals[i] && *vals[i] && HPDF_SetInfoAttr(p->doc, types[i], vals[i]) != HPDF_OK)
            return haru_failed(p, "文档信息");
    if (HPDF_SetInfoAttr(p->doc, HPDF_INFO_CREATOR, "ducha-pdf") != HPDF_OK)
        return haru_failed(p, "文档信息");
    if (when > 0) {
        time_t t = (time_t)when;
        struct tm tm;
        if (!gmtime_r(&t, &tm))
            return PL_ERR_USAGE;
        HPDF_Date d = {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                       tm.tm_sec,         'Z',           0,          0};
        if (HPDF_SetInfoDateAttr(p->doc, HPDF_INFO_CREATION_DATE, d) != HPDF_OK ||
            HPDF_SetInfoDateAttr(p->doc, HPDF_INFO_MOD_DATE, d) != HPDF_OK)
            return haru_failed(p, "文档日期");
    }
    return PL_OK;
}

/* The current page is done with: its content compressed now, not when the document is saved,
 * so that memory follows the file's size (see pl_haru_finish_page). Nothing here ever draws
 * on a page other than the current one. */
static enum pl_status finish_page(struct pl_pdf *p)
{
    if (p->page && pl_haru_finish_page(p->page, p->deflater) != HPDF_OK)
        return haru_failed(p, "压缩页面");
    p->page = NULL;
    return PL_OK;
}

enum pl_status pl_pdf_add_page(struct pl_pdf *p)
{
    enum pl_status fs = finish_page(p);
    if (fs != PL_OK)
        return fs;
    HPDF_Page page = HPDF_AddPage(p->doc);
    if (!page || HPDF_Page_SetWidth(page, (HPDF_REAL)PL_PDF_A4_WIDTH) != HPDF_OK ||
        HPDF_Page_SetHeight(page, (HPDF_REAL)PL_PDF_A4_HEIGHT) != HPDF_OK)
        return haru_failed(p, "新页");
    p->page = page;
    p->gs = (struct page_state){0};
    p->npages++;
    return PL_OK;
}

static bool same_rgb(const HPDF_REAL *have, struct pl_rgb c)
{
    return have[0] == (HPDF_REAL)c.r && have[1] == (HPDF_REAL)c.g && have[2] == (HPDF_REAL)c.b;
}

static HPDF_STATUS set_fill(struct pl_pdf *p, struct pl_rgb c)
{
    if (p->gs.fill_set && same_rgb(p->gs.fill, c))
        return HPDF_OK;
    HPDF_STATUS st = HPDF_Page_SetRGBFill(p->page, (HPDF_REAL)c.r, (HPDF_REAL)c.g, (HPDF_REAL)c.b);
    p->gs.fill_set = st == HPDF_OK;
    p->gs.fill[0] = (HPDF_REAL)c.r, p->gs.fill[1] = (HPDF_REAL)c.g, p->gs.fill[2] = (HPDF_REAL)c.b;
    return st;
}

static HPDF_STATUS set_stroke(struct pl_pdf *p, struct pl_rgb c, double width)
{
    HPDF_STATUS st = HPDF_OK;
    if (!p->gs.stroke_set || !same_rgb(p->gs.stroke, c)) {
        st = HPDF_Page_SetRGBStroke(p->page, (HPDF_REAL)c.r, (HPDF_REAL)c.g, (HPDF_REAL)c.b);
        p->gs.stroke_set = st == HPDF_OK;
        p->gs.stroke[0] = (HPDF_REAL)c.r, p->gs.stroke[1] = (HPDF_REAL)c.g;
        p->gs.stroke[2] = (HPDF_REAL)c.b;
        if (st != HPDF_OK)
            return st;
    }
    if (!p->gs.width_set || p->gs.width != (HPDF_REAL)width) {
        st = HPDF_Page_SetLineWidth(p->page, (HPDF_REAL)width);
        p->gs.width_set = st == HPDF_OK;
        p->gs.width = (HPDF_REAL)width;
    }
    return st;
}

/* Text state (rendering mode, character spacing, font and size) belongs to the graphics state
 * and carries over from one text object to the next. */
static HPDF_STATUS set_mode(struct pl_pdf *p, HPDF_TextRenderingMode mode)
{
    if (p->gs.mode_set && p->gs.mode == mode)
        return HPDF_OK;
    HPDF_STATUS st = HPDF_Page_SetTextRenderingMode(p->page, mode);
    p->gs.mode_set = st == HPDF_OK;
    p->gs.mode = mode;
    return st;
}

static HPDF_STATUS set_font(struct pl_pdf *p, HPDF_Font font, double size, double spacing)
{
    HPDF_STATUS st = HPDF_OK;
    if (!p->gs.space_set || p->gs.space != (HPDF_REAL)spacing) {
        st = HPDF_Page_SetCharSpace(p->page, (HPDF_REAL)spacing);
        p->gs.space_set = st == HPDF_OK;
        p->gs.space = (HPDF_REAL)spacing;
        if (st != HPDF_OK)
            return st;
    }
    if (p->gs.font != font || p->gs.size != (HPDF_REAL)size) {
        st = HPDF_Page_SetFontAndSize(p->page, font, (HPDF_REAL)size);
        p->gs.font = st == HPDF_OK ? font : NULL;
        p->gs.size = (HPDF_REAL)size;
    }
    return st;
}

size_t pl_pdf_page_count(const struct pl_pdf *p)
{
    return p->npages;
}

static enum pl_status use_font(struct pl_pdf *p, int f)
{
    struct font *font = &p->fonts[f];
    if (!font->font) {
        font->font = pl_haru_get_font(p->doc, font->def, font->name);
        if (!font->font)
            return haru_failed(p, "字体");
    }
    return PL_OK;
}

/* Draws the collected run (p->run) in font F at X with character spacing SPACING. */
static enum pl_status flush_run(struct pl_pdf *p, const struct pl_text_style *st, int f, double x,
                                double y, double spacing)
{
    if (!p->run.len)
        return PL_OK;
    enum pl_status s = use_font(p, f);
    if (s != PL_OK)
        return s;
    if (set_font(p, p->fonts[f].font, st->size, spacing) != HPDF_OK ||
        HPDF_Page_TextOut(p->page, (HPDF_REAL)x, (HPDF_REAL)y, p->run.data) != HPDF_OK)
        return haru_failed(p, "文字");
    pl_buf_clear(&p->run);
    return PL_OK;
}

/* Marks CP as reported; false when it already was. */
static bool mark_reported(struct pl_pdf *p, uint32_t cp)
{
    if (cp <= 0xFFFF) {
        if (p->reported[cp / 8] & (1u << (cp % 8)))
            return false;
        p->reported[cp / 8] |= (uint8_t)(1u << (cp % 8));
        return true;
    }
    for (size_t i = 0; i < p->nbeyond; i++)
        if (p->beyond[i] == cp)
            return false;
    uint32_t *grown = realloc(p->beyond, (p->nbeyond + 1) * sizeof *grown);
    if (grown) {
        p->beyond = grown;
        p->beyond[p->nbeyond++] = cp;
    }
    return true;
}

void pl_pdf_missing_reported(struct pl_pdf *p, uint32_t cp)
{
    mark_reported(p, cp);
}

static void report_missing(struct pl_pdf *p, uint32_t cp)
{
    if (!mark_reported(p, cp))
        return;
    struct pl_buf ch;
    pl_buf_init(&ch);
    pl_utf8_append(&ch, cp);
    pl_diag_report(p->diag, NULL, 0, 0, "W_MISSING_GLYPH",
                   "字符“%s”（U+%04X）没有一个已载入的字体能显示，以□代替", ch.data, (unsigned)cp);
    pl_buf_fini(&ch);
}

enum pl_status pl_pdf_text(struct pl_pdf *p, const struct pl_text_style *st, double x, double y,
                           const char *s, size_t len, double *advance)
{
    if (!p->page)
        return PL_ERR_USAGE;
    enum pl_status status = PL_OK;
    double emb = st->embolden + p->role_embolden[st->role];
    HPDF_Page pg = p->page;
    if (set_fill(p, st->colour) != HPDF_OK)
        return haru_failed(p, "颜色");
    if (emb > 0 && set_stroke(p, st->colour, emb) != HPDF_OK)
        return haru_failed(p, "描边");
    if (HPDF_Page_BeginText(pg) != HPDF_OK ||
        set_mode(p, emb > 0 ? HPDF_FILL_THEN_STROKE : HPDF_FILL) != HPDF_OK)
        return haru_failed(p, "文字");
    pl_buf_clear(&p->run);
    /* Runs break where the font changes and where Latin text starts or ends: a run of
     * Chinese is spaced by tracking + justify through the character spacing, a Latin run by
     * tracking alone; each run is placed at the position computed here, so the gap after a
     * Latin run is still widened. */
    double pos = x, run_x = x;
    int run_font = -1;
    bool run_latin = false;
    size_t i = 0;
    uint32_t cp = 0;
    size_t n = len ? pl_utf8_decode(s, len, &cp) : 0;
    if (len && !n)
        status = PL_ERR_DATA;
    while (i < len && status == PL_OK) {
        i += n;
        uint32_t next = 0;
        size_t nn = i < len ? pl_utf8_decode(s + i, len - i, &next) : 0;
        if (i < len && !nn) {
            status = PL_ERR_DATA;
            break;
        }
        uint32_t drawn = cp;
        int f = resolve_char(p, st->role, &drawn);
        if (drawn != cp && cp != ' ')
            report_missing(p, cp);
        if (f < 0) {
            status = PL_ERR_INTERNAL;
            break;
        }
        bool latin = pl_break_is_latin(cp);
        if (f != run_font || latin != run_latin) {
            if ((status = flush_run(p, st, run_font, run_x, y,
                                    st->tracking + (run_latin ? 0 : st->justify))) != PL_OK)
                break;
            run_font = f;
            run_latin = latin;
            run_x = pos;
        }
        if ((status = pl_utf8_append(&p->run, drawn)) != PL_OK)
            break;
        if (drawn <= 0xFFFF)
            p->fonts[f].used[drawn / 8] |= (uint8_t)(1u << (drawn % 8));
        bool gap = i < len && !(latin && pl_break_is_latin(next));
        pos += glyph_advance(&p->fonts[f], drawn) * st->size / 1000.0 + st->tracking +
               (gap ? st->justify : 0);
        cp = next;
        n = nn;
    }
    if (status == PL_OK)
        status = flush_run(p, st, run_font, run_x, y, st->tracking + (run_latin ? 0 : st->justify));
    if (HPDF_Page_EndText(pg) != HPDF_OK && status == PL_OK)
        status = haru_failed(p, "文字");
    if (advance)
        *advance = pos - x;
    return status;
}

enum pl_status pl_pdf_line(struct pl_pdf *p, double x1, double y1, double x2, double y2,
                           double width, struct pl_rgb c)
{
    HPDF_Page pg = p->page;
    if (!pg)
        return PL_ERR_USAGE;
    if (set_stroke(p, c, width) != HPDF_OK ||
        HPDF_Page_MoveTo(pg, (HPDF_REAL)x1, (HPDF_REAL)y1) != HPDF_OK ||
        HPDF_Page_LineTo(pg, (HPDF_REAL)x2, (HPDF_REAL)y2) != HPDF_OK ||
        HPDF_Page_Stroke(pg) != HPDF_OK)
        return haru_failed(p, "线");
    return PL_OK;
}

enum pl_status pl_pdf_fill_rect(struct pl_pdf *p, double x, double y, double w, double h,
                                struct pl_rgb c)
{
    HPDF_Page pg = p->page;
    if (!pg)
        return PL_ERR_USAGE;
    if (set_fill(p, c) != HPDF_OK ||
        HPDF_Page_Rectangle(pg, (HPDF_REAL)x, (HPDF_REAL)y, (HPDF_REAL)w, (HPDF_REAL)h) !=
            HPDF_OK ||
        HPDF_Page_Fill(pg) != HPDF_OK)
        return haru_failed(p, "色块");
    return PL_OK;
}

/* The code points drawn with F, in order, into CPS; returns how many. */
static size_t drawn(const struct font *f, uint16_t *cps)
{
    size_t n = 0;
    for (uint32_t cp = 0; cp < 65536; cp++)
        if (f->used[cp / 8] & (1u << (cp % 8)))
            cps[n++] = (uint16_t)cp;
    return n;
}

/* Embeds F's font as the subset of the glyphs drawn (see fontsubset.h), and rewrites the
 * CIDToGIDMap for the subset's glyph ids in GIDS. When the subsetter refuses the font, the
 * old glyph ids stay and libharu embeds the font as it always did: a larger file, the same
 * pages. */
static enum pl_status embed_font(struct pl_pdf *p, struct font *f, const uint16_t *cps,
                                 uint16_t *gids, size_t n)
{
    for (size_t i = 0; i < n; i++)
        gids[i] = f->gid[cps[i]];
    uint8_t *data = NULL;
    size_t len = 0;
    enum pl_status st = pl_fontsubset_make(f->path, f->face, cps, gids, n, &data, &len, gids);
    if (st == PL_ERR_NOMEM)
        return st;
    if (st != PL_OK) {
        for (size_t i = 0; i < n; i++)
            gids[i] = f->gid[cps[i]];
    } else if (pl_haru_embed_font(f->font, data, len) != HPDF_OK) {
        free(data);
        return haru_failed(p, "嵌入字体");
    }
    free(data);
    if (pl_haru_shrink_cid_tables(f->font, cps, gids, n) != HPDF_OK)
        return haru_failed(p, "字体");
    return PL_OK;
}

/* The ToUnicode maps first, then the font files in the order of the fonts' objects: the
 * order in which libharu added them when it wrote each font, so the objects keep the numbers
 * they had when libharu embedded the fonts itself. */
static enum pl_status finish_fonts(struct pl_pdf *p)
{
    uint16_t *cps = malloc(65536 * sizeof *cps);
    uint16_t *gids = malloc(65536 * sizeof *gids);
    size_t *order = malloc((p->nfonts + 1) * sizeof *order);
    enum pl_status st = cps && gids && order ? PL_OK : PL_ERR_NOMEM;
    size_t used = 0;
    for (size_t i = 0; i < p->nfonts && st == PL_OK; i++) {
        struct font *f = &p->fonts[i];
        if (!f->font)
            continue;
        size_t n = drawn(f, cps);
        if (pl_haru_set_tounicode(p->doc, f->font, cps, n) != HPDF_OK)
            st = haru_failed(p, "ToUnicode");
        size_t k = used++;
        for (; k > 0 && pl_haru_object_id(p->fonts[order[k - 1]].font) >
                            pl_haru_object_id(f->font);
             k--)
            order[k] = order[k - 1];
        order[k] = i;
    }
    for (size_t j = 0; j < used && st == PL_OK; j++) {
        struct font *f = &p->fonts[order[j]];
        st = embed_font(p, f, cps, gids, drawn(f, cps));
    }
    free(cps);
    free(gids);
    free(order);
    return st;
}

enum pl_status pl_pdf_save(struct pl_pdf *p, FILE *fp, const char *name)
{
    enum pl_status st = finish_page(p);
    if (st == PL_OK)
        st = finish_fonts(p);
    if (st != PL_OK)
        return st;
    bool io_failed;
    HPDF_STATUS hs = pl_haru_save(p->doc, fp, &io_failed);
    if (io_failed) {
        pl_diag_report(p->diag, name, 0, 0, "E_WRITE", "写入失败");
        HPDF_ResetError(p->doc);
        p->error = 0;
        return PL_ERR_IO;
    }
    if (hs != HPDF_OK)
        return haru_failed(p, "保存");
    HPDF_ResetError(p->doc);
    p->error = 0;
    return PL_OK;
}
