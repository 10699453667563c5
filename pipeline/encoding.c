/* encoding — detection and line-by-line decoding of return files. */
#include "encoding.h"

#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <uchardet.h>

#include "csv.h"
#include "rawlines.h"
#include "text.h"

/* A line in a GB18030 file counts as UTF-8 written into it (a mixed file) only when it is
 * valid UTF-8 with at least this many multi-byte characters: shorter GBK runs can be valid
 * UTF-8 by chance (about one two-character line in fifty), six in a row almost never are. */
enum { MIXED_MIN_MULTIBYTE = 6 };
enum { SNIFF_SIZE = 4096, CHUNK_SIZE = 65536 };

/* How many lines detection looks at before it reads the whole file. */
enum { PREFIX_LINES = 1000 };

struct pl_text_source {
    FILE *fp;
    bool owns_fp;
    enum pl_encoding enc;
    bool had_bom;
    bool clean;       /* the detection pass found no bad line: skip per-line checks */
    bool mark_mixed;  /* GB18030 file with UTF-8 lines in it */
    iconv_t cd;       /* GB18030 or UTF-16 to UTF-8 */
    struct pl_rawlines lines; /* UTF-8 and GB18030: the file's lines, cut from large blocks */
    struct pl_buf line; /* the decoded line handed out */
    /* UTF-16 only: decoded text not yet handed out, and where bad bytes were in it. */
    struct pl_buf pending;
    size_t pending_pos;
    size_t *bad_offsets;
    size_t bad_count, bad_cap;
    char *chunk;
    size_t chunk_len;
    bool eof;
    long data_start; /* offset after the BOM */
};

const char *pl_encoding_name(enum pl_encoding enc)
{
    switch (enc) {
    case PL_ENC_UTF8:
        return "UTF-8";
    case PL_ENC_GB18030:
        return "GB18030";
    case PL_ENC_UTF16LE:
        return "UTF-16LE";
    case PL_ENC_UTF16BE:
        return "UTF-16BE";
    case PL_ENC_AUTO:
        break;
    }
    return "auto";
}

enum pl_status pl_encoding_parse(const char *name, enum pl_encoding *out)
{
    static const struct {
        const char *name;
        enum pl_encoding enc;
    } names[] = {
        {"utf-8", PL_ENC_UTF8},      {"utf8", PL_ENC_UTF8},         {"gbk", PL_ENC_GB18030},
        {"gb2312", PL_ENC_GB18030},  {"gb18030", PL_ENC_GB18030},   {"cp936", PL_ENC_GB18030},
        {"utf-16", PL_ENC_UTF16LE},  {"utf-16le", PL_ENC_UTF16LE},  {"utf16", PL_ENC_UTF16LE},
        {"utf-16be", PL_ENC_UTF16BE}, {"auto", PL_ENC_AUTO},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcasecmp(name, names[i].name) == 0) {
            *out = names[i].enc;
            return PL_OK;
        }
    }
    return PL_ERR_USAGE;
}

/* Copies a stream that cannot be read twice (a pipe, a FIFO) into an anonymous temporary
 * file. */
static FILE *spool(FILE *in)
{
    FILE *tmp = tmpfile();
    if (!tmp)
        return NULL;
    char *buf = malloc(CHUNK_SIZE);
    if (!buf) {
        fclose(tmp);
        return NULL;
    }
    size_t n;
    bool ok = true;
    while ((n = fread(buf, 1, CHUNK_SIZE, in)) > 0)
        if (fwrite(buf, 1, n, tmp) != n) {
            ok = false;
            break;
        }
    free(buf);
    if (!ok || ferror(in) || fflush(tmp) != 0 || fseek(tmp, 0, SEEK_SET) != 0) {
        fclose(tmp);
        return NULL;
    }
    return tmp;
}

static const char *binary_kind(const unsigned char *s, size_t n)
{
    if (n >= 4 && memcmp(s, "PK\x03\x04", 4) == 0)
        return "是Excel工作簿（.xlsx）或压缩文件，不是文本文件：报表请在Excel中用“另存为”保存为“CSV UTF-8（逗号分隔）”后再报送";
    if (n >= 4 && memcmp(s, "\xD0\xCF\x11\xE0", 4) == 0)
        return "是旧版Excel或Word文件（.xls/.doc），不是文本文件：报表请用“另存为”保存为“CSV UTF-8（逗号分隔）”，文件请另存为纯文本";
    if (n >= 4 && memcmp(s, "%PDF", 4) == 0)
        return "是PDF文件，不是文本文件：请提交另存的CSV或纯文本文件";
    size_t controls = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < 0x20 && s[i] != '\t' && s[i] != '\n' && s[i] != '\r' && s[i] != '\f')
            controls++;
    /* Text has next to no control characters; a few NULs in a text file are reported per row,
     * a tenth of the first block is a binary file. */
    if (controls * 10 > n)
        return "是二进制文件，不是文本文件";
    return NULL;
}

static void source_free(struct pl_text_source *src)
{
    if (!src)
        return;
    if (src->owns_fp && src->fp)
        fclose(src->fp);
    if (src->cd != (iconv_t)-1 && src->cd != NULL)
        iconv_close(src->cd);
    pl_rawlines_fini(&src->lines);
    pl_buf_fini(&src->line);
    pl_buf_fini(&src->pending);
    free(src->bad_offsets);
    free(src->chunk);
    free(src);
}

void pl_text_source_free(struct pl_text_source *src)
{
    source_free(src);
}

/* Goes back to the first byte after the BOM, forgetting what the block held. */
static enum pl_status rewind_data(struct pl_text_source *src)
{
    pl_rawlines_forget(&src->lines);
    return fseek(src->fp, src->data_start, SEEK_SET) == 0 ? PL_OK : PL_ERR_IO;
}

/* Per-line statistics of one reading of the file under UTF-8, and optionally GB18030. */
struct scan {
    unsigned long utf8_bad;      /* lines not valid UTF-8 */
    unsigned long utf8_rich;     /* valid lines with MIXED_MIN_MULTIBYTE or more multi-byte chars */
    unsigned long utf8_multi;    /* valid lines with any multi-byte character */
    unsigned long first_bad_line, first_bad_col;
    bool whole_file; /* the scan reached the end of the file */
};

static bool gb18030_line_valid(iconv_t cd, const char *s, size_t len, struct pl_buf *scratch)
{
    iconv(cd, NULL, NULL, NULL, NULL);
    char *in = (char *)s;
    size_t inleft = len;
    while (inleft > 0) {
        if (pl_buf_reserve(scratch, inleft * 2 + 8) != PL_OK)
            return false;
        char *out = scratch->data;
        size_t outleft = scratch->cap - 1;
        if (iconv(cd, &in, &inleft, &out, &outleft) == (size_t)-1 && errno != E2BIG)
            return false;
    }
    return true;
}

static enum pl_status scan_utf8(struct pl_text_source *src, unsigned long max_lines,
                                struct scan *sc)
{
    const char *raw = "";
    size_t n = 0;
    unsigned long line_no = 0;
    memset(sc, 0, sizeof *sc);
    enum pl_status st = PL_OK;
    while (line_no < max_lines && (st = pl_rawlines_next(&src->lines, &raw, &n)) == PL_OK && raw) {
        line_no++;
        size_t chars, multi;
        size_t valid = pl_utf8_valid_prefix(raw, n, &chars, &multi);
        if (valid != n) {
            if (!sc->utf8_bad++) {
                sc->first_bad_line = line_no;
                sc->first_bad_col = chars + 1;
            }
        } else if (multi) {
            sc->utf8_multi++;
            if (multi >= MIXED_MIN_MULTIBYTE)
                sc->utf8_rich++;
        }
    }
    if (line_no < max_lines && st != PL_OK)
        return st;
    sc->whole_file = raw == NULL;
    return rewind_data(src);
}

/* Counts the lines with non-ASCII bytes that GB18030 decodes, and those it does not. */
static enum pl_status scan_gb18030(struct pl_text_source *src, unsigned long max_lines,
                                   unsigned long *good, unsigned long *bad)
{
    struct pl_buf scratch;
    pl_buf_init(&scratch);
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1)
        return PL_ERR_INTERNAL;
    const char *raw;
    size_t n;
    unsigned long lines = 0;
    *good = *bad = 0;
    enum pl_status st = PL_OK;
    while (lines++ < max_lines && (st = pl_rawlines_next(&src->lines, &raw, &n)) == PL_OK && raw) {
        bool ascii = true;
        for (size_t i = 0; i < n && ascii; i++)
            ascii = (unsigned char)raw[i] < 0x80;
        if (ascii)
            continue;
        if (gb18030_line_valid(cd, raw, n, &scratch))
            ++*good;
        else
            ++*bad;
    }
    iconv_close(cd);
    pl_buf_fini(&scratch);
    if (st != PL_OK)
        return st;
    return rewind_data(src);
}

static const char *uchardet_guess(FILE *fp, struct pl_buf *name)
{
    uchardet_t ud = uchardet_new();
    if (!ud)
        return NULL;
    char buf[SNIFF_SIZE * 4];
    size_t n = fread(buf, 1, sizeof buf, fp);
    uchardet_handle_data(ud, buf, n);
    uchardet_data_end(ud);
    const char *cs = uchardet_get_charset(ud);
    if (cs && *cs)
        pl_buf_append_str(name, cs);
    uchardet_delete(ud);
    fseek(fp, 0, SEEK_SET);
    return name->len ? name->data : NULL;
}

/* Decides the encoding of a file without a BOM. The first lines usually settle it: when they
 * are clean UTF-8 with Chinese text in them, or clean GB18030 and not UTF-8, that is the
 * file's encoding, and a later line that does not decode is marked bad (its row rejected),
 * never guessed at. Only when the first lines leave it open is the whole file counted: the
 * encoding that decodes most lines wins, and a file that neither decodes is refused. */
static enum pl_status detect(struct pl_text_source *src, const char *display,
                             struct pl_diag *diag)
{
    struct scan sc;
    enum pl_status st = scan_utf8(src, PREFIX_LINES, &sc);
    if (st != PL_OK)
        return st;
    if (sc.utf8_bad == 0 && (sc.utf8_multi > 0 || sc.whole_file)) {
        src->enc = PL_ENC_UTF8;
        src->clean = sc.whole_file;
        return PL_OK;
    }
    if (sc.utf8_bad > 0 && sc.utf8_multi > sc.utf8_bad) {
        /* Mostly UTF-8 Chinese with a few lines of something else: those lines are rejected. */
        src->enc = PL_ENC_UTF8;
        return PL_OK;
    }
    unsigned long gb_good, gb_bad;
    /* GBK text reads as valid UTF-8 only by chance, a line here and there: a file with more
     * than that is not taken for GB18030 on its first lines. */
    if (sc.utf8_bad > 0 && sc.utf8_rich == 0 && sc.utf8_multi * 10 <= sc.utf8_bad) {
        st = scan_gb18030(src, PREFIX_LINES, &gb_good, &gb_bad);
        if (st != PL_OK)
            return st;
        if (gb_bad == 0) {
            src->enc = PL_ENC_GB18030;
            src->mark_mixed = true;
            return PL_OK;
        }
    }
    if (!sc.whole_file && (st = scan_utf8(src, (unsigned long)-1, &sc)) != PL_OK)
        return st;
    if (sc.utf8_bad == 0) {
        src->enc = PL_ENC_UTF8;
        src->clean = true;
        return PL_OK;
    }
    if (sc.utf8_multi > sc.utf8_bad) {
        /* A UTF-8 file with a few lines of something else: those lines are rejected. */
        src->enc = PL_ENC_UTF8;
        return PL_OK;
    }
    st = scan_gb18030(src, (unsigned long)-1, &gb_good, &gb_bad);
    if (st != PL_OK)
        return st;
    if (gb_bad == 0 || gb_good > gb_bad) {
        src->enc = PL_ENC_GB18030;
        src->mark_mixed = sc.utf8_rich > 0;
        return PL_OK;
    }
    struct pl_buf guess;
    pl_buf_init(&guess);
    const char *g = uchardet_guess(src->fp, &guess);
    /* A guess of one of the encodings just ruled out would only confuse. */
    if (g && (strcasecmp(g, "UTF-8") == 0 || strncasecmp(g, "GB", 2) == 0 ||
              strcasecmp(g, "ASCII") == 0))
        g = NULL;
    pl_diag_report(diag, display, sc.first_bad_line, sc.first_bad_col, "E_ENCODING_UNKNOWN",
                   "无法识别文件编码：既不是UTF-8，也不是GBK/GB18030%s%s%s；请在Excel中用“另存为”"
                   "保存为“CSV UTF-8（逗号分隔）”后再报送",
                   g ? "（看起来像" : "", g ? g : "", g ? "）" : "");
    pl_buf_fini(&guess);
    return PL_ERR_ENCODING;
}

enum pl_status pl_text_source_open(const char *path, const char *display,
                                   enum pl_encoding forced, struct pl_diag *diag,
                                   struct pl_text_source **out)
{
    *out = NULL;
    if (!display)
        display = path;
    struct pl_text_source *src = calloc(1, sizeof *src);
    if (!src)
        return PL_ERR_NOMEM;
    src->cd = (iconv_t)-1;
    pl_buf_init(&src->line);
    pl_buf_init(&src->pending);
    enum pl_status st = PL_OK;
    FILE *fp;
    bool is_stdin = strcmp(path, "-") == 0;
    if (is_stdin) {
        fp = stdin;
    } else {
        fp = fopen(path, "rb");
        if (!fp) {
            pl_diag_report(diag, display, 0, 0, "E_UNREADABLE", "无法打开文件：%s",
                           strerror(errno));
            st = PL_ERR_OPEN;
            goto fail;
        }
        src->owns_fp = true;
    }
    src->fp = fp;
    struct stat sb;
    if (fstat(fileno(fp), &sb) != 0) {
        pl_diag_report(diag, display, 0, 0, "E_UNREADABLE", "无法读取文件信息：%s",
                       strerror(errno));
        st = PL_ERR_OPEN;
        goto fail;
    }
    if (S_ISDIR(sb.st_mode)) {
        pl_diag_report(diag, display, 0, 0, "E_NOT_A_FILE", "是一个目录，不是文件");
        st = PL_ERR_OPEN;
        goto fail;
    }
    if (!S_ISREG(sb.st_mode)) {
        FILE *tmp = spool(fp);
        if (!tmp) {
            pl_diag_report(diag, display, 0, 0, "E_UNREADABLE", "无法读取：%s",
                           strerror(errno));
            st = PL_ERR_OPEN;
            goto fail;
        }
        if (src->owns_fp)
            fclose(fp);
        src->fp = tmp;
        src->owns_fp = true;
    }

    pl_rawlines_init(&src->lines, src->fp);
    unsigned char sniff[SNIFF_SIZE];
    size_t n = fread(sniff, 1, sizeof sniff, src->fp);
    if (ferror(src->fp)) {
        pl_diag_report(diag, display, 0, 0, "E_UNREADABLE", "读取失败：%s", strerror(errno));
        st = PL_ERR_OPEN;
        goto fail;
    }
    if (n == 0) {
        pl_diag_report(diag, display, 0, 0, "E_EMPTY_FILE", "文件是空的（0字节），没有可读取的内容");
        st = PL_ERR_DATA;
        goto fail;
    }
    long skip = 0;
    if (n >= 3 && memcmp(sniff, "\xEF\xBB\xBF", 3) == 0) {
        src->enc = PL_ENC_UTF8;
        skip = 3;
    } else if (n >= 2 && memcmp(sniff, "\xFF\xFE", 2) == 0) {
        src->enc = PL_ENC_UTF16LE;
        skip = 2;
    } else if (n >= 2 && memcmp(sniff, "\xFE\xFF", 2) == 0) {
        src->enc = PL_ENC_UTF16BE;
        skip = 2;
    }
    src->had_bom = skip > 0;
    if (!skip && forced == PL_ENC_AUTO) {
        const char *kind = binary_kind(sniff, n);
        if (kind) {
            pl_diag_report(diag, display, 0, 0, "E_BINARY_FILE", "%s", kind);
            st = PL_ERR_DATA;
            goto fail;
        }
    }
    if (forced != PL_ENC_AUTO) {
        /* A BOM of the forced encoding is still skipped; any other BOM is data. */
        if (src->enc != forced)
            skip = 0;
        src->enc = forced;
    }
    src->data_start = skip;
    if (fseek(src->fp, skip, SEEK_SET) != 0) {
        st = PL_ERR_IO;
        goto fail;
    }
    if (src->enc == PL_ENC_AUTO) {
        st = detect(src, display, diag);
        if (st != PL_OK)
            goto fail;
        if ((st = rewind_data(src)) != PL_OK)
            goto fail;
    }
    if (src->enc != PL_ENC_UTF8) {
        src->cd = iconv_open("UTF-8", src->enc == PL_ENC_GB18030   ? "GB18030"
                                      : src->enc == PL_ENC_UTF16LE ? "UTF-16LE"
                                                                   : "UTF-16BE");
        if (src->cd == (iconv_t)-1) {
            st = PL_ERR_INTERNAL;
            goto fail;
        }
    }
    *out = src;
    return PL_OK;
fail:
    if (!src->owns_fp)
        src->fp = NULL;
    source_free(src);
    return st;
}

/* Decodes RAW[0..LEN) as UTF-8 into the source's line: valid bytes as they are, others as
 * \xNN. Sets *BAD_COLUMN to the first bad character's column. */
static enum pl_status take_utf8_line(struct pl_text_source *src, const char *raw, size_t len,
                                     unsigned long *bad_column, enum pl_bad_reason *reason)
{
    size_t chars;
    size_t valid = pl_utf8_valid_prefix(raw, len, &chars, NULL);
    const char *nul = memchr(raw, '\0', valid);
    if (nul) {
        valid = (size_t)(nul - raw);
        pl_utf8_valid_prefix(raw, valid, &chars, NULL);
    }
    if (valid == len)
        return pl_buf_append(&src->line, raw, len);
    *bad_column = chars + 1;
    *reason = nul ? PL_BAD_NUL : PL_BAD_BYTES;
    return pl_text_escape_invalid(&src->line, raw, len);
}

/* GB18030's two-byte characters (lead 0x81..0xFE, trail 0x40..0xFE) as iconv converts them
 * to UTF-8, looked up in a table rather than converted through iconv: glibc goes through UCS-4
 * one character at a time, and that was two thirds of reading a GBK return. The table is
 * iconv's own answer for each code, asked once per lead byte when a file first uses it (190
 * calls), and kept for the process (the library has no threads). An entry holds the UTF-8
 * bytes (lowest byte first) and their count in the top byte; GB_UNKNOWN a lead byte not asked
 * about yet; GB_ICONV a code that iconv does not convert to one character of up to three
 * bytes (0x7F as trail, unassigned codes, anything outside the two-byte ranges), left to iconv
 * and its error path. Four-byte codes are left to iconv too. */
enum { GB_UNKNOWN = 0, GB_ICONV = 1 };
/* Indexed by lead << 8 | trail, so that a lookup needs no range checks: a lead or trail
 * outside GB18030's ranges is GB_ICONV once its row has been filled. 256 KB, of which only the
 * rows a file uses are ever touched. */
static uint32_t gb_table[256 * 256];
static int gb_ascii_same = -1; /* iconv leaves 0x01..0x7F as they are: 1, else 0 */

static uint32_t gb_convert_one(iconv_t cd, const unsigned char *code, size_t n)
{
    char out[8];
    char *in = (char *)code, *o = out;
    size_t inleft = n, outleft = sizeof out;
    iconv(cd, NULL, NULL, NULL, NULL);
    size_t r = iconv(cd, &in, &inleft, &o, &outleft);
    iconv(cd, NULL, NULL, NULL, NULL);
    size_t k = sizeof out - outleft;
    if (r != 0 || inleft != 0 || k == 0 || k > 3)
        return GB_ICONV;
    uint32_t e = (uint32_t)k << 24;
    for (size_t i = 0; i < k; i++)
        e |= (uint32_t)(unsigned char)out[i] << (8 * i);
    return e;
}

static bool gb_ascii_is_same(iconv_t cd)
{
    if (gb_ascii_same < 0) {
        unsigned char ascii[0x7F];
        char out[0x7F * 4];
        for (int i = 0; i < 0x7F; i++)
            ascii[i] = (unsigned char)(i + 1);
        char *in = (char *)ascii, *o = out;
        size_t inleft = sizeof ascii, outleft = sizeof out;
        iconv(cd, NULL, NULL, NULL, NULL);
        size_t r = iconv(cd, &in, &inleft, &o, &outleft);
        iconv(cd, NULL, NULL, NULL, NULL);
        gb_ascii_same = r == 0 && inleft == 0 && sizeof out - outleft == sizeof ascii &&
                        memcmp(out, ascii, sizeof ascii) == 0;
    }
    return gb_ascii_same == 1;
}

/* The entry of a lead byte not asked about yet: asks iconv for its whole row. */
static uint32_t gb_fill_row(iconv_t cd, unsigned lead, unsigned trail)
{
    uint32_t *row = gb_table + (lead << 8);
    for (unsigned t = 0; t < 256; t++) {
        unsigned char code[2] = {(unsigned char)lead, (unsigned char)t};
        bool two_byte = lead >= 0x81 && lead <= 0xFE && t >= 0x40 && t <= 0xFE && t != 0x7F;
        row[t] = two_byte ? gb_convert_one(cd, code, 2) : GB_ICONV;
    }
    return row[trail];
}

/* Converts the start of RAW[0..LEN) that is ASCII and two-byte characters into the source's
 * line; returns how many bytes it took. The rest (a four-byte character, a byte that does not
 * decode) is iconv's: GB18030 has no state, so iconv goes on from there as if it had done the
 * whole line. */
static size_t gb18030_fast_prefix(struct pl_text_source *src, const unsigned char *raw,
                                  size_t len)
{
    if (!gb_ascii_is_same(src->cd))
        return 0;
    /* Two bytes become at most three, one byte one; three bytes are always stored. */
    if (pl_buf_reserve(&src->line, len + len / 2 + 4) != PL_OK)
        return 0; /* iconv's path reports the lack of memory */
    unsigned char *w = (unsigned char *)src->line.data + src->line.len;
    size_t i = 0;
    while (i + 1 < len) {
        unsigned c = raw[i];
        if (c < 0x80) {
            *w++ = (unsigned char)c;
            i++;
            continue;
        }
        unsigned t = raw[i + 1];
        uint32_t e = gb_table[c << 8 | t];
        if (e <= GB_ICONV) {
            if (e == GB_UNKNOWN)
                e = gb_fill_row(src->cd, c, t);
            if (e == GB_ICONV)
                break;
        }
        w[0] = (unsigned char)e;
        w[1] = (unsigned char)(e >> 8);
        w[2] = (unsigned char)(e >> 16);
        w += e >> 24;
        i += 2;
    }
    if (i + 1 == len && raw[i] < 0x80)
        *w++ = raw[i++]; /* the line's last byte, its LF */
    src->line.len = (size_t)((char *)w - src->line.data);
    src->line.data[src->line.len] = '\0';
    return i;
}

/* Decodes one GB18030 line through iconv, escaping what does not decode. */
static enum pl_status take_gb18030_line(struct pl_text_source *src, const char *raw,
                                        size_t len, unsigned long *bad_column,
                                        enum pl_bad_reason *reason)
{
    if (src->mark_mixed) {
        size_t multi;
        if (pl_utf8_valid_prefix(raw, len, NULL, &multi) == len &&
            multi >= MIXED_MIN_MULTIBYTE) {
            *bad_column = 1;
            *reason = PL_BAD_MIXED;
            return pl_buf_append(&src->line, raw, len);
        }
    }
    size_t done = gb18030_fast_prefix(src, (const unsigned char *)raw, len);
    if (done < len)
        iconv(src->cd, NULL, NULL, NULL, NULL);
    char *in = (char *)raw + done;
    size_t inleft = len - done;
    while (inleft > 0) {
        if (pl_buf_reserve(&src->line, inleft * 2 + 8) != PL_OK)
            return PL_ERR_NOMEM;
        char *out = src->line.data + src->line.len;
        size_t room = src->line.cap - src->line.len - 1;
        size_t outleft = room;
        size_t r = iconv(src->cd, &in, &inleft, &out, &outleft);
        int err = errno;
        src->line.len += room - outleft;
        src->line.data[src->line.len] = '\0';
        if (r != (size_t)-1 || err == E2BIG)
            continue;
        /* EILSEQ or EINVAL: show one byte escaped and go on after it. */
        if (!*bad_column) {
            size_t chars;
            pl_utf8_valid_prefix(src->line.data, src->line.len, &chars, NULL);
            *bad_column = chars + 1;
            *reason = PL_BAD_BYTES;
        }
        if (pl_text_escape_invalid(&src->line, in, 1) != PL_OK)
            return PL_ERR_NOMEM;
        in++;
        inleft--;
        iconv(src->cd, NULL, NULL, NULL, NULL);
    }
    /* GB18030 maps 0x00 to U+0000: a NUL is as bad here as in UTF-8. */
    const char *nul = memchr(src->line.data, '\0', src->line.len);
    if (nul && !*bad_column) {
        size_t chars;
        pl_utf8_valid_prefix(src->line.data, (size_t)(nul - src->line.data), &chars, NULL);
        *bad_column = chars + 1;
        *reason = PL_BAD_NUL;
        struct pl_buf copy;
        pl_buf_init(&copy);
        enum pl_status st = pl_text_escape_invalid(&copy, src->line.data, src->line.len);
        if (st == PL_OK) {
            pl_buf_clear(&src->line);
            st = pl_buf_append(&src->line, copy.data, copy.len);
        }
        pl_buf_fini(&copy);
        return st;
    }
    return PL_OK;
}

/* UTF-16: converts raw chunks into the pending text, recording where bad units were. */
static enum pl_status fill_utf16(struct pl_text_source *src)
{
    if (!src->chunk) {
        src->chunk = malloc(CHUNK_SIZE);
        if (!src->chunk)
            return PL_ERR_NOMEM;
    }
    /* Drop what was handed out already. */
    if (src->pending_pos) {
        memmove(src->pending.data, src->pending.data + src->pending_pos,
                src->pending.len - src->pending_pos);
        src->pending.len -= src->pending_pos;
        src->pending.data[src->pending.len] = '\0';
        for (size_t i = 0; i < src->bad_count; i++)
            src->bad_offsets[i] -= src->pending_pos;
        src->pending_pos = 0;
    }
    size_t n = fread(src->chunk + src->chunk_len, 1, CHUNK_SIZE - src->chunk_len, src->fp);
    if (ferror(src->fp))
        return PL_ERR_IO;
    if (n == 0)
        src->eof = true;
    src->chunk_len += n;
    char *in = src->chunk;
    size_t inleft = src->chunk_len;
    while (inleft > 0) {
        if (pl_buf_reserve(&src->pending, inleft * 2 + 8) != PL_OK)
            return PL_ERR_NOMEM;
        char *out = src->pending.data + src->pending.len;
        size_t room = src->pending.cap - src->pending.len - 1;
        size_t outleft = room;
        size_t r = iconv(src->cd, &in, &inleft, &out, &outleft);
        int err = errno;
        src->pending.len += room - outleft;
        src->pending.data[src->pending.len] = '\0';
        if (r != (size_t)-1 || err == E2BIG)
            continue;
        if (err == EINVAL && !src->eof)
            break; /* a unit cut by the chunk's end: keep it for the next chunk */
        /* A lone surrogate or an odd trailing byte: escape one code unit (or byte). */
        size_t bad = inleft >= 2 ? 2 : 1;
        if (src->bad_count == src->bad_cap) {
            size_t cap = src->bad_cap ? src->bad_cap * 2 : 8;
            size_t *p = realloc(src->bad_offsets, cap * sizeof *p);
            if (!p)
                return PL_ERR_NOMEM;
            src->bad_offsets = p;
            src->bad_cap = cap;
        }
        src->bad_offsets[src->bad_count++] = src->pending.len;
        if (pl_text_escape_invalid(&src->pending, in, bad) != PL_OK)
            return PL_ERR_NOMEM;
        in += bad;
        inleft -= bad;
        iconv(src->cd, NULL, NULL, NULL, NULL);
    }
    memmove(src->chunk, in, inleft);
    src->chunk_len = inleft;
    return PL_OK;
}

static enum pl_status next_utf16_line(struct pl_text_source *src, const char **text,
                                      size_t *len, unsigned long *bad_column,
                                      enum pl_bad_reason *reason)
{
    for (;;) {
        const char *start = src->pending.data + src->pending_pos;
        size_t avail = src->pending.len - src->pending_pos;
        const char *nl = memchr(start, '\n', avail);
        if (nl || (src->eof && avail > 0)) {
            size_t n = nl ? (size_t)(nl - start) + 1 : avail;
            size_t end = src->pending_pos + n;
            size_t first_bad = (size_t)-1;
            size_t keep = 0;
            for (size_t i = 0; i < src->bad_count; i++) {
                if (src->bad_offsets[i] < end) {
                    if (first_bad == (size_t)-1)
                        first_bad = src->bad_offsets[i];
                } else {
                    src->bad_offsets[keep++] = src->bad_offsets[i];
                }
            }
            src->bad_count = keep;
            if (pl_buf_append(&src->line, start, n) != PL_OK)
                return PL_ERR_NOMEM;
            const char *nul = memchr(src->line.data, '\0', src->line.len);
            if (first_bad != (size_t)-1 || nul) {
                size_t upto = first_bad != (size_t)-1 ? first_bad - src->pending_pos
                                                      : (size_t)(nul - src->line.data);
                if (nul && (size_t)(nul - src->line.data) < upto)
                    upto = (size_t)(nul - src->line.data);
                size_t chars;
                pl_utf8_valid_prefix(src->line.data, upto, &chars, NULL);
                *bad_column = chars + 1;
                *reason = first_bad != (size_t)-1 && upto == first_bad - src->pending_pos
                              ? PL_BAD_BYTES
                              : PL_BAD_NUL;
                if (nul) {
                    struct pl_buf copy;
                    pl_buf_init(&copy);
                    enum pl_status st =
                        pl_text_escape_invalid(&copy, src->line.data, src->line.len);
                    pl_buf_clear(&src->line);
                    if (st == PL_OK)
                        st = pl_buf_append(&src->line, copy.data, copy.len);
                    pl_buf_fini(&copy);
                    if (st != PL_OK)
                        return st;
                }
            }
            src->pending_pos = end;
            *text = src->line.data;
            *len = src->line.len;
            return PL_OK;
        }
        if (src->eof) {
            *text = NULL;
            *len = 0;
            return PL_OK;
        }
        enum pl_status st = fill_utf16(src);
        if (st != PL_OK)
            return st;
    }
}

enum pl_status pl_text_source_next_line(struct pl_text_source *src, const char **text,
                                        size_t *len, unsigned long *bad_column,
                                        enum pl_bad_reason *bad_reason)
{
    *bad_column = 0;
    *bad_reason = PL_BAD_NONE;
    pl_buf_clear(&src->line);
    if (src->enc == PL_ENC_UTF16LE || src->enc == PL_ENC_UTF16BE)
        return next_utf16_line(src, text, len, bad_column, bad_reason);
    const char *raw;
    size_t n;
    enum pl_status st = pl_rawlines_next(&src->lines, &raw, &n);
    if (st != PL_OK || !raw) {
        *text = NULL;
        *len = 0;
        return st;
    }
    if (src->enc == PL_ENC_UTF8 &&
        (src->clean ? !memchr(raw, '\0', n) : pl_rawlines_clean(&src->lines, raw, n))) {
        /* A valid line is handed out as it stands in the block, without a copy. */
        *text = raw;
        *len = n;
        return PL_OK;
    }
    st = src->enc == PL_ENC_UTF8 ? take_utf8_line(src, raw, n, bad_column, bad_reason)
                                 : take_gb18030_line(src, raw, n, bad_column, bad_reason);
    *text = src->line.data;
    *len = src->line.len;
    return st;
}

enum pl_status pl_text_source_feed_csv(struct pl_text_source *src, struct pl_csv_reader *csv,
                                       unsigned long *lines)
{
    unsigned long line_no = 0;
    enum pl_status st;
    for (;;) {
        const char *text;
        size_t len;
        unsigned long bad;
        enum pl_bad_reason reason;
        st = pl_text_source_next_line(src, &text, &len, &bad, &reason);
        if (st != PL_OK)
            break;
        if (!text) {
            st = pl_csv_reader_finish(csv);
            break;
        }
        st = pl_csv_reader_feed_line(csv, text, len, ++line_no, bad, (int)reason);
        if (st != PL_OK)
            break;
    }
    if (lines)
        *lines = line_no;
    return st;
}

enum pl_encoding pl_text_source_encoding(const struct pl_text_source *src)
{
    return src->enc;
}

int pl_text_source_had_bom(const struct pl_text_source *src)
{
    return src->had_bom;
}

char pl_text_source_delimiter(const struct pl_text_source *src)
{
    return src->enc == PL_ENC_UTF16LE || src->enc == PL_ENC_UTF16BE ? '\t' : ',';
}

enum pl_status pl_text_load(const char *path, enum pl_encoding forced, struct pl_diag *diag,
                            struct pl_buf *out, enum pl_encoding *enc)
{
    struct pl_text_source *src;
    enum pl_status st = pl_text_source_open(path, path, forced, diag, &src);
    if (st != PL_OK)
        return st;
    if (enc)
        *enc = src->enc;
    unsigned long line_no = 0;
    for (;;) {
        const char *text;
        size_t len;
        unsigned long bad;
        enum pl_bad_reason reason;
        st = pl_text_source_next_line(src, &text, &len, &bad, &reason);
        if (st != PL_OK || !text)
            break;
        line_no++;
        if (bad) {
            pl_diag_report(diag, path, line_no, bad, "E_UNDECODABLE",
                           "第%lu行第%lu列的字节不是%s编码的文字，无法读取", line_no, bad,
                           pl_encoding_name(src->enc));
            st = PL_ERR_ENCODING;
            break;
        }
        st = pl_buf_append(out, text, len);
        if (st != PL_OK)
            break;
    }
    pl_text_source_free(src);
    return st;
}
