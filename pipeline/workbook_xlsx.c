/* workbook_xlsx — the .xlsx/.xlsm reader: a zip (libzip) of XML parts (expat). The small parts
 * (relationships, workbook, styles) and the shared strings are read at open; a sheet is
 * streamed in chunks, one row at a time, so memory follows the shared strings and the widest
 * row, never the sheet's length. */
#include "workbook_impl.h"

#include <expat.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "buf.h"
#include "ooxml.h"

#define MAX_COLUMNS 16384 /* XFD: the last column Excel has */

static const char msg_truncated[] = "文件不完整（可能下载或拷贝中断）：请重新导出或重新发送";
static const char msg_resave[] = "请用Excel或WPS打开后另存为.xlsx重新报送";

struct xlsx {
    struct pl_workbook *wb;
    zip_t *za;
    bool date1904;
    char **parts; /* per sheet: the part that holds it */
    size_t nparts;
    unsigned char *xf_style; /* per cellXfs entry: enum pl_number_style */
    size_t nxf;
    struct pl_buf sst; /* the shared strings, each NUL-terminated */
    size_t *sst_off;   /* nsst + 1 offsets into sst */
    size_t nsst, sst_cap;
};

/* --- XML parts ---------------------------------------------------------------------------- */

/* The value of attribute LOCAL_NAME, prefixed (r:id) or not (t, s, r). */
static const char *attr(const XML_Char **atts, const char *local_name, bool namespaced)
{
    for (size_t i = 0; atts[i]; i += 2) {
        const char *colon = strchr(atts[i], ':');
        if (namespaced ? colon && strcmp(colon + 1, local_name) == 0
                       : !colon && strcmp(atts[i], local_name) == 0)
            return atts[i + 1];
    }
    return NULL;
}

static void report_zip_error(struct xlsx *x, int code)
{
    if (code == ZIP_ER_NOPASSWD || code == ZIP_ER_WRONGPASSWD || code == ZIP_ER_ENCRNOTSUPP)
        pl_diag_report(x->wb->diag, x->wb->display, 0, 0, "E_ENCRYPTED",
                       "压缩包设了密码，无法读取：请取消密码后%s", msg_resave);
    else if (code == ZIP_ER_COMPNOTSUPP)
        pl_diag_report(x->wb->diag, x->wb->display, 0, 0, "E_WORKBOOK_BROKEN",
                       "工作簿用了不支持的压缩方式：%s", msg_resave);
    else
        pl_diag_report(x->wb->diag, x->wb->display, 0, 0, "E_TRUNCATED_FILE", msg_truncated);
}

/* Streams part INDEX through PS with the handlers given; a zip that breaks off is reported
 * here, a part that is not XML left to the caller (*BAD_XML: it knows what the part is). */
static enum pl_status stream_part(struct xlsx *x, zip_int64_t index, struct pl_ooxml_parser *ps,
                                  XML_StartElementHandler start, XML_EndElementHandler end,
                                  XML_CharacterDataHandler text, bool *bad_xml)
{
    int zip_code;
    enum pl_status st = pl_ooxml_stream(x->za, index, ps, start, end, text, &zip_code, bad_xml);
    if (zip_code)
        report_zip_error(x, zip_code);
    return st;
}

static zip_int64_t locate(struct xlsx *x, const char *part)
{
    return zip_name_locate(x->za, part, ZIP_FL_NOCASE);
}

static void report_broken_part(struct xlsx *x, const char *part)
{
    pl_diag_report(x->wb->diag, x->wb->display, 0, 0, "E_WORKBOOK_BROKEN",
                   "工作簿的组成部分%s损坏，无法读取：%s", part, msg_resave);
}

/* Parses PART with handlers on PS (the head of their state). A part that is
 * absent is PL_OK with *PRESENT false. */
static enum pl_status parse_part(struct xlsx *x, const char *part, struct pl_ooxml_parser *ps,
                                 XML_StartElementHandler start, XML_EndElementHandler end,
                                 XML_CharacterDataHandler text, bool *present)
{
    zip_int64_t index = locate(x, part);
    if (present)
        *present = index >= 0;
    if (index < 0)
        return PL_OK;
    bool bad_xml;
    enum pl_status st = stream_part(x, index, ps, start, end, text, &bad_xml);
    if (bad_xml)
        report_broken_part(x, part);
    return st;
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* --- part names --------------------------------------------------------------------------- */

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* The part a relationship TARGET names, seen from the folder BASE ("xl/" or ""): "/xl/a.xml"
 * is absolute, "../b.xml" climbs, %XX is decoded. NULL when out of memory. */
static char *resolve(const char *base, const char *target)
{
    struct pl_buf joined;
    pl_buf_init(&joined);
    enum pl_status st = PL_OK;
    if (target[0] == '/')
        target++;
    else
        st = pl_buf_append_str(&joined, base);
    for (const char *p = target; st == PL_OK && *p; p++) {
        if (*p == '%' && hexval(p[1]) >= 0 && hexval(p[2]) >= 0) {
            st = pl_buf_append_char(&joined, (char)(hexval(p[1]) * 16 + hexval(p[2])));
            p += 2;
        } else {
            st = pl_buf_append_char(&joined, *p);
        }
    }
    if (st != PL_OK) {
        pl_buf_fini(&joined);
        return NULL;
    }
    /* "." and ".." segments, in place: the result is never longer */
    char *s = joined.data;
    size_t out = 0;
    for (size_t i = 0; i <= joined.len;) {
        size_t end = i;
        while (end < joined.len && s[end] != '/')
            end++;
        size_t seg = end - i;
        if (seg == 0 || (seg == 1 && s[i] == '.')) {
            /* nothing */
        } else if (seg == 2 && s[i] == '.' && s[i + 1] == '.') {
            while (out > 0 && s[out - 1] != '/')
                out--;
            if (out > 0)
                out--;
            while (out > 0 && s[out - 1] != '/')
                out--;
        } else {
            memmove(s + out, s + i, seg);
            out += seg;
            if (end < joined.len)
                s[out++] = '/';
        }
        i = end + 1;
    }
    if (out > 0 && s[out - 1] == '/')
        out--;
    joined.len = out;
    s[out] = '\0';
    char *r = pl_buf_take(&joined);
    pl_buf_fini(&joined);
    return r;
}

/* The folder of PART, with its slash ("xl/workbook.xml" → "xl/"), and its relationships part
 * ("xl/_rels/workbook.xml.rels"). */
static char *folder_of(const char *part)
{
    const char *slash = strrchr(part, '/');
    size_t n = slash ? (size_t)(slash - part + 1) : 0;
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, part, n);
        d[n] = '\0';
    }
    return d;
}

static char *rels_of(const char *part)
{
    const char *slash = strrchr(part, '/');
    size_t n = slash ? (size_t)(slash - part + 1) : 0;
    struct pl_buf b;
    pl_buf_init(&b);
    if (pl_buf_append(&b, part, n) != PL_OK || pl_buf_append_str(&b, "_rels/") != PL_OK ||
        pl_buf_append_str(&b, part + n) != PL_OK || pl_buf_append_str(&b, ".rels") != PL_OK) {
        pl_buf_fini(&b);
        return NULL;
    }
    char *r = pl_buf_take(&b);
    pl_buf_fini(&b);
    return r;
}

/* --- relationships ------------------------------------------------------------------------ */

struct rel {
    char *id, *type, *target;
};

struct rels {
    struct pl_ooxml_parser ps;
    struct rel *v;
    size_t n, cap;
};

static void rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct rels *r = ud;
    if (strcmp(pl_ooxml_local(name), "Relationship") != 0)
        return;
    const char *id = attr(atts, "Id", false), *type = attr(atts, "Type", false);
    const char *target = attr(atts, "Target", false), *mode = attr(atts, "TargetMode", false);
    if (!id || !type || !target || (mode && strcmp(mode, "External") == 0))
        return;
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 8;
        struct rel *v = realloc(r->v, cap * sizeof *v);
        if (!v) {
            pl_ooxml_stop(&r->ps, PL_ERR_NOMEM);
            return;
        }
        r->v = v;
        r->cap = cap;
    }
    struct rel *e = &r->v[r->n];
    e->id = dup_str(id);
    e->type = dup_str(type);
    e->target = dup_str(target);
    r->n++;
    if (!e->id || !e->type || !e->target)
        pl_ooxml_stop(&r->ps, PL_ERR_NOMEM);
}

static void rels_end(void *ud, const XML_Char *name)
{
    (void)ud, (void)name;
}

static void rels_fini(struct rels *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->v[i].id);
        free(r->v[i].type);
        free(r->v[i].target);
    }
    free(r->v);
}

static const struct rel *rel_by_type(const struct rels *r, const char *suffix)
{
    for (size_t i = 0; i < r->n; i++)
        if (ends_with(r->v[i].type, suffix))
            return &r->v[i];
    return NULL;
}

static const struct rel *rel_by_id(const struct rels *r, const char *id)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->v[i].id, id) == 0)
            return &r->v[i];
    return NULL;
}

/* --- workbook part ------------------------------------------------------------------------ */

struct wbpart {
    struct pl_ooxml_parser ps;
    struct xlsx *x;
    struct pl_workbook_sheet *sheets;
    char **rids;
    size_t n, cap;
    bool root_seen, not_workbook; /* the part's root is no <workbook> (a Word document's) */
};

static bool is_true(const char *v)
{
    return v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
}

static void wbpart_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct wbpart *w = ud;
    const char *ln = pl_ooxml_local(name);
    if (!w->root_seen) {
        w->root_seen = true;
        if (strcmp(ln, "workbook") != 0) {
            w->not_workbook = true;
            pl_ooxml_stop(&w->ps, PL_ERR_DATA);
        }
        return;
    }
    if (strcmp(ln, "workbookPr") == 0) {
        w->x->date1904 = is_true(attr(atts, "date1904", false));
        return;
    }
    if (strcmp(ln, "sheet") != 0)
        return;
    const char *sheet_name = attr(atts, "name", false), *rid = attr(atts, "id", true);
    const char *state = attr(atts, "state", false);
    if (w->n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 8;
        struct pl_workbook_sheet *s = realloc(w->sheets, cap * sizeof *s);
        if (s)
            w->sheets = s;
        char **r = s ? realloc(w->rids, cap * sizeof *r) : NULL;
        if (!r) {
            pl_ooxml_stop(&w->ps, PL_ERR_NOMEM);
            return;
        }
        w->rids = r;
        w->cap = cap;
    }
    w->sheets[w->n].name = dup_str(sheet_name ? sheet_name : "");
    w->sheets[w->n].visible = !state || strcmp(state, "visible") == 0;
    w->rids[w->n] = dup_str(rid ? rid : "");
    w->n++;
    if (!w->sheets[w->n - 1].name || !w->rids[w->n - 1])
        pl_ooxml_stop(&w->ps, PL_ERR_NOMEM);
}

/* Frees what W holds; the sheets only when KEEP_SHEETS is false (else they were handed on). */
static void wbpart_fini(struct wbpart *w, bool keep_sheets)
{
    for (size_t i = 0; i < w->n; i++) {
        if (!keep_sheets)
            free(w->sheets[i].name);
        free(w->rids[i]);
    }
    if (!keep_sheets)
        free(w->sheets);
    free(w->rids);
}

/* --- styles ------------------------------------------------------------------------------- */

struct fmt {
    long id;
    unsigned char style;
};

struct styles {
    struct pl_ooxml_parser ps;
    struct fmt *fmts;
    size_t nfmts, fmts_cap;
    long *xf_fmt; /* numFmtId of each cellXfs entry */
    size_t nxf, xf_cap;
    int in_cellxfs;
};

static bool grow(void **v, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return true;
    size_t c = *cap ? *cap * 2 : 16;
    void *p = realloc(*v, c * size);
    if (!p)
        return false;
    *v = p;
    *cap = c;
    return true;
}

static void styles_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct styles *s = ud;
    const char *ln = pl_ooxml_local(name);
    if (strcmp(ln, "cellXfs") == 0) {
        s->in_cellxfs++;
    } else if (strcmp(ln, "numFmt") == 0) {
        const char *id = attr(atts, "numFmtId", false), *code = attr(atts, "formatCode", false);
        if (!id || !code)
            return;
        if (!grow((void **)&s->fmts, &s->fmts_cap, s->nfmts, sizeof *s->fmts)) {
            pl_ooxml_stop(&s->ps, PL_ERR_NOMEM);
            return;
        }
        s->fmts[s->nfmts].id = strtol(id, NULL, 10);
        s->fmts[s->nfmts].style = (unsigned char)pl_workbook_format_style(code);
        s->nfmts++;
    } else if (strcmp(ln, "xf") == 0 && s->in_cellxfs) {
        const char *id = attr(atts, "numFmtId", false);
        if (!grow((void **)&s->xf_fmt, &s->xf_cap, s->nxf, sizeof *s->xf_fmt)) {
            pl_ooxml_stop(&s->ps, PL_ERR_NOMEM);
            return;
        }
        s->xf_fmt[s->nxf++] = id ? strtol(id, NULL, 10) : 0;
    }
}

static void styles_end(void *ud, const XML_Char *name)
{
    struct styles *s = ud;
    if (strcmp(pl_ooxml_local(name), "cellXfs") == 0 && s->in_cellxfs)
        s->in_cellxfs--;
}

static enum pl_status read_styles(struct xlsx *x, const char *part)
{
    struct styles s = {0};
    enum pl_status st = parse_part(x, part, &s.ps, styles_start, styles_end, NULL, NULL);
    if (st == PL_OK && s.nxf > 0) {
        x->xf_style = malloc(s.nxf);
        if (!x->xf_style)
            st = PL_ERR_NOMEM;
    }
    if (st == PL_OK) {
        x->nxf = s.nxf;
        for (size_t i = 0; i < s.nxf; i++) {
            enum pl_number_style style = pl_workbook_builtin_style((int)s.xf_fmt[i]);
            for (size_t f = s.nfmts; f-- > 0;) /* a custom code overrides a built-in id */
                if (s.fmts[f].id == s.xf_fmt[i]) {
                    style = s.fmts[f].style;
                    break;
                }
            x->xf_style[i] = (unsigned char)style;
        }
    }
    free(s.fmts);
    free(s.xf_fmt);
    return st;
}

/* --- strings ------------------------------------------------------------------------------ */

static enum pl_status append_utf8(struct pl_buf *b, unsigned long cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp, n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | cp >> 6), u[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | cp >> 12), u[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F)), n = 3;
    } else {
        u[0] = (char)(0xF0 | cp >> 18), u[1] = (char)(0x80 | (cp >> 12 & 0x3F));
        u[2] = (char)(0x80 | (cp >> 6 & 0x3F)), u[3] = (char)(0x80 | (cp & 0x3F)), n = 4;
    }
    return pl_buf_append(b, u, n);
}

/* The UTF-16 code unit of an "_xHHHH_" escape at S, or -1. */
static long xescape(const char *s, size_t len)
{
    if (len < 7 || s[0] != '_' || s[1] != 'x' || s[6] != '_')
        return -1;
    long v = 0;
    for (int i = 2; i < 6; i++) {
        int h = hexval(s[i]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

/* Appends S[0..LEN) to OUT with OOXML's "_xHHHH_" escapes decoded, as Excel shows them
 * ("_x000D_" is a carriage return, "_x005F_" an underscore). An escape of NUL or of a lone
 * surrogate stays as written. */
static enum pl_status append_xstring(struct pl_buf *out, const char *s, size_t len)
{
    enum pl_status st = PL_OK;
    size_t i = 0, plain = 0;
    while (st == PL_OK && i < len) {
        long u = s[i] == '_' ? xescape(s + i, len - i) : -1;
        size_t used = 7;
        unsigned long cp = (unsigned long)u;
        if (u >= 0xD800 && u < 0xDC00) {
            long lo = xescape(s + i + 7, len - i - 7);
            if (lo >= 0xDC00 && lo < 0xE000) {
                cp = 0x10000 + (((unsigned long)u - 0xD800) << 10) + ((unsigned long)lo - 0xDC00);
                used = 14;
            } else {
                u = -1;
            }
        } else if (u >= 0xDC00 && u < 0xE000) {
            u = -1;
        }
        if (u <= 0) {
            i++;
            continue;
        }
        st = pl_buf_append(out, s + plain, i - plain);
        if (st == PL_OK)
            st = append_utf8(out, cp);
        i += used;
        plain = i;
    }
    if (st == PL_OK)
        st = pl_buf_append(out, s + plain, len - plain);
    return st;
}

/* Text of <si> and <is>: <t> directly or in rich-text runs <r><t>, never in <rPh> (the
 * phonetic guide Excel shows above the text only when asked). */
struct sst {
    struct pl_ooxml_parser ps;
    struct xlsx *x;
    struct pl_buf text;
    int in_si, in_t, in_rph;
};

static enum pl_status sst_push(struct xlsx *x, const char *s, size_t len)
{
    if (x->nsst + 2 > x->sst_cap) {
        size_t cap = x->sst_cap ? x->sst_cap * 2 : 256;
        size_t *off = realloc(x->sst_off, cap * sizeof *off);
        if (!off)
            return PL_ERR_NOMEM;
        x->sst_off = off;
        x->sst_cap = cap;
    }
    if (x->nsst == 0)
        x->sst_off[0] = 0;
    if (append_xstring(&x->sst, s, len) != PL_OK || pl_buf_append_char(&x->sst, '\0') != PL_OK)
        return PL_ERR_NOMEM;
    x->sst_off[++x->nsst] = x->sst.len;
    return PL_OK;
}

static void sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    (void)atts;
    struct sst *s = ud;
    const char *ln = pl_ooxml_local(name);
    if (strcmp(ln, "si") == 0) {
        s->in_si = 1;
        pl_buf_clear(&s->text);
    } else if (s->in_si && strcmp(ln, "rPh") == 0) {
        s->in_rph++;
    } else if (s->in_si && strcmp(ln, "t") == 0) {
        s->in_t = 1;
    }
}

static void sst_end(void *ud, const XML_Char *name)
{
    struct sst *s = ud;
    const char *ln = pl_ooxml_local(name);
    if (strcmp(ln, "si") == 0 && s->in_si) {
        s->in_si = 0;
        enum pl_status st = sst_push(s->x, s->text.data, s->text.len);
        if (st != PL_OK)
            pl_ooxml_stop(&s->ps, st);
    } else if (strcmp(ln, "rPh") == 0 && s->in_rph) {
        s->in_rph--;
    } else if (strcmp(ln, "t") == 0) {
        s->in_t = 0;
    }
}

static void sst_text(void *ud, const XML_Char *text, int len)
{
    struct sst *s = ud;
    if (s->in_si && s->in_t && !s->in_rph && pl_buf_append(&s->text, text, (size_t)len) != PL_OK)
        pl_ooxml_stop(&s->ps, PL_ERR_NOMEM);
}

static enum pl_status read_sst(struct xlsx *x, const char *part)
{
    struct sst s = {.x = x};
    pl_buf_init(&s.text);
    enum pl_status st = parse_part(x, part, &s.ps, sst_start, sst_end, sst_text, NULL);
    pl_buf_fini(&s.text);
    return st;
}

/* --- open --------------------------------------------------------------------------------- */

static void xlsx_free(void *ctx)
{
    struct xlsx *x = ctx;
    if (!x)
        return;
    if (x->za)
        zip_discard(x->za);
    for (size_t i = 0; i < x->nparts; i++)
        free(x->parts[i]);
    free(x->parts);
    free(x->xf_style);
    pl_buf_fini(&x->sst);
    free(x->sst_off);
    free(x);
}

static enum pl_status xlsx_read_sheet(void *ctx, size_t index, bool merges, pl_sheet_row_fn on_row,
                                      void *fn_ctx);

static const struct pl_workbook_ops xlsx_ops = {"xlsx", xlsx_read_sheet, xlsx_free};

/* A zip that holds no workbook: say what it is, when that can be told. */
static enum pl_status not_workbook(struct xlsx *x)
{
    const char *what;
    if (locate(x, "word/document.xml") >= 0)
        what = "这是Word文档，不是报表：请把报表另存为.xlsx（Excel工作簿）或CSV后报送";
    else if (locate(x, "ppt/presentation.xml") >= 0)
        what = "这是PowerPoint演示文稿，不是报表：请把报表另存为.xlsx（Excel工作簿）或CSV后报送";
    else if (locate(x, "xl/workbook.bin") >= 0)
        what = "这是Excel二进制工作簿（.xlsb），无法读取：请另存为.xlsx（Excel工作簿）后报送";
    else if (locate(x, "content.xml") >= 0 && locate(x, "mimetype") >= 0)
        what = "这是OpenDocument文件（.ods等），无法读取：请另存为.xlsx（Excel工作簿）后报送";
    else
        what = "这是一个压缩包（zip），里面没有Excel工作簿：请直接报送报表文件（."
               "xlsx或CSV），不要压缩";
    pl_diag_report(x->wb->diag, x->wb->display, 0, 0, "E_NOT_WORKBOOK", "%s", what);
    return PL_ERR_DATA;
}

/* The workbook part: the officeDocument relationship of the package, else xl/workbook.xml.
 * *OUT is NULL when the zip holds none. */
static enum pl_status find_workbook(struct xlsx *x, char **out)
{
    *out = NULL;
    if (locate(x, "[Content_Types].xml") < 0)
        return PL_OK;
    struct rels r = {0};
    enum pl_status st = parse_part(x, "_rels/.rels", &r.ps, rels_start, rels_end, NULL, NULL);
    const struct rel *doc = st == PL_OK ? rel_by_type(&r, "/officeDocument") : NULL;
    if (st == PL_OK) {
        char *part = resolve("", doc ? doc->target : "xl/workbook.xml");
        if (!part)
            st = PL_ERR_NOMEM;
        else if (locate(x, part) < 0 && doc && locate(x, "xl/workbook.xml") >= 0) {
            free(part);
            part = dup_str("xl/workbook.xml");
            if (!part)
                st = PL_ERR_NOMEM;
        }
        if (part && locate(x, part) >= 0 && ends_with(part, ".xml"))
            *out = part;
        else
            free(part);
    }
    rels_fini(&r);
    return st;
}

/* Reads the workbook part WB_PART and what its relationships point to. */
static enum pl_status read_package(struct xlsx *x, const char *wb_part)
{
    struct pl_workbook *wb = x->wb;
    struct wbpart w = {.x = x};
    struct rels r = {0};
    char *folder = folder_of(wb_part), *rels_part = rels_of(wb_part), *part = NULL;
    enum pl_status st = folder && rels_part ? PL_OK : PL_ERR_NOMEM;
    if (st == PL_OK)
        st = parse_part(x, wb_part, &w.ps, wbpart_start, rels_end, NULL, NULL);
    if (w.not_workbook)
        st = not_workbook(x);
    if (st == PL_OK)
        st = parse_part(x, rels_part, &r.ps, rels_start, rels_end, NULL, NULL);
    if (st == PL_OK && w.n == 0) {
        pl_diag_report(wb->diag, wb->display, 0, 0, "E_WORKBOOK_BROKEN", "工作簿里没有工作表：%s",
                       msg_resave);
        st = PL_ERR_DATA;
    }
    if (st == PL_OK) {
        x->parts = calloc(w.n, sizeof *x->parts);
        if (!x->parts)
            st = PL_ERR_NOMEM;
        else
            x->nparts = w.n;
    }
    for (size_t i = 0; st == PL_OK && i < w.n; i++) {
        const struct rel *sheet = rel_by_id(&r, w.rids[i]);
        x->parts[i] = sheet ? resolve(folder, sheet->target) : NULL;
        if (sheet && !x->parts[i])
            st = PL_ERR_NOMEM;
        else if (!x->parts[i] || locate(x, x->parts[i]) < 0) {
            pl_diag_report(wb->diag, wb->display, 0, 0, "E_WORKBOOK_BROKEN",
                           "工作簿缺少工作表“%s”的内容：%s", w.sheets[i].name, msg_resave);
            st = PL_ERR_DATA;
        }
    }
    if (st == PL_OK) {
        const struct rel *styles = rel_by_type(&r, "/styles");
        part = resolve(folder, styles ? styles->target : "styles.xml");
        st = part ? read_styles(x, part) : PL_ERR_NOMEM;
        free(part);
        part = NULL;
    }
    if (st == PL_OK) {
        const struct rel *sst = rel_by_type(&r, "/sharedStrings");
        part = resolve(folder, sst ? sst->target : "sharedStrings.xml");
        st = part ? read_sst(x, part) : PL_ERR_NOMEM;
        free(part);
    }
    if (st == PL_OK) {
        wb->sheets = w.sheets;
        wb->nsheets = w.n;
    }
    wbpart_fini(&w, st == PL_OK);
    rels_fini(&r);
    free(folder);
    free(rels_part);
    return st;
}

enum pl_status pl_workbook_open_xlsx(struct pl_workbook *wb, const char *path)
{
    struct xlsx *x = calloc(1, sizeof *x);
    if (!x)
        return PL_ERR_NOMEM;
    x->wb = wb;
    pl_buf_init(&x->sst);
    char *wb_part = NULL;
    enum pl_status st = PL_OK;
    int zerr = 0;
    x->za = zip_open(path, ZIP_RDONLY, &zerr);
    if (!x->za) {
        if (zerr == ZIP_ER_MEMORY) {
            st = PL_ERR_NOMEM;
        } else if (zerr == ZIP_ER_OPEN) {
            pl_diag_report(wb->diag, wb->display, 0, 0, "E_UNREADABLE", "无法打开文件");
            st = PL_ERR_OPEN;
        } else {
            pl_diag_report(wb->diag, wb->display, 0, 0, "E_TRUNCATED_FILE", msg_truncated);
            st = PL_ERR_DATA;
        }
        goto fail;
    }
    st = find_workbook(x, &wb_part);
    if (st == PL_OK && !wb_part)
        st = not_workbook(x);
    if (st == PL_OK)
        st = read_package(x, wb_part);
    if (st != PL_OK)
        goto fail;
    free(wb_part);
    wb->ops = &xlsx_ops;
    wb->ctx = x;
    return PL_OK;
fail:
    free(wb_part);
    xlsx_free(x);
    return st;
}

/* --- sheets ------------------------------------------------------------------------------- */

enum cell_type { T_NUMBER, T_SHARED, T_STR, T_INLINE, T_BOOL, T_ERROR, T_DATE };

struct sheet {
    struct pl_ooxml_parser ps;
    struct xlsx *x;
    const char *name;
    pl_sheet_row_fn on_row;
    void *fn_ctx;
    const char *broken; /* why the sheet cannot be read, when it was stopped for that */

    /* the row: one text and one error buffer per column, reused row after row */
    struct pl_buf *text, *err;
    unsigned char *notes, *merged;
    char **cells;
    size_t *lens;
    const char **errs;
    size_t cap, count;
    unsigned long row, last_row;
    bool in_data, in_row;

    /* the cell */
    bool in_cell, has_f, has_v;
    size_t col, next_col;
    enum cell_type type;
    unsigned char style;
    int in_v, in_is, in_t, in_rph;
    struct pl_buf v, is;

    struct pl_merges *merges; /* read before the rows when asked for, else NULL */
};

static bool ensure_columns(struct sheet *s, size_t n)
{
    if (n <= s->cap)
        return true;
    size_t cap = s->cap ? s->cap : 16;
    while (cap < n)
        cap *= 2;
    struct pl_buf *text = realloc(s->text, cap * sizeof *text);
    if (text)
        s->text = text;
    struct pl_buf *err = text ? realloc(s->err, cap * sizeof *err) : NULL;
    if (err)
        s->err = err;
    unsigned char *notes = err ? realloc(s->notes, cap) : NULL;
    if (notes)
        s->notes = notes;
    unsigned char *merged = notes ? realloc(s->merged, cap) : NULL;
    if (merged)
        s->merged = merged;
    char **cells = merged ? realloc(s->cells, cap * sizeof *cells) : NULL;
    if (cells)
        s->cells = cells;
    size_t *lens = cells ? realloc(s->lens, cap * sizeof *lens) : NULL;
    if (lens)
        s->lens = lens;
    const char **errs = lens ? realloc(s->errs, cap * sizeof *errs) : NULL;
    if (!errs)
        return false;
    s->errs = errs;
    for (size_t i = s->cap; i < cap; i++) {
        pl_buf_init(&s->text[i]);
        pl_buf_init(&s->err[i]);
    }
    s->cap = cap;
    return true;
}

/* "G5" → column 6; false when REF does not start with column letters. */
static bool ref_column(const char *ref, size_t *col)
{
    size_t c = 0, n = 0;
    for (; (*ref >= 'A' && *ref <= 'Z') || (*ref >= 'a' && *ref <= 'z'); ref++, n++) {
        if (c > MAX_COLUMNS)
            return *col = c, true; /* already too far; the caller refuses it */
        c = c * 26 + (size_t)((*ref | 0x20) - 'a' + 1);
    }
    if (n == 0)
        return false;
    *col = c - 1;
    return true;
}

static void broken(struct sheet *s, const char *why)
{
    s->broken = why;
    pl_ooxml_stop(&s->ps, PL_ERR_DATA);
}

static void sheet_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct sheet *s = ud;
    const char *ln = pl_ooxml_local(name);
    if (s->in_cell) {
        if (strcmp(ln, "v") == 0)
            s->in_v = 1, s->has_v = true;
        else if (strcmp(ln, "f") == 0)
            s->has_f = true;
        else if (strcmp(ln, "is") == 0)
            s->in_is = 1;
        else if (s->in_is && strcmp(ln, "rPh") == 0)
            s->in_rph++;
        else if (s->in_is && strcmp(ln, "t") == 0)
            s->in_t = 1;
    } else if (s->in_row && strcmp(ln, "c") == 0) {
        const char *r = attr(atts, "r", false), *t = attr(atts, "t", false);
        const char *style = attr(atts, "s", false);
        size_t col;
        if (!r || !ref_column(r, &col))
            col = s->next_col;
        if (col >= MAX_COLUMNS) {
            broken(s, "列超出了Excel的最大列XFD");
            return;
        }
        s->col = col;
        s->type = !t                            ? T_NUMBER
                  : strcmp(t, "s") == 0         ? T_SHARED
                  : strcmp(t, "str") == 0       ? T_STR
                  : strcmp(t, "inlineStr") == 0 ? T_INLINE
                  : strcmp(t, "b") == 0         ? T_BOOL
                  : strcmp(t, "e") == 0         ? T_ERROR
                  : strcmp(t, "d") == 0         ? T_DATE
                                                : T_NUMBER;
        unsigned long xf = style ? strtoul(style, NULL, 10) : 0;
        s->style = xf < s->x->nxf ? s->x->xf_style[xf] : PL_NUM_GENERAL;
        s->in_cell = true;
        s->has_f = s->has_v = false;
        s->in_v = s->in_is = s->in_t = s->in_rph = 0;
        pl_buf_clear(&s->v);
        pl_buf_clear(&s->is);
    } else if (s->in_data && strcmp(ln, "row") == 0) {
        const char *r = attr(atts, "r", false);
        char *end;
        unsigned long n = r ? strtoul(r, &end, 10) : 0;
        s->row = r && end != r && n > 0 ? n : s->last_row + 1;
        s->in_row = true;
        s->count = 0;
        s->next_col = 0;
    } else if (strcmp(ln, "sheetData") == 0) {
        s->in_data = true;
    }
}

/* The text of a number cell: the number as its format shows it, or the value as written when
 * it is no number. */
static enum pl_status number_text(struct sheet *s, struct pl_buf *out)
{
    const char *v = s->v.data;
    size_t len = s->v.len;
    while (len > 0 && (v[len - 1] == ' ' || v[len - 1] == '\n' || v[len - 1] == '\r'))
        len--;
    while (len > 0 && (*v == ' ' || *v == '\n' || *v == '\r'))
        v++, len--;
    char *end;
    double d = strtod(v, &end);
    if (len > 0 && strspn(v, "0123456789+-.eE") == len && (size_t)(end - v) == len && isfinite(d))
        return pl_workbook_format_number(out, d, (enum pl_number_style)s->style, s->x->date1904);
    return pl_buf_append(out, s->v.data, s->v.len);
}

/* A date cell (t="d") holds an ISO 8601 text: its date, and its time when there is one. */
static enum pl_status date_text(struct sheet *s, struct pl_buf *out)
{
    const char *v = s->v.data;
    const char *t = strchr(v, 'T');
    if (!t)
        return pl_buf_append_str(out, v);
    enum pl_status st = pl_buf_append(out, v, (size_t)(t - v));
    size_t hm = strspn(t + 1, "0123456789:");
    bool midnight = strspn(t + 1, "0:") >= hm;
    if (st != PL_OK || midnight || hm < 5)
        return st;
    if (t > v)
        st = pl_buf_append_char(out, ' ');
    if (st == PL_OK)
        st = pl_buf_append(out, t + 1, hm >= 8 && strncmp(t + 6, ":00", 3) != 0 ? 8 : 5);
    return st;
}

static void finish_cell(struct sheet *s)
{
    size_t col = s->col;
    if (!ensure_columns(s, col + 1)) {
        pl_ooxml_stop(&s->ps, PL_ERR_NOMEM);
        return;
    }
    for (; s->count <= col; s->count++) {
        pl_buf_clear(&s->text[s->count]);
        s->notes[s->count] = PL_CELL_PLAIN;
    }
    struct pl_buf *out = &s->text[col];
    pl_buf_clear(out);
    s->notes[col] = PL_CELL_PLAIN;
    s->next_col = col + 1;
    enum pl_status st = PL_OK;
    if (s->type == T_ERROR && s->v.len > 0) {
        s->notes[col] = PL_CELL_ERROR;
        pl_buf_clear(&s->err[col]);
        st = pl_buf_append(&s->err[col], s->v.data, s->v.len);
    } else if (s->type == T_INLINE) {
        st = append_xstring(out, s->is.len ? s->is.data : s->v.data,
                            s->is.len ? s->is.len : s->v.len);
    } else if (s->type == T_STR && s->has_v) {
        /* a formula's text result: an empty <v></v> is a computed "" */
        st = append_xstring(out, s->v.data, s->v.len);
    } else if (s->v.len == 0) {
        if (s->has_f)
            s->notes[col] = PL_CELL_NO_VALUE;
    } else if (s->type == T_SHARED) {
        char *end;
        unsigned long i = strtoul(s->v.data, &end, 10);
        if (end == s->v.data || *end || i >= s->x->nsst) {
            broken(s, "共享字符串的编号不存在");
            return;
        }
        const size_t *off = s->x->sst_off;
        st = pl_buf_append(out, s->x->sst.data + off[i], off[i + 1] - off[i] - 1);
    } else if (s->type == T_BOOL) {
        st = pl_buf_append_str(out, strcmp(s->v.data, "1") == 0   ? "TRUE"
                                    : strcmp(s->v.data, "0") == 0 ? "FALSE"
                                                                  : s->v.data);
    } else if (s->type == T_DATE) {
        st = date_text(s, out);
    } else {
        st = number_text(s, out);
    }
    if (st != PL_OK)
        pl_ooxml_stop(&s->ps, st);
}

static void finish_row(struct sheet *s)
{
    size_t n = s->count;
    while (n > 0 && s->text[n - 1].len == 0 && s->notes[n - 1] == PL_CELL_PLAIN)
        n--;
    if (n == 0)
        return;
    if (s->merges) {
        /* the row reaches as far as its merged cells, which the file may leave out */
        size_t end = pl_merges_at(s->merges, s->row);
        if (end > n) {
            if (!ensure_columns(s, end)) {
                pl_ooxml_stop(&s->ps, PL_ERR_NOMEM);
                return;
            }
            for (; s->count < end; s->count++) {
                pl_buf_clear(&s->text[s->count]);
                s->notes[s->count] = PL_CELL_PLAIN;
            }
            n = end;
        }
        pl_merges_mark(s->merges, s->merged, n);
    }
    for (size_t i = 0; i < n; i++) {
        s->cells[i] = s->text[i].data;
        s->lens[i] = s->text[i].len;
        s->errs[i] = s->notes[i] == PL_CELL_ERROR ? s->err[i].data : NULL;
    }
    struct pl_sheet_row row = {
        .row = {.count = n,
                .cells = s->cells,
                .lens = s->lens,
                .line = s->row,
                .end_line = s->row,
                .problem = PL_CSV_ROW_OK},
        .notes = s->notes,
        .error_text = s->errs,
        .merged = s->merges ? s->merged : NULL,
    };
    enum pl_status st = s->on_row(s->fn_ctx, &row);
    if (st != PL_OK)
        pl_ooxml_stop(&s->ps, st);
}

static void sheet_end(void *ud, const XML_Char *name)
{
    struct sheet *s = ud;
    const char *ln = pl_ooxml_local(name);
    if (s->in_cell) {
        if (strcmp(ln, "v") == 0)
            s->in_v = 0;
        else if (strcmp(ln, "t") == 0)
            s->in_t = 0;
        else if (strcmp(ln, "rPh") == 0 && s->in_rph)
            s->in_rph--;
        else if (strcmp(ln, "is") == 0)
            s->in_is = 0;
        else if (strcmp(ln, "c") == 0) {
            s->in_cell = false;
            finish_cell(s);
        }
    } else if (s->in_row && strcmp(ln, "row") == 0) {
        s->in_row = false;
        finish_row(s);
        s->last_row = s->row;
    } else if (strcmp(ln, "sheetData") == 0) {
        s->in_data = false;
    }
}

static void sheet_text(void *ud, const XML_Char *text, int len)
{
    struct sheet *s = ud;
    struct pl_buf *b = s->in_v ? &s->v : s->in_t && !s->in_rph ? &s->is : NULL;
    if (b && pl_buf_append(b, text, (size_t)len) != PL_OK)
        pl_ooxml_stop(&s->ps, PL_ERR_NOMEM);
}

/* --- merged ranges ------------------------------------------------------------------------ */

struct merge_scan {
    struct pl_ooxml_parser ps;
    struct pl_merges *merges;
};

/* "C3" → column 2, row 3; NULL when REF is not a cell name, else the end of the name. */
static const char *cell_ref(const char *ref, size_t *col, unsigned long *row)
{
    if (!ref_column(ref, col) || *col >= MAX_COLUMNS)
        return NULL;
    while ((*ref >= 'A' && *ref <= 'Z') || (*ref >= 'a' && *ref <= 'z'))
        ref++;
    char *end;
    if (*ref < '0' || *ref > '9')
        return NULL;
    *row = strtoul(ref, &end, 10);
    return *row > 0 ? end : NULL;
}

static void merge_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct merge_scan *m = ud;
    if (strcmp(pl_ooxml_local(name), "mergeCell") != 0)
        return;
    const char *ref = attr(atts, "ref", false);
    size_t c1, c2;
    unsigned long r1, r2;
    const char *mid = ref ? cell_ref(ref, &c1, &r1) : NULL;
    if (!mid || *mid != ':' || !cell_ref(mid + 1, &c2, &r2))
        return; /* not a range Excel would write: nothing merged */
    enum pl_status st = pl_merges_add(m->merges, r1 < r2 ? r1 : r2, r1 < r2 ? r2 : r1,
                                      c1 < c2 ? c1 : c2, c1 < c2 ? c2 : c1);
    if (st != PL_OK)
        pl_ooxml_stop(&m->ps, st);
}

static void merge_end(void *ud, const XML_Char *name)
{
    (void)ud, (void)name;
}

/* The merged ranges of sheet part PART, which lie after its rows: a pass of their own. A part
 * that does not parse is left to the reading of the rows to report. */
static enum pl_status read_merges(struct xlsx *x, zip_int64_t part, struct pl_merges *merges)
{
    struct merge_scan m = {.merges = merges};
    int zip_code;
    bool bad_xml;
    enum pl_status st =
        pl_ooxml_stream(x->za, part, &m.ps, merge_start, merge_end, NULL, &zip_code, &bad_xml);
    if (st == PL_ERR_NOMEM)
        return st;
    return pl_merges_ready(merges);
}

static enum pl_status xlsx_read_sheet(void *ctx, size_t index, bool merges, pl_sheet_row_fn on_row,
                                      void *fn_ctx)
{
    struct xlsx *x = ctx;
    struct pl_workbook *wb = x->wb;
    struct sheet s = {.x = x, .name = wb->sheets[index].name, .on_row = on_row, .fn_ctx = fn_ctx};
    pl_buf_init(&s.v);
    pl_buf_init(&s.is);
    struct pl_merges ranges;
    pl_merges_init(&ranges);
    zip_int64_t part = locate(x, x->parts[index]);
    enum pl_status st = PL_OK;
    if (merges && part >= 0) {
        st = read_merges(x, part, &ranges);
        s.merges = &ranges;
    }
    bool bad_xml = false;
    if (st == PL_OK)
        st = part >= 0 ? stream_part(x, part, &s.ps, sheet_start, sheet_end, sheet_text, &bad_xml)
                       : PL_ERR_INTERNAL;
    if (bad_xml || s.broken) {
        unsigned long reached = s.in_row ? s.row : s.last_row;
        if (reached)
            pl_diag_report(wb->diag, wb->display, reached, 0, "E_WORKBOOK_BROKEN",
                           "工作表“%s”读到第%lu行时内容损坏%s%s，无法读取后面的内容：%s", s.name,
                           reached, s.broken ? "：" : "", s.broken ? s.broken : "", msg_resave);
        else
            pl_diag_report(wb->diag, wb->display, 0, 0, "E_WORKBOOK_BROKEN",
                           "工作表“%s”的内容损坏%s%s，无法读取：%s", s.name, s.broken ? "：" : "",
                           s.broken ? s.broken : "", msg_resave);
        st = PL_ERR_DATA;
    }
    for (size_t i = 0; i < s.cap; i++) {
        pl_buf_fini(&s.text[i]);
        pl_buf_fini(&s.err[i]);
    }
    pl_merges_fini(&ranges);
    free(s.text);
    free(s.err);
    free(s.notes);
    free(s.merged);
    free(s.cells);
    free(s.lens);
    free(s.errs);
    pl_buf_fini(&s.v);
    pl_buf_fini(&s.is);
    return st;
}
