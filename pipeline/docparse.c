/* docparse — the whole document into the catalog. */
#include "docparse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docfacts.h"
#include "docx.h"
#include "docline.h"
#include "doctable.h"
#include "doctasks.h"
#include "indicators.h"
#include "text.h"
#include "unitnames.h"
#include "workbook.h"

/* True when the line is the heading of attachment N: "附件N" with an optional colon, alone. */
static bool heading(const struct pl_doc_line *l, int n)
{
    struct pl_buf b;
    pl_buf_init(&b);
    bool yes = false;
    if (pl_text_fold_width(&b, l->s, l->len) == PL_OK) {
        char want[16];
        snprintf(want, sizeof want, "%d", n);
        const char *s = b.data;
        size_t len = b.len;
        if (pl_doc_starts(s, len, "附件")) {
            s += strlen("附件");
            len -= strlen("附件");
            if (pl_doc_starts(s, len, want)) {
                s += strlen(want);
                len -= strlen(want);
                if (pl_doc_starts(s, len, "："))
                    len -= strlen("："), s += strlen("：");
                else if (len && (*s == ':'))
                    len--, s++;
                yes = pl_doc_blank(s, len);
            }
        }
    }
    pl_buf_fini(&b);
    return yes;
}

/* Replaces every name of LIST by its canonical name, keeping the first of duplicates. */
static enum pl_status canonical_list(const struct pl_unitreg *reg, struct pl_strv *list)
{
    struct pl_strv out;
    pl_strv_init(&out);
    enum pl_status st = PL_OK;
    for (size_t i = 0; i < list->n && st == PL_OK; i++)
        st = pl_strv_push_unique(&out, pl_unitreg_canonical(reg, list->v[i]));
    if (st == PL_OK) {
        pl_strv_fini(list);
        *list = out;
    } else {
        pl_strv_fini(&out);
    }
    return st;
}

enum pl_status pl_doc_import(const char *text, size_t len, const char *file, struct pl_catalog *cat,
                             struct pl_diag *diag)
{
    struct pl_doc_lines lines;
    struct pl_unitreg *reg = NULL;
    struct pl_strv towns;
    pl_strv_init(&towns);
    enum pl_status st = pl_doc_lines_split(text, len, &lines);
    if (st != PL_OK)
        return st;
    if (pl_doc_blank(text, len)) {
        pl_diag_report(diag, file, 0, 0, "E_EMPTY", "文件是空的，没有可读的内容");
        st = PL_ERR_DATA;
        goto done;
    }
    size_t a1 = lines.n, a2 = lines.n;
    for (size_t i = 0; i < lines.n; i++) {
        if (a1 == lines.n && heading(&lines.v[i], 1))
            a1 = i;
        else if (a1 < lines.n && a2 == lines.n && heading(&lines.v[i], 2))
            a2 = i;
    }
    if (a1 == lines.n) {
        pl_diag_report(diag, file, 0, 0, "E_NOT_A_DOCUMENT",
                       "这不是重点工作责任目标文件：找不到单独成行的“附件1：”");
        st = PL_ERR_DATA;
        goto done;
    }
    if (a2 == lines.n) {
        pl_diag_report(diag, file, 0, 0, "E_ANNEX_MISSING",
                       "找不到单独成行的“附件2：”（民生实事责任目标一览表），文件不完整");
        st = PL_ERR_DATA;
        goto done;
    }
    reg = pl_unitreg_new();
    if (!reg) {
        st = PL_ERR_NOMEM;
        goto done;
    }
    st = pl_docfacts_parse(&lines, 0, a1, file, cat, diag);
    if (st == PL_OK)
        st = pl_doctasks_parse(&lines, a1 + 1, a2, file, cat, reg, diag);
    if (st == PL_OK)
        st = pl_doctable_parse(&lines, a2 + 1, lines.n, file, cat, reg, &towns, diag);
    if (st != PL_OK)
        goto done;
    st = pl_unitreg_finish(reg, pl_catalog_fact(cat, "county"), &towns, file, diag, cat);
    for (size_t i = 0; i < cat->ntasks && st == PL_OK; i++) {
        struct pl_task *t = &cat->tasks[i];
        st = canonical_list(reg, &t->hosts);
        if (st == PL_OK)
            st = canonical_list(reg, &t->cohosts);
    }
    for (size_t i = 0; i < cat->ntasks && st == PL_OK; i++)
        st = pl_indicators_add(cat, cat->tasks[i].id, cat->tasks[i].text);
    /* A task's own deadline (8月底前), in the document's year. */
    int year = 0;
    const char *number = pl_catalog_fact(cat, "number");
    if (!number || !pl_doc_number(number, strlen(number), &year))
        year = cat->ncycles ? atoi(cat->cycles[0].start) : 0;
    for (size_t i = 0; i < cat->ntasks && st == PL_OK && year > 0; i++) {
        struct pl_task *t = &cat->tasks[i];
        struct pl_buf due;
        pl_buf_init(&due);
        if (t->text)
            st = pl_doc_due(t->text, strlen(t->text), year, &due);
        if (st == PL_OK && due.len)
            t->due = pl_buf_take(&due);
        pl_buf_fini(&due);
    }
done:
    pl_unitreg_free(reg);
    pl_strv_fini(&towns);
    pl_doc_lines_fini(&lines);
    return st;
}

/* True when the OLE compound file FP holds a stream named NAME. The directory entries keep
 * names in UTF-16LE; a scan of the file for the name is enough to tell a Word or WPS document
 * (WordDocument, WpsContent) from a workbook, and no Debian package reads the directory for us
 * (libfreexl reads only workbooks). A false match only changes which refusal is given. */
static bool ole_has(FILE *fp, const char *name)
{
    unsigned char want[64];
    size_t n = 0;
    for (const char *c = name; *c && n + 2 <= sizeof want; c++) {
        want[n++] = (unsigned char)*c;
        want[n++] = 0;
    }
    unsigned char buf[65536 + 64];
    size_t keep = 0, got;
    bool found = false;
    rewind(fp);
    while (!found && (got = fread(buf + keep, 1, sizeof buf - keep, fp)) > 0) {
        size_t have = keep + got;
        for (size_t i = 0; i + n <= have && !found; i++)
            found = memcmp(buf + i, want, n) == 0;
        keep = have < n ? have : n - 1;
        memmove(buf, buf + have - keep, keep);
    }
    return found;
}

static enum pl_status import_docx(const char *path, struct pl_catalog *cat, struct pl_diag *diag)
{
    struct pl_docx doc;
    struct pl_buf text;
    pl_buf_init(&text);
    enum pl_status st = pl_docx_read(path, path, diag, &doc);
    if (st != PL_OK)
        goto done;
    st = pl_docx_text(&doc, &text);
    if (st == PL_OK)
        st = pl_doc_import(text.data, text.len, path, cat, diag);
    pl_docx_free(&doc);
done:
    pl_buf_fini(&text);
    return st;
}

enum pl_status pl_doc_import_path(const char *path, enum pl_encoding enc, struct pl_catalog *cat,
                                  struct pl_diag *diag)
{
    static const char resave[] = "请用Word或WPS打开，另存为.docx（Word文档）或纯文本后再导入";
    enum pl_file_kind kind = PL_FILE_TEXT;
    bool word = false, pdf = false, rtf = false;
    if (strcmp(path, "-") != 0) {
        FILE *fp = fopen(path, "rb");
        if (fp) {
            unsigned char head[8] = {0};
            size_t n = fread(head, 1, sizeof head, fp);
            kind = pl_file_kind_of(head, n);
            pdf = n >= 5 && memcmp(head, "%PDF-", 5) == 0;
            rtf = n >= 5 && memcmp(head, "{\\rtf", 5) == 0;
            if (kind == PL_FILE_OLE)
                word = ole_has(fp, "WordDocument") || ole_has(fp, "WpsContent");
            fclose(fp);
        }
    }
    if (pdf || rtf || (kind == PL_FILE_OLE && word)) {
        pl_diag_report(diag, path, 0, 0,
                       pdf   ? "E_PDF"
                       : rtf ? "E_RTF"
                             : "E_WORD_DOC",
                       "%s，不能直接导入：%s",
                       pdf   ? "这是PDF文件"
                       : rtf ? "这是RTF文件"
                             : "这是旧版Word或WPS文档（.doc/.wps）",
                       pdf ? "请向发文单位要Word文件（.docx），或把文字复制到纯文本文件后再导入"
                           : resave);
        return PL_ERR_DATA;
    }
    /* A zip that does not open is most likely a .docx cut short: pl_docx_read() says so. */
    if (kind == PL_FILE_ZIP && pl_docx_probe(path) != 0)
        return import_docx(path, cat, diag);
    struct pl_buf text;
    pl_buf_init(&text);
    enum pl_status st = pl_text_load(path, enc, diag, &text, NULL);
    if (st == PL_OK)
        st = pl_doc_import(text.data, text.len, path, cat, diag);
    pl_buf_fini(&text);
    return st;
}
