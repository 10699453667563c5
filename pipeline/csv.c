/* csv — streaming reader on libcsv; RFC 4180 writer. */
#include "csv.h"

#include <csv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "buf.h"
#include "rawlines.h"
#include "text.h"

/* libcsv 3.0 keeps its parser state in the public struct but names the values only in its
 * source. 0 is the state csv_init() sets (no row begun); 2 is "inside a field". The tests
 * that feed an unterminated quote and a closed quote at end of input pin both. */
enum { LIBCSV_ROW_NOT_BEGUN = 0, LIBCSV_FIELD_BEGUN = 2 };

struct pl_csv_reader {
    struct csv_parser parser;
    pl_csv_row_fn on_row;
    void *ctx;
    enum pl_status status;

    struct pl_buf cells; /* the row's cells, each followed by its NUL */
    size_t *offsets;
    size_t *lens;
    char **ptrs;
    size_t count, cap;

    unsigned long line;          /* the line being fed */
    unsigned long row_line;      /* where the current row started */
    unsigned long cell_line;     /* where the cell being read began */
    unsigned long bad_line, bad_column;
    int bad_reason;
};

static int never_space(unsigned char c)
{
    (void)c;
    return 0;
}

static void on_field(void *s, size_t len, void *data)
{
    struct pl_csv_reader *r = data;
    if (r->status != PL_OK)
        return;
    if (r->count == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 32;
        size_t *offsets = realloc(r->offsets, cap * sizeof *offsets);
        if (offsets)
            r->offsets = offsets;
        size_t *lens = realloc(r->lens, cap * sizeof *lens);
        if (lens)
            r->lens = lens;
        char **ptrs = realloc(r->ptrs, cap * sizeof *ptrs);
        if (ptrs)
            r->ptrs = ptrs;
        if (!offsets || !lens || !ptrs) {
            r->status = PL_ERR_NOMEM;
            return;
        }
        r->cap = cap;
    }
    r->offsets[r->count] = r->cells.len;
    r->lens[r->count] = len;
    if (r->cells.cap - r->cells.len < len + 2 && pl_buf_reserve(&r->cells, len + 1) != PL_OK) {
        r->status = PL_ERR_NOMEM;
        return;
    }
    if (len)
        memcpy(r->cells.data + r->cells.len, s, len);
    r->cells.data[r->cells.len + len] = '\0';
    r->cells.len += len + 1;
    r->count++;
    /* The next cell begins right after this cell's delimiter, on the line being fed. */
    r->cell_line = r->line;
}

static void reset_row(struct pl_csv_reader *r)
{
    r->count = 0;
    pl_buf_clear(&r->cells);
    r->bad_line = r->bad_column = 0;
}

static void deliver(struct pl_csv_reader *r, enum pl_csv_row_problem problem)
{
    if (r->status != PL_OK)
        return;
    for (size_t i = 0; i < r->count; i++)
        r->ptrs[i] = r->cells.data + r->offsets[i];
    struct pl_csv_row row = {
        .count = r->count,
        .cells = r->ptrs,
        .lens = r->lens,
        .line = r->row_line,
        .end_line = r->line,
        .problem = problem,
    };
    if (problem == PL_CSV_ROW_UNTERMINATED) {
        row.problem_line = r->cell_line;
    } else if (r->bad_line) {
        row.problem = PL_CSV_ROW_UNDECODABLE;
        row.problem_line = r->bad_line;
        row.problem_column = r->bad_column;
        row.problem_reason = r->bad_reason;
    }
    r->status = r->on_row(r->ctx, &row);
    reset_row(r);
    r->row_line = r->line;
    r->cell_line = r->line;
}

static void on_row_end(int c, void *data)
{
    (void)c;
    deliver(data, PL_CSV_ROW_OK);
}

struct pl_csv_reader *pl_csv_reader_new(char delimiter, pl_csv_row_fn on_row, void *ctx)
{
    struct pl_csv_reader *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    if (csv_init(&r->parser, 0) != 0) {
        free(r);
        return NULL;
    }
    csv_set_delim(&r->parser, (unsigned char)delimiter);
    pl_buf_init(&r->cells);
    r->on_row = on_row;
    r->ctx = ctx;
    r->status = PL_OK;
    r->row_line = r->cell_line = 1;
    return r;
}

void pl_csv_reader_free(struct pl_csv_reader *r)
{
    if (!r)
        return;
    csv_free(&r->parser);
    pl_buf_fini(&r->cells);
    free(r->offsets);
    free(r->lens);
    free(r->ptrs);
    free(r);
}

enum pl_status pl_csv_reader_feed_line(struct pl_csv_reader *r, const char *text, size_t len,
                                       unsigned long line_no, unsigned long bad_column,
                                       int bad_reason)
{
    if (r->status != PL_OK)
        return r->status;
    r->line = line_no;
    if (r->parser.pstate == LIBCSV_ROW_NOT_BEGUN && r->count == 0) {
        r->row_line = line_no;
        r->cell_line = line_no;
    }
    if (bad_column && !r->bad_line) {
        r->bad_line = line_no;
        r->bad_column = bad_column;
        r->bad_reason = bad_reason;
    }
    /* libcsv trims spaces and tabs around unquoted cells unless given a space function, and
     * calls that function for every byte. Cells are kept as written, so lines that hold a
     * space or a tab get the function; the others (most lines of Chinese text) parse without
     * the call, which behaves the same when there is nothing to trim. */
    bool spaced = memchr(text, ' ', len) || memchr(text, '\t', len);
    /* libcsv grows a cell's buffer by a fixed block (128 bytes); a cell of megabytes would be
     * copied over and over. A block as large as the line, or as the buffer so far, makes the
     * growth geometric. */
    size_t have = csv_get_buffer_size(&r->parser);
    csv_set_blk_size(&r->parser, len + 1 > have ? len + 1 : have);
    csv_set_space_func(&r->parser, spaced ? never_space : NULL);
    if (csv_parse(&r->parser, text, len, on_field, on_row_end, r) != len &&
        r->status == PL_OK)
        r->status = PL_ERR_NOMEM; /* libcsv fails only for memory when not strict */
    return r->status;
}

enum pl_status pl_csv_reader_finish(struct pl_csv_reader *r)
{
    if (r->status != PL_OK)
        return r->status;
    bool open_quote = r->parser.quoted && r->parser.pstate == LIBCSV_FIELD_BEGUN;
    if (open_quote) {
        /* Take the open cell as it stands, so that nothing read is lost; on_field moves
         * cell_line on, so keep where the open cell began. */
        unsigned long began = r->cell_line;
        on_field(r->parser.entry_buf, r->parser.entry_pos, r);
        r->cell_line = began;
        deliver(r, PL_CSV_ROW_UNTERMINATED);
        csv_free(&r->parser);
        csv_init(&r->parser, 0);
        return r->status;
    }
    if (csv_fini(&r->parser, on_field, on_row_end, r) != 0 && r->status == PL_OK)
        r->status = PL_ERR_NOMEM;
    return r->status;
}

enum pl_status pl_csv_read_stream(FILE *fp, char delimiter, pl_csv_row_fn on_row, void *ctx)
{
    struct pl_csv_reader *r = pl_csv_reader_new(delimiter, on_row, ctx);
    if (!r)
        return PL_ERR_NOMEM;
    struct pl_rawlines lines;
    pl_rawlines_init(&lines, fp);
    const char *line;
    size_t n;
    unsigned long line_no = 0;
    enum pl_status st;
    while ((st = pl_rawlines_next(&lines, &line, &n)) == PL_OK && line) {
        line_no++;
        unsigned long bad_column = 0;
        if (!pl_rawlines_clean(&lines, line, n)) {
            size_t chars = 0;
            size_t valid = pl_utf8_valid_prefix(line, n, &chars, NULL);
            const char *nul = memchr(line, '\0', valid);
            if (nul)
                pl_utf8_valid_prefix(line, (size_t)(nul - line), &chars, NULL);
            bad_column = chars + 1;
        }
        st = pl_csv_reader_feed_line(r, line, n, line_no, bad_column, 0);
        if (st != PL_OK)
            break;
    }
    if (st == PL_OK)
        st = pl_csv_reader_finish(r);
    pl_rawlines_fini(&lines);
    pl_csv_reader_free(r);
    return st;
}

void pl_csv_writer_init(struct pl_csv_writer *w, FILE *out, unsigned flags)
{
    w->out = out;
    w->flags = flags;
    w->column = 0;
    w->started = false;
    w->status = PL_OK;
    w->pending_len = 0;
}

/* Hands what the row has gathered to the stream. A writer owns its stream while it writes:
 * the unlocked call saves a lock per row. */
static void flush_pending(struct pl_csv_writer *w)
{
    if (w->status == PL_OK && w->pending_len &&
        fwrite_unlocked(w->pending, 1, w->pending_len, w->out) != w->pending_len)
        w->status = PL_ERR_IO;
    w->pending_len = 0;
}

static void put(struct pl_csv_writer *w, const void *s, size_t len)
{
    if (!len)
        return;
    if (len <= sizeof w->pending - w->pending_len) {
        memcpy(w->pending + w->pending_len, s, len);
        w->pending_len += len;
        return;
    }
    flush_pending(w);
    if (len < sizeof w->pending) {
        memcpy(w->pending, s, len);
        w->pending_len = len;
    } else if (w->status == PL_OK && fwrite_unlocked(s, 1, len, w->out) != len) {
        w->status = PL_ERR_IO; /* a cell larger than the buffer goes out as it is */
    }
}

static void put_char(struct pl_csv_writer *w, char c)
{
    if (w->pending_len == sizeof w->pending)
        flush_pending(w);
    w->pending[w->pending_len++] = c;
}

static bool looks_like_number(const char *s, size_t len)
{
    if (len < 2)
        return false;
    size_t i = 1, digits = 0;
    for (; i < len; i++) {
        if (s[i] >= '0' && s[i] <= '9')
            digits++;
        else if (s[i] != '.' && s[i] != '%')
            return false;
    }
    return digits > 0;
}

/* The bytes that make a cell quoted. */
static const unsigned char special_byte[256] = {[','] = 1, ['"'] = 1, ['\r'] = 1, ['\n'] = 1};

/* True when S[0..LEN) holds a comma, a quote, CR or LF. Every cell of every record goes
 * through here: sixteen bytes at a time where the machine has SSE2 (every x86-64), else
 * eight. */
static bool has_special(const char *s, size_t len)
{
    size_t i = 0;
#if defined(__SSE2__)
    const __m128i comma = _mm_set1_epi8(','), quote = _mm_set1_epi8('"'),
                  cr = _mm_set1_epi8('\r'), lf = _mm_set1_epi8('\n');
    for (; i + 16 <= len; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, quote)),
                                   _mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, lf)));
        if (_mm_movemask_epi8(hit))
            return true;
    }
#endif
    /* All four are below 0x2D; Chinese text (bytes from 0x80) and digits are not, so one
     * test per eight bytes clears most of a cell and only hits are looked at closely. */
    const uint64_t ones = UINT64_C(0x0101010101010101), highs = UINT64_C(0x8080808080808080);
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (((w - ones * 0x2D) & ~w & highs) == 0)
            continue;
        for (size_t k = i; k < i + 8; k++)
            if (s[k] == ',' || s[k] == '"' || s[k] == '\r' || s[k] == '\n')
                return true;
    }
    for (; i < len; i++)
        if (special_byte[(unsigned char)s[i]])
            return true;
    return false;
}

bool pl_csv_looks_like_formula(const char *s, size_t len)
{
    if (len == 0)
        return false;
    switch (s[0]) {
    case '=':
    case '@':
    case '\t':
    case '\r':
        return true;
    case '+':
    case '-':
        return !looks_like_number(s, len);
    default:
        return false;
    }
}

/* Cells up to this long are copied and looked at in one pass. */
enum { SHORT_CELL = 8 };

void pl_csv_write_cell(struct pl_csv_writer *w, const char *s, size_t len)
{
    if (!w->started) {
        w->started = true;
        if (w->flags & PL_CSV_BOM)
            put(w, "\xEF\xBB\xBF", 3);
    }
    if (w->column++)
        put_char(w, ',');
    bool apostrophe = (w->flags & PL_CSV_EXCEL_SAFE) && pl_csv_looks_like_formula(s, len);
    bool spaced = len && (s[0] == ' ' || s[len - 1] == ' ');
    if (len <= SHORT_CELL && !apostrophe && !spaced) {
        /* Most cells are short (ids, names, numbers, dates): copied as they are, and taken
         * back to be quoted in the rare case that they hold a special byte. */
        if (sizeof w->pending - w->pending_len < len)
            flush_pending(w);
        char *d = w->pending + w->pending_len;
        unsigned special = 0;
        for (size_t i = 0; i < len; i++) {
            special |= special_byte[(unsigned char)s[i]];
            d[i] = s[i];
        }
        if (!special) {
            w->pending_len += len;
            return;
        }
    }
    bool quote = apostrophe || spaced || has_special(s, len);
    if (!quote) {
        put(w, s, len);
        return;
    }
    put_char(w, '"');
    if (apostrophe)
        put_char(w, '\'');
    const char *p = s, *end = s + len;
    while (p < end) {
        const char *q = memchr(p, '"', (size_t)(end - p));
        if (!q) {
            put(w, p, (size_t)(end - p));
            break;
        }
        put(w, p, (size_t)(q - p) + 1);
        put_char(w, '"');
        p = q + 1;
    }
    put_char(w, '"');
}

void pl_csv_write_str(struct pl_csv_writer *w, const char *s)
{
    pl_csv_write_cell(w, s ? s : "", s ? strlen(s) : 0);
}

void pl_csv_write_ulong(struct pl_csv_writer *w, unsigned long v)
{
    char tmp[24];
    char *p = tmp + sizeof tmp;
    do
        *--p = (char)('0' + v % 10);
    while (v /= 10);
    pl_csv_write_cell(w, p, (size_t)(tmp + sizeof tmp - p));
}

void pl_csv_end_row(struct pl_csv_writer *w)
{
    if (!w->started) {
        /* An empty first row still gets the BOM. */
        w->started = true;
        if (w->flags & PL_CSV_BOM)
            put(w, "\xEF\xBB\xBF", 3);
    }
    put_char(w, '\n');
    flush_pending(w);
    w->column = 0;
}

void pl_csv_write_row(struct pl_csv_writer *w, const char *const *cells, size_t n)
{
    for (size_t i = 0; i < n; i++)
        pl_csv_write_str(w, cells[i]);
    pl_csv_end_row(w);
}

enum pl_status pl_csv_writer_status(const struct pl_csv_writer *w)
{
    return w->status;
}
