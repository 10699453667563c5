/* typeset — markup to GB/T 9704 pages (see typeset.h). */
#include "typeset.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cjkbreak.h"
#include "text.h"

/* GB/T 9704-2012 §5.2: 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm; §5.2.2: 22 lines × 28
 * characters of 3号 (16 pt). */
#define TOP (PL_PDF_A4_HEIGHT - PL_MM(37.0))
#define LEFT PL_MM(28.0)
#define WIDTH PL_MM(156.0)
#define HEIGHT PL_MM(225.0)
#define BOTTOM (TOP - HEIGHT)
#define LINES 22
#define PITCH_X (WIDTH / 28.0)
#define PITCH_Y (HEIGHT / LINES)
#define BODY 16.0  /* 3号 */
#define TITLE 22.0 /* 2号 */
#define SMALL 14.0 /* 4号: page numbers, 版记 */
#define CELL 12.0  /* 小四: table cells */
/* Where a CJK glyph's em box sits on its baseline: the centre is this far above it, in ems
 * (ascent 0.88, descent 0.12 in the fonts used). */
#define EM_CENTRE 0.37
#define EM_ASCENT 0.88
#define EM_DESCENT 0.12

static const struct pl_rgb black = {0, 0, 0};
static const struct pl_rgb red = {0.86, 0.0, 0.0};
static const struct pl_rgb fill_blue = {0.72, 0.83, 0.96};
static const struct pl_rgb fill_yellow = {1.0, 0.90, 0.45};
static const struct pl_rgb fill_red = {0.96, 0.60, 0.60};
static const struct pl_rgb fill_head = {0.90, 0.90, 0.90};

enum kind {
    K_PARA,
    K_H1,
    K_H2,
    K_ISSUER,
    K_NUMBER,
    K_IMPRINT,
    K_TITLE,
    K_TO,
    K_SIGNATURE,
    K_DATE,
    K_APPENDIX,
    K_TABLE,
    K_HEAD,
    K_ROW,
    K_END,
    K_COPY,
    K_PRINTED,
    K_SUBJECT,
    K_PAGE,
};

static const struct {
    const char *name;
    enum kind kind;
    bool fields; /* split on | */
} directives[] = {
    {"issuer", K_ISSUER, false},   {"number", K_NUMBER, false},
    {"imprint", K_IMPRINT, true},  {"title", K_TITLE, true},
    {"to", K_TO, false},           {"signature", K_SIGNATURE, false},
    {"date", K_DATE, false},       {"appendix", K_APPENDIX, true},
    {"table", K_TABLE, true},      {"head", K_HEAD, true},
    {"row", K_ROW, true},          {"end", K_END, false},
    {"copy", K_COPY, false},       {"printed", K_PRINTED, true},
    {"subject", K_SUBJECT, false}, {"page", K_PAGE, false},
};

struct block {
    enum kind kind;
    char **f;
    size_t nf;
    unsigned long line;
};

struct ts {
    struct pl_pdf *pdf;
    struct pl_diag *diag;
    const char *source;
    struct block *b;
    size_t nb;
    double ln; /* the current grid line on the page, 0..LINES */
    bool page; /* a page is open */
    size_t appendices, appendix_no;
    const char *issuer, *number, *signature, *date, *copy, *subject;
    const struct block *imprint, *printed;
    char *title;
    bool header_done;
    struct pl_lines lines;
    struct pl_buf joined; /* scratch: a block's fields joined */
};

enum pl_status pl_typeset_escape(struct pl_buf *out, const char *s)
{
    enum pl_status st = PL_OK;
    while (*s && st == PL_OK) {
        /* The plain bytes up to the next one that needs escaping, in one append. */
        size_t n = strcspn(s, "\\|{@#\n\r");
        if (n)
            st = pl_buf_append(out, s, n);
        s += n;
        if (!*s || st != PL_OK)
            break;
        if (*s == '\n' || *s == '\r')
            st = pl_buf_append_char(out, ' ');
        else
            st = pl_buf_append(out, (char[]){'\\', *s}, 2);
        s++;
    }
    return st;
}

/* ---- parsing ---- */

static void block_free(struct block *b)
{
    free(b->f);
}

/* Splits S[0..N) on unescaped SEP (none when SEP is 0) into B's fields, unescaped and trimmed
 * in place: each field is written over its own markup, which unescaping only shortens, and
 * ends with a NUL where its separator (or the line's end, S[N]) was. The fields point into
 * the markup instead of being copies of it: a province's circular is 30 MB of markup, whose
 * copies in a million small allocations took as much again. */
static enum pl_status split(char *s, size_t n, char sep, struct block *b)
{
    size_t max = 1;
    for (size_t i = 0; sep && i < n; i++)
        max += s[i] == sep;
    if (!(b->f = malloc(max * sizeof *b->f)))
        return PL_ERR_NOMEM;
    char *w = s, *field = s; /* w never passes the byte being read */
    for (size_t i = 0;;) {
        /* The plain bytes up to the next separator or escape, in one move. */
        size_t j = i;
        while (j < n && s[j] != '\\' && !(sep && s[j] == sep))
            j++;
        memmove(w, s + i, j - i);
        w += j - i;
        if (j == n || s[j] != '\\') {
            size_t a, e;
            pl_text_trim(field, (size_t)(w - field), &a, &e);
            field[e] = '\0';
            b->f[b->nf++] = field + a;
            if (j == n)
                break;
            i = j + 1;
            w = field = s + i;
        } else if (j + 1 < n) {
            /* An escaped "{" keeps its backslash at the start of a cell, so that a cell
             * reading "{red}" literally is not taken for a colour. */
            if (s[j + 1] == '{' && w == field)
                *w++ = '\\';
            *w++ = s[j + 1];
            i = j + 2;
        } else {
            /* A backslash that ends the text is itself. */
            *w++ = '\\';
            i = j + 1;
        }
    }
    return PL_OK;
}

static enum pl_status markup_error(struct ts *t, unsigned long line, const char *what)
{
    pl_diag_report(t->diag, t->source, line, 0, "E_MARKUP", "%s", what);
    return PL_ERR_CONFIG;
}

static enum pl_status parse(struct ts *t, char *text, size_t len)
{
    unsigned long line = 0;
    for (size_t i = 0; i < len;) {
        line++;
        const char *nl = memchr(text + i, '\n', len - i);
        size_t n = nl ? (size_t)(nl - (text + i)) : len - i;
        char *s = text + i;
        i += n + (nl ? 1 : 0);
        if (pl_text_is_blank(s, n))
            continue;
        while (n && (*s == ' ' || *s == '\t'))
            s++, n--;
        struct block b = {K_PARA, NULL, 0, line};
        bool fields = false;
        if (s[0] == '@') {
            size_t w = 1;
            while (w < n && s[w] != ' ' && s[w] != '\t')
                w++;
            bool known = false;
            for (size_t d = 0; d < sizeof directives / sizeof directives[0]; d++)
                if (strlen(directives[d].name) == w - 1 &&
                    memcmp(directives[d].name, s + 1, w - 1) == 0) {
                    b.kind = directives[d].kind;
                    fields = directives[d].fields;
                    known = true;
                }
            if (!known) {
                struct pl_buf m;
                pl_buf_init(&m);
                pl_buf_printf(&m, "未知的指令“%.*s”", (int)w, s);
                enum pl_status st = markup_error(t, line, m.data ? m.data : "未知的指令");
                pl_buf_fini(&m);
                return st;
            }
            s += w, n -= w;
        } else if (n > 2 && s[0] == '#' && s[1] == '#' && s[2] == ' ') {
            b.kind = K_H2;
            s += 3, n -= 3;
        } else if (n > 1 && s[0] == '#' && s[1] == ' ') {
            b.kind = K_H1;
            s += 2, n -= 2;
        }
        struct block *grown = realloc(t->b, (t->nb + 1) * sizeof *grown);
        if (!grown)
            return PL_ERR_NOMEM;
        t->b = grown;
        enum pl_status st = split(s, n, fields ? '|' : 0, &b);
        t->b[t->nb++] = b;
        if (st != PL_OK)
            return st;
    }
    return PL_OK;
}

/* B's fields as one text (a title given in lines), valid until the next call. */
static const char *joined(struct ts *t, const struct block *b)
{
    pl_buf_clear(&t->joined);
    for (size_t i = 0; i < b->nf; i++)
        pl_buf_append_str(&t->joined, b->f[i]);
    return t->joined.data;
}

/* ---- drawing helpers ---- */

struct measure {
    struct pl_pdf *pdf;
    enum pl_font_role role;
    double size;
};

static double width_of(void *ctx, uint32_t cp)
{
    struct measure *m = ctx;
    return pl_pdf_char_width(m->pdf, m->role, cp, m->size);
}

static double text_width(struct ts *t, enum pl_font_role role, double size, double tracking,
                         const char *s)
{
    double w = 0;
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = pl_utf8_decode(s + i, n - i, &cp);
        if (!k)
            break;
        w += pl_pdf_char_width(t->pdf, role, cp, size) + tracking;
        i += k;
    }
    return w;
}

/* The baseline of grid line LN for text of SIZE, centred in the line. */
static double baseline(double ln, double size)
{
    return TOP - ln * PITCH_Y - PITCH_Y / 2 - EM_CENTRE * size;
}

static enum pl_status draw_justified(struct ts *t, enum pl_font_role role, double size,
                                     double tracking, double justify, struct pl_rgb colour,
                                     double x, double y, const char *s, size_t n)
{
    struct pl_text_style st = {role, size, tracking, justify, colour, 0};
    return pl_pdf_text(t->pdf, &st, x, y, s, n, NULL);
}

static enum pl_status draw(struct ts *t, enum pl_font_role role, double size, double tracking,
                           struct pl_rgb colour, double x, double y, const char *s, size_t n)
{
    return draw_justified(t, role, size, tracking, 0, colour, x, y, s, n);
}

static enum pl_status folio(struct ts *t)
{
    size_t n = pl_pdf_page_count(t->pdf);
    char s[48];
    snprintf(s, sizeof s, "— %zu —", n);
    double w = text_width(t, PL_FONT_FOLIO, SMALL, 0, s);
    /* §7.5: 一字线上距版心下边缘 7 mm; 单页码居右空一字，双页码居左空一字. */
    double y = BOTTOM - PL_MM(7.0) - EM_ASCENT * SMALL;
    double x = n % 2 ? LEFT + WIDTH - SMALL - w : LEFT + SMALL;
    return draw(t, PL_FONT_FOLIO, SMALL, 0, black, x, y, s, strlen(s));
}

/* A new page; NUMBERED says whether it gets a page number. */
static enum pl_status add_page(struct ts *t, bool numbered)
{
    enum pl_status st = pl_pdf_add_page(t->pdf);
    if (st == PL_OK && numbered)
        st = folio(t);
    t->page = true;
    t->ln = 0;
    return st;
}

static enum pl_status new_page(struct ts *t)
{
    return add_page(t, true);
}

/* Makes sure NEED grid lines are left on the page, starting a new one if not. */
static enum pl_status room(struct ts *t, double need)
{
    if (!t->page || t->ln + need > LINES + 1e-6)
        return new_page(t);
    return PL_OK;
}

enum align { A_LEFT, A_CENTRE, A_RIGHT };

/* Sets TEXT on the grid from the current line: broken, justified unless centred. */
/* Like grid_text, with FOLLOW grid lines that must come after the text on the page of its
 * last line (the signature after the last paragraph). When the text would end a page that
 * has no room left for them, its last two lines go over to the next page with them, so
 * that a page never holds the signature alone (GB/T 9704 §7.3.5). */
static enum pl_status grid_text_kept(struct ts *t, enum pl_font_role role, double size,
                                     double indent, double hang, enum align align, bool balanced,
                                     const char *text, double follow)
{
    double tracking = role == PL_FONT_TITLE ? 0 : PITCH_X - size;
    struct measure m = {t->pdf, role, size};
    struct pl_break_opts o = {WIDTH - hang, indent - hang, tracking, width_of, &m};
    t->lines.count = 0;
    enum pl_status st = balanced ? pl_break_balanced(text, strlen(text), &o, &t->lines)
                                 : pl_break(text, strlen(text), &o, &t->lines);
    size_t n = t->lines.count, turn = SIZE_MAX;
    double left = t->page ? LINES - t->ln : 0;
    if (follow > 0 && (double)n <= left + 1e-6 && (double)n + follow > left + 1e-6)
        turn = n > 2 ? n - 2 : 0;
    for (size_t i = 0; i < n && st == PL_OK; i++) {
        const struct pl_line *l = &t->lines.line[i];
        if ((st = i == turn ? new_page(t) : room(t, 1)) != PL_OK)
            break;
        double x = LEFT + hang + l->indent;
        double extra = align == A_LEFT ? pl_line_justify(l) : 0;
        /* The last character's tracking is not ink. */
        double ink = l->width - tracking;
        if (align == A_CENTRE)
            x = LEFT + (WIDTH - ink) / 2;
        else if (align == A_RIGHT)
            x = LEFT + WIDTH - ink;
        st = draw_justified(t, role, size, tracking, extra, black, x, baseline(t->ln, size),
                            text + l->start, l->end - l->start);
        t->ln += 1;
    }
    return st;
}

static enum pl_status grid_text(struct ts *t, enum pl_font_role role, double size, double indent,
                                double hang, enum align align, bool balanced, const char *text)
{
    return grid_text_kept(t, role, size, indent, hang, align, balanced, text, 0);
}

/* ---- the header (版头) ---- */

static enum pl_status header(struct ts *t)
{
    t->header_done = true;
    enum pl_status st = new_page(t);
    if (st != PL_OK || (!t->issuer && !t->number))
        return st;
    double y_low = TOP; /* the lowest ink so far */
    if (t->issuer) {
        /* §7.2.3: 发文机关标志 上边缘至版心上边缘 35 mm, red, centred; its size is not fixed:
         * at most 40 pt, less when it would not fit the block. */
        double w1 = text_width(t, PL_FONT_TITLE, 1.0, 0, t->issuer);
        double size = w1 > 0 ? fmin(40.0, 0.96 * WIDTH / w1) : 40.0;
        double y = TOP - PL_MM(35.0) - EM_ASCENT * size;
        double x = LEFT + (WIDTH - w1 * size) / 2;
        struct pl_text_style s = {PL_FONT_TITLE, size, 0, 0, red, 0.3};
        if ((st = pl_pdf_text(t->pdf, &s, x, y, t->issuer, strlen(t->issuer), NULL)) != PL_OK)
            return st;
        y_low = y - EM_DESCENT * size;
    }
    /* §7.2.4: 发文字号 in the line two blank lines below the mark, centred. */
    double line_top = y_low - 2 * PITCH_Y;
    double y = line_top - PITCH_Y / 2 - EM_CENTRE * BODY;
    if (t->number) {
        double w = text_width(t, PL_FONT_BODY, BODY, 0, t->number);
        if ((st = draw(t, PL_FONT_BODY, BODY, 0, black, LEFT + (WIDTH - w) / 2, y, t->number,
                       strlen(t->number))) != PL_OK)
            return st;
    }
    if (t->imprint) {
        /* A serial's masthead: issuing office left, date right, on the next line. */
        if (t->number)
            y -= PITCH_Y;
        const char *l = t->imprint->f[0], *r = t->imprint->nf > 1 ? t->imprint->f[1] : "";
        double wr = text_width(t, PL_FONT_BODY, BODY, 0, r);
        if ((st = draw(t, PL_FONT_BODY, BODY, 0, black, LEFT, y, l, strlen(l))) != PL_OK ||
            (st = draw(t, PL_FONT_BODY, BODY, 0, black, LEFT + WIDTH - wr, y, r, strlen(r))) !=
                PL_OK)
            return st;
    }
    /* §7.2.6: the red rule 4 mm below the number, as wide as the block. */
    double rule = y - EM_DESCENT * BODY - PL_MM(4.0);
    if ((st = pl_pdf_line(t->pdf, LEFT, rule, LEFT + WIDTH, rule, 1.5, red)) != PL_OK)
        return st;
    /* §7.3.1: the title two blank lines below the rule. */
    t->ln = ceil((TOP - rule) / PITCH_Y - 1e-6) + 2;
    return PL_OK;
}

/* ---- tables ---- */

struct column {
    double w;
    enum align align;
};

struct table {
    struct column *col;
    size_t ncol;
    size_t head_first, head_count; /* blocks */
};

static struct pl_rgb cell_fill(const char **text, bool *filled)
{
    static const struct {
        const char *tag;
        const struct pl_rgb *c;
    } tags[] = {{"{blue}", &fill_blue}, {"{yellow}", &fill_yellow}, {"{red}", &fill_red}};
    *filled = false;
    for (size_t i = 0; i < 3; i++)
        if (strncmp(*text, tags[i].tag, strlen(tags[i].tag)) == 0) {
            *text += strlen(tags[i].tag);
            *filled = true;
            return *tags[i].c;
        }
    if ((*text)[0] == '\\' && (*text)[1] == '{')
        (*text)++;
    return black;
}

#define PAD_X 4.0
#define PAD_Y 4.0
#define CELL_LEAD (CELL * 1.4)

/* Breaks every cell of ROW; returns the row's height, or -1 on failure. */
static double row_height(struct ts *t, const struct table *tb, const struct block *row, bool head,
                         struct pl_lines *cells)
{
    size_t most = 1;
    for (size_t c = 0; c < tb->ncol; c++) {
        const char *s = c < row->nf ? row->f[c] : "";
        bool filled;
        cell_fill(&s, &filled);
        struct measure m = {t->pdf, head ? PL_FONT_HEI : PL_FONT_BODY, CELL};
        struct pl_break_opts o = {tb->col[c].w - 2 * PAD_X, 0, 0, width_of, &m};
        cells[c].count = 0;
        if (pl_break(s, strlen(s), &o, &cells[c]) != PL_OK)
            return -1;
        if (cells[c].count > most)
            most = cells[c].count;
    }
    return (double)most * CELL_LEAD + 2 * PAD_Y;
}

/* Draws ROW's cells (broken into CELLS) as a row of height H from TOP: lines FROM .. FROM +
 * COUNT of each cell, centred in the row when CENTRE, else from its top (a row split across
 * pages). */
static enum pl_status draw_part(struct ts *t, const struct table *tb, const struct block *row,
                                bool head, struct pl_lines *cells, double top, double h,
                                size_t from, size_t count, bool centre)
{
    enum pl_status st = PL_OK;
    double x = LEFT;
    for (size_t c = 0; c < tb->ncol && st == PL_OK; c++) {
        const char *s = c < row->nf ? row->f[c] : "";
        bool filled;
        struct pl_rgb fill = cell_fill(&s, &filled);
        if (head) {
            filled = true;
            fill = fill_head;
        }
        double w = tb->col[c].w;
        if (filled)
            st = pl_pdf_fill_rect(t->pdf, x, top - h, w, h, fill);
        size_t end = from + count < cells[c].count ? from + count : cells[c].count;
        size_t shown = end > from ? end - from : 0;
        double y0 = centre ? top - (h - (double)shown * CELL_LEAD) / 2 : top - PAD_Y;
        for (size_t i = from; i < end && st == PL_OK; i++) {
            const struct pl_line *l = &cells[c].line[i];
            double lx = x + PAD_X;
            enum align a = head ? A_CENTRE : tb->col[c].align;
            if (a == A_CENTRE)
                lx = x + (w - l->width) / 2;
            else if (a == A_RIGHT)
                lx = x + w - PAD_X - l->width;
            double y = y0 - (double)(i - from) * CELL_LEAD - CELL_LEAD / 2 - EM_CENTRE * CELL;
            st = draw(t, head ? PL_FONT_HEI : PL_FONT_BODY, CELL, 0, black, lx, y, s + l->start,
                      l->end - l->start);
        }
        x += w;
    }
    /* The cell borders. */
    double xx = LEFT;
    for (size_t c = 0; c <= tb->ncol && st == PL_OK; c++) {
        st = pl_pdf_line(t->pdf, xx, top, xx, top - h, 0.6, black);
        if (c < tb->ncol)
            xx += tb->col[c].w;
    }
    if (st == PL_OK)
        st = pl_pdf_line(t->pdf, LEFT, top, LEFT + WIDTH, top, 0.6, black);
    if (st == PL_OK)
        st = pl_pdf_line(t->pdf, LEFT, top - h, LEFT + WIDTH, top - h, 0.6, black);
    return st;
}

static enum pl_status draw_row(struct ts *t, const struct table *tb, const struct block *row,
                               bool head, struct pl_lines *cells, double top, double h)
{
    return draw_part(t, tb, row, head, cells, top, h, 0, SIZE_MAX, true);
}

static size_t most_lines(const struct table *tb, const struct pl_lines *cells)
{
    size_t most = 1;
    for (size_t c = 0; c < tb->ncol; c++)
        if (cells[c].count > most)
            most = cells[c].count;
    return most;
}

/* Draws the header rows at *Y, moving *Y down. They leave CELLS holding their breaks. */
static enum pl_status draw_heads(struct ts *t, const struct table *tb, struct pl_lines *cells,
                                 double *y)
{
    enum pl_status st = PL_OK;
    for (size_t r = 0; r < tb->head_count && st == PL_OK; r++) {
        const struct block *hb = &t->b[tb->head_first + r];
        double rh = row_height(t, tb, hb, true, cells);
        st = draw_row(t, tb, hb, true, cells, *y, rh);
        *y -= rh;
    }
    return st;
}

/* A row taller than a whole page: set in parts, each page's part from the top of its cells,
 * the header repeated above each. Nothing is cut off. */
static enum pl_status split_row(struct ts *t, const struct table *tb, const struct block *b,
                                struct pl_lines *cells, double *y, bool *heads_due)
{
    enum pl_status st = PL_OK;
    row_height(t, tb, b, false, cells);
    size_t done = 0, most = most_lines(tb, cells);
    while (done < most && st == PL_OK) {
        if (*heads_due) {
            if ((st = draw_heads(t, tb, cells, y)) != PL_OK)
                break;
            *heads_due = false;
            row_height(t, tb, b, false, cells);
        }
        double avail = *y - BOTTOM - 2 * PAD_Y;
        size_t fit = avail > 0 ? (size_t)(avail / CELL_LEAD) : 0;
        if (fit == 0) {
            st = new_page(t);
            *y = TOP;
            *heads_due = true;
            continue;
        }
        size_t take = fit < most - done ? fit : most - done;
        double h = (double)take * CELL_LEAD + 2 * PAD_Y;
        st = draw_part(t, tb, b, false, cells, *y, h, done, take, false);
        *y -= h;
        done += take;
        if (done < most && st == PL_OK) {
            st = new_page(t);
            *y = TOP;
            *heads_due = true;
        }
    }
    return st;
}

static enum pl_status parse_columns(struct ts *t, const struct block *b, struct table *tb)
{
    tb->ncol = b->nf;
    tb->col = calloc(b->nf ? b->nf : 1, sizeof *tb->col);
    if (!tb->col)
        return PL_ERR_NOMEM;
    double total = 0;
    for (size_t c = 0; c < b->nf; c++) {
        char *end;
        double w = strtod(b->f[c], &end);
        enum align a = A_LEFT;
        if (*end == 'c')
            a = A_CENTRE, end++;
        else if (*end == 'r')
            a = A_RIGHT, end++;
        else if (*end == 'l')
            end++;
        if (end == b->f[c] || *end || w <= 0)
            return markup_error(t, b->line, "@table 的每一列写成“宽度[l|c|r]”，如 3c|14l|6l");
        tb->col[c] = (struct column){w, a};
        total += w;
    }
    for (size_t c = 0; c < b->nf; c++)
        tb->col[c].w *= WIDTH / total;
    return PL_OK;
}

/* Sets the table starting at block *I (an @table) through its @end; leaves *I on the @end. */
static enum pl_status table(struct ts *t, size_t *i)
{
    struct table tb = {0};
    enum pl_status st = parse_columns(t, &t->b[*i], &tb);
    struct pl_lines *cells = st == PL_OK ? calloc(tb.ncol, sizeof *cells) : NULL;
    if (st == PL_OK && !cells)
        st = PL_ERR_NOMEM;
    if (st != PL_OK)
        goto done;
    if ((st = room(t, 2)) != PL_OK)
        goto done;
    double y = TOP - t->ln * PITCH_Y;
    size_t k = *i + 1;
    tb.head_first = k;
    while (k < t->nb && t->b[k].kind == K_HEAD)
        k++;
    tb.head_count = k - tb.head_first;
    bool heads_due = true;
    /* The header rows' height, for the room they take when repeated: the same for every row,
     * so measured once. */
    double hh = 0;
    for (size_t r = 0; r < tb.head_count && hh >= 0; r++) {
        double rh = row_height(t, &tb, &t->b[tb.head_first + r], true, cells);
        hh = rh < 0 ? rh : hh + rh;
    }
    if (hh < 0)
        st = PL_ERR_DATA;
    for (; k <= t->nb && st == PL_OK; k++) {
        if (k == t->nb) {
            st = markup_error(t, t->b[*i].line, "@table 没有对应的 @end");
            break;
        }
        const struct block *b = &t->b[k];
        if (b->kind == K_END)
            break;
        if (b->kind != K_ROW) {
            st = markup_error(t, b->line, "表格里只能有 @head、@row，以 @end 结束");
            break;
        }
        /* The row's own breaks, which stay in CELLS for drawing. */
        double h = row_height(t, &tb, b, false, cells);
        if (h < 0) {
            st = PL_ERR_DATA;
            break;
        }
        if (h > TOP - BOTTOM - hh + 1e-6) {
            st = split_row(t, &tb, b, cells, &y, &heads_due);
            continue;
        }
        if (y - (heads_due ? hh : 0) - h < BOTTOM - 1e-6) {
            if ((st = new_page(t)) != PL_OK)
                break;
            y = TOP;
            heads_due = true;
        }
        if (heads_due) {
            st = draw_heads(t, &tb, cells, &y);
            heads_due = false;
            if (st != PL_OK)
                break;
            row_height(t, &tb, b, false, cells);
        }
        st = draw_row(t, &tb, b, false, cells, y, h);
        y -= h;
    }
    *i = k;
    t->ln = ceil((TOP - y) / PITCH_Y - 1e-6);
done:
    if (cells)
        for (size_t c = 0; c < tb.ncol; c++)
            pl_lines_fini(&cells[c]);
    free(cells);
    free(tb.col);
    return st;
}

/* ---- the closing parts ---- */

static size_t count_appendices(const struct ts *t)
{
    size_t n = 0;
    for (size_t i = 0; i < t->nb; i++)
        n += t->b[i].kind == K_APPENDIX;
    return n;
}

/* §7.3.3 附件说明: a blank line, then 附件：1. … with later items under the first. */
static enum pl_status appendix_note(struct ts *t)
{
    if (!t->appendices)
        return PL_OK;
    t->ln += 1;
    const char *lead = "附件：";
    double lw = text_width(t, PL_FONT_BODY, BODY, PITCH_X - BODY, lead);
    enum pl_status st = PL_OK;
    size_t no = 0;
    struct pl_buf s;
    pl_buf_init(&s);
    for (size_t i = 0; i < t->nb && st == PL_OK; i++) {
        if (t->b[i].kind != K_APPENDIX)
            continue;
        no++;
        pl_buf_clear(&s);
        if (no == 1)
            pl_buf_append_str(&s, lead);
        if (t->appendices > 1)
            pl_buf_printf(&s, "%zu. ", no);
        pl_buf_append_str(&s, joined(t, &t->b[i]));
        double first = no == 1 ? 2 * PITCH_X : 2 * PITCH_X + lw;
        st = grid_text(t, PL_FONT_BODY, BODY, first, 2 * PITCH_X + lw, A_LEFT, false, s.data);
    }
    pl_buf_fini(&s);
    return st;
}

/* §7.3.5.2: a blank line, the signature 右空二字, the date below it two characters further
 * right (or 右空二字 when it is the longer, the signature moving left to keep the step). */
static enum pl_status signature(struct ts *t)
{
    enum pl_status st = appendix_note(t);
    if (st != PL_OK)
        return st;
    double track = PITCH_X - BODY;
    const char *sig = t->signature ? t->signature : "";
    const char *date = t->date ? t->date : "";
    double ws = text_width(t, PL_FONT_BODY, BODY, track, sig) - track;
    double wd = text_width(t, PL_FONT_BODY, BODY, track, date) - track;
    double right = LEFT + WIDTH - 2 * PITCH_X;
    double xs = right - ws, xd = xs + 2 * PITCH_X;
    if (xd + wd > right) {
        xd = right - wd;
        xs = xd - 2 * PITCH_X;
    }
    t->ln += 1;
    if ((st = room(t, *date ? 2 : 1)) != PL_OK)
        return st;
    if (*sig && (st = draw(t, PL_FONT_BODY, BODY, track, black, xs, baseline(t->ln, BODY), sig,
                           strlen(sig))) != PL_OK)
        return st;
    t->ln += 1;
    if (*date) {
        if ((st = draw(t, PL_FONT_BODY, BODY, track, black, xd, baseline(t->ln, BODY), date,
                       strlen(date))) != PL_OK)
            return st;
        t->ln += 1;
    }
    return PL_OK;
}

static enum pl_status appendix(struct ts *t, const struct block *b)
{
    enum pl_status st = new_page(t);
    if (st != PL_OK)
        return st;
    t->appendix_no++;
    /* §8: 附件 (with its number when there are several) 3号黑体 at the top left; the title
     * centred on the third line. */
    char label[32];
    if (t->appendices > 1)
        snprintf(label, sizeof label, "附件%zu", t->appendix_no);
    else
        snprintf(label, sizeof label, "附件");
    if ((st = draw(t, PL_FONT_HEI, BODY, 0, black, LEFT, baseline(0, BODY), label,
                   strlen(label))) != PL_OK)
        return st;
    t->ln = 2;
    for (size_t k = 0; k < b->nf && st == PL_OK; k++)
        st = grid_text(t, PL_FONT_TITLE, TITLE, 0, 0, A_CENTRE, true, b->f[k]);
    if (st != PL_OK)
        return st;
    t->ln += 1;
    return PL_OK;
}

/* §7.4 版记: 抄送 and 印发 rows in 4号, one character in from each side, between rules (the
 * first and last 0.35 mm, the middle 0.25 mm), the last rule on the bottom of the block. */
static enum pl_status closing(struct ts *t)
{
    if (!t->copy && !t->printed)
        return PL_OK;
    double track = 0;
    struct measure m = {t->pdf, PL_FONT_BODY, SMALL};
    struct pl_lines copy = {0};
    enum pl_status st = PL_OK;
    double lead = 0;
    if (t->copy) {
        /* Lines after the first start under the text after 抄送： (or 报：, 送：). */
        const char *colon = strstr(t->copy, "：");
        if (colon && colon - t->copy <= 12) {
            char *head = strndup(t->copy, (size_t)(colon - t->copy) + strlen("："));
            if (!head) {
                st = PL_ERR_NOMEM;
                goto done;
            }
            lead = text_width(t, PL_FONT_BODY, SMALL, 0, head);
            free(head);
        }
        struct pl_break_opts o = {WIDTH - 2 * SMALL - lead, -lead, track, width_of, &m};
        if ((st = pl_break(t->copy, strlen(t->copy), &o, &copy)) != PL_OK)
            goto done;
    }
    double row = PITCH_Y;
    size_t rows = copy.count + (t->printed ? 1 : 0);
    double need = (double)rows * row;
    /* §7.4, §7.5: the closing block goes on the last page, which is even (the back of the
     * last sheet). When the text ends on an odd page, or leaves no room, it goes on a page of
     * its own after a blank one where needed; a blank page and a closing page of their own
     * carry no page number. */
    bool odd = pl_pdf_page_count(t->pdf) % 2 == 1;
    bool fits = t->page && TOP - t->ln * PITCH_Y - need >= BOTTOM - 1e-6;
    if (!fits || odd) {
        if (!odd && (st = add_page(t, false)) != PL_OK)
            goto done;
        if ((st = add_page(t, false)) != PL_OK)
            goto done;
    }
    double y = BOTTOM;
    double thick = PL_MM(0.35), thin = PL_MM(0.25);
    if ((st = pl_pdf_line(t->pdf, LEFT, y, LEFT + WIDTH, y, thick, black)) != PL_OK)
        goto done;
    if (t->printed) {
        const char *office = t->printed->f[0];
        const char *when = t->printed->nf > 1 ? t->printed->f[1] : "";
        double by = y + row / 2 - EM_CENTRE * SMALL;
        double ww = text_width(t, PL_FONT_BODY, SMALL, 0, when);
        if ((st = draw(t, PL_FONT_BODY, SMALL, 0, black, LEFT + SMALL, by, office,
                       strlen(office))) != PL_OK ||
            (st = draw(t, PL_FONT_BODY, SMALL, 0, black, LEFT + WIDTH - SMALL - ww, by, when,
                       strlen(when))) != PL_OK)
            goto done;
        y += row;
        if ((st = pl_pdf_line(t->pdf, LEFT, y, LEFT + WIDTH, y, copy.count ? thin : thick,
                              black)) != PL_OK)
            goto done;
    }
    for (size_t i = copy.count; i-- > 0;) {
        const struct pl_line *l = &copy.line[i];
        double by = y + row / 2 - EM_CENTRE * SMALL;
        if ((st = draw(t, PL_FONT_BODY, SMALL, 0, black, LEFT + SMALL + lead + l->indent, by,
                       t->copy + l->start, l->end - l->start)) != PL_OK)
            goto done;
        y += row;
    }
    if (copy.count)
        st = pl_pdf_line(t->pdf, LEFT, y, LEFT + WIDTH, y, thick, black);
done:
    pl_lines_fini(&copy);
    return st;
}

/* ---- the whole ---- */

static size_t count_titles(const struct ts *t)
{
    size_t n = 0;
    for (size_t i = 0; i < t->nb; i++)
        n += t->b[i].kind == K_TITLE;
    return n;
}

static enum pl_status collect(struct ts *t)
{
    for (size_t i = 0; i < t->nb; i++) {
        const struct block *b = &t->b[i];
        const char *f = b->nf ? b->f[0] : "";
        switch (b->kind) {
        case K_ISSUER:
            t->issuer = f;
            break;
        case K_NUMBER:
            t->number = *f ? f : NULL;
            break;
        case K_IMPRINT:
            t->imprint = b;
            break;
        case K_TITLE:
            free(t->title);
            t->title = strdup(joined(t, b));
            break;
        case K_SIGNATURE:
            t->signature = f;
            break;
        case K_DATE:
            t->date = f;
            break;
        case K_COPY:
            t->copy = *f ? f : NULL;
            break;
        case K_PRINTED:
            t->printed = b;
            break;
        case K_SUBJECT:
            t->subject = f;
            break;
        default:
            break;
        }
    }
    t->appendices = count_appendices(t);
    return t->title || !count_titles(t) ? PL_OK : PL_ERR_NOMEM;
}

/* When block I is the body's last paragraph before the signature: how many grid lines the
 * 附件说明 and the signature take after it (a blank line before each); else 0. */
static double signature_follows(const struct ts *t, size_t i)
{
    size_t k = i + 1;
    while (k < t->nb && (t->b[k].kind == K_DATE || t->b[k].kind == K_SUBJECT ||
                         t->b[k].kind == K_COPY || t->b[k].kind == K_PRINTED))
        k++;
    if (k >= t->nb || t->b[k].kind != K_SIGNATURE)
        return 0;
    double note = t->appendices ? 1.0 + (double)t->appendices : 0;
    return note + 1 + 1 + (t->date ? 1 : 0);
}

static enum pl_status set_blocks(struct ts *t)
{
    enum pl_status st = PL_OK;
    bool signed_ = false;
    for (size_t i = 0; i < t->nb && st == PL_OK; i++) {
        const struct block *b = &t->b[i];
        const char *f = b->nf ? b->f[0] : "";
        if (!t->header_done && (st = header(t)) != PL_OK)
            break;
        switch (b->kind) {
        case K_TITLE:
            /* Lines given with | are kept as given; otherwise balanced. */
            for (size_t k = 0; k < b->nf && st == PL_OK; k++)
                st = grid_text(t, PL_FONT_TITLE, TITLE, 0, 0, A_CENTRE, true, b->f[k]);
            t->ln += 1; /* §7.3.2: 主送机关 one blank line below the title */
            break;
        case K_TO:
            st = grid_text(t, PL_FONT_BODY, BODY, 0, 0, A_LEFT, false, f);
            break;
        case K_PARA:
            st = grid_text_kept(t, PL_FONT_BODY, BODY, 2 * PITCH_X, 0, A_LEFT, false, f,
                                signature_follows(t, i));
            break;
        case K_H1:
        case K_H2:
            /* A heading never ends a page. */
            if ((st = room(t, 2)) == PL_OK)
                st = grid_text(t, b->kind == K_H1 ? PL_FONT_HEI : PL_FONT_KAI, BODY, 2 * PITCH_X, 0,
                               A_LEFT, false, f);
            break;
        case K_SIGNATURE:
            signed_ = true;
            st = signature(t);
            break;
        case K_APPENDIX:
            if (!signed_) {
                signed_ = true;
                st = appendix_note(t);
            }
            if (st == PL_OK)
                st = appendix(t, b);
            break;
        case K_TABLE:
            st = table(t, &i);
            break;
        case K_HEAD:
        case K_ROW:
        case K_END:
            st = markup_error(t, b->line, "@head、@row、@end 只能在 @table 之后");
            break;
        case K_PAGE:
            st = new_page(t);
            break;
        default:
            break;
        }
    }
    if (st == PL_OK && !t->header_done)
        st = header(t);
    if (st == PL_OK)
        st = closing(t);
    return st;
}

enum pl_status pl_typeset(struct pl_pdf *pdf, const char *text, size_t len, const char *source,
                          long long when, struct pl_diag *diag)
{
    char *copy = malloc(len + 1);
    if (!copy)
        return PL_ERR_NOMEM;
    memcpy(copy, text, len);
    copy[len] = '\0';
    enum pl_status st = pl_typeset_in_place(pdf, copy, len, source, when, diag);
    free(copy);
    return st;
}

enum pl_status pl_typeset_in_place(struct pl_pdf *pdf, char *text, size_t len, const char *source,
                                   long long when, struct pl_diag *diag)
{
    struct ts t = {.pdf = pdf, .diag = diag, .source = source};
    pl_buf_init(&t.joined);
    enum pl_status st = parse(&t, text, len);
    if (st == PL_OK)
        st = collect(&t);
    if (st == PL_OK) {
        /* The author: who signs, else the office a serial's masthead names, else the issuer. */
        const char *author = t.signature                                      ? t.signature
                             : t.imprint && t.imprint->nf && *t.imprint->f[0] ? t.imprint->f[0]
                                                                              : t.issuer;
        st = pl_pdf_set_info(pdf, t.title, author, t.subject, when);
    }
    if (st == PL_OK)
        st = set_blocks(&t);
    for (size_t i = 0; i < t.nb; i++)
        block_free(&t.b[i]);
    free(t.b);
    pl_lines_fini(&t.lines);
    pl_buf_fini(&t.joined);
    free(t.title);
    return st;
}
