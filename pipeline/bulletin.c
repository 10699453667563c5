/* bulletin — ducha-pdf's pipeline from tables to an atomic PDF (see bulletin.h). */
#include "bulletin.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "circular.h"
#include "fsutil.h"
#include "pdf.h"
#include "catalog.h"
#include "table.h"
#include "template.h"
#include "typeset.h"

#ifndef DUCHA_DATADIR
#define DUCHA_DATADIR "/usr/local/share/ducha"
#endif

static bool readable(const char *path)
{
    return access(path, R_OK) == 0;
}

/* Tries DIR/NAME and DIR/NAME.tpl. */
static bool try_dir(const char *dir, const char *name, struct pl_buf *out)
{
    if (!dir || !*dir)
        return false;
    size_t mark = out->len;
    pl_buf_printf(out, "%s/%s", dir, name);
    if (readable(out->data))
        return true;
    pl_buf_append_str(out, ".tpl");
    if (readable(out->data))
        return true;
    out->len = mark;
    out->data[mark] = '\0';
    return false;
}

enum pl_status pl_bulletin_find(const char *name, const char *program, struct pl_buf *out)
{
    if (strchr(name, '/')) {
        if (!readable(name))
            return PL_ERR_CONFIG;
        return pl_buf_append_str(out, name);
    }
    if (try_dir(getenv("DUCHA_TEMPLATES"), name, out))
        return PL_OK;
    /* The checkout: the program's own directory's ../templates, through /proc/self/exe when
     * the program was found on PATH. */
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    const char *self = NULL;
    if (n > 0) {
        exe[n] = '\0';
        self = exe;
    } else if (program && strchr(program, '/')) {
        self = program;
    }
    if (self) {
        struct pl_buf dir;
        pl_buf_init(&dir);
        const char *slash = strrchr(self, '/');
        pl_buf_append(&dir, self, (size_t)(slash - self));
        /* bin/../templates, and build/asan/bin/../../../templates for a sanitizer build. */
        bool found = false;
        for (int up = 0; up < 3 && !found; up++) {
            pl_buf_append_str(&dir, "/..");
            size_t mark = dir.len;
            pl_buf_append_str(&dir, "/templates");
            found = dir.data && try_dir(dir.data, name, out);
            dir.len = mark;
            if (dir.data)
                dir.data[mark] = '\0';
        }
        /* An installation: PREFIX/bin/../share/ducha, wherever PREFIX was moved to. */
        pl_buf_clear(&dir);
        pl_buf_append(&dir, self, (size_t)(slash - self));
        pl_buf_append_str(&dir, "/../share/ducha");
        found = found || (dir.data && try_dir(dir.data, name, out));
        pl_buf_fini(&dir);
        if (found)
            return PL_OK;
    }
    if (try_dir(DUCHA_DATADIR, name, out))
        return PL_OK;
    return PL_ERR_CONFIG;
}

static enum pl_status read_file(const char *path, struct pl_buf *out, struct pl_diag *diag)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        pl_diag_report(diag, path, 0, 0, "E_TEMPLATE", "模板无法读取");
        return PL_ERR_CONFIG;
    }
    char buf[8192];
    size_t n;
    enum pl_status st = PL_OK;
    while (st == PL_OK && (n = fread(buf, 1, sizeof buf, fp)) > 0)
        st = pl_buf_append(out, buf, n);
    if (ferror(fp)) {
        pl_diag_report(diag, path, 0, 0, "E_TEMPLATE", "模板读取出错");
        st = PL_ERR_CONFIG;
    }
    fclose(fp);
    return st;
}

struct tables {
    struct pl_table tasks, units, cycles, document, indicators, rated, ranks;
};

static void free_tables(struct tables *t)
{
    pl_table_free(&t->tasks);
    pl_table_free(&t->units);
    pl_table_free(&t->cycles);
    pl_table_free(&t->document);
    pl_table_free(&t->indicators);
    pl_table_free(&t->rated);
    pl_table_free(&t->ranks);
}

static enum pl_status read_catalog(const char *dir, const char *file, bool optional,
                                   struct pl_table *t, struct pl_diag *diag)
{
    struct pl_buf path;
    pl_buf_init(&path);
    enum pl_status st = pl_buf_printf(&path, "%s/%s", dir, file);
    if (st == PL_OK && optional && !readable(path.data)) {
        memset(t, 0, sizeof *t);
        pl_buf_fini(&path);
        return PL_OK;
    }
    if (st == PL_OK)
        st = pl_catalog_read_table(dir, file, t, diag); /* names resolved as everywhere */
    pl_buf_fini(&path);
    return st;
}

/* The circular reports a character no font has with its task and field: the drawing need
 * not report it again. */
static bool covers(void *ctx, uint32_t cp)
{
    if (pl_pdf_covers(ctx, cp))
        return true;
    pl_pdf_missing_reported(ctx, cp);
    return false;
}

static enum pl_status write_output(struct pl_pdf *pdf, const char *path, struct pl_diag *diag)
{
    if (strcmp(path, "-") == 0) {
        if (isatty(STDOUT_FILENO)) {
            pl_diag_report(diag, NULL, 0, 0, "E_USAGE", "PDF 不写到终端：用 -o 文件名");
            return PL_ERR_USAGE;
        }
        enum pl_status st = pl_pdf_save(pdf, stdout, "standard output");
        if (st == PL_OK && fflush(stdout) != 0) {
            pl_diag_report(diag, "standard output", 0, 0, "E_WRITE", "写入失败");
            st = PL_ERR_IO;
        }
        return st;
    }
    struct pl_atomic_file f = {0};
    enum pl_status st = pl_atomic_open(&f, path, diag);
    if (st != PL_OK)
        return st;
    st = pl_pdf_save(pdf, f.fp, path);
    if (st != PL_OK) {
        pl_atomic_abort(&f);
        return st;
    }
    return pl_atomic_commit(&f, diag);
}

static enum pl_status write_markup(const char *path, const struct pl_buf *markup,
                                   struct pl_diag *diag)
{
    struct pl_atomic_file f = {0};
    enum pl_status st = pl_atomic_open(&f, path, diag);
    if (st != PL_OK)
        return st;
    if (fwrite(markup->data, 1, markup->len, f.fp) != markup->len) {
        pl_atomic_abort(&f);
        pl_diag_report(diag, path, 0, 0, "E_WRITE", "写入失败");
        return PL_ERR_IO;
    }
    return pl_atomic_commit(&f, diag);
}

/* The rated stream with the cells the circular reads only: a province's has 55 MB of
 * narratives, problems and next steps that no circular prints. */
static enum pl_status read_rated(const char *path, struct pl_table *t, struct pl_diag *diag)
{
    const char *const *names;
    size_t n = pl_circular_rated_read(&names);
    return pl_table_read_columns(path, names, n, t, diag);
}

enum pl_status pl_bulletin_run(const struct pl_bulletin_options *o, struct pl_diag *diag)
{
    struct tables t;
    memset(&t, 0, sizeof t);
    struct pl_buf tpl_path, fonts_path, tpl, markup;
    pl_buf_init(&tpl_path);
    pl_buf_init(&fonts_path);
    pl_buf_init(&tpl);
    pl_buf_init(&markup);
    struct pl_pdf *pdf = NULL;
    struct pl_tpl_data *data = NULL;
    enum pl_status st;
    if ((st = read_catalog(o->catalog, "tasks.csv", false, &t.tasks, diag)) != PL_OK ||
        (st = read_catalog(o->catalog, "units.csv", false, &t.units, diag)) != PL_OK ||
        (st = read_catalog(o->catalog, "cycles.csv", true, &t.cycles, diag)) != PL_OK ||
        (st = read_catalog(o->catalog, "document.csv", true, &t.document, diag)) != PL_OK ||
        (st = read_catalog(o->catalog, "indicators.csv", true, &t.indicators, diag)) != PL_OK ||
        (st = read_rated(o->rated, &t.rated, diag)) != PL_OK ||
        (st = pl_table_read(o->ranks, &t.ranks, diag)) != PL_OK)
        goto done;
    const char *name = o->template_name ? o->template_name : "circular.tpl";
    if (pl_bulletin_find(name, o->program, &tpl_path) != PL_OK) {
        pl_diag_report(diag, NULL, 0, 0, "E_TEMPLATE",
                       "找不到模板“%s”（查过 $DUCHA_TEMPLATES、程序旁的 templates/、%s）", name,
                       DUCHA_DATADIR);
        st = PL_ERR_CONFIG;
        goto done;
    }
    if (o->fonts) {
        st = pl_buf_append_str(&fonts_path, o->fonts);
    } else {
        const char *slash = strrchr(tpl_path.data, '/');
        pl_buf_append(&fonts_path, tpl_path.data, slash ? (size_t)(slash - tpl_path.data) : 0);
        pl_buf_append_str(&fonts_path, slash ? "/fonts.conf" : "fonts.conf");
        if (!readable(fonts_path.data)) {
            pl_buf_clear(&fonts_path);
            if (pl_bulletin_find("fonts.conf", o->program, &fonts_path) != PL_OK) {
                pl_diag_report(diag, NULL, 0, 0, "E_FONT_TABLE", "找不到字体表 fonts.conf");
                st = PL_ERR_CONFIG;
                goto done;
            }
        }
    }
    if ((st = read_file(tpl_path.data, &tpl, diag)) != PL_OK)
        goto done;
    if ((st = pl_pdf_new(&pdf, diag)) != PL_OK ||
        (st = pl_pdf_load_fonts(pdf, fonts_path.data)) != PL_OK)
        goto done;
    data = pl_tpl_data_new();
    if (!data) {
        st = PL_ERR_NOMEM;
        goto done;
    }
    struct pl_circular_input in = {
        .tasks = &t.tasks,
        .units = &t.units,
        .cycles = &t.cycles,
        .document = &t.document,
        .indicators = &t.indicators,
        .rated = &t.rated,
        .ranks = &t.ranks,
        .cycle = o->cycle,
        .leader = o->leader,
        .unit = o->unit,
        .colour = o->colour,
        .tasks_list = o->tasks,
        .title = o->title,
        .number = o->number,
        .date = o->date,
        .epoch = o->epoch,
        .covers = covers,
        .covers_ctx = pdf,
    };
    long long when = 0;
    if ((st = pl_circular_build(&in, data, &when, diag)) != PL_OK)
        goto done;
    if ((st = pl_tpl_render(tpl.data, tpl.len, tpl_path.data, data, pl_typeset_escape, &markup,
                            diag)) != PL_OK)
        goto done;
    if (o->markup && (st = write_markup(o->markup, &markup, diag)) != PL_OK)
        goto done;
    /* The markup is all the pages need: the tables and the template data go before the
     * pages are set, so that their memory is reused rather than added to (a province's
     * circular held both, 260 MB). */
    pl_tpl_data_free(data);
    data = NULL;
    free_tables(&t);
    /* The markup is set where it lies (pl_typeset_in_place): not copied a second time. */
    if ((st = pl_typeset_in_place(pdf, markup.data ? markup.data : (char[]){""}, markup.len,
                                  tpl_path.data, when, diag)) != PL_OK)
        goto done;
    /* Set, the markup is of no more use: gone before the fonts are cut and the file written. */
    pl_buf_fini(&markup);
    st = write_output(pdf, o->output, diag);
done:
    pl_tpl_data_free(data);
    pl_pdf_free(pdf);
    free_tables(&t);
    pl_buf_fini(&tpl_path);
    pl_buf_fini(&fonts_path);
    pl_buf_fini(&tpl);
    pl_buf_fini(&markup);
    return st;
}
