/*
 * workbook_xls — the .xls reader behind workbook.h: an OLE compound file (MS-CFB) holding a
 * BIFF8 "Workbook" stream, read with libfreexl 1.0.6.
 *
 * Before freexl sees a file, its container is looked at here: freexl says only "CFBF error"
 * or "no workbook" where a unit needs to be told what to send instead (an encrypted .xlsx, a
 * WPS .et, a Word document, an Excel 95 file, a file cut short). The directory and the
 * Workbook stream are read with every sector number, size and offset checked against the
 * file; nothing in the container is trusted.
 *
 * freexl 1.0.6 leaves out, and this file makes up for from its own pass over the Workbook
 * stream's records:
 *   - number formats: freexl does not expose them (it only tells some dates), so a
 *     percent-formatted 0.55 would read "0.55". Every number is read here instead: NUMBER, RK
 *     and MULRK records and a formula's numeric value, each in the style of its cell's XF
 *     (ixfe → the XF's ifmt → the code of the FORMAT record of that id, else Excel's
 *     built-in format of that id), written by pl_workbook_format_number() as the .xlsx
 *     reader writes it: "55%", an ISO date in the workbook's 1900 or 1904 system. freexl is
 *     asked only for text cells. The globals keep one byte a XF; a sheet's numbers are held
 *     while it is read, 16 bytes each (freexl holds every cell of the sheet as well).
 *   - formulas: freexl skips FORMULA records, so every formula cell would read empty. Their
 *     cached values are read here: a number (in its format, as above), a text (the STRING
 *     record after it), a boolean, an error.
 *   - booleans and errors (BOOLERR): freexl turns both into the integers 0 and 1, so TRUE
 *     would read "1" and #N/A "1". Read here as TRUE/FALSE and as error cells.
 *   - hidden sheets: freexl keeps each BOUNDSHEET's state but does not expose it.
 *   - passwords: freexl opens an .xls with a FILEPASS record as a workbook of no sheets and
 *     reports it plain; the FILEPASS record is looked for here.
 * Should the BOUNDSHEET records read here disagree with freexl on the sheets, every cell is
 * taken from freexl: numbers then read without their format (dates as freexl tells them,
 * with the ":00" seconds it always writes dropped).
 */
#include <errno.h>
#include <fcntl.h>
#include <freexl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "workbook_impl.h"

#define BIFF8_MAX_ROWS 65536u
#define BIFF8_MAX_COLUMNS 256u

static const char MSG_ENCRYPTED[] =
    "工作簿设置了打开密码，无法读取：请取消密码（文件→信息→保护工作簿）后另存为.xlsx重新报送";
static const char MSG_WPS[] = "这是WPS专用格式（.et），请在WPS中另存为.xlsx或.xls后报送";
static const char MSG_NOT_WORKBOOK[] =
    "这不是Excel工作簿（可能是Word文档或其他Office文件）：请用Excel或WPS另存为.xlsx后重新报送";
static const char MSG_OLD_EXCEL[] =
    "这是Excel 95或更早版本的.xls文件，无法读取：请用Excel或WPS另存为.xlsx后重新报送";
static const char MSG_SHORT[] = "文件不完整（可能下载或拷贝中断）：请重新导出或重新发送";
static const char MSG_DAMAGED[] = "文件已损坏，无法读取：请重新导出或重新发送";
static const char MSG_BROKEN[] =
    "工作簿内容无法解析（文件可能已损坏）：请用Excel或WPS另存为.xlsx后重新报送";

/* --- the compound file -------------------------------------------------------------------- */

#define CFB_MAXREG 0xFFFFFFFAu
#define CFB_END 0xFFFFFFFEu
#define CFB_FREE 0xFFFFFFFFu
#define CFB_NOSTREAM 0xFFFFFFFFu
#define CFB_HEADER_DIFAT 109u

enum cfb_result {
    CFB_OK = 0,
    CFB_SHORT,   /* something the container needs lies past the end of the file */
    CFB_DAMAGED, /* the header or a chain does not hold together */
    CFB_NOMEM,
    CFB_IO,
};

struct cfb_entry {
    uint16_t name[32]; /* UTF-16 code units, as stored (at most 31 and a terminator) */
    size_t name_len;
    unsigned char type; /* 1 storage, 2 stream, 5 root */
    uint32_t left, right, child, start;
    uint64_t size;
};

struct cfb {
    int fd;
    uint64_t file_size;
    unsigned major;
    size_t sector_size;
    uint32_t mini_cutoff;
    uint32_t *fat;
    size_t nfat;
    uint32_t *minifat;
    size_t nminifat;
    unsigned char *ministream;
    size_t ministream_len;
    bool ministream_loaded;
    struct cfb_entry *dir;
    size_t ndir;
};

static uint16_t le16(const unsigned char *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static enum cfb_result read_at(struct cfb *c, uint64_t offset, void *out, size_t len)
{
    if (offset > c->file_size || len > c->file_size - offset)
        return CFB_SHORT;
    unsigned char *p = out;
    while (len > 0) {
        ssize_t n = pread(c->fd, p, len, (off_t)offset);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return CFB_IO;
        if (n == 0)
            return CFB_SHORT; /* the file shrank under us */
        p += n;
        offset += (uint64_t)n;
        len -= (size_t)n;
    }
    return CFB_OK;
}

/* Reads LEN bytes at OFFSET within sector SECTOR (sector 0 follows the header). */
static enum cfb_result read_sector(struct cfb *c, uint32_t sector, size_t offset, void *out,
                                   size_t len)
{
    if (sector > CFB_MAXREG)
        return CFB_DAMAGED;
    uint64_t at = ((uint64_t)sector + 1) * c->sector_size + offset;
    return read_at(c, at, out, len);
}

/* The sector after SECTOR in a chain of the FAT, or CFB_END. */
static enum cfb_result next_sector(const struct cfb *c, uint32_t sector, uint32_t *next)
{
    if (sector >= c->nfat)
        return CFB_DAMAGED;
    *next = c->fat[sector];
    if (*next != CFB_END && *next > CFB_MAXREG)
        return CFB_DAMAGED;
    return CFB_OK;
}

static enum cfb_result load_fat(struct cfb *c, const unsigned char *header)
{
    size_t per_sector = c->sector_size / 4;
    /* As many sectors as the file can hold, whatever the header says. */
    uint64_t file_sectors = c->file_size / c->sector_size;
    uint32_t nfat_sectors = le32(header + 44);
    if (nfat_sectors == 0)
        return CFB_DAMAGED;
    if (nfat_sectors > file_sectors)
        return CFB_SHORT;
    c->nfat = (size_t)nfat_sectors * per_sector;
    c->fat = malloc(c->nfat * sizeof *c->fat);
    unsigned char *buf = malloc(c->sector_size);
    enum cfb_result r = CFB_NOMEM;
    if (!c->fat || !buf)
        goto done;
    uint32_t difat_sector = le32(header + 68);
    size_t difat_index = 0; /* position in the current DIFAT sector */
    size_t difat_steps = 0;
    bool in_header = true;
    for (uint32_t i = 0; i < nfat_sectors; i++) {
        uint32_t fat_sector;
        if (in_header && i < CFB_HEADER_DIFAT) {
            fat_sector = le32(header + 76 + 4 * i);
        } else {
            if (in_header || difat_index == per_sector - 1) {
                /* the next DIFAT sector: the first from the header, then the last entry of
                 * the one before */
                uint32_t at = in_header ? difat_sector : le32(buf + 4 * (per_sector - 1));
                in_header = false;
                if (at > CFB_MAXREG || ++difat_steps > file_sectors) {
                    r = CFB_DAMAGED;
                    goto done;
                }
                if ((r = read_sector(c, at, 0, buf, c->sector_size)) != CFB_OK)
                    goto done;
                difat_index = 0;
            }
            fat_sector = le32(buf + 4 * difat_index++);
        }
        if (fat_sector > CFB_MAXREG) {
            r = CFB_DAMAGED;
            goto done;
        }
        unsigned char *dst = (unsigned char *)(c->fat + (size_t)i * per_sector);
        if ((r = read_sector(c, fat_sector, 0, dst, c->sector_size)) != CFB_OK)
            goto done;
        for (size_t k = 0; k < per_sector; k++)
            c->fat[(size_t)i * per_sector + k] = le32(dst + 4 * k);
    }
    r = CFB_OK;
done:
    free(buf);
    return r;
}

static enum cfb_result load_directory(struct cfb *c, uint32_t first)
{
    size_t per_sector = c->sector_size / 128;
    unsigned char *buf = malloc(c->sector_size);
    if (!buf)
        return CFB_NOMEM;
    enum cfb_result r = CFB_OK;
    size_t cap = 0;
    uint32_t sector = first;
    for (size_t steps = 0; sector != CFB_END; steps++) {
        if (steps >= c->nfat) {
            r = CFB_DAMAGED; /* a loop */
            break;
        }
        if ((r = read_sector(c, sector, 0, buf, c->sector_size)) != CFB_OK)
            break;
        if (c->ndir + per_sector > cap) {
            size_t ncap = cap ? cap * 2 : per_sector * 4;
            struct cfb_entry *grown = realloc(c->dir, ncap * sizeof *grown);
            if (!grown) {
                r = CFB_NOMEM;
                break;
            }
            c->dir = grown;
            cap = ncap;
        }
        for (size_t k = 0; k < per_sector; k++) {
            const unsigned char *e = buf + 128 * k;
            struct cfb_entry *d = &c->dir[c->ndir++];
            memset(d, 0, sizeof *d);
            size_t bytes = le16(e + 64);
            d->name_len = bytes >= 2 && bytes <= 64 ? bytes / 2 - 1 : 0;
            for (size_t i = 0; i < d->name_len; i++)
                d->name[i] = le16(e + 2 * i);
            d->type = e[66];
            d->left = le32(e + 68);
            d->right = le32(e + 72);
            d->child = le32(e + 76);
            d->start = le32(e + 116);
            d->size = c->major == 3 ? le32(e + 120)
                                    : (uint64_t)le32(e + 120) | (uint64_t)le32(e + 124) << 32;
        }
        if ((r = next_sector(c, sector, &sector)) != CFB_OK)
            break;
    }
    free(buf);
    if (r == CFB_OK && (c->ndir == 0 || c->dir[0].type != 5))
        r = CFB_DAMAGED;
    return r;
}

static enum cfb_result cfb_open(struct cfb *c, const char *path)
{
    memset(c, 0, sizeof *c);
    c->fd = open(path, O_RDONLY);
    if (c->fd < 0)
        return CFB_IO;
    struct stat st;
    if (fstat(c->fd, &st) != 0)
        return CFB_IO;
    c->file_size = st.st_size > 0 ? (uint64_t)st.st_size : 0;
    unsigned char header[512];
    enum cfb_result r = read_at(c, 0, header, sizeof header);
    if (r != CFB_OK)
        return r;
    static const unsigned char sig[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    if (memcmp(header, sig, sizeof sig) != 0 || le16(header + 28) != 0xFFFE)
        return CFB_DAMAGED;
    c->major = le16(header + 26);
    unsigned shift = le16(header + 30);
    if (!((c->major == 3 && shift == 9) || (c->major == 4 && shift == 12)) ||
        le16(header + 32) != 6)
        return CFB_DAMAGED;
    c->sector_size = (size_t)1 << shift;
    c->mini_cutoff = le32(header + 56);
    if (c->file_size < c->sector_size * 2)
        return CFB_SHORT;
    if ((r = load_fat(c, header)) != CFB_OK)
        return r;
    if ((r = load_directory(c, le32(header + 48))) != CFB_OK)
        return r;
    /* The mini FAT: a chain of the FAT. */
    uint32_t sector = le32(header + 60);
    size_t per_sector = c->sector_size / 4;
    size_t cap = 0;
    for (size_t steps = 0; sector != CFB_END; steps++) {
        if (steps >= c->nfat)
            return CFB_DAMAGED;
        if (c->nminifat + per_sector > cap) {
            size_t ncap = cap ? cap * 2 : per_sector * 4;
            uint32_t *grown = realloc(c->minifat, ncap * sizeof *grown);
            if (!grown)
                return CFB_NOMEM;
            c->minifat = grown;
            cap = ncap;
        }
        unsigned char *dst = (unsigned char *)(c->minifat + c->nminifat);
        if ((r = read_sector(c, sector, 0, dst, c->sector_size)) != CFB_OK)
            return r;
        for (size_t k = 0; k < per_sector; k++)
            c->minifat[c->nminifat + k] = le32(dst + 4 * k);
        c->nminifat += per_sector;
        if ((r = next_sector(c, sector, &sector)) != CFB_OK)
            return r;
    }
    return CFB_OK;
}

static void cfb_close(struct cfb *c)
{
    if (c->fd >= 0)
        close(c->fd);
    free(c->fat);
    free(c->minifat);
    free(c->ministream);
    free(c->dir);
}

/* Reads SIZE bytes of a chain of the FAT starting at START into a new buffer. */
static enum cfb_result read_chain(struct cfb *c, uint32_t start, uint64_t size, unsigned char **out)
{
    *out = NULL;
    if (size > c->file_size)
        return CFB_SHORT; /* more than the whole file: the rest is missing */
    unsigned char *data = malloc(size ? (size_t)size : 1);
    if (!data)
        return CFB_NOMEM;
    enum cfb_result r = CFB_OK;
    size_t done = 0;
    uint32_t sector = start;
    for (size_t steps = 0; done < size; steps++) {
        if (sector == CFB_END || steps >= c->nfat) {
            r = CFB_DAMAGED; /* the chain ends before the stream does, or loops */
            break;
        }
        size_t n = size - done < c->sector_size ? (size_t)(size - done) : c->sector_size;
        if ((r = read_sector(c, sector, 0, data + done, n)) != CFB_OK)
            break;
        done += n;
        if ((r = next_sector(c, sector, &sector)) != CFB_OK)
            break;
    }
    if (r != CFB_OK) {
        free(data);
        return r;
    }
    *out = data;
    return CFB_OK;
}

/* The contents of stream ENTRY, from the FAT or, under the cutoff, from the mini stream. */
static enum cfb_result read_stream(struct cfb *c, const struct cfb_entry *e, unsigned char **out,
                                   size_t *len)
{
    *out = NULL;
    *len = 0;
    if (e->size >= c->mini_cutoff) {
        enum cfb_result r = read_chain(c, e->start, e->size, out);
        if (r == CFB_OK)
            *len = (size_t)e->size;
        return r;
    }
    if (!c->ministream_loaded) {
        enum cfb_result r = read_chain(c, c->dir[0].start, c->dir[0].size, &c->ministream);
        if (r != CFB_OK)
            return r;
        c->ministream_len = (size_t)c->dir[0].size;
        c->ministream_loaded = true;
    }
    unsigned char *data = malloc(e->size ? (size_t)e->size : 1);
    if (!data)
        return CFB_NOMEM;
    size_t done = 0;
    uint32_t sector = e->start;
    for (size_t steps = 0; done < e->size; steps++) {
        size_t n = e->size - done < 64 ? (size_t)(e->size - done) : 64;
        if (sector >= c->nminifat || steps >= c->nminifat ||
            (size_t)sector * 64 + n > c->ministream_len) {
            free(data);
            return CFB_DAMAGED;
        }
        memcpy(data + done, c->ministream + (size_t)sector * 64, n);
        done += n;
        sector = c->minifat[sector];
    }
    *out = data;
    *len = (size_t)e->size;
    return CFB_OK;
}

static bool entry_is(const struct cfb_entry *e, const char *ascii)
{
    size_t n = strlen(ascii);
    if (e->name_len != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        uint16_t u = e->name[i];
        unsigned char a = (unsigned char)ascii[i];
        if (u >= 'a' && u <= 'z')
            u = (uint16_t)(u - 'a' + 'A');
        if (a >= 'a' && a <= 'z')
            a = (unsigned char)(a - 'a' + 'A');
        if (u != a)
            return false;
    }
    return true;
}

/* The entry named NAME among the root storage's children (a red-black tree of siblings under
 * the root's child), or NULL. Entries deeper down are not looked at: a Word document with an
 * embedded chart holds a Workbook stream in a storage of its own. */
static const struct cfb_entry *root_child(const struct cfb *c, const char *name)
{
    uint32_t *stack = malloc(c->ndir * sizeof *stack);
    unsigned char *seen = calloc(c->ndir ? c->ndir : 1, 1);
    const struct cfb_entry *found = NULL;
    if (!stack || !seen)
        goto done;
    size_t top = 0;
    /* an entry is marked when pushed, so that it is pushed once and the stack cannot
     * overflow, whatever loops a damaged tree has */
    uint32_t first = c->dir[0].child;
    if (first < c->ndir) {
        seen[first] = 1;
        stack[top++] = first;
    }
    while (top > 0 && !found) {
        const struct cfb_entry *e = &c->dir[stack[--top]];
        if ((e->type == 1 || e->type == 2) && entry_is(e, name))
            found = e;
        uint32_t next[2] = {e->left, e->right};
        for (size_t k = 0; k < 2; k++) {
            if (next[k] < c->ndir && !seen[next[k]]) {
                seen[next[k]] = 1;
                stack[top++] = next[k];
            }
        }
    }
done:
    free(stack);
    free(seen);
    return found;
}

/* --- the Workbook stream's records -------------------------------------------------------- */

#define BIFF_FORMULA 0x0006
#define BIFF_EOF 0x000A
#define BIFF_FILEPASS 0x002F
#define BIFF_CONTINUE 0x003C
#define BIFF_BOUNDSHEET 0x0085
#define BIFF_MULRK 0x00BD
#define BIFF_XF 0x00E0
#define BIFF_MERGEDCELLS 0x00E5
#define BIFF_NUMBER 0x0203
#define BIFF_BOOLERR 0x0205
#define BIFF_STRING 0x0207
#define BIFF_RK 0x027E
#define BIFF_ARRAY 0x0221
#define BIFF_TABLE 0x0236
#define BIFF_FORMAT 0x041E
#define BIFF_SHRFMLA 0x04BC
#define BIFF_BOF 0x0809

struct biff_sheet {
    uint32_t offset; /* of its BOF record in the stream */
    bool visible;
};

struct biff_format {
    uint16_t id;
    enum pl_number_style style;
    size_t order; /* the record's place among the FORMAT records */
};

struct biff_globals {
    unsigned version; /* BOF's vers: 0x0600 for BIFF8 */
    bool filepass;
    struct biff_sheet *sheets;
    size_t nsheets;
    unsigned char *xf_style; /* each XF's enum pl_number_style, in XF order (ixfe) */
    size_t nxf;
};

/* A cell read from the sheet's records rather than asked of freexl: a number (NUMBER, RK,
 * MULRK, a formula's numeric value), written at the row's turn in the style of its XF; a
 * formula's text or boolean; a boolean; an error. 16 bytes: a sheet's numbers are all here. */
struct biff_cell {
    uint16_t row;        /* BIFF8: rows 0..65535 */
    uint8_t col;         /* BIFF8: columns 0..255 */
    unsigned char note;  /* enum pl_cell_note */
    unsigned char style; /* a number's enum pl_number_style */
    bool number;
    union {
        double value; /* a number */
        char *text;   /* owned; the error as shown for an error cell */
    } u;
};

_Static_assert(sizeof(struct biff_cell) <= 16, "a sheet's numbers are held 16 bytes each");

struct biff_cells {
    struct biff_cell *v;
    size_t n, cap;
};

/* The record at POS: its type and data. False at the end or when it overruns the stream. */
static bool biff_record(const unsigned char *s, size_t len, size_t pos, unsigned *type,
                        const unsigned char **data, size_t *dlen)
{
    if (pos > len || len - pos < 4)
        return false;
    *type = le16(s + pos);
    *dlen = le16(s + pos + 2);
    if (len - pos - 4 < *dlen)
        return false;
    *data = s + pos + 4;
    return true;
}

static enum pl_status append_utf8(struct pl_buf *out, uint32_t cp)
{
    char b[4];
    size_t n;
    if (cp < 0x80) {
        b[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        b[0] = (char)(0xC0 | cp >> 6);
        b[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        b[0] = (char)(0xE0 | cp >> 12);
        b[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        b[0] = (char)(0xF0 | cp >> 18);
        b[1] = (char)(0x80 | (cp >> 12 & 0x3F));
        b[2] = (char)(0x80 | (cp >> 6 & 0x3F));
        b[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return pl_buf_append(out, b, n);
}

/* Appends COUNT characters of a BIFF8 string as UTF-8 to OUT. The characters start at *P
 * (FLAGS' bit 0: two bytes each, else one) in the record ending at END; a string that
 * overruns its record goes on in CONTINUE records at *NEXT, each starting with a new flags
 * byte. A string that overruns the stream is cut where the data ends. */
static enum pl_status biff_string(struct pl_buf *out, const unsigned char *s, size_t len,
                                  size_t *next, const unsigned char *p, const unsigned char *end,
                                  unsigned flags, size_t count)
{
    uint32_t high = 0; /* a high surrogate waiting for its pair */
    enum pl_status st = PL_OK;
    while (count > 0 && st == PL_OK) {
        if (p >= end) {
            unsigned type;
            const unsigned char *data;
            size_t dlen;
            if (!biff_record(s, len, *next, &type, &data, &dlen) || type != BIFF_CONTINUE ||
                dlen < 1)
                break;
            *next += 4 + dlen;
            flags = data[0];
            p = data + 1;
            end = data + dlen;
            continue;
        }
        uint32_t u;
        if (flags & 1) {
            if (end - p < 2)
                break;
            u = le16(p);
            p += 2;
        } else {
            u = *p++;
        }
        count--;
        if (u >= 0xD800 && u < 0xDC00) {
            if (high)
                st = append_utf8(out, 0xFFFD);
            high = u;
            continue;
        }
        if (u >= 0xDC00 && u < 0xE000) {
            st = append_utf8(out, high ? 0x10000 + ((high - 0xD800) << 10) + (u - 0xDC00) : 0xFFFD);
            high = 0;
            continue;
        }
        if (high) {
            st = append_utf8(out, 0xFFFD);
            high = 0;
        }
        if (st == PL_OK)
            st = append_utf8(out, u);
    }
    if (st == PL_OK && high)
        st = append_utf8(out, 0xFFFD);
    return st;
}

static void biff_globals_fini(struct biff_globals *g)
{
    free(g->sheets);
    free(g->xf_style);
    memset(g, 0, sizeof *g);
}

static enum pl_status grow(void **v, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return PL_OK;
    size_t ncap = *cap ? *cap * 2 : 16;
    void *p = realloc(*v, ncap * size);
    if (!p)
        return PL_ERR_NOMEM;
    *v = p;
    *cap = ncap;
    return PL_OK;
}

static int biff_format_cmp(const void *a, const void *b)
{
    const struct biff_format *x = a, *y = b;
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    return (x->order > y->order) - (x->order < y->order);
}

/* Reads the workbook globals (the records up to the first EOF): the BIFF version, FILEPASS,
 * the sheets and each XF's number style. G->version stays 0 when the stream does not start
 * with a BOF record. */
static enum pl_status biff_read_globals(struct biff_globals *g, const unsigned char *s, size_t len)
{
    memset(g, 0, sizeof *g);
    unsigned type;
    const unsigned char *d;
    size_t dlen;
    if (!biff_record(s, len, 0, &type, &d, &dlen) || type != BIFF_BOF || dlen < 4)
        return PL_OK;
    g->version = le16(d);
    if (g->version != 0x0600)
        return PL_OK;
    size_t cap_sheets = 0, cap_xf = 0, cap_formats = 0;
    uint16_t *xf_format = NULL; /* each XF's ifmt, in XF order */
    struct biff_format *formats = NULL;
    size_t nformats = 0;
    struct pl_buf code;
    pl_buf_init(&code);
    enum pl_status st = PL_OK;
    for (size_t pos = 4 + dlen; st == PL_OK && biff_record(s, len, pos, &type, &d, &dlen);
         pos += 4 + dlen) {
        if (type == BIFF_EOF)
            break;
        if (type == BIFF_FILEPASS) {
            g->filepass = true; /* what follows is encrypted */
            break;
        }
        if (type == BIFF_BOUNDSHEET && dlen >= 6) {
            st = grow((void **)&g->sheets, &cap_sheets, g->nsheets, sizeof *g->sheets);
            if (st == PL_OK)
                g->sheets[g->nsheets++] = (struct biff_sheet){le32(d), (d[4] & 3) == 0};
        } else if (type == BIFF_XF && dlen >= 4) {
            /* XF's ifmt; an XF's index (a cell's ixfe) is its place among the XF records */
            st = grow((void **)&xf_format, &cap_xf, g->nxf, sizeof *xf_format);
            if (st == PL_OK)
                xf_format[g->nxf++] = le16(d + 2);
        } else if (type == BIFF_FORMAT && dlen >= 5) {
            /* ifmt, then the code as an XLUnicodeString (cch, flags, characters), which may
             * go on in CONTINUE records */
            pl_buf_clear(&code);
            size_t next = pos + 4 + dlen;
            st = biff_string(&code, s, len, &next, d + 5, d + dlen, d[4], le16(d + 2));
            if (st == PL_OK)
                st = grow((void **)&formats, &cap_formats, nformats, sizeof *formats);
            if (st == PL_OK) {
                formats[nformats] =
                    (struct biff_format){le16(d), pl_workbook_format_style(code.data), nformats};
                nformats++;
            }
        }
    }
    /* Each XF's style, once: a FORMAT record of an id overrides the built-in format of that
     * id, the last one of an id winning (sorted by id, then order, and looked up in
     * O(log n), whatever number of records a file holds). */
    if (st == PL_OK && nformats > 1)
        qsort(formats, nformats, sizeof *formats, biff_format_cmp);
    if (st == PL_OK && g->nxf > 0 && !(g->xf_style = malloc(g->nxf)))
        st = PL_ERR_NOMEM;
    for (size_t i = 0; st == PL_OK && i < g->nxf; i++) {
        enum pl_number_style style = pl_workbook_builtin_style(xf_format[i]);
        size_t lo = 0, hi = nformats; /* the first format whose id is past the XF's */
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (formats[mid].id <= xf_format[i])
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo > 0 && formats[lo - 1].id == xf_format[i])
            style = formats[lo - 1].style;
        g->xf_style[i] = (unsigned char)style;
    }
    if (st != PL_OK)
        g->nxf = 0;
    free(xf_format);
    free(formats);
    pl_buf_fini(&code);
    return st;
}

/* The style of the number format of XF index XF; General for an index past the XF records. */
static enum pl_number_style biff_xf_style(const struct biff_globals *g, unsigned xf)
{
    return xf < g->nxf ? (enum pl_number_style)g->xf_style[xf] : PL_NUM_GENERAL;
}

static void biff_cells_clear(struct biff_cells *c)
{
    for (size_t i = 0; i < c->n; i++)
        if (!c->v[i].number)
            free(c->v[i].u.text);
    c->n = 0;
}

static enum pl_status biff_cells_add(struct biff_cells *c, unsigned row, unsigned col,
                                     unsigned char note, const char *text)
{
    if (row >= BIFF8_MAX_ROWS || col >= BIFF8_MAX_COLUMNS)
        return PL_OK; /* outside any BIFF8 sheet: a damaged record, left out */
    if (grow((void **)&c->v, &c->cap, c->n, sizeof *c->v) != PL_OK)
        return PL_ERR_NOMEM;
    char *copy = strdup(text);
    if (!copy)
        return PL_ERR_NOMEM;
    c->v[c->n++] =
        (struct biff_cell){.row = (uint16_t)row, .col = (uint8_t)col, .note = note, .u.text = copy};
    return PL_OK;
}

/* Adds the number VALUE of the cell at ROW, COL whose XF index is XF. */
static enum pl_status biff_cells_add_number(struct biff_cells *c, const struct biff_globals *g,
                                            unsigned row, unsigned col, unsigned xf, double value)
{
    if (row >= BIFF8_MAX_ROWS || col >= BIFF8_MAX_COLUMNS)
        return PL_OK;
    if (grow((void **)&c->v, &c->cap, c->n, sizeof *c->v) != PL_OK)
        return PL_ERR_NOMEM;
    c->v[c->n++] = (struct biff_cell){.row = (uint16_t)row,
                                      .col = (uint8_t)col,
                                      .style = (unsigned char)biff_xf_style(g, xf),
                                      .number = true,
                                      .u.value = value};
    return PL_OK;
}

/* An IEEE double stored little-endian at P. */
static double biff_double(const unsigned char *p)
{
    uint64_t bits = (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
    double v;
    memcpy(&v, &bits, sizeof v);
    return v;
}

/* The number an RkNumber holds (MS-XLS 2.5.217): a 30-bit integer or the high 30 bits of a
 * double, divided by 100 when fX100 is set. */
static double biff_rk(uint32_t rk)
{
    double v;
    if (rk & 2) {
        v = (double)((int32_t)(rk & 0xFFFFFFFCu) / 4); /* exact: the low bits are zero */
    } else {
        uint64_t bits = (uint64_t)(rk & 0xFFFFFFFCu) << 32;
        memcpy(&v, &bits, sizeof v);
    }
    return rk & 1 ? v / 100 : v;
}

static int biff_cell_cmp(const void *a, const void *b)
{
    const struct biff_cell *x = a, *y = b;
    if (x->row != y->row)
        return x->row < y->row ? -1 : 1;
    return (x->col > y->col) - (x->col < y->col);
}

static const char *biff_error_text(unsigned code)
{
    switch (code) {
    case 0x00:
        return "#NULL!";
    case 0x07:
        return "#DIV/0!";
    case 0x0F:
        return "#VALUE!";
    case 0x17:
        return "#REF!";
    case 0x1D:
        return "#NAME?";
    case 0x24:
        return "#NUM!";
    case 0x2A:
        return "#N/A";
    case 0x2B:
        return "#GETTING_DATA";
    default:
        return "#ERROR!";
    }
}

/* The text of the STRING record holding a string formula's value: the first record after the
 * FORMULA at POS that is not one of the formula's own (SHRFMLA, ARRAY, TABLE). False when
 * there is none. */
static enum pl_status biff_formula_string(struct pl_buf *out, const unsigned char *s, size_t len,
                                          size_t pos, bool *found)
{
    unsigned type;
    const unsigned char *d;
    size_t dlen;
    *found = false;
    while (biff_record(s, len, pos, &type, &d, &dlen)) {
        pos += 4 + dlen;
        if (type == BIFF_SHRFMLA || type == BIFF_ARRAY || type == BIFF_TABLE)
            continue;
        if (type != BIFF_STRING || dlen < 3)
            return PL_OK;
        *found = true;
        return biff_string(out, s, len, &pos, d + 3, d + dlen, d[2], le16(d));
    }
    return PL_OK;
}

/* Collects into CELLS the numbers, formula values, booleans and errors of the sheet whose BOF
 * record is at OFFSET, sorted by row and column. */
/* The ranges of a MERGEDCELLS record D (DLEN bytes): a count, then (rwFirst, rwLast,
 * colFirst, colLast) each, rows and columns 0-based. */
static enum pl_status biff_merged_cells(struct pl_merges *merges, const unsigned char *d,
                                        size_t dlen)
{
    if (dlen < 2)
        return PL_OK;
    size_t n = le16(d);
    if (n > (dlen - 2) / 8)
        n = (dlen - 2) / 8; /* a record cut short: the ranges it holds */
    enum pl_status st = PL_OK;
    for (size_t i = 0; i < n && st == PL_OK; i++) {
        const unsigned char *r = d + 2 + 8 * i;
        unsigned c1 = le16(r + 4), c2 = le16(r + 6);
        if (c1 >= BIFF8_MAX_COLUMNS)
            continue;
        if (c2 >= BIFF8_MAX_COLUMNS)
            c2 = BIFF8_MAX_COLUMNS - 1;
        st = pl_merges_add(merges, le16(r) + 1ul, le16(r + 2) + 1ul, c1, c2);
    }
    return st;
}

/* The sheet's cells that freexl leaves out or gets wrong, and, when MERGES is not NULL, its
 * merged ranges. */
static enum pl_status biff_read_cells(struct biff_cells *cells, struct pl_merges *merges,
                                      const struct biff_globals *g, const unsigned char *s,
                                      size_t len, uint32_t offset)
{
    biff_cells_clear(cells);
    unsigned type;
    const unsigned char *d;
    size_t dlen;
    if (!biff_record(s, len, offset, &type, &d, &dlen) || type != BIFF_BOF)
        return PL_OK;
    struct pl_buf text;
    pl_buf_init(&text);
    enum pl_status st = PL_OK;
    unsigned depth = 1; /* a chart's BOF…EOF nested in the sheet is not the sheet's */
    for (size_t pos = offset + 4 + dlen;
         st == PL_OK && depth > 0 && biff_record(s, len, pos, &type, &d, &dlen); pos += 4 + dlen) {
        if (type == BIFF_BOF) {
            depth++;
            continue;
        }
        if (type == BIFF_EOF) {
            depth--;
            continue;
        }
        if (depth != 1)
            continue;
        pl_buf_clear(&text);
        if (type == BIFF_MERGEDCELLS && merges) {
            st = biff_merged_cells(merges, d, dlen);
        } else if (type == BIFF_NUMBER && dlen >= 14) {
            st = biff_cells_add_number(cells, g, le16(d), le16(d + 2), le16(d + 4),
                                       biff_double(d + 6));
        } else if (type == BIFF_RK && dlen >= 10) {
            st = biff_cells_add_number(cells, g, le16(d), le16(d + 2), le16(d + 4),
                                       biff_rk(le32(d + 6)));
        } else if (type == BIFF_MULRK && dlen >= 6) {
            /* rw, colFirst, (ixfe, RK) for each column, colLast */
            unsigned row = le16(d), first = le16(d + 2);
            size_t n = (dlen - 6) / 6;
            for (size_t i = 0; i < n && st == PL_OK; i++)
                st = biff_cells_add_number(cells, g, row, first + (unsigned)i, le16(d + 4 + 6 * i),
                                           biff_rk(le32(d + 6 + 6 * i)));
        } else if (type == BIFF_BOOLERR && dlen >= 8) {
            if (d[7])
                st = biff_cells_add(cells, le16(d), le16(d + 2), PL_CELL_ERROR,
                                    biff_error_text(d[6]));
            else
                st = biff_cells_add(cells, le16(d), le16(d + 2), PL_CELL_PLAIN,
                                    d[6] ? "TRUE" : "FALSE");
        } else if (type == BIFF_FORMULA && dlen >= 20) {
            unsigned row = le16(d), col = le16(d + 2);
            unsigned char note = PL_CELL_PLAIN;
            const char *error = NULL;
            if (le16(d + 12) != 0xFFFF) {
                st = biff_cells_add_number(cells, g, row, col, le16(d + 4), biff_double(d + 6));
                continue;
            }
            if (d[6] == 0) {
                bool found;
                st = biff_formula_string(&text, s, len, pos + 4 + dlen, &found);
                if (!found)
                    note = PL_CELL_NO_VALUE;
            } else if (d[6] == 1) {
                st = pl_buf_append_str(&text, d[8] ? "TRUE" : "FALSE");
            } else if (d[6] == 2) {
                note = PL_CELL_ERROR;
                error = biff_error_text(d[8]);
            } /* 3: an empty string */
            if (st == PL_OK)
                st = biff_cells_add(cells, row, col, note, error ? error : text.data);
        }
    }
    pl_buf_fini(&text);
    if (st == PL_OK && cells->n > 1)
        qsort(cells->v, cells->n, sizeof *cells->v, biff_cell_cmp);
    return st;
}

/* --- the reader --------------------------------------------------------------------------- */

struct xls_reader {
    const void *handle; /* freexl's */
    bool date1904;
    unsigned char *stream; /* the Workbook stream, for the records freexl leaves out */
    size_t stream_len;
    struct biff_globals globals;
    bool own_sheets; /* globals.sheets line up with freexl's */
    struct biff_cells cells;
    /* one row, reused */
    struct pl_buf *texts;
    char **cell_ptrs;
    size_t *lens;
    unsigned char *notes, *merged;
    const char **errors;
    size_t ncols;
};

static void xls_free(void *ctx)
{
    struct xls_reader *x = ctx;
    if (!x)
        return;
    if (x->handle)
        freexl_close(x->handle);
    free(x->stream);
    biff_globals_fini(&x->globals);
    biff_cells_clear(&x->cells);
    free(x->cells.v);
    for (size_t i = 0; i < x->ncols; i++)
        pl_buf_fini(&x->texts[i]);
    free(x->texts);
    free(x->cell_ptrs);
    free(x->lens);
    free(x->notes);
    free(x->merged);
    free(x->errors);
    free(x);
}

static enum pl_status xls_row_room(struct xls_reader *x, size_t ncols)
{
    if (ncols <= x->ncols)
        return PL_OK;
    char **ptrs = realloc(x->cell_ptrs, ncols * sizeof *ptrs);
    if (!ptrs)
        return PL_ERR_NOMEM;
    x->cell_ptrs = ptrs;
    size_t *lens = realloc(x->lens, ncols * sizeof *lens);
    if (!lens)
        return PL_ERR_NOMEM;
    x->lens = lens;
    unsigned char *notes = realloc(x->notes, ncols);
    if (!notes)
        return PL_ERR_NOMEM;
    x->notes = notes;
    unsigned char *merged = realloc(x->merged, ncols);
    if (!merged)
        return PL_ERR_NOMEM;
    x->merged = merged;
    const char **errors = realloc(x->errors, ncols * sizeof *errors);
    if (!errors)
        return PL_ERR_NOMEM;
    x->errors = errors;
    struct pl_buf *texts = realloc(x->texts, ncols * sizeof *texts);
    if (!texts)
        return PL_ERR_NOMEM;
    x->texts = texts;
    for (size_t i = x->ncols; i < ncols; i++)
        pl_buf_init(&x->texts[i]);
    x->ncols = ncols; /* only now: every array is this long */
    return PL_OK;
}

/* Drops the ":00" seconds freexl always writes, as pl_workbook_format_number() does. */
static enum pl_status append_time_text(struct pl_buf *out, const char *text)
{
    size_t n = strlen(text);
    if (n >= 8 && strcmp(text + n - 3, ":00") == 0 && text[n - 6] == ':')
        n -= 3;
    return pl_buf_append(out, text, n);
}

/* The text of freexl's cell ROW, COL into OUT (cleared first): a text cell, or any cell when
 * the sheet's own records could not be lined up with freexl's sheets. */
static enum pl_status freexl_cell_text(struct xls_reader *x, unsigned row, unsigned col,
                                       struct pl_buf *out)
{
    FreeXL_CellValue v;
    int rc = freexl_get_cell_value(x->handle, row, (unsigned short)col, &v);
    if (rc == FREEXL_ILLEGAL_CELL_ROW_COL)
        return PL_OK;
    if (rc != FREEXL_OK)
        return rc == FREEXL_INSUFFICIENT_MEMORY ? PL_ERR_NOMEM : PL_ERR_DATA;
    switch (v.type) {
    case FREEXL_CELL_INT:
        return pl_workbook_format_number(out, v.value.int_value, PL_NUM_GENERAL, x->date1904);
    case FREEXL_CELL_DOUBLE:
        return pl_workbook_format_number(out, v.value.double_value, PL_NUM_GENERAL, x->date1904);
    case FREEXL_CELL_TEXT:
    case FREEXL_CELL_SST_TEXT:
    case FREEXL_CELL_DATE:
        return v.value.text_value ? pl_buf_append_str(out, v.value.text_value) : PL_OK;
    case FREEXL_CELL_DATETIME:
    case FREEXL_CELL_TIME:
        return v.value.text_value ? append_time_text(out, v.value.text_value) : PL_OK;
    default:
        return PL_OK; /* FREEXL_CELL_NULL */
    }
}

/* Hands on the rows of the sheet freexl has selected (ROWS × COLS by its dimensions) and
 * x->cells holds the records of, each with its merged cells when MERGES is not NULL. */
static enum pl_status xls_rows(struct xls_reader *x, unsigned rows, unsigned short cols,
                               struct pl_merges *merges, pl_sheet_row_fn on_row, void *fn_ctx)
{
    enum pl_status st = PL_OK;
    /* freexl's dimensions are counts (rows 0..rows-1); the sheet reaches further when a
     * formula lies past its DIMENSIONS record */
    size_t nrows = rows > BIFF8_MAX_ROWS ? BIFF8_MAX_ROWS : rows;
    size_t ncols = cols > BIFF8_MAX_COLUMNS ? BIFF8_MAX_COLUMNS : cols;
    for (size_t i = 0; i < x->cells.n; i++) {
        if (x->cells.v[i].row + 1u > nrows)
            nrows = x->cells.v[i].row + 1u;
        if (x->cells.v[i].col + 1u > ncols)
            ncols = x->cells.v[i].col + 1u;
    }
    for (size_t i = 0; merges && i < merges->n; i++)
        if (merges->v[i].last_col + 1 > ncols)
            ncols = merges->v[i].last_col + 1; /* at most BIFF8_MAX_COLUMNS: clamped when read */
    if (ncols == 0)
        return PL_OK;
    if ((st = xls_row_room(x, ncols)) != PL_OK)
        return st;
    size_t next = 0; /* the first of x->cells not yet passed */
    for (size_t r = 0; r < nrows && st == PL_OK; r++) {
        size_t count = 0;
        for (size_t c = 0; c < ncols && st == PL_OK; c++) {
            struct pl_buf *t = &x->texts[c];
            pl_buf_clear(t);
            x->notes[c] = PL_CELL_PLAIN;
            x->errors[c] = NULL;
            while (next < x->cells.n && (x->cells.v[next].row < r ||
                                         (x->cells.v[next].row == r && x->cells.v[next].col < c)))
                next++;
            if (next < x->cells.n && x->cells.v[next].row == r && x->cells.v[next].col == c) {
                const struct biff_cell *b = &x->cells.v[next];
                x->notes[c] = b->note;
                if (b->number)
                    st = pl_workbook_format_number(t, b->u.value, (enum pl_number_style)b->style,
                                                   x->date1904);
                else if (b->note == PL_CELL_ERROR)
                    x->errors[c] = b->u.text;
                else
                    st = pl_buf_append_str(t, b->u.text);
            } else if (r < rows && c < cols) {
                st = freexl_cell_text(x, (unsigned)r, (unsigned)c, t);
            }
            if (t->len > 0 || x->notes[c] != PL_CELL_PLAIN)
                count = c + 1;
        }
        if (st != PL_OK || count == 0)
            continue;
        if (merges) {
            /* the row reaches as far as its merged cells, which the file keeps empty */
            size_t end = pl_merges_at(merges, (unsigned long)r + 1);
            if (end > count)
                count = end;
            pl_merges_mark(merges, x->merged, count);
        }
        for (size_t c = 0; c < count; c++) {
            x->cell_ptrs[c] = x->texts[c].data;
            x->lens[c] = x->texts[c].len;
        }
        struct pl_sheet_row row = {
            .row = {.count = count,
                    .cells = x->cell_ptrs,
                    .lens = x->lens,
                    .line = (unsigned long)r + 1,
                    .end_line = (unsigned long)r + 1,
                    .problem = PL_CSV_ROW_OK},
            .notes = x->notes,
            .error_text = x->errors,
            .merged = merges ? x->merged : NULL,
        };
        st = on_row(fn_ctx, &row);
    }
    return st;
}

static enum pl_status xls_read_sheet(void *ctx, size_t index, bool merges, pl_sheet_row_fn on_row,
                                     void *fn_ctx)
{
    struct xls_reader *x = ctx;
    if (index > 0xFFFF ||
        freexl_select_active_worksheet(x->handle, (unsigned short)index) != FREEXL_OK)
        return PL_ERR_USAGE;
    unsigned rows = 0;
    unsigned short cols = 0;
    if (freexl_worksheet_dimensions(x->handle, &rows, &cols) != FREEXL_OK)
        return PL_ERR_DATA;
    struct pl_merges ranges;
    pl_merges_init(&ranges);
    enum pl_status st = PL_OK;
    if (x->own_sheets)
        st = biff_read_cells(&x->cells, merges ? &ranges : NULL, &x->globals, x->stream,
                             x->stream_len, x->globals.sheets[index].offset);
    else
        biff_cells_clear(&x->cells);
    if (st == PL_OK && merges)
        st = pl_merges_ready(&ranges);
    if (st == PL_OK)
        st = xls_rows(x, rows, cols, merges ? &ranges : NULL, on_row, fn_ctx);
    pl_merges_fini(&ranges);
    return st;
}

static const struct pl_workbook_ops xls_ops = {"xls", xls_read_sheet, xls_free};

/* --- open --------------------------------------------------------------------------------- */

/* Whether DISPLAY's name says WPS made it in its own format. */
static bool wps_named(const char *display)
{
    static const char *const ext[] = {".et", ".ett", ".wps", ".wpt"};
    if (!display)
        return false;
    size_t n = strlen(display);
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
        size_t k = strlen(ext[i]);
        if (n > k && strcasecmp(display + n - k, ext[i]) == 0)
            return true;
    }
    return false;
}

static enum pl_status refuse(struct pl_workbook *wb, const char *code, const char *message)
{
    pl_diag_report(wb->diag, wb->display, 0, 0, code, "%s", message);
    return PL_ERR_DATA;
}

static enum pl_status refuse_cfb(struct pl_workbook *wb, enum cfb_result r)
{
    switch (r) {
    case CFB_NOMEM:
        return PL_ERR_NOMEM;
    case CFB_IO:
        pl_diag_report(wb->diag, wb->display, 0, 0, "E_UNREADABLE", "无法读取文件：%s",
                       strerror(errno));
        return PL_ERR_OPEN;
    case CFB_SHORT:
        return refuse(wb, "E_TRUNCATED_FILE", MSG_SHORT);
    default:
        return refuse(wb, "E_TRUNCATED_FILE", MSG_DAMAGED);
    }
}

/* Looks at the container and the Workbook stream's globals; on success X holds the stream and
 * its globals, ready for freexl. */
static enum pl_status look_inside(struct pl_workbook *wb, const char *path, struct xls_reader *x)
{
    struct cfb c;
    enum cfb_result r = cfb_open(&c, path);
    enum pl_status st = PL_OK;
    if (r != CFB_OK) {
        st = refuse_cfb(wb, r);
        goto done;
    }
    if (root_child(&c, "EncryptionInfo") && root_child(&c, "EncryptedPackage")) {
        st = refuse(wb, "E_ENCRYPTED", MSG_ENCRYPTED);
        goto done;
    }
    const struct cfb_entry *book = root_child(&c, "Workbook");
    if (!book) {
        if (root_child(&c, "Book"))
            st = refuse(wb, "E_OLD_EXCEL", MSG_OLD_EXCEL);
        else if (wps_named(wb->display))
            st = refuse(wb, "E_WPS_FORMAT", MSG_WPS);
        else
            st = refuse(wb, "E_NOT_WORKBOOK", MSG_NOT_WORKBOOK);
        goto done;
    }
    if ((r = read_stream(&c, book, &x->stream, &x->stream_len)) != CFB_OK) {
        st = refuse_cfb(wb, r);
        goto done;
    }
    if ((st = biff_read_globals(&x->globals, x->stream, x->stream_len)) != PL_OK)
        goto done;
    if (x->globals.version >= 0x0200 && x->globals.version < 0x0600)
        st = refuse(wb, "E_OLD_EXCEL", MSG_OLD_EXCEL);
    else if (x->globals.version != 0x0600 && wps_named(wb->display))
        st = refuse(wb, "E_WPS_FORMAT", MSG_WPS);
    else if (x->globals.version != 0x0600)
        st = refuse(wb, "E_WORKBOOK_BROKEN", MSG_BROKEN);
    else if (x->globals.filepass)
        st = refuse(wb, "E_ENCRYPTED", MSG_ENCRYPTED);
done:
    cfb_close(&c);
    return st;
}

/* freexl 1.0.6 reads past the end of its own buffers on some damaged BIFF records (a record
 * length or a string count that disagrees with the stream: one wrong byte in a unit's .xls
 * is enough) and the process dies of SIGSEGV, taking every other unit's return with it. So
 * freexl is tried first in a child process, which makes every freexl call the reader can
 * make on this file (open, each sheet's cells, close) and exits; only when the child ended
 * well does this process make them. A child forked here holds this process's memory as it
 * is now, so the calls that follow here run from the same state as the child's did and do
 * what they did. The child's standard output and error go to /dev/null, and it is given 60
 * seconds: a file that keeps freexl busy longer is refused as well. True when the file may
 * be read here; also when no child could be made (the file is then read as before, untried). */
static bool freexl_survives(const char *path)
{
    pid_t pid = fork();
    if (pid < 0)
        return true;
    if (pid == 0) {
        /* The child dies of the crash: no handler of the parent's (a test harness's, a
         * sanitizer's) may catch it and carry on as the parent. */
        static const int fatal[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGALRM};
        for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
            signal(fatal[i], SIG_DFL);
        int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
        if (null >= 0) {
            dup2(null, STDOUT_FILENO);
            dup2(null, STDERR_FILENO);
        }
        alarm(60);
        const void *h = NULL;
        if (freexl_open(path, &h) == FREEXL_OK) {
            unsigned count = 0;
            if (freexl_get_info(h, FREEXL_BIFF_SHEET_COUNT, &count) != FREEXL_OK)
                count = 0;
            for (unsigned i = 0; i < count && i <= 0xFFFF; i++) {
                const char *name;
                unsigned rows = 0;
                unsigned short cols = 0;
                freexl_get_worksheet_name(h, (unsigned short)i, &name);
                if (freexl_select_active_worksheet(h, (unsigned short)i) != FREEXL_OK ||
                    freexl_worksheet_dimensions(h, &rows, &cols) != FREEXL_OK)
                    continue;
                for (unsigned r = 0; r < rows; r++)
                    for (unsigned c = 0; c < cols; c++) {
                        FreeXL_CellValue v;
                        freexl_get_cell_value(h, r, (unsigned short)c, &v);
                    }
            }
            freexl_close(h);
        }
        _exit(0);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return true;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

enum pl_status pl_workbook_open_xls(struct pl_workbook *wb, const char *path)
{
    struct xls_reader *x = calloc(1, sizeof *x);
    if (!x)
        return PL_ERR_NOMEM;
    enum pl_status st = look_inside(wb, path, x);
    if (st != PL_OK)
        goto fail;
    if (!freexl_survives(path)) {
        st = refuse(wb, "E_WORKBOOK_BROKEN", MSG_BROKEN);
        goto fail;
    }
    int rc = freexl_open(path, &x->handle);
    if (rc != FREEXL_OK) {
        if (rc == FREEXL_INSUFFICIENT_MEMORY)
            st = PL_ERR_NOMEM;
        else if (rc == FREEXL_FILE_NOT_FOUND)
            st = refuse_cfb(wb, CFB_IO);
        else if (rc <= FREEXL_INVALID_CFBF_HEADER && rc >= FREEXL_CFBF_ILLEGAL_FAT_ENTRY)
            st = refuse(wb, "E_TRUNCATED_FILE", MSG_DAMAGED);
        else
            st = refuse(wb, "E_WORKBOOK_BROKEN", MSG_BROKEN);
        goto fail;
    }
    unsigned count = 0, mode = 0, password = 0;
    if (freexl_get_info(x->handle, FREEXL_BIFF_SHEET_COUNT, &count) != FREEXL_OK ||
        freexl_get_info(x->handle, FREEXL_BIFF_DATEMODE, &mode) != FREEXL_OK ||
        freexl_get_info(x->handle, FREEXL_BIFF_PASSWORD, &password) != FREEXL_OK) {
        st = refuse(wb, "E_WORKBOOK_BROKEN", MSG_BROKEN);
        goto fail;
    }
    if (password == FREEXL_BIFF_OBFUSCATED) {
        st = refuse(wb, "E_ENCRYPTED", MSG_ENCRYPTED);
        goto fail;
    }
    if (count == 0 || count > 0xFFFF) {
        st = refuse(wb, "E_WORKBOOK_BROKEN", MSG_BROKEN);
        goto fail;
    }
    x->date1904 = mode == FREEXL_BIFF_DATEMODE_1904;
    /* Visibility and the records freexl leaves out come from our own reading of the
     * BOUNDSHEET records; should it disagree with freexl on the sheets, every sheet is taken
     * as shown and read as freexl gives it. */
    x->own_sheets = x->globals.nsheets == count;
    wb->sheets = calloc(count, sizeof *wb->sheets);
    if (!wb->sheets) {
        st = PL_ERR_NOMEM;
        goto fail;
    }
    for (unsigned i = 0; i < count; i++) {
        const char *name = NULL;
        if (freexl_get_worksheet_name(x->handle, (unsigned short)i, &name) != FREEXL_OK)
            name = NULL;
        /* freexl 1.0.6 gives names in UTF-8 (BIFF8 keeps them in UTF-16) */
        wb->sheets[i].name = strdup(name ? name : "");
        if (!wb->sheets[i].name) {
            st = PL_ERR_NOMEM;
            goto fail;
        }
        wb->sheets[i].visible = x->own_sheets ? x->globals.sheets[i].visible : true;
        wb->nsheets = i + 1;
    }
    wb->ops = &xls_ops;
    wb->ctx = x;
    return PL_OK;
fail:
    xls_free(x);
    return st;
}
