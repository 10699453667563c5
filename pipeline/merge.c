/* merge — one row per demanded (task, host). */
#include "merge.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <uthash.h>

#include "check.h"
#include "fields.h"

const char *const pl_merge_columns[] = {
    "task_id", "unit",   "group",   "owner",  "phone",       "progress", "status",
    "value",   "narrative", "problems", "next_steps", "reported_on", "late", "missing",
    "flags",   "source", "line",    "indicators", "notes",
};
const size_t pl_merge_column_count = sizeof pl_merge_columns / sizeof pl_merge_columns[0];

/* The valid-record columns a merge reads. */
enum col {
    C_CYCLE, C_SOURCE, C_LINE, C_TASK, C_UNIT, C_OWNER, C_PHONE, C_PROGRESS, C_STATUS, C_VALUE,
    C_METRIC, C_NARRATIVE, C_PROBLEMS, C_NEXT, C_DATE, C_ROLE, C_LATE, C_FLAGS, C_COUNT
};
static const char *const col_names[C_COUNT] = {
    "cycle", "source", "line", "task_id", "unit", "owner", "phone", "progress", "status", "value",
    "metric", "narrative", "problems", "next_steps", "reported_on", "role", "late", "flags",
};

/* The latest return for one (task, unit, metric). */
struct entry {
    char *key;
    char *cells[C_COUNT];
    unsigned long arrival;
    bool resubmitted; /* an earlier return was replaced by this one */
    UT_hash_handle hh;
};

struct merger {
    const struct pl_catalog *catalog;
    struct pl_csv_writer *out, *superseded;
    struct pl_diag *diag;
    struct pl_merge_stats *stats;
    const char *in_name;
    bool have_header;
    int col[C_COUNT];
    size_t ncols;
    struct entry *entries;
    struct pl_buf key;
    unsigned long arrival;
};

static void make_key(struct pl_buf *key, const char *task, const char *unit, const char *metric)
{
    pl_buf_clear(key);
    pl_buf_printf(key, "%s\x1F%s\x1F%s", task, unit, metric);
}

static void free_entry(struct entry *e)
{
    free(e->key);
    free(e->cells[0]);
    free(e);
}

static struct entry *find(struct merger *m, const char *task, const char *unit,
                          const char *metric)
{
    make_key(&m->key, task, unit, metric);
    struct entry *e;
    HASH_FIND_STR(m->entries, m->key.data, e);
    return e;
}

static void write_superseded_cells(struct merger *m, char *const *cells)
{
    if (!m->superseded)
        return;
    /* The valid-record columns, in their order. */
    for (int c = 0; c < C_COUNT; c++)
        pl_csv_write_str(m->superseded, cells[c]);
    pl_csv_end_row(m->superseded);
}

static enum pl_status on_header(struct merger *m, const struct pl_csv_row *row)
{
    m->ncols = row->count;
    struct pl_buf missing;
    pl_buf_init(&missing);
    for (int c = 0; c < C_COUNT; c++) {
        m->col[c] = -1;
        for (size_t i = 0; i < row->count; i++) {
            const char *name = row->cells[i];
            if (i == 0 && row->lens[i] >= 3 && memcmp(name, "\xEF\xBB\xBF", 3) == 0)
                name += 3;
            if (strcmp(name, col_names[c]) == 0) {
                m->col[c] = (int)i;
                break;
            }
        }
        if (m->col[c] < 0)
            pl_buf_printf(&missing, "%s%s", missing.len ? "," : "", col_names[c]);
    }
    if (missing.len) {
        pl_diag_report(m->diag, m->in_name, row->line, 0, "E_NOT_VALID_RECORDS",
                       "输入不是ducha-check的有效记录流：缺少列 %s", missing.data);
        pl_buf_fini(&missing);
        return PL_ERR_DATA;
    }
    pl_buf_fini(&missing);
    pl_csv_write_row(m->out, pl_merge_columns, pl_merge_column_count);
    if (m->superseded)
        pl_csv_write_row(m->superseded, pl_check_valid_columns, pl_check_valid_count);
    m->have_header = true;
    return PL_OK;
}

static const char *row_cell(const struct merger *m, const struct pl_csv_row *row, enum col c)
{
    int i = m->col[c];
    return i >= 0 && (size_t)i < row->count ? row->cells[i] : "";
}

/* True when the return in CELLS is later than E's: by reported_on (ISO dates compare as
 * strings), then by arrival, which is later for the row being read. */
static bool later_than(char *const *cells, const struct entry *e)
{
    return strcmp(cells[C_DATE], e->cells[C_DATE]) >= 0;
}

static enum pl_status on_row(void *ctx, const struct pl_csv_row *row)
{
    struct merger *m = ctx;
    if (!m->have_header)
        return on_header(m, row);
    if (row->problem != PL_CSV_ROW_OK) {
        pl_diag_report(m->diag, m->in_name, row->line, 0, "E_NOT_VALID_RECORDS",
                       "有效记录流第%lu行已损坏", row->line);
        return PL_ERR_DATA;
    }
    m->stats->rows++;
    /* The row's cells in one block (cells[0] owns it): a million rows, a million allocations
     * rather than seventeen million. */
    char *cells[C_COUNT];
    size_t total = 0;
    for (int c = 0; c < C_COUNT; c++)
        total += strlen(row_cell(m, row, (enum col)c)) + 1;
    char *block = malloc(total);
    if (!block)
        return PL_ERR_NOMEM;
    for (int c = 0; c < C_COUNT; c++) {
        const char *v = row_cell(m, row, (enum col)c);
        size_t n = strlen(v) + 1;
        memcpy(block, v, n);
        cells[c] = block;
        block += n;
    }
    struct entry *e = find(m, cells[C_TASK], cells[C_UNIT], cells[C_METRIC]);
    if (!e) {
        e = calloc(1, sizeof *e);
        char *key = strdup(m->key.data);
        if (!e || !key) {
            free(e);
            free(key);
            free(cells[0]);
            return PL_ERR_NOMEM;
        }
        e->key = key;
        memcpy(e->cells, cells, sizeof cells);
        e->arrival = ++m->arrival;
        HASH_ADD_KEYPTR(hh, m->entries, e->key, strlen(e->key), e);
        return PL_OK;
    }
    /* Two returns for the same task, unit and indicator: keep the later, set the other aside. */
    m->stats->superseded++;
    char **kept = cells;
    if (later_than(cells, e)) {
        write_superseded_cells(m, e->cells);
        pl_diag_report(m->diag, e->cells[C_SOURCE], strtoul(e->cells[C_LINE], NULL, 10), 0,
                       "W_SUPERSEDED", "%s第%s项的这一行已被%s第%s行的报送取代", e->cells[C_UNIT],
                       e->cells[C_TASK], cells[C_SOURCE], cells[C_LINE]);
        free(e->cells[0]);
        memcpy(e->cells, cells, sizeof cells);
        e->arrival = ++m->arrival;
    } else {
        write_superseded_cells(m, cells);
        pl_diag_report(m->diag, cells[C_SOURCE], strtoul(cells[C_LINE], NULL, 10), 0,
                       "W_SUPERSEDED", "%s第%s项的这一行早于%s第%s行的报送，已被其取代",
                       cells[C_UNIT], cells[C_TASK], e->cells[C_SOURCE], e->cells[C_LINE]);
        free(kept[0]);
    }
    e->resubmitted = true;
    if (pl_csv_writer_status(m->out) != PL_OK ||
        (m->superseded && pl_csv_writer_status(m->superseded) != PL_OK))
        return PL_ERR_IO;
    return PL_OK;
}

static bool is_demanded_host(const struct pl_catalog *c, const struct pl_task *t, size_t i)
{
    const struct pl_unit *u = pl_catalog_find_unit(c, t->hosts.v[i]);
    if (!u || u->kind == PL_UNIT_COLLECTIVE)
        return false;
    for (size_t j = 0; j < i; j++)
        if (strcmp(t->hosts.v[j], t->hosts.v[i]) == 0)
            return false;
    return true;
}

/* Co-units' reports on TASK, as "unit：narrative" lines, in order of arrival. */
static void collect_notes(struct merger *m, const struct pl_task *task, struct pl_buf *notes)
{
    /* Entries are few per task; a pass over all of them keeps the code simple and the output
     * in arrival order. */
    unsigned long last = 0;
    for (;;) {
        struct entry *next = NULL, *e;
        for (e = m->entries; e; e = e->hh.next)
            if (strcmp(e->cells[C_TASK], task->id) == 0 && strcmp(e->cells[C_ROLE], "cohost") == 0 &&
                e->arrival > last && (!next || e->arrival < next->arrival))
                next = e;
        if (!next)
            break;
        last = next->arrival;
        pl_buf_printf(notes, "%s%s（协办）：%s", notes->len ? "\n" : "", next->cells[C_UNIT],
                      next->cells[C_NARRATIVE][0] ? next->cells[C_NARRATIVE] : "（无进展说明）");
        m->stats->notes++;
    }
}

/* An indicator row's progress derived from its value, where the indicator's comparator makes
 * the share meaningful: a target to reach (≥, >, =: min(100, value/target×100)); never for ≤
 * (a ceiling) or 约 (a rate around a figure). False when it cannot be derived. */
static bool progress_from_value(const struct pl_indicator *x, const char *value, double *out)
{
    if (!value[0] || (strcmp(x->comparator, ">=") && strcmp(x->comparator, ">") &&
                      strcmp(x->comparator, "=")))
        return false;
    char *end;
    double target = strtod(x->value, &end);
    if (end == x->value || *end || !(target > 0))
        return false;
    double v = strtod(value, &end);
    if (end == value || *end || v < 0)
        return false;
    *out = v / target * 100 > 100 ? 100 : v / target * 100;
    return true;
}

/* Appends to TEXT an indicator row's own TEXT_OF_ROW, as "metric：text" on a line of its own,
 * unless it is empty or says what TEXT already holds (DESIGN.md: the indicator rows' own text
 * is kept, never dropped). */
static void keep_text(struct pl_buf *text, const char *main, const char *metric,
                      const char *own)
{
    if (!own[0] || strcmp(own, main) == 0)
        return;
    struct pl_buf line;
    pl_buf_init(&line);
    pl_buf_printf(&line, "%s：%s", metric, own);
    if (!strstr(text->data, line.data))
        pl_buf_printf(text, "%s%s", text->len ? "\n" : "", line.data);
    pl_buf_fini(&line);
}

static void write_pair(struct merger *m, const struct pl_task *task, const struct pl_unit *unit,
                       const char *notes)
{
    struct pl_csv_writer *w = m->out;
    const char *group = pl_unit_kind_group(unit->kind);
    struct entry *base = find(m, task->id, unit->name, "");
    struct pl_buf indicators, progress, flags;
    pl_buf_init(&indicators);
    pl_buf_init(&progress);
    pl_buf_init(&flags);
    double sum = 0;
    int counted = 0, derived = 0;
    bool late = base && strcmp(base->cells[C_LATE], "1") == 0;
    bool resubmitted = base && base->resubmitted;
    struct entry *latest_indicator = NULL;
    for (size_t i = 0; i < m->catalog->nindicators; i++) {
        const struct pl_indicator *x = &m->catalog->indicators[i];
        if (strcmp(x->task_id, task->id) != 0)
            continue;
        struct entry *e = find(m, task->id, unit->name, x->metric);
        if (!e)
            continue;
        if (e->cells[C_VALUE][0])
            pl_buf_printf(&indicators, "%s%s=%s", indicators.len ? "|" : "", x->metric,
                          e->cells[C_VALUE]);
        double share;
        if (e->cells[C_PROGRESS][0]) {
            sum += strtod(e->cells[C_PROGRESS], NULL);
            counted++;
        } else if (progress_from_value(x, e->cells[C_VALUE], &share)) {
            /* The form's indicator rows ask for the value only. */
            sum += share;
            counted++;
            derived++;
        }
        late = late || strcmp(e->cells[C_LATE], "1") == 0;
        resubmitted = resubmitted || e->resubmitted;
        if (!latest_indicator || strcmp(e->cells[C_DATE], latest_indicator->cells[C_DATE]) > 0 ||
            (strcmp(e->cells[C_DATE], latest_indicator->cells[C_DATE]) == 0 &&
             e->arrival > latest_indicator->arrival))
            latest_indicator = e;
    }
    struct entry *row = base ? base : latest_indicator;
    /* The text: the task-level row's, then what the indicator rows say besides, each under
     * its metric; without a task-level row, the indicator rows' text, under its metric unless
     * they all say the same. */
    static const enum col text_cols[] = {C_NARRATIVE, C_PROBLEMS, C_NEXT};
    struct pl_buf text[3];
    for (int t = 0; t < 3; t++) {
        pl_buf_init(&text[t]);
        const char *main = base ? base->cells[text_cols[t]] : "";
        if (!base && row) {
            main = row->cells[text_cols[t]];
            for (size_t i = 0; i < m->catalog->nindicators && main[0]; i++) {
                const struct pl_indicator *x = &m->catalog->indicators[i];
                struct entry *e =
                    strcmp(x->task_id, task->id) ? NULL : find(m, task->id, unit->name, x->metric);
                if (e && e->cells[text_cols[t]][0] && strcmp(e->cells[text_cols[t]], main))
                    main = "";
            }
        }
        pl_buf_append_str(&text[t], main);
        for (size_t i = 0; row && i < m->catalog->nindicators; i++) {
            const struct pl_indicator *x = &m->catalog->indicators[i];
            if (strcmp(x->task_id, task->id) != 0)
                continue;
            struct entry *e = find(m, task->id, unit->name, x->metric);
            if (e)
                keep_text(&text[t], main, x->metric, e->cells[text_cols[t]]);
        }
    }
    bool from_indicators = false;
    if (base && base->cells[C_PROGRESS][0])
        pl_buf_append_str(&progress, base->cells[C_PROGRESS]);
    else if (counted) {
        pl_field_format_number(&progress, (double)(long)(sum / counted * 10 + 0.5) / 10);
        from_indicators = true;
    }
    if (row) {
        pl_buf_append_str(&flags, row->cells[C_FLAGS]);
        if (from_indicators && counted > derived)
            pl_buf_printf(&flags, "%sW_PROGRESS_FROM_INDICATORS", flags.len ? "|" : "");
        if (from_indicators && derived)
            pl_buf_printf(&flags, "%sW_PROGRESS_FROM_VALUES", flags.len ? "|" : "");
        if (!progress.len)
            pl_buf_printf(&flags, "%sW_NO_PROGRESS", flags.len ? "|" : "");
        if (resubmitted)
            pl_buf_printf(&flags, "%sW_RESUBMITTED", flags.len ? "|" : "");
        m->stats->reported++;
    } else {
        m->stats->missing++;
    }
    m->stats->pairs++;
    pl_csv_write_str(w, task->id);
    pl_csv_write_str(w, unit->name);
    pl_csv_write_str(w, group ? group : "");
    pl_csv_write_str(w, row ? row->cells[C_OWNER] : "");
    pl_csv_write_str(w, row ? row->cells[C_PHONE] : "");
    pl_csv_write_str(w, progress.data);
    pl_csv_write_str(w, row ? row->cells[C_STATUS] : "未报送");
    pl_csv_write_str(w, base ? base->cells[C_VALUE] : "");
    for (int t = 0; t < 3; t++)
        pl_csv_write_str(w, text[t].data);
    pl_csv_write_str(w, row ? row->cells[C_DATE] : "");
    pl_csv_write_str(w, late ? "1" : "0");
    pl_csv_write_str(w, row ? "0" : "1");
    pl_csv_write_str(w, flags.data);
    pl_csv_write_str(w, row ? row->cells[C_SOURCE] : "");
    pl_csv_write_str(w, row ? row->cells[C_LINE] : "");
    pl_csv_write_str(w, indicators.data);
    pl_csv_write_str(w, notes);
    pl_csv_end_row(w);
    for (int t = 0; t < 3; t++)
        pl_buf_fini(&text[t]);
    pl_buf_fini(&indicators);
    pl_buf_fini(&progress);
    pl_buf_fini(&flags);
}

enum pl_status pl_merge_stream(FILE *in, const char *in_name, const struct pl_catalog *catalog,
                               struct pl_csv_writer *out, struct pl_csv_writer *superseded,
                               struct pl_diag *diag, struct pl_merge_stats *stats)
{
    memset(stats, 0, sizeof *stats);
    struct merger m = {
        .catalog = catalog, .out = out, .superseded = superseded, .diag = diag,
        .stats = stats, .in_name = in_name,
    };
    pl_buf_init(&m.key);
    enum pl_status st = pl_csv_read_stream(in, ',', on_row, &m);
    if (st == PL_OK && !m.have_header) {
        pl_diag_report(diag, in_name, 0, 0, "E_NOT_VALID_RECORDS", "输入是空的，没有有效记录流的表头");
        st = PL_ERR_DATA;
    }
    struct pl_buf notes;
    pl_buf_init(&notes);
    for (size_t t = 0; st == PL_OK && t < catalog->ntasks; t++) {
        const struct pl_task *task = &catalog->tasks[t];
        pl_buf_clear(&notes);
        collect_notes(&m, task, &notes);
        for (size_t h = 0; h < task->hosts.n; h++) {
            if (!is_demanded_host(catalog, task, h))
                continue;
            write_pair(&m, task, pl_catalog_find_unit(catalog, task->hosts.v[h]), notes.data);
        }
        if (pl_csv_writer_status(out) != PL_OK)
            st = PL_ERR_IO;
    }
    pl_buf_fini(&notes);
    struct entry *e, *tmp;
    HASH_ITER(hh, m.entries, e, tmp) {
        HASH_DEL(m.entries, e);
        free_entry(e);
    }
    pl_buf_fini(&m.key);
    return st;
}
