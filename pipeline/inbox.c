/* inbox — every file of a returns folder, subfolders and zips included. */
#include "inbox.h"

#include <dirent.h>
#include <errno.h>
#include <iconv.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "text.h"

/* Folders nested deeper than this are not walked (a loop of bind mounts, a hostile tree). */
enum { WALK_DEPTH_MAX = 32 };
/* A zip member larger than this (uncompressed) is refused: no return is a gigabyte. */
#define MEMBER_SIZE_MAX ((zip_uint64_t)1 << 30)

void pl_inbox_init(struct pl_inbox *in)
{
    in->entries = NULL;
    in->count = in->cap = 0;
}

void pl_inbox_fini(struct pl_inbox *in)
{
    for (size_t i = 0; i < in->count; i++) {
        struct pl_inbox_entry *e = &in->entries[i];
        free(e->path);
        free(e->member);
        free(e->shown);
        free(e->rel);
        free(e->why);
    }
    free(in->entries);
    pl_inbox_init(in);
}

enum pl_status pl_inbox_display_name(struct pl_buf *out, const char *name, size_t len)
{
    if (pl_utf8_valid(name, len))
        return pl_buf_append(out, name, len);
    /* Windows archives store names in the ANSI code page, GBK on Chinese Windows. */
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd != (iconv_t)-1) {
        struct pl_buf conv;
        pl_buf_init(&conv);
        enum pl_status st = pl_buf_reserve(&conv, len * 2 + 4);
        if (st == PL_OK) {
            char *in = (char *)name, *o = conv.data;
            size_t left = len, room = len * 2 + 4;
            size_t r = iconv(cd, &in, &left, &o, &room);
            if (r != (size_t)-1 && left == 0 && pl_utf8_valid(conv.data, (size_t)(o - conv.data))) {
                st = pl_buf_append(out, conv.data, (size_t)(o - conv.data));
                pl_buf_fini(&conv);
                iconv_close(cd);
                return st;
            }
        }
        pl_buf_fini(&conv);
        iconv_close(cd);
        if (st != PL_OK)
            return st;
    }
    return pl_text_escape_invalid(out, name, len);
}

static enum pl_status add_entry(struct pl_inbox *in, const char *path, const char *member,
                                size_t member_index, const char *shown, const char *rel,
                                enum pl_inbox_status status, const char *code, const char *why)
{
    if (in->count == in->cap) {
        size_t cap = in->cap ? in->cap * 2 : 32;
        struct pl_inbox_entry *v = realloc(in->entries, cap * sizeof *v);
        if (!v)
            return PL_ERR_NOMEM;
        in->entries = v;
        in->cap = cap;
    }
    struct pl_inbox_entry e = {
        .path = strdup(path),
        .member = member ? strdup(member) : NULL,
        .member_index = member_index,
        .shown = strdup(shown),
        .rel = strdup(rel),
        .status = status,
        .code = code,
        .why = why ? strdup(why) : NULL,
    };
    if (!e.path || !e.shown || !e.rel || (member && !e.member) || (why && !e.why)) {
        free(e.path);
        free(e.member);
        free(e.shown);
        free(e.rel);
        free(e.why);
        return PL_ERR_NOMEM;
    }
    in->entries[in->count++] = e;
    return PL_OK;
}

/* Why a file of this NAME is not a return, or NULL when it may be one. */
static const char *litter_reason(const char *name)
{
    if (strncmp(name, "~$", 2) == 0 || strncmp(name, ".~lock.", 7) == 0)
        return "编辑软件的临时锁文件（原文件正被打开时生成），不是报表";
    if (strcasecmp(name, "Thumbs.db") == 0 || strcasecmp(name, "desktop.ini") == 0)
        return "Windows生成的系统文件，不是报表";
    if (strcmp(name, ".DS_Store") == 0 || strncmp(name, "._", 2) == 0 ||
        strcmp(name, "__MACOSX") == 0)
        return "苹果电脑生成的系统文件，不是报表";
    if (name[0] == '.')
        return "隐藏文件，不是报表";
    return NULL;
}

static bool is_zip_head(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return false;
    unsigned char head[4];
    size_t n = fread(head, 1, sizeof head, fp);
    fclose(fp);
    return n == 4 && head[0] == 'P' && head[1] == 'K' &&
           ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6));
}

static bool ends_with_ci(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

/* A zip that is a workbook or a Word file (an Office Open XML package) is one file to read;
 * any other zip is an archive of returns: it and its members are listed. */
static enum pl_status add_file(struct pl_inbox *in, const char *path, const char *shown,
                               const char *rel)
{
    if (!is_zip_head(path))
        return add_entry(in, path, NULL, 0, shown, rel, PL_INBOX_READ, NULL, NULL);
    int err = 0;
    zip_t *z = zip_open(path, ZIP_RDONLY, &err);
    if (!z) {
        /* A damaged workbook is the workbook reader's to name; a damaged .zip is ours. */
        if (!ends_with_ci(path, ".zip"))
            return add_entry(in, path, NULL, 0, shown, rel, PL_INBOX_READ, NULL, NULL);
        return add_entry(in, path, NULL, 0, shown, rel, PL_INBOX_REFUSED, "E_ZIP_BROKEN",
                         "压缩包已损坏或不完整（可能下载或拷贝中断），无法打开：请重新打包发送");
    }
    if (zip_name_locate(z, "[Content_Types].xml", 0) >= 0) {
        zip_close(z);
        return add_entry(in, path, NULL, 0, shown, rel, PL_INBOX_READ, NULL, NULL);
    }
    zip_int64_t n = zip_get_num_entries(z, 0);
    struct pl_buf why, member_shown, name_shown;
    pl_buf_init(&why);
    pl_buf_init(&member_shown);
    pl_buf_init(&name_shown);
    enum pl_status st = pl_buf_printf(&why, "压缩包：其中的文件逐个列在下面");
    if (st == PL_OK)
        st = add_entry(in, path, NULL, 0, shown, rel, PL_INBOX_ARCHIVE, NULL, why.data);
    for (zip_int64_t i = 0; st == PL_OK && i < n; i++) {
        /* Raw names: libzip's guess would read a GBK name as CP437. */
        const char *name = zip_get_name(z, (zip_uint64_t)i, ZIP_FL_ENC_RAW);
        if (!name || !*name || name[strlen(name) - 1] == '/')
            continue;
        pl_buf_clear(&name_shown);
        pl_buf_clear(&member_shown);
        st = pl_inbox_display_name(&name_shown, name, strlen(name));
        if (st == PL_OK)
            st = pl_buf_printf(&member_shown, "%s/%s", shown, name_shown.data);
        if (st != PL_OK)
            break;
        /* The member's own name and every folder above it may be litter (__MACOSX/…). */
        const char *litter = NULL;
        for (const char *p = name; *p && !litter;) {
            const char *slash = strchr(p, '/');
            size_t len = slash ? (size_t)(slash - p) : strlen(p);
            char *part = strndup(p, len);
            if (!part) {
                st = PL_ERR_NOMEM;
                break;
            }
            litter = litter_reason(part);
            free(part);
            if (!slash)
                break;
            p = slash + 1;
        }
        if (st != PL_OK)
            break;
        zip_stat_t zs;
        zip_stat_init(&zs);
        bool stat_ok = zip_stat_index(z, (zip_uint64_t)i, ZIP_FL_ENC_RAW, &zs) == 0;
        if (litter)
            st = add_entry(in, path, name, (size_t)i, member_shown.data, rel, PL_INBOX_IGNORED,
                           "W_IGNORED_FILE", litter);
        else if (stat_ok && (zs.valid & ZIP_STAT_ENCRYPTION_METHOD) &&
                 zs.encryption_method != ZIP_EM_NONE)
            st = add_entry(in, path, name, (size_t)i, member_shown.data, rel, PL_INBOX_REFUSED,
                           "E_ZIP_ENCRYPTED",
                           "压缩包中的这个文件设置了密码，无法读取：请不加密码重新打包发送");
        else if (stat_ok && (zs.valid & ZIP_STAT_SIZE) && zs.size > MEMBER_SIZE_MAX)
            st = add_entry(in, path, name, (size_t)i, member_shown.data, rel, PL_INBOX_REFUSED,
                           "E_ZIP_TOO_BIG", "压缩包中的这个文件超过1GB，不可能是报表，未读取");
        else
            st = add_entry(in, path, name, (size_t)i, member_shown.data, rel, PL_INBOX_READ,
                           NULL, NULL);
    }
    zip_close(z);
    pl_buf_fini(&why);
    pl_buf_fini(&member_shown);
    pl_buf_fini(&name_shown);
    return st;
}

static int by_bytes(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

/* True when the resolved path TARGET lies inside the folder ROOT (both from realpath). */
static bool inside(const char *root, const char *target)
{
    size_t n = strlen(root);
    return strncmp(root, target, n) == 0 && (target[n] == '/' || target[n] == '\0' ||
                                             (n == 1 && root[0] == '/'));
}

static enum pl_status walk(struct pl_inbox *in, const char *root, const char *dir,
                           const char *shown, const char *rel, int depth)
{
    struct dirent **names = NULL;
    int n = scandir(dir, &names, NULL, by_bytes);
    if (n < 0) {
        struct pl_buf why;
        pl_buf_init(&why);
        pl_buf_printf(&why, "无法读取这个文件夹：%s", strerror(errno));
        enum pl_status st = add_entry(in, dir, NULL, 0, shown, rel, PL_INBOX_REFUSED,
                                      "E_UNREADABLE", why.data);
        pl_buf_fini(&why);
        return st;
    }
    enum pl_status st = PL_OK;
    struct pl_buf path, child_shown, child_rel, why;
    pl_buf_init(&path);
    pl_buf_init(&child_shown);
    pl_buf_init(&child_rel);
    pl_buf_init(&why);
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        if (st != PL_OK || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
            continue;
        pl_buf_clear(&path);
        pl_buf_clear(&child_shown);
        pl_buf_clear(&child_rel);
        pl_buf_clear(&why);
        st = pl_buf_printf(&path, "%s/%s", dir, name);
        if (st == PL_OK)
            st = pl_buf_printf(&child_shown, "%s/", shown);
        if (st == PL_OK)
            st = pl_inbox_display_name(&child_shown, name, strlen(name));
        if (st == PL_OK)
            st = pl_buf_printf(&child_rel, "%s%s%s", rel, *rel ? "/" : "", name);
        if (st != PL_OK)
            break;
        const char *litter = litter_reason(name);
        struct stat sb;
        if (litter) {
            st = add_entry(in, path.data, NULL, 0, child_shown.data, child_rel.data,
                           PL_INBOX_IGNORED, "W_IGNORED_FILE", litter);
            continue;
        }
        if (lstat(path.data, &sb) != 0) {
            pl_buf_printf(&why, "无法读取：%s", strerror(errno));
            st = add_entry(in, path.data, NULL, 0, child_shown.data, child_rel.data,
                           PL_INBOX_REFUSED, "E_UNREADABLE", why.data);
            continue;
        }
        if (S_ISLNK(sb.st_mode)) {
            char *target = realpath(path.data, NULL);
            struct stat tb;
            if (!target || stat(target, &tb) != 0) {
                st = add_entry(in, path.data, NULL, 0, child_shown.data, child_rel.data,
                               PL_INBOX_REFUSED, "E_SYMLINK_BROKEN",
                               "这是一个链接，它指向的文件不存在");
            } else if (!inside(root, target)) {
                st = add_entry(in, path.data, NULL, 0, child_shown.data, child_rel.data,
                               PL_INBOX_REFUSED, "E_SYMLINK_OUTSIDE",
                               "这是一个链接，指向报表文件夹以外的文件：出于安全不读取，请把文件本身放进报表文件夹");
            } else if (S_ISDIR(tb.st_mode)) {
                st = add_entry(in, path.data, NULL, 0, child_shown.data, child_rel.data,
                               PL_INBOX_IGNORED, "W_IGNORED_FILE",
                               "指向本文件夹内另一个文件夹的链接，其中的文件已在原处读取");
            } else if (S_ISREG(tb.st_mode)) {
                st = add_file(in, path.data, child_shown.data, child_rel.data);
            } else {
                st = add_entry(in, path.data, NULL, 0, child_shown.data, child_rel.data,
                               PL_INBOX_REFUSED, "E_NOT_A_FILE", "不是普通文件，未读取");
            }
            free(target);
            continue;
        }
        if (S_ISDIR(sb.st_mode)) {
            if (depth >= WALK_DEPTH_MAX)
                st = add_entry(in, path.data, NULL, 0, child_shown.data, child_rel.data,
                               PL_INBOX_REFUSED, "E_TOO_DEEP",
                               "文件夹层级过深（超过32层），其中的文件未读取");
            else
                st = walk(in, root, path.data, child_shown.data, child_rel.data, depth + 1);
            continue;
        }
        if (!S_ISREG(sb.st_mode)) {
            st = add_entry(in, path.data, NULL, 0, child_shown.data, child_rel.data,
                           PL_INBOX_REFUSED, "E_NOT_A_FILE",
                           "不是普通文件（设备、管道或套接字），未读取");
            continue;
        }
        st = add_file(in, path.data, child_shown.data, child_rel.data);
    }
    for (int i = 0; i < n; i++)
        free(names[i]);
    free(names);
    pl_buf_fini(&path);
    pl_buf_fini(&child_shown);
    pl_buf_fini(&child_rel);
    pl_buf_fini(&why);
    return st;
}

enum pl_status pl_inbox_add(struct pl_inbox *in, const char *arg)
{
    struct pl_buf shown;
    pl_buf_init(&shown);
    enum pl_status st = pl_inbox_display_name(&shown, arg, strlen(arg));
    struct stat sb;
    if (st != PL_OK) {
        /* nothing */
    } else if (strcmp(arg, "-") != 0 && stat(arg, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        char *root = realpath(arg, NULL);
        if (!root) {
            st = add_entry(in, arg, NULL, 0, shown.data, "", PL_INBOX_REFUSED, "E_UNREADABLE",
                           "无法读取这个文件夹");
        } else {
            /* A trailing slash given on the command line is not doubled in names. */
            while (shown.len > 1 && shown.data[shown.len - 1] == '/')
                shown.data[--shown.len] = '\0';
            st = walk(in, root, arg, shown.data, "", 0);
            free(root);
        }
    } else if (strcmp(arg, "-") != 0 && stat(arg, &sb) == 0 && S_ISREG(sb.st_mode)) {
        st = add_file(in, arg, shown.data, arg);
    } else {
        st = add_entry(in, arg, NULL, 0, shown.data, arg, PL_INBOX_READ, NULL, NULL);
    }
    pl_buf_fini(&shown);
    return st;
}

enum pl_status pl_inbox_extract(const struct pl_inbox_entry *e, struct pl_diag *diag,
                                char **path)
{
    *path = NULL;
    int err = 0;
    zip_t *z = zip_open(e->path, ZIP_RDONLY, &err);
    if (!z) {
        pl_diag_report(diag, e->shown, 0, 0, "E_ZIP_BROKEN",
                       "压缩包已损坏或不完整，无法取出这个文件：请重新打包发送");
        return PL_ERR_DATA;
    }
    const char *dir = getenv("TMPDIR");
    struct pl_buf name;
    pl_buf_init(&name);
    enum pl_status st = pl_buf_printf(&name, "%s/ducha-member.XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = st == PL_OK ? mkstemp(name.data) : -1;
    zip_file_t *zf = NULL;
    char *chunk = malloc(1 << 16);
    if (st != PL_OK || fd < 0 || !chunk) {
        if (st == PL_OK)
            st = fd < 0 ? PL_ERR_CREATE : PL_ERR_NOMEM;
        goto done;
    }
    zf = zip_fopen_index(z, e->member_index, 0);
    if (!zf) {
        pl_diag_report(diag, e->shown, 0, 0, "E_ZIP_BROKEN",
                       "无法从压缩包中取出这个文件（%s）：请重新打包发送", zip_strerror(z));
        st = PL_ERR_DATA;
        goto done;
    }
    zip_uint64_t total = 0;
    zip_int64_t got;
    while (st == PL_OK && (got = zip_fread(zf, chunk, 1 << 16)) > 0) {
        total += (zip_uint64_t)got;
        if (total > MEMBER_SIZE_MAX) {
            pl_diag_report(diag, e->shown, 0, 0, "E_ZIP_TOO_BIG",
                           "压缩包中的这个文件解压后超过1GB，不可能是报表，未读取");
            st = PL_ERR_DATA;
            break;
        }
        for (zip_int64_t off = 0; off < got;) {
            ssize_t w = write(fd, chunk + off, (size_t)(got - off));
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0) {
                st = PL_ERR_CREATE;
                break;
            }
            off += w;
        }
    }
    if (st == PL_OK && got < 0) {
        pl_diag_report(diag, e->shown, 0, 0, "E_ZIP_BROKEN",
                       "压缩包中的这个文件已损坏（%s）：请重新打包发送", zip_file_strerror(zf));
        st = PL_ERR_DATA;
    }
done:
    if (zf)
        zip_fclose(zf);
    zip_close(z);
    free(chunk);
    if (fd >= 0 && close(fd) != 0 && st == PL_OK)
        st = PL_ERR_CREATE;
    if (st == PL_OK && is_zip_head(name.data)) {
        /* A zip inside the zip: only a workbook may be one. */
        zip_t *inner = zip_open(name.data, ZIP_RDONLY, &err);
        bool workbook = inner && zip_name_locate(inner, "[Content_Types].xml", 0) >= 0;
        if (inner)
            zip_close(inner);
        if (inner && !workbook) {
            pl_diag_report(diag, e->shown, 0, 0, "E_ZIP_NESTED",
                           "压缩包里又套了一个压缩包：请把里面的文件解压出来，直接放进报表文件夹或一个压缩包");
            st = PL_ERR_DATA;
        }
    }
    if (st == PL_OK) {
        *path = pl_buf_take(&name);
    } else if (fd >= 0) {
        unlink(name.data);
    }
    pl_buf_fini(&name);
    return st;
}
