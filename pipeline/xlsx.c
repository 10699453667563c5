/* xlsx — libxlsxwriter behind the house style, deterministic and atomic. */
#define _GNU_SOURCE /* fopencookie(3): the workbook's parts in memory */
#include "xlsx.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <xlsxwriter.h>
#include <xlsxwriter/third_party/tmpfileplus.h>

#include "buf.h"
#include "fsutil.h"
#include "text.h"

/* Excel's limit on a cell's text, in characters. */
#define CELL_MAX_CHARS 32767

struct pl_xlsx_sheet {
    struct pl_xlsx *x;
    lxw_worksheet *ws;
    char *name;
};

struct pl_xlsx {
    lxw_workbook *wb;
    lxw_format *fmt[PL_XS_COUNT];
    struct pl_diag *diag;
    enum pl_status status;
    char *path;
    bool atomic;
    bool unsynced;              /* props.unsynced: many workbooks, one sync by the caller */
    bool constant_memory;       /* props.constant_memory: the parts go through files */
    struct pl_atomic_file file; /* when atomic: the temporary file libxlsxwriter writes */
    struct pl_xlsx_sheet **sheets;
    size_t nsheets;
    /* Copies of the properties: libxlsxwriter keeps its own, but only once they are set. */
    lxw_doc_properties props;
};

/* ---- errors ------------------------------------------------------------------------------ */

static enum pl_status status_of(lxw_error err)
{
    switch (err) {
    case LXW_NO_ERROR:
        return PL_OK;
    case LXW_ERROR_MEMORY_MALLOC_FAILED:
        return PL_ERR_NOMEM;
    case LXW_ERROR_CREATING_XLSX_FILE:
        return PL_ERR_CREATE;
    case LXW_ERROR_CREATING_TMPFILE:
    case LXW_ERROR_READING_TMPFILE:
    case LXW_ERROR_ZIP_FILE_OPERATION:
    case LXW_ERROR_ZIP_PARAMETER_ERROR:
    case LXW_ERROR_ZIP_BAD_ZIP_FILE:
    case LXW_ERROR_ZIP_INTERNAL_ERROR:
    case LXW_ERROR_ZIP_FILE_ADD:
    case LXW_ERROR_ZIP_CLOSE:
        return PL_ERR_IO;
    default:
        return PL_ERR_INTERNAL;
    }
}

/* Records the first failure of a libxlsxwriter call; WHAT says which call. */
static void fail(struct pl_xlsx *x, lxw_error err, const char *what)
{
    if (err == LXW_NO_ERROR || x->status != PL_OK)
        return;
    x->status = status_of(err);
    pl_diag_report(x->diag, x->path, 0, 0, x->status == PL_ERR_IO ? "E_WRITE" : "E_XLSX", "%s：%s",
                   what, lxw_strerror(err));
}

static void fail_status(struct pl_xlsx *x, enum pl_status st, const char *what)
{
    if (st == PL_OK || x->status != PL_OK)
        return;
    x->status = st;
    pl_diag_report(x->diag, x->path, 0, 0, "E_XLSX", "%s：%s", what, pl_strerror(st));
}

static bool ok(const struct pl_xlsx_sheet *s)
{
    return s && s->x->status == PL_OK;
}

/* ---- the parts of a workbook, in memory ------------------------------------------------- */

/*
 * workbook_close() writes each part of the workbook (workbook.xml, styles.xml, each sheet …:
 * ten for a one-sheet workbook) to a temporary file of its own, reads it back into the zip
 * and closes it. Ten files created and deleted per workbook is most of the time of a program
 * writing thousands of small workbooks (a file created in a folder where thousands were just
 * deleted is slow to create on ext4), so the parts are kept in memory instead: libxlsxwriter
 * gets its temporary files from lxw_tmpfile(), which it declares in its header "so it can be
 * over-ridden with a user defined version", and this program's definition takes the place of
 * the library's. The zip, and so the workbook's bytes, are the same either way.
 *
 * Only while pl_xlsx_close() closes a workbook that is not in constant_memory mode: a
 * constant_memory workbook's sheet can be larger than memory should hold, and keeps the
 * library's files (tmpfileplus(), what the library's own lxw_tmpfile() calls).
 * libxlsxwriter does not check its writes to these files, so a part that could not grow
 * is remembered here and fails the workbook (PL_ERR_NOMEM) instead of leaving a part cut
 * short in it.
 */
struct mem_part {
    char *data;
    size_t len, cap, pos;
};

static _Thread_local bool parts_in_memory;
static _Thread_local bool part_failed;

static ssize_t part_read(void *cookie, char *buf, size_t size)
{
    struct mem_part *p = cookie;
    size_t n = p->pos < p->len ? p->len - p->pos : 0;
    if (n > size)
        n = size;
    memcpy(buf, p->data + p->pos, n);
    p->pos += n;
    return (ssize_t)n;
}

static ssize_t part_write(void *cookie, const char *buf, size_t size)
{
    struct mem_part *p = cookie;
    if (size > SIZE_MAX - p->pos) {
        part_failed = true;
        errno = EFBIG;
        return -1;
    }
    size_t end = p->pos + size;
    if (end > p->cap) {
        size_t cap = p->cap ? p->cap : 16384;
        while (cap < end)
            cap = cap > SIZE_MAX / 2 ? end : cap * 2;
        char *grown = realloc(p->data, cap);
        if (!grown) {
            part_failed = true;
            errno = ENOMEM;
            return -1;
        }
        p->data = grown;
        p->cap = cap;
    }
    if (p->pos > p->len) /* a seek past the end leaves a hole of zeros, as a file does */
        memset(p->data + p->len, 0, p->pos - p->len);
    memcpy(p->data + p->pos, buf, size);
    p->pos = end;
    if (end > p->len)
        p->len = end;
    return (ssize_t)size;
}

static int part_seek(void *cookie, off64_t *offset, int whence)
{
    struct mem_part *p = cookie;
    off64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? (off64_t)p->pos : (off64_t)p->len;
    if (*offset < -base) {
        errno = EINVAL;
        return -1;
    }
    p->pos = (size_t)(base + *offset);
    *offset = (off64_t)p->pos;
    return 0;
}

static int part_close(void *cookie)
{
    struct mem_part *p = cookie;
    free(p->data);
    free(p);
    return 0;
}

/* libxlsxwriter's temporary files (utility.h): see above. */
FILE *lxw_tmpfile(char *tmpdir)
{
    if (!parts_in_memory)
        return tmpfileplus(tmpdir, NULL, NULL, 0);
    struct mem_part *p = calloc(1, sizeof *p);
    FILE *fp =
        p ? fopencookie(p, "w+",
                        (cookie_io_functions_t){part_read, part_write, part_seek, part_close})
          : NULL;
    if (!fp) {
        free(p);
        part_failed = true;
    }
    return fp;
}

/* ---- formats ----------------------------------------------------------------------------- */

static lxw_format *base_format(lxw_workbook *wb, double size)
{
    lxw_format *f = workbook_add_format(wb);
    if (!f)
        return NULL;
    format_set_font_name(f, PL_XLSX_FONT);
    format_set_font_size(f, size);
    format_set_font_charset(f, 134); /* GB2312: what Excel writes for 宋体 */
    format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
    return f;
}

static void bordered(lxw_format *f)
{
    format_set_border(f, LXW_BORDER_THIN);
    format_set_border_color(f, 0x808080);
}

static bool make_formats(struct pl_xlsx *x)
{
    for (int i = 0; i < PL_XS_COUNT; i++) {
        double size = i == PL_XS_TITLE ? 16 : 10;
        lxw_format *f = base_format(x->wb, size);
        if (!f)
            return false;
        x->fmt[i] = f;
        switch ((enum pl_xlsx_style)i) {
        case PL_XS_TITLE:
            format_set_bold(f);
            format_set_align(f, LXW_ALIGN_CENTER);
            break;
        case PL_XS_SUBTITLE:
            format_set_align(f, LXW_ALIGN_LEFT);
            break;
        case PL_XS_NOTE:
            format_set_align(f, LXW_ALIGN_LEFT);
            format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
            format_set_text_wrap(f);
            break;
        case PL_XS_HEADER:
            format_set_bold(f);
            format_set_bg_color(f, 0xD9D9D9);
            format_set_align(f, LXW_ALIGN_CENTER);
            format_set_text_wrap(f);
            bordered(f);
            break;
        case PL_XS_GROUP:
            format_set_bold(f);
            format_set_bg_color(f, 0xEDEDED);
            format_set_align(f, LXW_ALIGN_LEFT);
            bordered(f);
            break;
        case PL_XS_TEXT:
            format_set_align(f, LXW_ALIGN_LEFT);
            format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
            format_set_text_wrap(f);
            bordered(f);
            break;
        case PL_XS_CENTER:
        case PL_XS_TOTAL:
            format_set_align(f, LXW_ALIGN_CENTER);
            format_set_text_wrap(f);
            if (i == PL_XS_TOTAL)
                format_set_bold(f);
            bordered(f);
            break;
        case PL_XS_INT:
        case PL_XS_PERCENT:
        case PL_XS_PERCENT1:
        case PL_XS_SCORE:
        case PL_XS_DATE:
            format_set_align(f, LXW_ALIGN_CENTER);
            format_set_num_format(f, i == PL_XS_INT        ? "0"
                                     : i == PL_XS_PERCENT  ? "0\"%\""
                                     : i == PL_XS_PERCENT1 ? "0.0\"%\""
                                     : i == PL_XS_SCORE    ? "0.0"
                                                           : "yyyy-mm-dd");
            bordered(f);
            break;
        case PL_XS_BLUE:
        case PL_XS_YELLOW:
        case PL_XS_RED:
            format_set_bold(f);
            format_set_align(f, LXW_ALIGN_CENTER);
            format_set_pattern(f, LXW_PATTERN_SOLID);
            format_set_bg_color(f, i == PL_XS_BLUE     ? PL_XLSX_BLUE
                                   : i == PL_XS_YELLOW ? PL_XLSX_YELLOW
                                                       : PL_XLSX_RED);
            format_set_font_color(f, i == PL_XS_YELLOW ? 0x000000 : 0xFFFFFF);
            bordered(f);
            break;
        case PL_XS_LOCKED:
            format_set_bg_color(f, 0xF2F2F2);
            format_set_align(f, LXW_ALIGN_LEFT);
            format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
            format_set_text_wrap(f);
            bordered(f);
            break;
        case PL_XS_INPUT:
        case PL_XS_INPUT_TEXT:
        case PL_XS_INPUT_NUMBER:
        case PL_XS_INPUT_DATE:
            format_set_unlocked(f);
            format_set_bg_color(f, 0xFFFFFF);
            format_set_align(f, i == PL_XS_INPUT ? LXW_ALIGN_LEFT : LXW_ALIGN_CENTER);
            format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
            format_set_text_wrap(f);
            if (i == PL_XS_INPUT_TEXT)
                format_set_num_format(f, "@");
            else if (i == PL_XS_INPUT_DATE)
                format_set_num_format(f, "yyyy-mm-dd");
            bordered(f);
            break;
        case PL_XS_INPUT_PLAIN:
            format_set_unlocked(f);
            format_set_align(f, LXW_ALIGN_LEFT);
            break;
        case PL_XS_COUNT:
            break;
        }
    }
    return true;
}

/* ---- the workbook ------------------------------------------------------------------------ */

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static void free_props(lxw_doc_properties *p)
{
    free(p->title);
    free(p->subject);
    free(p->author);
    free(p->company);
    free(p->keywords);
}

enum pl_status pl_xlsx_open(struct pl_xlsx **out, const char *path,
                            const struct pl_xlsx_props *props, struct pl_diag *diag)
{
    *out = NULL;
    struct pl_xlsx *x = calloc(1, sizeof *x);
    if (!x)
        return PL_ERR_NOMEM;
    x->diag = diag;
    x->path = strdup(path);
    x->props.title = dup_or_null(props->title);
    x->props.subject = dup_or_null(props->subject);
    x->props.author = dup_or_null(props->author);
    x->props.company = dup_or_null(props->company);
    x->props.keywords = dup_or_null(props->keywords);
    x->props.created = (time_t)props->created;
    if (!x->path || (props->title && !x->props.title) || (props->subject && !x->props.subject) ||
        (props->author && !x->props.author) || (props->company && !x->props.company) ||
        (props->keywords && !x->props.keywords)) {
        pl_xlsx_discard(x);
        return PL_ERR_NOMEM;
    }
    /* A device or a FIFO named as the output is written as it is: renaming a temporary
     * file over /dev/null would replace the device. */
    struct stat st;
    x->atomic = !(stat(path, &st) == 0 && !S_ISREG(st.st_mode));
    x->unsynced = props->unsynced;
    x->constant_memory = props->constant_memory;
    if (x->atomic) {
        enum pl_status ps = pl_atomic_open(&x->file, path, diag);
        if (ps != PL_OK) {
            pl_xlsx_discard(x);
            return ps;
        }
    }
    lxw_workbook_options opt = {.constant_memory = props->constant_memory, .tmpdir = NULL};
    x->wb = workbook_new_opt(x->atomic ? x->file.tmp_path : path, &opt);
    if (!x->wb || !make_formats(x)) {
        pl_xlsx_discard(x);
        return PL_ERR_NOMEM;
    }
    lxw_error err = workbook_set_properties(x->wb, &x->props);
    if (err != LXW_NO_ERROR) {
        enum pl_status ps = status_of(err);
        pl_xlsx_discard(x);
        return ps;
    }
    *out = x;
    return PL_OK;
}

static void free_sheets(struct pl_xlsx *x)
{
    for (size_t i = 0; i < x->nsheets; i++) {
        free(x->sheets[i]->name);
        free(x->sheets[i]);
    }
    free(x->sheets);
    x->sheets = NULL;
    x->nsheets = 0;
}

static void free_workbook(struct pl_xlsx *x)
{
    free_sheets(x);
    free_props(&x->props);
    free(x->path);
    free(x);
}

void pl_xlsx_discard(struct pl_xlsx *x)
{
    if (!x)
        return;
    if (x->wb)
        lxw_workbook_free(x->wb);
    pl_atomic_abort(&x->file);
    free_workbook(x);
}

enum pl_status pl_xlsx_close(struct pl_xlsx *x)
{
    if (!x)
        return PL_OK;
    if (x->status != PL_OK) {
        enum pl_status st = x->status;
        pl_xlsx_discard(x);
        return st;
    }
    parts_in_memory = !x->constant_memory;
    part_failed = false;
    lxw_error err = workbook_close(x->wb);
    parts_in_memory = false;
    x->wb = NULL;
    enum pl_status st = status_of(err);
    if (part_failed) {
        st = PL_ERR_NOMEM;
        pl_diag_report(x->diag, x->path, 0, 0, "E_XLSX", "无法写出工作簿：%s", pl_strerror(st));
        pl_atomic_abort(&x->file);
    } else if (st != PL_OK) {
        pl_diag_report(x->diag, x->path, 0, 0, st == PL_ERR_CREATE ? "E_CANNOT_CREATE" : "E_WRITE",
                       "无法写出工作簿：%s", lxw_strerror(err));
        pl_atomic_abort(&x->file);
    } else if (x->atomic) {
        st = x->unsynced ? pl_atomic_commit_unsynced(&x->file, x->diag)
                         : pl_atomic_commit(&x->file, x->diag);
    }
    free_workbook(x);
    return st;
}

enum pl_status pl_xlsx_status(const struct pl_xlsx *x)
{
    return x->status;
}

struct pl_xlsx_sheet *pl_xlsx_add_sheet(struct pl_xlsx *x, const char *name)
{
    if (x->status != PL_OK)
        return NULL;
    struct pl_xlsx_sheet *s = calloc(1, sizeof *s);
    struct pl_xlsx_sheet **grown = realloc(x->sheets, (x->nsheets + 1) * sizeof *grown);
    if (grown)
        x->sheets = grown;
    if (!s || !grown || !(s->name = strdup(name))) {
        free(s);
        fail_status(x, PL_ERR_NOMEM, name);
        return NULL;
    }
    s->x = x;
    s->ws = workbook_add_worksheet(x->wb, name);
    if (!s->ws) {
        free(s->name);
        free(s);
        fail_status(x, PL_ERR_INTERNAL, "无法添加工作表");
        return NULL;
    }
    x->sheets[x->nsheets++] = s;
    return s;
}

/* ---- cells ------------------------------------------------------------------------------- */

/* The byte length of TEXT's first MAX characters (all of it when shorter). */
static size_t prefix_of_chars(const char *text, size_t max, bool *cut)
{
    size_t i = 0, chars = 0, len = strlen(text);
    while (i < len && chars < max) {
        uint32_t cp;
        size_t n = pl_utf8_decode(text + i, len - i, &cp);
        i += n ? n : 1;
        chars++;
    }
    *cut = i < len;
    return i;
}

void pl_xlsx_text(struct pl_xlsx_sheet *s, unsigned row, unsigned col, const char *text,
                  enum pl_xlsx_style style)
{
    if (!ok(s))
        return;
    lxw_format *f = s->x->fmt[style];
    lxw_error err;
    if (!*text) {
        err = worksheet_write_blank(s->ws, row, (lxw_col_t)col, f);
    } else {
        bool cut;
        size_t n = prefix_of_chars(text, CELL_MAX_CHARS, &cut);
        if (!cut) {
            err = worksheet_write_string(s->ws, row, (lxw_col_t)col, text, f);
        } else {
            char *part = strndup(text, n);
            if (!part) {
                fail_status(s->x, PL_ERR_NOMEM, s->name);
                return;
            }
            pl_diag_report(s->x->diag, s->x->path, row + 1, col + 1, "W_TEXT_CUT",
                           "工作表“%s”第%u行第%u列的文字超过Excel单元格的32767个字符，已截断",
                           s->name, row + 1, col + 1);
            err = worksheet_write_string(s->ws, row, (lxw_col_t)col, part, f);
            free(part);
        }
    }
    fail(s->x, err, s->name);
}

void pl_xlsx_number(struct pl_xlsx_sheet *s, unsigned row, unsigned col, double value,
                    enum pl_xlsx_style style)
{
    if (ok(s))
        fail(s->x, worksheet_write_number(s->ws, row, (lxw_col_t)col, value, s->x->fmt[style]),
             s->name);
}

void pl_xlsx_blank(struct pl_xlsx_sheet *s, unsigned row, unsigned col, enum pl_xlsx_style style)
{
    if (ok(s))
        fail(s->x, worksheet_write_blank(s->ws, row, (lxw_col_t)col, s->x->fmt[style]), s->name);
}

void pl_xlsx_date(struct pl_xlsx_sheet *s, unsigned row, unsigned col, int y, int m, int d,
                  enum pl_xlsx_style style)
{
    if (!ok(s))
        return;
    lxw_datetime dt = {.year = y, .month = m, .day = d};
    fail(s->x, worksheet_write_datetime(s->ws, row, (lxw_col_t)col, &dt, s->x->fmt[style]),
         s->name);
}

void pl_xlsx_merge_text(struct pl_xlsx_sheet *s, unsigned row, unsigned first_col,
                        unsigned last_col, const char *text, enum pl_xlsx_style style)
{
    if (!ok(s))
        return;
    if (first_col == last_col) {
        pl_xlsx_text(s, row, first_col, text, style);
        return;
    }
    bool cut;
    prefix_of_chars(text, CELL_MAX_CHARS, &cut);
    if (cut) { /* never the case for the titles and notes merged cells hold */
        fail_status(s->x, PL_ERR_INTERNAL, "合并单元格的文字过长");
        return;
    }
    /* worksheet_merge_range() writes TEXT with worksheet_write_string(). */
    fail(s->x,
         worksheet_merge_range(s->ws, row, (lxw_col_t)first_col, row, (lxw_col_t)last_col, text,
                               s->x->fmt[style]),
         s->name);
}

/* ---- layout ------------------------------------------------------------------------------ */

void pl_xlsx_column_width(struct pl_xlsx_sheet *s, unsigned col, double width)
{
    if (ok(s))
        fail(s->x, worksheet_set_column(s->ws, (lxw_col_t)col, (lxw_col_t)col, width, NULL),
             s->name);
}

void pl_xlsx_row_height(struct pl_xlsx_sheet *s, unsigned row, double points)
{
    if (ok(s))
        fail(s->x, worksheet_set_row(s->ws, row, points, NULL), s->name);
}

void pl_xlsx_freeze(struct pl_xlsx_sheet *s, unsigned row, unsigned col)
{
    if (ok(s))
        worksheet_freeze_panes(s->ws, row, (lxw_col_t)col);
}

void pl_xlsx_autofilter(struct pl_xlsx_sheet *s, unsigned first_row, unsigned first_col,
                        unsigned last_row, unsigned last_col)
{
    if (ok(s))
        fail(s->x,
             worksheet_autofilter(s->ws, first_row, (lxw_col_t)first_col, last_row,
                                  (lxw_col_t)last_col),
             s->name);
}

/* Appends TEXT to OUT with every & doubled, as header and footer codes need. */
static enum pl_status append_escaped_amp(struct pl_buf *out, const char *text)
{
    enum pl_status st = PL_OK;
    for (const char *p = text; *p && st == PL_OK; p++)
        st = *p == '&' ? pl_buf_append_str(out, "&&") : pl_buf_append_char(out, *p);
    return st;
}

void pl_xlsx_print_setup(struct pl_xlsx_sheet *s, bool landscape, unsigned repeat_first,
                         unsigned repeat_last, const char *footer_left)
{
    if (!ok(s))
        return;
    worksheet_set_paper(s->ws, 9); /* A4 */
    if (landscape)
        worksheet_set_landscape(s->ws);
    else
        worksheet_set_portrait(s->ws);
    worksheet_set_margins(s->ws, 0.4, 0.4, 0.5, 0.6);
    worksheet_fit_to_pages(s->ws, 1, 0);
    worksheet_center_horizontally(s->ws);
    fail(s->x, worksheet_repeat_rows(s->ws, repeat_first, repeat_last), s->name);
    struct pl_buf footer;
    pl_buf_init(&footer);
    /* A font code applies to its own section only, so each section starts with one; the
     * size goes first, since digits after it would be read as part of it. */
    static const char font[] = "&9&\"" PL_XLSX_FONT ",常规\"";
    enum pl_status st = PL_OK;
    if (footer_left) {
        st = pl_buf_printf(&footer, "&L%s", font);
        if (st == PL_OK)
            st = append_escaped_amp(&footer, footer_left);
    }
    /* Excel refuses headers and footers over 255 characters: a long left part goes. */
    if (st == PL_OK && pl_xlsx_text_width(footer.data) > 200)
        pl_buf_clear(&footer);
    if (st == PL_OK)
        st = pl_buf_printf(&footer, "&R%s第 &P 页，共 &N 页", font);
    if (st != PL_OK)
        fail_status(s->x, st, s->name);
    else
        fail(s->x, worksheet_set_footer(s->ws, footer.data), s->name);
    pl_buf_fini(&footer);
}

void pl_xlsx_print_one_page(struct pl_xlsx_sheet *s)
{
    if (ok(s))
        worksheet_fit_to_pages(s->ws, 1, 1);
}

/* ---- checks and protection --------------------------------------------------------------- */

static void validate(struct pl_xlsx_sheet *s, unsigned first_row, unsigned col, unsigned last_row,
                     lxw_data_validation *dv, const char *prompt, const char *error)
{
    dv->ignore_blank = LXW_VALIDATION_ON;
    dv->show_input = prompt ? LXW_VALIDATION_ON : LXW_VALIDATION_OFF;
    dv->show_error = LXW_VALIDATION_ON;
    dv->error_type = LXW_VALIDATION_ERROR_TYPE_STOP;
    dv->input_title = prompt ? "填写提示" : NULL;
    dv->input_message = (char *)prompt;
    dv->error_title = error ? "输入有误" : NULL;
    dv->error_message = (char *)error;
    fail(s->x,
         worksheet_data_validation_range(s->ws, first_row, (lxw_col_t)col, last_row, (lxw_col_t)col,
                                         dv),
         s->name);
}

void pl_xlsx_validate_list(struct pl_xlsx_sheet *s, unsigned first_row, unsigned col,
                           unsigned last_row, const char *const *values, const char *prompt,
                           const char *error)
{
    if (!ok(s))
        return;
    lxw_data_validation dv = {.validate = LXW_VALIDATION_TYPE_LIST, .value_list = (char **)values};
    validate(s, first_row, col, last_row, &dv, prompt, error);
}

void pl_xlsx_validate_number(struct pl_xlsx_sheet *s, unsigned first_row, unsigned col,
                             unsigned last_row, double min, double max, const char *prompt,
                             const char *error)
{
    if (!ok(s))
        return;
    lxw_data_validation dv = {.validate = LXW_VALIDATION_TYPE_DECIMAL,
                              .criteria = LXW_VALIDATION_CRITERIA_BETWEEN,
                              .minimum_number = min,
                              .maximum_number = max};
    validate(s, first_row, col, last_row, &dv, prompt, error);
}

void pl_xlsx_validate_date(struct pl_xlsx_sheet *s, unsigned first_row, unsigned col,
                           unsigned last_row, const int min_ymd[3], const int max_ymd[3],
                           const char *prompt, const char *error)
{
    if (!ok(s))
        return;
    lxw_data_validation dv = {
        .validate = LXW_VALIDATION_TYPE_DATE,
        .criteria = LXW_VALIDATION_CRITERIA_BETWEEN,
        .minimum_datetime = {.year = min_ymd[0], .month = min_ymd[1], .day = min_ymd[2]},
        .maximum_datetime = {.year = max_ymd[0], .month = max_ymd[1], .day = max_ymd[2]},
    };
    validate(s, first_row, col, last_row, &dv, prompt, error);
}

void pl_xlsx_protect(struct pl_xlsx_sheet *s)
{
    if (!ok(s))
        return;
    lxw_protection p = {.format_columns = 1, .format_rows = 1, .insert_rows = 1};
    worksheet_protect(s->ws, NULL, &p);
}

/* ---- charts ------------------------------------------------------------------------------ */

/* A new chart of TYPE for sheet S, or NULL (S already failed, or no memory: recorded on S). */
static lxw_chart *new_chart(struct pl_xlsx_sheet *s, uint8_t type)
{
    if (!ok(s))
        return NULL;
    lxw_chart *chart = workbook_add_chart(s->x->wb, type);
    if (!chart)
        fail_status(s->x, PL_ERR_NOMEM, s->name);
    return chart;
}

/* A series named NAME over DATA's rows FIRST..LAST: categories in CAT_COL, values in
 * VALUE_COL. NULL when out of memory (recorded on S). */
static lxw_chart_series *add_series(struct pl_xlsx_sheet *s, lxw_chart *chart,
                                    const struct pl_xlsx_sheet *data, unsigned first,
                                    unsigned last, unsigned cat_col, unsigned value_col,
                                    const char *name)
{
    lxw_chart_series *series = chart_add_series(chart, NULL, NULL);
    if (!series) {
        fail_status(s->x, PL_ERR_NOMEM, s->name);
        return NULL;
    }
    chart_series_set_categories(series, data->name, first, (lxw_col_t)cat_col, last,
                                (lxw_col_t)cat_col);
    chart_series_set_values(series, data->name, first, (lxw_col_t)value_col, last,
                            (lxw_col_t)value_col);
    chart_series_set_name(series, name);
    return series;
}

/* The house fonts on the title, the axes' numbers and the legend (at the bottom). */
static void chart_house_style(lxw_chart *chart, const char *title, double title_size)
{
    lxw_chart_font font = {.name = PL_XLSX_FONT, .size = 9};
    lxw_chart_font title_font = {.name = PL_XLSX_FONT, .size = title_size, .bold = 1};
    chart_title_set_name(chart, title);
    chart_title_set_name_font(chart, &title_font);
    chart_axis_set_num_font(chart->x_axis, &font);
    chart_axis_set_num_font(chart->y_axis, &font);
    chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
    chart_legend_set_font(chart, &font);
}

/* Puts CHART on S with its top left corner at the cell, WIDTH_PX by HEIGHT_PX. */
static void place_chart(struct pl_xlsx_sheet *s, lxw_chart *chart, unsigned anchor_row,
                        unsigned anchor_col, unsigned width_px, unsigned height_px)
{
    lxw_chart_options opt = {.x_scale = width_px / 480.0, .y_scale = height_px / 288.0};
    fail(s->x, worksheet_insert_chart_opt(s->ws, anchor_row, (lxw_col_t)anchor_col, chart, &opt),
         s->name);
}

void pl_xlsx_stacked_bars(struct pl_xlsx_sheet *s, unsigned anchor_row, unsigned anchor_col,
                          const struct pl_xlsx_sheet *data, unsigned first, unsigned last,
                          unsigned cat_col, const unsigned *value_col, const char *const *names,
                          const unsigned *colours, size_t n, const char *title, unsigned width_px,
                          unsigned height_px)
{
    lxw_chart *chart = new_chart(s, LXW_CHART_BAR_STACKED);
    if (!chart)
        return;
    for (size_t i = 0; i < n; i++) {
        lxw_chart_series *series =
            add_series(s, chart, data, first, last, cat_col, value_col[i], names[i]);
        if (!series)
            return;
        lxw_chart_fill fill = {.color = colours[i]};
        lxw_chart_line line = {.color = 0x808080, .width = 0.5};
        chart_series_set_fill(series, &fill);
        chart_series_set_line(series, &line);
    }
    chart_house_style(chart, title, 12);
    /* The first category at the top, as in the table, and the values along the bottom. */
    chart_axis_set_reverse(chart->y_axis);
    chart_axis_set_crossing_max(chart->y_axis);
    chart_axis_major_gridlines_set_line(chart->x_axis, &(lxw_chart_line){.color = 0xD9D9D9});
    place_chart(s, chart, anchor_row, anchor_col, width_px, height_px);
}

void pl_xlsx_line_chart(struct pl_xlsx_sheet *s, unsigned anchor_row, unsigned anchor_col,
                        const struct pl_xlsx_sheet *data, unsigned first, unsigned last,
                        unsigned cat_col, const unsigned *value_col, const char *const *names,
                        const unsigned *colours, size_t n, const char *title, unsigned width_px,
                        unsigned height_px)
{
    lxw_chart *chart = new_chart(s, LXW_CHART_LINE);
    if (!chart)
        return;
    /* Dashes as well as colours, so that a grey-scale print still tells the lines apart. */
    static const uint8_t dashes[] = {LXW_CHART_LINE_DASH_SOLID, LXW_CHART_LINE_DASH_DASH,
                                     LXW_CHART_LINE_DASH_ROUND_DOT};
    static const uint8_t markers[] = {LXW_CHART_MARKER_CIRCLE, LXW_CHART_MARKER_SQUARE,
                                      LXW_CHART_MARKER_TRIANGLE};
    for (size_t i = 0; i < n; i++) {
        lxw_chart_series *series =
            add_series(s, chart, data, first, last, cat_col, value_col[i], names[i]);
        if (!series)
            return;
        lxw_chart_line line = {.color = colours[i], .width = 2.25,
                               .dash_type = dashes[i % sizeof dashes]};
        chart_series_set_line(series, &line);
        chart_series_set_marker_type(series, markers[i % sizeof markers]);
        chart_series_set_marker_size(series, 6);
        lxw_chart_fill fill = {.color = colours[i]};
        chart_series_set_marker_fill(series, &fill);
        chart_series_set_marker_line(series, &(lxw_chart_line){.color = colours[i]});
    }
    chart_house_style(chart, title, 11);
    /* Counts of tasks: whole numbers from 0 up. */
    chart_axis_set_min(chart->y_axis, 0);
    chart_axis_set_num_format(chart->y_axis, "0");
    chart_axis_major_gridlines_set_line(chart->y_axis, &(lxw_chart_line){.color = 0xD9D9D9});
    place_chart(s, chart, anchor_row, anchor_col, width_px, height_px);
}

void pl_xlsx_page_breaks(struct pl_xlsx_sheet *s, const unsigned *rows, size_t n,
                         unsigned scale)
{
    if (!ok(s) || !n)
        return;
    lxw_row_t *breaks = calloc(n + 1, sizeof *breaks); /* 0-terminated; libxlsxwriter copies */
    if (!breaks) {
        fail_status(s->x, PL_ERR_NOMEM, s->name);
        return;
    }
    for (size_t i = 0; i < n; i++)
        breaks[i] = rows[i];
    /* Fitting to a page would make Excel ignore the breaks: a fixed scale instead. */
    worksheet_set_print_scale(s->ws, (uint16_t)scale);
    fail(s->x, worksheet_set_h_pagebreaks(s->ws, breaks), s->name);
    free(breaks);
}

enum pl_status pl_xlsx_source_date(const char *value, long long *out)
{
    *out = -1;
    if (!value || !*value)
        return PL_OK;
    long long v = 0;
    for (const char *p = value; *p; p++) {
        if (*p < '0' || *p > '9' || v > 253402300799LL) /* 9999-12-31 */
            return PL_ERR_USAGE;
        v = v * 10 + (*p - '0');
    }
    *out = v;
    return PL_OK;
}

/* ---- widths ------------------------------------------------------------------------------ */

/* East Asian Wide and Full-width characters, and the punctuation Chinese fonts draw full
 * width (quotes, dashes, ellipsis), which take two Latin widths. */
static bool is_wide(uint32_t cp)
{
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2010 && cp <= 0x2027) ||
           (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
           (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) ||
           (cp >= 0x20000 && cp <= 0x3FFFD) || cp == 0x2190 || cp == 0x2191 || cp == 0x2192 ||
           cp == 0x2193;
}

size_t pl_xlsx_text_width(const char *text)
{
    size_t widest = 0, line = 0, len = strlen(text);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = pl_utf8_decode(text + i, len - i, &cp);
        if (n == 0) {
            n = 1;
            cp = '?';
        }
        i += n;
        if (cp == '\n') {
            line = 0;
            continue;
        }
        if (cp == '\r')
            continue;
        line += is_wide(cp) ? 2 : 1;
        if (line > widest)
            widest = line;
    }
    return widest;
}

unsigned pl_xlsx_lines(const char *text, double width)
{
    /* A cell's text starts a little inside its borders: about one Latin width is lost. */
    size_t avail = width > 3 ? (size_t)(width - 1) : 2;
    unsigned lines = 1;
    size_t line = 0, len = strlen(text);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = pl_utf8_decode(text + i, len - i, &cp);
        if (n == 0) {
            n = 1;
            cp = '?';
        }
        i += n;
        if (cp == '\n') {
            lines++;
            line = 0;
            continue;
        }
        if (cp == '\r')
            continue;
        size_t w = is_wide(cp) ? 2 : 1;
        if (line + w > avail && line > 0) {
            lines++;
            line = 0;
        }
        line += w;
    }
    return lines;
}

double pl_xlsx_lines_height(unsigned lines)
{
    double h = 13.5 * lines + 2;
    return h > 409 ? 409 : h; /* Excel's highest row */
}
