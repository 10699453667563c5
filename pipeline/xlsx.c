/* xlsx — libxlsxwriter behind the house style, deterministic and atomic. */
#define _GNU_SOURCE /* fopencookie(3): the workbook's parts in memory; RTLD_NEXT */
#include "xlsx.h"

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <xlsxwriter.h>
#include <xlsxwriter/third_party/tmpfileplus.h>
#include <xlsxwriter/third_party/zip.h>

#include "buf.h"
#include "fsutil.h"
#include "strmap.h"
#include "text.h"
#include "zipparts.h"

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
    struct pl_zipparts *parts;  /* props.parts: borrowed */
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

/* ---- the zip, in memory, each distinct part compressed once ------------------------------ */

/*
 * libxlsxwriter (packager.c, _add_file_to_zip) hands each part to minizip — the system's
 * libminizip.so.1 on Debian — as zipOpenNewFileInZip4_64(), zipWriteInFileInZip() in 16 KB
 * pieces, zipCloseFileInZip(), and minizip compresses it with a new deflate stream. Most parts
 * of a receipt or a form are the same bytes in every workbook (the theme, the content types,
 * the relationships, often the styles), so while pl_xlsx_close() writes a workbook these
 * three functions are taken over the way HPDF_MemSet is in pdf_haru.c: libxlsxwriter calls
 * minizip through its PLT, so definitions in the program take their place (ELF symbol
 * interposition), and minizip's own definitions are reached with dlsym(RTLD_NEXT). The
 * open of a part is put off until its bytes are known; its bytes are gathered; at its close
 * the zipparts cache gives it compressed exactly as minizip compresses it (from memory if
 * the same bytes were compressed before), and minizip is asked to store those bytes as they
 * are: zipOpenNewFileInZip4_64() with raw 1 and the same name, date, level and flags, then
 * zipCloseFileInZipRaw64() with the part's CRC and size. minizip then writes the same local
 * header, data and central record as for a part it compresses itself, with one exception
 * done here by hand: for a part it compresses it sets the internal attributes to 1 when
 * zlib judged the bytes text (zip.c, "set internal file attributes field"), which it cannot
 * know of raw bytes, so they are passed in zip_fileinfo.internal_fa.
 *
 * A part over PL_ZIPPARTS_MAX_PART (a large sheet) goes to minizip as before, with the
 * bytes gathered so far handed over first: no second copy of a large sheet is held. A
 * call libxlsxwriter would not make (raw, a password, extra fields, another method) goes
 * straight through. The whole zip is kept in memory as well (zipOpen() is taken over to
 * open it with file functions writing to memory) and written to the temporary file with one
 * write: minizip's stdio file otherwise costs two dozen writes and seeks per workbook. When
 * any of this cannot be set up (a libxlsxwriter that does not call minizip through the
 * PLT, dlsym failing) the calls are not seen here and libxlsxwriter writes its file itself,
 * as before. Every failure (out of memory, a minizip error) is returned to libxlsxwriter,
 * which fails the workbook; pl_xlsx_close() then leaves no file behind.
 */
struct zip_session {
    struct pl_zipparts *parts;
    bool in_memory;     /* zipOpen() of the atomic file opens it in memory */
    const char *path;   /* the atomic file's temporary name, which libxlsxwriter opens */
    zipFile zf;         /* the zip libxlsxwriter opened */
    unsigned char *zip; /* in memory: the zip's bytes */
    size_t zip_len, zip_cap, zip_pos;
    /* The part whose open is put off. */
    bool gathering;
    char *name;
    zip_fileinfo info;
    int method, level, window_bits, mem_level, strategy, zip64;
    uLong version_made_by, flag_base;
    unsigned char *part;
    size_t part_len, part_cap;
};

static _Thread_local struct zip_session *session;
static _Thread_local bool plain_zip; /* pl_xlsx_plain_zip() */

void pl_xlsx_plain_zip(bool plain)
{
    plain_zip = plain;
}

/* minizip's definitions, found once. */
static struct {
    zipFile (*open)(const char *, int);
    zipFile (*open2_64)(const void *, int, zipcharpc *, zlib_filefunc64_def *);
    int (*open_part)(zipFile, const char *, const zip_fileinfo *, const void *, uInt, const void *,
                     uInt, const char *, int, int, int, int, int, int, const char *, uLong, uLong,
                     uLong, int);
    int (*write)(zipFile, const void *, unsigned);
    int (*close_part)(zipFile);
    int (*close_raw)(zipFile, ZPOS64_T, uLong);
    bool ok;
} minizip;
static pthread_once_t minizip_once = PTHREAD_ONCE_INIT;

static void *next_symbol(const char *name)
{
    void *p = dlsym(RTLD_NEXT, name);
    if (!p)
        minizip.ok = false;
    return p;
}

static void find_minizip(void)
{
    minizip.ok = true;
    /* POSIX's way of storing dlsym()'s answer in a pointer to a function. */
    *(void **)&minizip.open = next_symbol("zipOpen");
    *(void **)&minizip.open2_64 = next_symbol("zipOpen2_64");
    *(void **)&minizip.open_part = next_symbol("zipOpenNewFileInZip4_64");
    *(void **)&minizip.write = next_symbol("zipWriteInFileInZip");
    *(void **)&minizip.close_part = next_symbol("zipCloseFileInZip");
    *(void **)&minizip.close_raw = next_symbol("zipCloseFileInZipRaw64");
}

/* minizip's file functions over the session's memory. */
static voidpf ZCALLBACK mem_open(voidpf opaque, const void *filename, int mode)
{
    (void)filename;
    (void)mode;
    return opaque;
}

static uLong ZCALLBACK mem_read(voidpf opaque, voidpf stream, void *buf, uLong size)
{
    (void)opaque;
    (void)stream;
    (void)buf;
    (void)size;
    return 0; /* a new zip is never read back */
}

static uLong ZCALLBACK mem_write(voidpf opaque, voidpf stream, const void *buf, uLong size)
{
    (void)opaque;
    struct zip_session *s = stream;
    if (size > SIZE_MAX - s->zip_pos) {
        part_failed = true;
        return 0;
    }
    size_t end = s->zip_pos + size;
    if (end > s->zip_cap) {
        size_t cap = s->zip_cap ? s->zip_cap : 65536;
        while (cap < end)
            cap = cap > SIZE_MAX / 2 ? end : cap * 2;
        unsigned char *grown = realloc(s->zip, cap);
        if (!grown) {
            part_failed = true; /* minizip returns ZIP_ERRNO: the workbook fails */
            return 0;
        }
        s->zip = grown;
        s->zip_cap = cap;
    }
    memcpy(s->zip + s->zip_pos, buf, size);
    s->zip_pos = end;
    if (end > s->zip_len)
        s->zip_len = end;
    return size;
}

static ZPOS64_T ZCALLBACK mem_tell(voidpf opaque, voidpf stream)
{
    (void)opaque;
    return ((struct zip_session *)stream)->zip_pos;
}

static long ZCALLBACK mem_seek(voidpf opaque, voidpf stream, ZPOS64_T offset, int origin)
{
    (void)opaque;
    struct zip_session *s = stream;
    ZPOS64_T base = origin == ZLIB_FILEFUNC_SEEK_SET   ? 0
                    : origin == ZLIB_FILEFUNC_SEEK_CUR ? s->zip_pos
                                                       : s->zip_len;
    /* minizip only goes back to a local header it wrote, and forth to the end. */
    if (offset > s->zip_len - base)
        return -1;
    s->zip_pos = (size_t)(base + offset);
    return 0;
}

static int ZCALLBACK mem_close(voidpf opaque, voidpf stream)
{
    (void)opaque;
    (void)stream;
    return 0; /* pl_xlsx_close() writes the bytes */
}

static int ZCALLBACK mem_error(voidpf opaque, voidpf stream)
{
    (void)opaque;
    (void)stream;
    return part_failed ? -1 : 0;
}

zipFile zipOpen(const char *pathname, int append)
{
    pthread_once(&minizip_once, find_minizip);
    struct zip_session *s = session;
    if (!minizip.open)
        return NULL; /* cannot happen: this program is linked with minizip through
                        libxlsxwriter, the only caller */
    if (!s || s->zf || !minizip.ok)
        return minizip.open(pathname, append);
    if (s->in_memory && append == APPEND_STATUS_CREATE && strcmp(pathname, s->path) == 0) {
        zlib_filefunc64_def mem = {mem_open, mem_read,  mem_write, mem_tell,
                                   mem_seek, mem_close, mem_error, s};
        s->zf = minizip.open2_64(pathname, append, NULL, &mem);
    } else {
        s->zf = minizip.open(pathname, append);
    }
    return s->zf;
}

/* True when the part being opened with these arguments is gathered here: the call
 * libxlsxwriter makes, on the zip of the workbook being closed. */
static bool gather(const struct zip_session *s, zipFile file, const char *filename,
                   const void *extrafield_local, uInt size_extrafield_local,
                   const void *extrafield_global, uInt size_extrafield_global, const char *comment,
                   int method, int raw, const char *password)
{
    return s && s->parts && minizip.ok && file && file == s->zf && filename && !extrafield_local &&
           !size_extrafield_local && !extrafield_global && !size_extrafield_global && !comment &&
           method == Z_DEFLATED && !raw && !password;
}

/* Opens the gathered part in minizip as libxlsxwriter asked (RAW 0) or to store the bytes
 * compressed here (RAW 1, with the internal attributes INTERNAL_FA). */
static int open_part(struct zip_session *s, int raw, uLong internal_fa)
{
    zip_fileinfo info = s->info;
    info.internal_fa = internal_fa;
    return minizip.open_part(s->zf, s->name, &info, NULL, 0, NULL, 0, NULL, s->method, s->level,
                             raw, s->window_bits, s->mem_level, s->strategy, NULL, 0,
                             s->version_made_by, s->flag_base, s->zip64);
}

static int close_gathered(struct zip_session *s);

int zipOpenNewFileInZip4_64(zipFile file, const char *filename, const zip_fileinfo *zipfi,
                            const void *extrafield_local, uInt size_extrafield_local,
                            const void *extrafield_global, uInt size_extrafield_global,
                            const char *comment, int method, int level, int raw, int windowBits,
                            int memLevel, int strategy, const char *password, uLong crcForCrypting,
                            uLong versionMadeBy, uLong flagBase, int zip64)
{
    pthread_once(&minizip_once, find_minizip);
    struct zip_session *s = session;
    if (s && s->gathering && file == s->zf) {
        /* minizip closes an open part before opening the next: so here. */
        int err = close_gathered(s);
        if (err != ZIP_OK)
            return err;
    }
    if (!gather(s, file, filename, extrafield_local, size_extrafield_local, extrafield_global,
                size_extrafield_global, comment, method, raw, password)) {
        if (!minizip.open_part)
            return ZIP_INTERNALERROR;
        return minizip.open_part(file, filename, zipfi, extrafield_local, size_extrafield_local,
                                 extrafield_global, size_extrafield_global, comment, method, level,
                                 raw, windowBits, memLevel, strategy, password, crcForCrypting,
                                 versionMadeBy, flagBase, zip64);
    }
    free(s->name);
    s->name = strdup(filename);
    if (!s->name) {
        part_failed = true;
        return ZIP_INTERNALERROR;
    }
    if (zipfi) {
        s->info = *zipfi;
    } else { /* minizip's reading of no file information */
        memset(&s->info, 0, sizeof s->info);
        s->info.dosDate = 0;
    }
    s->method = method;
    s->level = level;
    s->window_bits = windowBits;
    s->mem_level = memLevel;
    s->strategy = strategy;
    s->version_made_by = versionMadeBy;
    s->flag_base = flagBase;
    s->zip64 = zip64;
    s->part_len = 0;
    s->gathering = true;
    return ZIP_OK;
}

/* Hands the bytes gathered so far to minizip, which compresses the rest of a large part as
 * it comes (zlib's output does not depend on how its input is split). */
static int spill(struct zip_session *s)
{
    s->gathering = false;
    int err = open_part(s, 0, s->info.internal_fa);
    if (err == ZIP_OK && s->part_len > 0)
        err = minizip.write(s->zf, s->part, (unsigned)s->part_len);
    return err;
}

int zipWriteInFileInZip(zipFile file, const void *buf, unsigned len)
{
    pthread_once(&minizip_once, find_minizip);
    struct zip_session *s = session;
    if (!s || !s->gathering || file != s->zf)
        return minizip.write ? minizip.write(file, buf, len) : ZIP_INTERNALERROR;
    if (s->part_len + len > PL_ZIPPARTS_MAX_PART) {
        int err = spill(s);
        return err == ZIP_OK ? minizip.write(file, buf, len) : err;
    }
    if (s->part_len + len > s->part_cap) {
        size_t cap = s->part_cap ? s->part_cap : 16384;
        while (cap < s->part_len + len)
            cap *= 2;
        unsigned char *grown = realloc(s->part, cap);
        if (!grown) {
            part_failed = true;
            return ZIP_INTERNALERROR;
        }
        s->part = grown;
        s->part_cap = cap;
    }
    memcpy(s->part + s->part_len, buf, len);
    s->part_len += len;
    return ZIP_OK;
}

/* The gathered part compressed (or found) by the cache and stored raw. */
static int close_gathered(struct zip_session *s)
{
    s->gathering = false;
    struct pl_zipparts_settings set = {s->level, s->window_bits, s->mem_level, s->strategy};
    struct pl_zippart z;
    enum pl_status st = pl_zipparts_deflate(s->parts, s->name, s->part, s->part_len, &set, &z);
    if (st != PL_OK) {
        if (st == PL_ERR_NOMEM)
            part_failed = true;
        return ZIP_INTERNALERROR;
    }
    int err = open_part(s, 1, z.text ? Z_TEXT : s->info.internal_fa);
    if (err == ZIP_OK && z.len > 0)
        err = minizip.write(s->zf, z.data, (unsigned)z.len);
    if (err == ZIP_OK)
        err = minizip.close_raw(s->zf, s->part_len, z.crc);
    return err;
}

int zipCloseFileInZip(zipFile file)
{
    pthread_once(&minizip_once, find_minizip);
    struct zip_session *s = session;
    if (s && s->gathering && file == s->zf)
        return close_gathered(s);
    return minizip.close_part ? minizip.close_part(file) : ZIP_INTERNALERROR;
}

/*
 * styles.xml is made afresh for every workbook (packager.c, _write_styles_file: a copy of
 * each format in use, then lxw_styles_assemble_xml_file()), a tenth of a receipt's time, and
 * comes out the same for most of them. The XML is a function of the lxw_styles it is given
 * alone: its counts and flags, and the fields of each format in use (styles.c reads nothing
 * else, and writes only to the copies, which are freed after). So while a workbook is closed
 * with a cache, that call is taken over too (libxlsxwriter calls it through its PLT): the key
 * is the counts, flags and each format's bytes with its pointers cleared (the key
 * libxlsxwriter itself uses to tell formats apart, format.c _get_format_key), compared whole
 * by the cache; a hit writes the XML remembered, a miss has libxlsxwriter make it and keeps a
 * copy read back from the part.
 */
static void (*styles_assemble)(lxw_styles *);
static pthread_once_t styles_once = PTHREAD_ONCE_INIT;

static bool styles_ours; /* the structures read are laid out as in the header compiled */

static void find_styles(void)
{
    *(void **)&styles_assemble = dlsym(RTLD_NEXT, "lxw_styles_assemble_xml_file");
    styles_ours = strcmp(lxw_version(), LXW_VERSION) == 0;
}

static enum pl_status append_format_key(struct pl_buf *key, const lxw_format *f)
{
    lxw_format k;
    memcpy(&k, f, sizeof k);
    k.file = NULL;
    k.xf_format_indices = NULL;
    k.dxf_format_indices = NULL;
    k.num_xf_formats = NULL;
    k.num_dxf_formats = NULL;
    k.list_pointers.stqe_next = NULL;
    return pl_buf_append(key, (const char *)&k, sizeof k);
}

static enum pl_status styles_key(struct pl_buf *key, const lxw_styles *self)
{
    const uint32_t head[] = {self->font_count,       self->xf_count,          self->dxf_count,
                             self->num_format_count, self->border_count,      self->fill_count,
                             self->has_hyperlink,    self->hyperlink_font_id, self->has_comments};
    enum pl_status st = pl_buf_append(key, (const char *)head, sizeof head);
    const lxw_format *f;
    uint32_t n = 0;
    STAILQ_FOREACH(f, self->xf_formats, list_pointers)
    {
        if (st == PL_OK)
            st = append_format_key(key, f);
        n++;
    }
    /* The count of each list, so that no format can pass from one list to the other. */
    if (st == PL_OK)
        st = pl_buf_append(key, (const char *)&n, sizeof n);
    STAILQ_FOREACH(f, self->dxf_formats, list_pointers)
    {
        if (st == PL_OK)
            st = append_format_key(key, f);
    }
    return st;
}

/* Reads back the bytes written to FP, a part in memory, from its start to where it is. */
static enum pl_status read_back(FILE *fp, struct pl_buf *out)
{
    long end;
    if (fflush(fp) != 0 || (end = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET) != 0)
        return PL_ERR_IO;
    enum pl_status st = PL_OK;
    char chunk[4096];
    for (long left = end; left > 0 && st == PL_OK;) {
        size_t n = fread(chunk, 1, left < (long)sizeof chunk ? (size_t)left : sizeof chunk, fp);
        if (n == 0)
            st = PL_ERR_IO;
        else
            st = pl_buf_append(out, chunk, n);
        left -= (long)n;
    }
    if (fseek(fp, end, SEEK_SET) != 0 && st == PL_OK)
        st = PL_ERR_IO;
    return st;
}

void lxw_styles_assemble_xml_file(lxw_styles *self)
{
    pthread_once(&styles_once, find_styles);
    struct zip_session *s = session;
    if (!styles_assemble)
        return; /* cannot happen: libxlsxwriter, the caller, defines it */
    struct pl_buf key, xml;
    pl_buf_init(&key);
    pl_buf_init(&xml);
    const void *value;
    size_t len;
    if (!s || !s->parts || !parts_in_memory || !styles_ours || styles_key(&key, self) != PL_OK) {
        styles_assemble(self);
    } else if (pl_zipparts_recall(s->parts, "xl/styles.xml", key.data, key.len, &value, &len)) {
        /* A short write is part_failed (part_write): the workbook fails. */
        fwrite(value, 1, len, self->file);
    } else {
        styles_assemble(self);
        if (read_back(self->file, &xml) == PL_OK)
            pl_zipparts_remember(s->parts, "xl/styles.xml", key.data, key.len, xml.data, xml.len);
    }
    pl_buf_fini(&key);
    pl_buf_fini(&xml);
}

/*
 * libxlsxwriter finds formats, fonts, fills and borders in hash tables keyed by whole
 * structures (a format is some 600 bytes), hashed a byte at a time with a multiply per byte
 * (hash_table.c, _generate_hash_key): a twentieth of a receipt's time. Its two functions that
 * hash, lxw_hash_key_exists() and lxw_insert_hash_element(), are called through the PLT and
 * are the only code that places elements in buckets (everything else, the output's order
 * included, walks the insertion-order list), so these definitions take their place with the
 * same behaviour and a hash taken eight bytes at a time: only which bucket an element sits in
 * changes, and no byte written. Both or neither: the choice is made once for the process,
 * before any table is used, and only for the libxlsxwriter these definitions were written
 * against (its tables' layout is in its header); any other uses its own.
 */
static struct {
    lxw_hash_element *(*exists)(lxw_hash_table *, void *, size_t);
    lxw_hash_element *(*insert)(lxw_hash_table *, void *, void *, size_t);
    bool ours;
} hashing;
static pthread_once_t hashing_once = PTHREAD_ONCE_INIT;

static void choose_hashing(void)
{
    *(void **)&hashing.exists = dlsym(RTLD_NEXT, "lxw_hash_key_exists");
    *(void **)&hashing.insert = dlsym(RTLD_NEXT, "lxw_insert_hash_element");
    hashing.ours = strcmp(lxw_version(), "1.1.4") == 0 && strcmp(LXW_VERSION, "1.1.4") == 0;
}

static size_t bucket_of(const lxw_hash_table *h, const void *key, size_t key_len)
{
    /* strmap's hash: eight bytes at a time, so a format's key (mostly the zeros of its
     * unused name fields) costs a word, not a byte, per step. */
    return (size_t)(pl_strmap_hash(key, key_len) % h->num_buckets);
}

lxw_hash_element *lxw_hash_key_exists(lxw_hash_table *h, void *key, size_t key_len)
{
    pthread_once(&hashing_once, choose_hashing);
    if (!hashing.ours)
        return hashing.exists ? hashing.exists(h, key, key_len) : NULL;
    lxw_hash_element *e;
    struct lxw_hash_bucket_list *list = h->buckets[bucket_of(h, key, key_len)];
    if (list)
        SLIST_FOREACH(e, list, lxw_hash_list_pointers)
        {
            if (memcmp(e->key, key, key_len) == 0)
                return e;
        }
    return NULL;
}

lxw_hash_element *lxw_insert_hash_element(lxw_hash_table *h, void *key, void *value, size_t key_len)
{
    pthread_once(&hashing_once, choose_hashing);
    if (!hashing.ours)
        return hashing.insert ? hashing.insert(h, key, value, key_len) : NULL;
    struct lxw_hash_bucket_list **slot = &h->buckets[bucket_of(h, key, key_len)];
    lxw_hash_element *e;
    if (*slot)
        SLIST_FOREACH(e, *slot, lxw_hash_list_pointers)
        {
            if (memcmp(e->key, key, key_len) == 0) {
                /* The key is there: its value replaced, as libxlsxwriter does. */
                if (h->free_value)
                    free(e->value);
                e->value = value;
                return e;
            }
        }
    struct lxw_hash_bucket_list *made = NULL;
    if (!*slot) {
        made = calloc(1, sizeof *made);
        if (!made)
            return NULL;
        SLIST_INIT(made);
    }
    e = calloc(1, sizeof *e);
    if (!e) {
        free(made);
        return NULL;
    }
    e->key = key;
    e->value = value;
    if (made) {
        *slot = made;
        h->used_buckets++;
    }
    SLIST_INSERT_HEAD(*slot, e, lxw_hash_list_pointers);
    STAILQ_INSERT_TAIL(h->order_list, e, lxw_hash_order_pointers);
    h->unique_count++;
    return e;
}

/*
 * Every attribute libxlsxwriter writes (each cell's r="B7" s="3" t="s" …) is first put in a
 * struct xml_attribute of two 2,080-byte buffers filled with strncpy(), which pads the rest
 * of each with zeros: 4 KB cleared per attribute, and a printf() for each number
 * (xmlwriter.c). Nothing reads past a buffer's terminating zero (the attribute is printed
 * with %s and freed), so these definitions, taking the place of libxlsxwriter's through its
 * PLT like the hash table's above (and only for 1.1.4, whose structure the header
 * describes), copy the string and its zero only and write the number's digits directly,
 * as "%d" prints it: the same characters.
 */
static size_t copy_attribute(char *dst, const char *src)
{
    size_t n = strnlen(src, LXW_MAX_ATTRIBUTE_LENGTH - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
    return n;
}

static struct xml_attribute *(*attribute_str)(const char *, const char *);
static struct xml_attribute *(*attribute_int)(const char *, uint32_t);
static bool attributes_ours;
static pthread_once_t attributes_once = PTHREAD_ONCE_INIT;

static void choose_attributes(void)
{
    *(void **)&attribute_str = dlsym(RTLD_NEXT, "lxw_new_attribute_str");
    *(void **)&attribute_int = dlsym(RTLD_NEXT, "lxw_new_attribute_int");
    attributes_ours = strcmp(lxw_version(), "1.1.4") == 0 && strcmp(LXW_VERSION, "1.1.4") == 0;
}

struct xml_attribute *lxw_new_attribute_str(const char *key, const char *value)
{
    pthread_once(&attributes_once, choose_attributes);
    if (!attributes_ours)
        return attribute_str ? attribute_str(key, value) : NULL;
    struct xml_attribute *a = malloc(sizeof *a);
    if (a) {
        copy_attribute(a->key, key);
        copy_attribute(a->value, value);
    }
    return a;
}

struct xml_attribute *lxw_new_attribute_int(const char *key, uint32_t value)
{
    pthread_once(&attributes_once, choose_attributes);
    if (!attributes_ours)
        return attribute_int ? attribute_int(key, value) : NULL;
    struct xml_attribute *a = malloc(sizeof *a);
    if (a) {
        copy_attribute(a->key, key);
        /* libxlsxwriter prints the unsigned value with "%d": as a signed int. */
        int32_t v = (int32_t)value;
        uint32_t u = v < 0 ? 0u - (uint32_t)v : (uint32_t)v;
        char digits[16], *p = digits + sizeof digits;
        *--p = '\0';
        do
            *--p = (char)('0' + u % 10);
        while (u /= 10);
        if (v < 0)
            *--p = '-';
        memcpy(a->value, p, (size_t)(digits + sizeof digits - p));
    }
    return a;
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

/* The house format STYLE of X, made the first time it is used: a receipt uses nine of the
 * twenty-two, and a format libxlsxwriter is given but never sees in a cell leaves no trace in
 * the file (styles.xml lists the formats in the order cells first use them, format.c
 * lxw_format_get_xf_index), so making only those used writes the same bytes. NULL when out
 * of memory (recorded on X). */
static lxw_format *format_of(struct pl_xlsx *x, enum pl_xlsx_style style)
{
    if (x->fmt[style])
        return x->fmt[style];
    double size = style == PL_XS_TITLE ? 16 : 10;
    lxw_format *f = base_format(x->wb, size);
    if (!f) {
        fail_status(x, PL_ERR_NOMEM, "格式");
        return NULL;
    }
    x->fmt[style] = f;
    switch (style) {
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
        if (style == PL_XS_TOTAL)
            format_set_bold(f);
        bordered(f);
        break;
    case PL_XS_INT:
    case PL_XS_PERCENT:
    case PL_XS_PERCENT1:
    case PL_XS_SCORE:
    case PL_XS_DATE:
        format_set_align(f, LXW_ALIGN_CENTER);
        format_set_num_format(f, style == PL_XS_INT        ? "0"
                                 : style == PL_XS_PERCENT  ? "0\"%\""
                                 : style == PL_XS_PERCENT1 ? "0.0\"%\""
                                 : style == PL_XS_SCORE    ? "0.0"
                                                       : "yyyy-mm-dd");
        bordered(f);
        break;
    case PL_XS_BLUE:
    case PL_XS_YELLOW:
    case PL_XS_RED:
        format_set_bold(f);
        format_set_align(f, LXW_ALIGN_CENTER);
        format_set_pattern(f, LXW_PATTERN_SOLID);
        format_set_bg_color(f, style == PL_XS_BLUE     ? PL_XLSX_BLUE
                               : style == PL_XS_YELLOW ? PL_XLSX_YELLOW
                                                   : PL_XLSX_RED);
        format_set_font_color(f, style == PL_XS_YELLOW ? 0x000000 : 0xFFFFFF);
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
        format_set_align(f, style == PL_XS_INPUT ? LXW_ALIGN_LEFT : LXW_ALIGN_CENTER);
        format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
        format_set_text_wrap(f);
        if (style == PL_XS_INPUT_TEXT)
            format_set_num_format(f, "@");
        else if (style == PL_XS_INPUT_DATE)
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
    return f;
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
    x->parts = props->parts;
    if (x->atomic) {
        enum pl_status ps = pl_atomic_open(&x->file, path, diag);
        if (ps != PL_OK) {
            pl_xlsx_discard(x);
            return ps;
        }
    }
    lxw_workbook_options opt = {.constant_memory = props->constant_memory, .tmpdir = NULL};
    x->wb = workbook_new_opt(x->atomic ? x->file.tmp_path : path, &opt);
    if (!x->wb) {
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
    /* A plain workbook (pl_xlsx_plain_zip) keeps its parts in libxlsxwriter's own files too,
     * so that it is what the library writes alone. */
    parts_in_memory = !x->constant_memory && !plain_zip;
    part_failed = false;
    /* A constant_memory workbook's sheet may be larger than memory should hold: minizip
     * writes it to its file as before. */
    struct zip_session zs = {.in_memory = x->atomic, .path = x->file.tmp_path};
    struct pl_zipparts *own = NULL;
    if (!x->constant_memory && !plain_zip) {
        zs.parts = x->parts;
        if (!zs.parts && pl_zipparts_new(&own, 0) == PL_OK)
            zs.parts = own; /* one deflate stream for the workbook's parts */
        session = &zs;
    }
    lxw_error err = workbook_close(x->wb);
    session = NULL;
    parts_in_memory = false;
    x->wb = NULL;
    enum pl_status st = status_of(err);
    /* The zip was made in memory (zipOpen() above): into the temporary file with one write,
     * which pl_atomic_commit() flushes and checks. */
    int write_err = 0;
    if (st == PL_OK && !part_failed && zs.zf && zs.in_memory) {
        /* The file has not been written through yet: unbuffered, the zip goes in one write
         * instead of a buffer's worth and the rest. */
        setvbuf(x->file.fp, NULL, _IONBF, 0);
        errno = 0;
        if (fwrite(zs.zip, 1, zs.zip_len, x->file.fp) != zs.zip_len)
            write_err = errno ? errno : EIO;
    }
    free(zs.zip);
    free(zs.part);
    free(zs.name);
    pl_zipparts_free(own);
    if (write_err) {
        st = PL_ERR_IO;
        pl_diag_report(x->diag, x->path, 0, 0, "E_WRITE", "无法写出工作簿：%s",
                       strerror(write_err));
        pl_atomic_abort(&x->file);
    } else if (part_failed) {
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
    lxw_format *f = format_of(s->x, style);
    if (!f)
        return;
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
    lxw_format *f = ok(s) ? format_of(s->x, style) : NULL;
    if (f)
        fail(s->x, worksheet_write_number(s->ws, row, (lxw_col_t)col, value, f), s->name);
}

void pl_xlsx_blank(struct pl_xlsx_sheet *s, unsigned row, unsigned col, enum pl_xlsx_style style)
{
    lxw_format *f = ok(s) ? format_of(s->x, style) : NULL;
    if (f)
        fail(s->x, worksheet_write_blank(s->ws, row, (lxw_col_t)col, f), s->name);
}

void pl_xlsx_date(struct pl_xlsx_sheet *s, unsigned row, unsigned col, int y, int m, int d,
                  enum pl_xlsx_style style)
{
    lxw_format *f = ok(s) ? format_of(s->x, style) : NULL;
    if (!f)
        return;
    lxw_datetime dt = {.year = y, .month = m, .day = d};
    fail(s->x, worksheet_write_datetime(s->ws, row, (lxw_col_t)col, &dt, f), s->name);
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
    lxw_format *f = format_of(s->x, style);
    if (!f)
        return;
    /* worksheet_merge_range() writes TEXT with worksheet_write_string(). */
    fail(s->x,
         worksheet_merge_range(s->ws, row, (lxw_col_t)first_col, row, (lxw_col_t)last_col, text, f),
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
