/* rate — expected progress, gap, colour, reason and arrow for each merged row. */
#include "rate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "fields.h"
#include "text.h"

const char *const pl_merged_columns[] = {
    "task_id", "unit",      "group",    "owner",      "phone",       "progress", "status",
    "value",   "narrative", "problems", "next_steps", "reported_on", "late",     "missing",
    "flags",   "source",    "line",     "indicators", "notes",
};
const size_t pl_merged_count = sizeof pl_merged_columns / sizeof pl_merged_columns[0];

const char *const pl_rated_columns[] = {"expected", "gap",           "colour",
                                        "reason",   "prev_progress", "arrow"};
const size_t pl_rated_count = sizeof pl_rated_columns / sizeof pl_rated_columns[0];

/* Indexes into pl_merged_columns of the cells rating reads or rewrites. */
enum {
    M_TASK_ID = 0,
    M_UNIT = 1,
    M_GROUP = 2,
    M_PROGRESS = 5,
    M_REPORTED_ON = 11,
    M_LATE = 12,
    M_MISSING = 13,
    M_FLAGS = 14,
    M_COUNT = 19
};

static const char *const colour_names[PL_COLOUR_COUNT] = {"blue", "yellow", "red"};

const char *pl_colour_name(enum pl_colour colour)
{
    return (unsigned)colour < PL_COLOUR_COUNT ? colour_names[colour] : "";
}

bool pl_colour_parse(const char *s, enum pl_colour *colour)
{
    for (int c = 0; c < PL_COLOUR_COUNT; c++) {
        if (strcmp(s, colour_names[c]) == 0) {
            *colour = (enum pl_colour)c;
            return true;
        }
    }
    return false;
}

const char *pl_arrow_name(enum pl_arrow arrow)
{
    static const char *const names[] = {"", "up", "down", "same", "new"};
    return (unsigned)arrow <= PL_ARROW_NEW ? names[arrow] : "";
}

/* Progress and expected progress carry a few decimals; differences are rounded so that
 * 49.6 - 29.6 is exactly 20 points, on the boundary, not 19.999999999999996. */
static double round6(double v)
{
    double r = round(v * 1e6) / 1e6;
    return r == 0 ? 0 : r;
}

/* ---- the cycle ------------------------------------------------------------------------ */

double pl_rate_elapsed_share(long start, long deadline)
{
    int y, m, d;
    pl_date_to_civil(start, &y, &m, &d);
    long jan1 = pl_date_from_civil(y, 1, 1);
    long days_in_year = pl_date_from_civil(y + 1, 1, 1) - jan1;
    double share = (double)(deadline - jan1 + 1) / (double)days_in_year * 100.0;
    if (share > 100)
        share = 100;
    if (share < 0)
        share = 0;
    return round(share * 10) / 10;
}

static bool parse_day(const char *s, long *day)
{
    enum pl_field_error why;
    return pl_date_parse(s, strlen(s), day, &why) == PL_OK;
}

/* Whether the cycle starting on START is one of the year's first: no cycle of cycles.csv
 * starts earlier in the same year, wherever its row stands (H1 and Q1 both start on 1
 * January; a week in March is not a first cycle). */
static bool first_of_year(const struct pl_catalog *c, long start)
{
    int y, m, d;
    pl_date_to_civil(start, &y, &m, &d);
    for (size_t i = 0; i < c->ncycles; i++) {
        long s;
        int y2;
        if (!parse_day(c->cycles[i].start, &s))
            continue;
        pl_date_to_civil(s, &y2, &m, &d);
        if (y2 == y && s < start)
            return false;
    }
    return true;
}

enum pl_status pl_rate_cycle_setup(struct pl_rate_cycle *out, const struct pl_catalog *c,
                                   const char *catalog_dir, const char *id,
                                   const struct pl_rules *r, struct pl_diag *diag)
{
    struct pl_buf where;
    pl_buf_init(&where);
    enum pl_status st = pl_buf_printf(&where, "%s/cycles.csv", catalog_dir);
    if (st != PL_OK)
        goto done;
    st = PL_ERR_CONFIG;
    const struct pl_cycle *cy = pl_catalog_find_cycle(c, id);
    if (!cy) {
        pl_diag_report(diag, where.data, 0, 0, "E_CYCLE_UNKNOWN", "报送周期“%s”不在cycles.csv中",
                       id);
        goto done;
    }
    long start;
    if (!parse_day(cy->start, &start) || !parse_day(cy->deadline, &out->deadline)) {
        pl_diag_report(diag, where.data, 0, 0, "E_CATALOG_CYCLE",
                       "报送周期%s的开始日期“%s”或报送期限“%s”不是日期", id, cy->start,
                       cy->deadline);
        goto done;
    }
    out->id = cy->id;
    const struct pl_rules_expected *e = pl_rules_expected_for(r, id);
    if (e) {
        out->expected = e->expected;
    } else if (r->expected_from == PL_EXPECTED_CATALOG && cy->expected && *cy->expected) {
        enum pl_field_error why;
        double v;
        if (pl_field_parse_progress(cy->expected, strlen(cy->expected), PL_PROGRESS_SMALL_POINTS,
                                    &v, &why) != PL_OK ||
            v <= 0) {
            pl_diag_report(diag, where.data, 0, 0, "E_CATALOG_CYCLE",
                           "报送周期%s的序时进度“%s”应为大于0且不超过100的数", id, cy->expected);
            goto done;
        }
        out->expected = v;
    } else {
        out->expected = pl_rate_elapsed_share(start, out->deadline);
    }
    if (r->first_cycle) {
        if (!pl_catalog_find_cycle(c, r->first_cycle)) {
            pl_diag_report(diag, r->first_cycle_file, r->first_cycle_line, 0,
                           "E_RULES_UNKNOWN_CYCLE", "[progress] first_cycle = %s 不在%s中",
                           r->first_cycle, where.data);
            goto done;
        }
        out->first = strcmp(r->first_cycle, id) == 0;
    } else {
        out->first = first_of_year(c, start);
    }
    st = PL_OK;
done:
    pl_buf_fini(&where);
    return st;
}

double pl_rate_due_expected(const struct pl_rate_cycle *cy, long due)
{
    int y, m, d;
    pl_date_to_civil(cy->deadline, &y, &m, &d);
    long jan1 = pl_date_from_civil(y, 1, 1);
    if (due <= jan1 || cy->deadline >= due)
        return 100;
    double share = (double)(cy->deadline - jan1 + 1) / (double)(due - jan1 + 1) * 100.0;
    if (share > 100)
        share = 100;
    if (share < 0)
        share = 0;
    return round(share * 10) / 10;
}

double pl_rate_task_expected(const struct pl_rate_cycle *cy, long due)
{
    double by_due = pl_rate_due_expected(cy, due);
    return by_due > cy->expected ? by_due : cy->expected;
}

/* ---- one row -------------------------------------------------------------------------- */

static enum pl_colour colour_by_gap(const struct pl_rules *r, double behind)
{
    if (behind <= round6(r->blue_tolerance))
        return PL_COLOUR_BLUE;
    if (behind >= round6(r->red_behind))
        return PL_COLOUR_RED;
    return PL_COLOUR_YELLOW;
}

static enum pl_status points(struct pl_buf *reason, const char *before, double v, const char *after)
{
    enum pl_status st = pl_buf_append_str(reason, before);
    if (st == PL_OK)
        st = pl_field_format_number(reason, v);
    if (st == PL_OK)
        st = pl_buf_append_str(reason, after);
    return st;
}

enum pl_status pl_rate_judge(const struct pl_rules *r, const struct pl_rate_cycle *cy,
                             const struct pl_rate_input *in, struct pl_rating *out,
                             struct pl_buf *reason)
{
    enum pl_status st;
    bool unknown = in->missing || in->returned || in->no_progress;
    double progress = unknown ? 0 : in->progress;
    double behind = round6(cy->expected - progress);
    out->has_gap = !unknown;
    out->gap = out->has_gap ? behind : 0;
    bool not_started = r->not_started_red && !cy->first && progress <= 0;
    if (in->returned) {
        out->colour = r->returned_red || not_started ? PL_COLOUR_RED : colour_by_gap(r, behind);
        st = pl_buf_append_str(reason, "报送内容有误，已退回修改");
    } else if (in->missing) {
        out->colour = r->missing_red || not_started ? PL_COLOUR_RED : colour_by_gap(r, behind);
        st = pl_buf_append_str(reason, "未报送");
    } else if (in->no_progress) {
        out->colour = r->no_progress_red || not_started ? PL_COLOUR_RED : colour_by_gap(r, behind);
        st = pl_buf_append_str(reason, "仅报送指标完成值，无法计算进度");
    } else if (progress >= r->done_at) {
        out->colour = PL_COLOUR_BLUE;
        st = pl_buf_append_str(reason, "已完成");
    } else if (not_started) {
        out->colour = PL_COLOUR_RED;
        st = pl_buf_append_str(reason, "未启动");
    } else {
        out->colour = colour_by_gap(r, behind);
        if (behind > 0)
            st = points(reason, "进度滞后", behind, "个百分点");
        else if (behind < 0)
            st = points(reason, "超序时进度", -behind, "个百分点");
        else
            st = pl_buf_append_str(reason, "达到序时进度");
    }
    if (st == PL_OK && in->late) {
        st = pl_buf_append_str(reason, "；逾期报送");
        if (r->late_red)
            out->colour = PL_COLOUR_RED;
    }
    return st;
}

enum pl_arrow pl_rate_arrow(bool found, bool prev_known, double prev, bool cur_known, double cur)
{
    if (!found)
        return PL_ARROW_NEW;
    if (!prev_known || !cur_known)
        return PL_ARROW_NONE;
    double d = round6(cur - prev);
    return d > 0 ? PL_ARROW_UP : d < 0 ? PL_ARROW_DOWN : PL_ARROW_SAME;
}

/* ---- the previous cycle --------------------------------------------------------------- */

struct prev_key {
    const char *task_id;
    const char *unit;
    size_t row;
};

static int prev_cmp(const void *a, const void *b)
{
    const struct prev_key *x = a, *y = b;
    int c = strcmp(x->task_id, y->task_id);
    if (c == 0)
        c = strcmp(x->unit, y->unit);
    if (c == 0)
        c = x->row < y->row ? -1 : x->row > y->row;
    return c;
}

enum pl_status pl_rate_check_previous(const struct pl_table *previous, struct pl_diag *diag)
{
    static const char *const need[] = {"task_id", "unit", "progress", "missing"};
    return pl_table_require(previous, need, sizeof need / sizeof need[0], diag);
}

/* ---- the stream ----------------------------------------------------------------------- */

struct rater {
    const struct pl_rate_options *opt;
    struct pl_csv_writer *out, *rejects;
    struct pl_diag *diag;
    struct pl_rate_stats *stats;
    const char *in_name;
    bool have_header;
    size_t width;
    int col[M_COUNT];
    int *extra; /* input columns passed through after the rated ones */
    size_t nextra;
    struct prev_key *prev; /* sorted */
    size_t nprev;
    int prev_progress_col, prev_missing_col;
    int id_col, due_col; /* in opt->tasks */
    struct pl_buf reason, num, scratch;
    enum pl_status status;
};

static const char *cell(const struct pl_csv_row *row, int col)
{
    return col >= 0 && (size_t)col < row->count ? row->cells[col] : "";
}

static size_t cell_len(const struct pl_csv_row *row, int col)
{
    return col >= 0 && (size_t)col < row->count ? row->lens[col] : 0;
}

static bool is_rated_name(const char *name)
{
    for (size_t i = 0; i < pl_rated_count; i++)
        if (strcmp(name, pl_rated_columns[i]) == 0)
            return true;
    return false;
}

/* Header cell I, without the BOM Excel glues to the first one. */
static const char *header_name(const struct pl_csv_row *row, size_t i)
{
    if (i == 0 && row->lens[0] >= 3 && memcmp(row->cells[0], "\xEF\xBB\xBF", 3) == 0)
        return row->cells[0] + 3;
    return row->cells[i];
}

static enum pl_status on_header(struct rater *k, const struct pl_csv_row *row)
{
    for (int i = 0; i < M_COUNT; i++)
        k->col[i] = -1;
    k->width = row->count;
    k->extra = calloc(row->count ? row->count : 1, sizeof *k->extra);
    if (!k->extra)
        return PL_ERR_NOMEM;
    for (size_t i = 0; i < row->count; i++) {
        const char *name = header_name(row, i);
        bool known = false;
        for (int m = 0; m < M_COUNT; m++) {
            if (strcmp(name, pl_merged_columns[m]) == 0) {
                known = true;
                if (k->col[m] < 0)
                    k->col[m] = (int)i;
            }
        }
        if (!known && !is_rated_name(name))
            k->extra[k->nextra++] = (int)i;
    }
    struct pl_buf missing;
    pl_buf_init(&missing);
    enum pl_status st = PL_OK;
    for (int m = 0; st == PL_OK && m < M_COUNT; m++)
        if (k->col[m] < 0)
            st = pl_buf_printf(&missing, "%s%s", missing.len ? "," : "", pl_merged_columns[m]);
    if (st == PL_OK && missing.len) {
        pl_diag_report(k->diag, k->in_name, row->line, 0, "E_MISSING_COLUMN",
                       "输入不是ducha-merge的合并流：缺少列 %s", missing.data);
        st = PL_ERR_DATA;
    }
    pl_buf_fini(&missing);
    if (st != PL_OK)
        return st;
    for (size_t i = 0; i < pl_merged_count; i++)
        pl_csv_write_str(k->out, pl_merged_columns[i]);
    for (size_t i = 0; i < pl_rated_count; i++)
        pl_csv_write_str(k->out, pl_rated_columns[i]);
    for (size_t i = 0; i < k->nextra; i++)
        pl_csv_write_str(k->out, header_name(row, (size_t)k->extra[i]));
    pl_csv_end_row(k->out);
    if (k->rejects) {
        for (size_t i = 0; i < row->count; i++)
            pl_csv_write_str(k->rejects, header_name(row, i));
        pl_csv_write_row(k->rejects, (const char *const[]){"code", "column", "error"}, 3);
    }
    k->have_header = true;
    return PL_OK;
}

static void reject(struct rater *k, const struct pl_csv_row *row, const char *code,
                   const char *column, const char *message)
{
    pl_diag_report(k->diag, k->in_name, row->line, 0, code, "%s", message);
    k->stats->rejected++;
    if (!k->rejects)
        return;
    for (size_t i = 0; i < k->width; i++)
        pl_csv_write_cell(k->rejects, cell(row, (int)i), cell_len(row, (int)i));
    pl_csv_write_str(k->rejects, code);
    pl_csv_write_str(k->rejects, column);
    pl_csv_write_str(k->rejects, message);
    pl_csv_end_row(k->rejects);
}

/* A 0|1 cell; blank reads 0. */
static bool parse_flag(const char *s, bool *v)
{
    if (!*s || strcmp(s, "0") == 0) {
        *v = false;
        return true;
    }
    if (strcmp(s, "1") == 0) {
        *v = true;
        return true;
    }
    return false;
}

static const struct prev_key *find_prev(const struct rater *k, const char *task_id,
                                        const char *unit)
{
    size_t lo = 0, hi = k->nprev;
    struct prev_key key = {task_id, unit, 0};
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (prev_cmp(&k->prev[mid], &key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < k->nprev && strcmp(k->prev[lo].task_id, task_id) == 0 &&
        strcmp(k->prev[lo].unit, unit) == 0)
        return &k->prev[lo];
    return NULL;
}

/* The group of the row's unit under the rules, or the merged group when the catalog does not
 * say. */
static const char *group_of(struct rater *k, const struct pl_csv_row *row)
{
    const char *unit = cell(row, k->col[M_UNIT]);
    const char *merged = cell(row, k->col[M_GROUP]);
    const struct pl_unit *u = pl_catalog_find_unit(k->opt->catalog, unit);
    if (!u) {
        pl_diag_report(k->diag, k->in_name, row->line, 0, "W_UNKNOWN_UNIT",
                       "单位“%s”不在units.csv中，沿用合并流中的分组“%s”", unit, merged);
        return merged;
    }
    const char *g = pl_rules_group_of(k->opt->rules, u->kind);
    if (!g) {
        pl_diag_report(k->diag, k->in_name, row->line, 0, "W_COLLECTIVE_HOST",
                       "“%s”是集合名称，不参加排名分组，沿用合并流中的分组“%s”", unit, merged);
        return merged;
    }
    return g;
}

/* True when the |-joined FLAGS hold FLAG. */
static bool has_flag(const char *flags, const char *flag)
{
    size_t n = strlen(flag);
    for (const char *p = flags; (p = strstr(p, flag)) != NULL; p += n)
        if ((p == flags || p[-1] == '|') && (p[n] == '\0' || p[n] == '|'))
            return true;
    return false;
}

/* The own due date of TASK_ID, if it has one that reads: the catalog's (tasks.csv due under
 * either header, 截止日期 included, in any encoding the catalog reads), else the due column of
 * the tasks table the caller passed. */
static bool due_of(const struct rater *k, const char *task_id, long *day)
{
    const struct pl_task *task =
        k->opt->catalog ? pl_catalog_find_task(k->opt->catalog, task_id) : NULL;
    if (task && task->due && *task->due)
        return parse_day(task->due, day);
    const struct pl_table *t = k->opt->tasks;
    if (!t || k->due_col < 0 || k->id_col < 0)
        return false;
    for (size_t i = 0; i < t->nrows; i++)
        if (strcmp(pl_table_get(t, i, k->id_col), task_id) == 0)
            return parse_day(pl_table_get(t, i, k->due_col), day);
    return false;
}

static bool parse_progress_cell(const char *s, double *v)
{
    enum pl_field_error why;
    return pl_field_parse_progress(s, strlen(s), PL_PROGRESS_SMALL_POINTS, v, &why) == PL_OK;
}

static enum pl_status rate_row(struct rater *k, const struct pl_csv_row *row)
{
    const struct pl_rate_options *opt = k->opt;
    size_t count = row->count;
    while (count > k->width && row->lens[count - 1] == 0)
        count--;
    pl_buf_clear(&k->scratch);
    if (row->problem != PL_CSV_ROW_OK) {
        reject(k, row, "E_CORRUPT_ROW", "",
               row->problem == PL_CSV_ROW_UNTERMINATED ? "这一行的引号没有闭合"
                                                       : "这一行不是UTF-8");
        return PL_OK;
    }
    if (count != k->width) {
        if (pl_buf_printf(&k->scratch, "这一行有%zu个单元格，表头有%zu列", count, k->width) !=
            PL_OK)
            return PL_ERR_NOMEM;
        reject(k, row, "E_RAGGED_ROW", "", k->scratch.data);
        return PL_OK;
    }
    struct pl_rate_input in = {0};
    bool merged_late;
    const char *missing_cell = cell(row, k->col[M_MISSING]);
    const char *late_cell = cell(row, k->col[M_LATE]);
    if (strcmp(missing_cell, "2") == 0) {
        in.returned = true;
    } else if (!parse_flag(missing_cell, &in.missing)) {
        if (pl_buf_printf(&k->scratch, "missing列应为0、1或2，而不是“%s”", missing_cell) != PL_OK)
            return PL_ERR_NOMEM;
        reject(k, row, "E_BAD_FLAG", "missing", k->scratch.data);
        return PL_OK;
    }
    if (!parse_flag(late_cell, &merged_late)) {
        if (pl_buf_printf(&k->scratch, "late列应为0或1，而不是“%s”", late_cell) != PL_OK)
            return PL_ERR_NOMEM;
        reject(k, row, "E_BAD_FLAG", "late", k->scratch.data);
        return PL_OK;
    }
    const char *progress_cell = cell(row, k->col[M_PROGRESS]);
    /* Empty means unknown: a return with only indicator values that give no share. */
    if (!in.missing && !in.returned &&
        pl_text_is_blank(progress_cell, cell_len(row, k->col[M_PROGRESS])))
        in.no_progress = true;
    if (!in.missing && !in.returned && !in.no_progress) {
        enum pl_field_error why;
        size_t plen = cell_len(row, k->col[M_PROGRESS]);
        enum pl_status st = pl_field_parse_progress(progress_cell, plen, PL_PROGRESS_SMALL_POINTS,
                                                    &in.progress, &why);
        if (st == PL_ERR_NOMEM)
            return st;
        if (st != PL_OK) {
            if (pl_field_error_message(&k->scratch, why, progress_cell, plen) != PL_OK)
                return PL_ERR_NOMEM;
            reject(k, row, pl_field_error_code(why), "progress", k->scratch.data);
            return PL_OK;
        }
    }
    /* ducha-merge sets late from any of the unit's rows for the task (an indicator row sent
     * after the deadline makes the pair late though its main row was on time), and the row's
     * reported_on is the main row's date only: the date may raise the flag, never clear it. */
    in.late = merged_late;
    long day;
    if (!merged_late && parse_day(cell(row, k->col[M_REPORTED_ON]), &day) &&
        day > opt->cycle->deadline) {
        in.late = true;
        pl_diag_report(k->diag, k->in_name, row->line, 0, "W_LATE_RECOMPUTED",
                       "填报日期%s晚于报送期限，late由0改为1", cell(row, k->col[M_REPORTED_ON]));
    }
    const char *task_id = cell(row, k->col[M_TASK_ID]);
    if (!pl_catalog_find_task(opt->catalog, task_id))
        pl_diag_report(k->diag, k->in_name, row->line, 0, "W_UNKNOWN_TASK",
                       "任务“%s”不在tasks.csv中", task_id);
    const char *group = group_of(k, row);
    struct pl_rating rating;
    pl_buf_clear(&k->reason);
    struct pl_rate_cycle cy = *opt->cycle;
    long due;
    if (due_of(k, task_id, &due))
        cy.expected = pl_rate_task_expected(opt->cycle, due);
    enum pl_status st = PL_OK;
    if (has_flag(cell(row, k->col[M_FLAGS]), "W_NOT_DEMANDED"))
        st = pl_buf_append_str(&k->reason, "不要求单独报送；");
    if (st == PL_OK)
        st = pl_rate_judge(opt->rules, &cy, &in, &rating, &k->reason);
    if (st != PL_OK)
        return st;

    const char *unit = cell(row, k->col[M_UNIT]);
    const char *prev_progress = "";
    enum pl_arrow arrow = PL_ARROW_NONE;
    if (opt->previous) {
        const struct prev_key *p = NULL;
        if (!opt->previous_year) {
            p = find_prev(k, task_id, unit);
        } else {
            /* Task 17 of this year is not task 17 of last year: only previous_id says which
             * task it was. */
            const struct pl_task *t = pl_catalog_find_task(opt->catalog, task_id);
            if (t && t->previous_id && *t->previous_id)
                p = find_prev(k, t->previous_id, unit);
        }
        double prev = 0;
        bool prev_known = false;
        if (p) {
            bool prev_missing = false;
            parse_flag(pl_table_get(opt->previous, p->row, k->prev_missing_col), &prev_missing);
            if (!prev_missing) {
                prev_progress = pl_table_get(opt->previous, p->row, k->prev_progress_col);
                prev_known = parse_progress_cell(prev_progress, &prev);
                if (!prev_known)
                    prev_progress = "";
            }
        }
        arrow = pl_rate_arrow(p != NULL, prev_known, prev,
                              !in.missing && !in.returned && !in.no_progress, in.progress);
    }

    for (int m = 0; m < M_COUNT; m++) {
        if (m == M_GROUP)
            pl_csv_write_str(k->out, group);
        else if (m == M_LATE)
            pl_csv_write_str(k->out, in.late ? "1" : "0");
        else if (m == M_MISSING)
            pl_csv_write_str(k->out, in.returned ? "2" : in.missing ? "1" : "0");
        else
            pl_csv_write_cell(k->out, cell(row, k->col[m]), cell_len(row, k->col[m]));
    }
    pl_buf_clear(&k->num);
    if ((st = pl_field_format_number(&k->num, cy.expected)) != PL_OK)
        return st;
    pl_csv_write_str(k->out, k->num.data);
    pl_buf_clear(&k->num);
    if (rating.has_gap && (st = pl_field_format_number(&k->num, rating.gap)) != PL_OK)
        return st;
    pl_csv_write_str(k->out, k->num.data);
    pl_csv_write_str(k->out, pl_colour_name(rating.colour));
    pl_csv_write_str(k->out, k->reason.data);
    pl_csv_write_str(k->out, prev_progress);
    pl_csv_write_str(k->out, pl_arrow_name(arrow));
    for (size_t i = 0; i < k->nextra; i++)
        pl_csv_write_cell(k->out, cell(row, k->extra[i]), cell_len(row, k->extra[i]));
    pl_csv_end_row(k->out);

    k->stats->rated++;
    k->stats->colours[rating.colour]++;
    k->stats->missing += in.missing;
    k->stats->returned += in.returned;
    k->stats->late += in.late;
    if (opt->on_rated) {
        struct pl_rated_row rr = {
            .task_id = task_id,
            .unit = unit,
            .colour = rating.colour,
            .missing = in.missing || in.returned,
            .returned = in.returned,
            .late = in.late,
            .reason = k->reason.data,
        };
        return opt->on_rated(opt->ctx, &rr);
    }
    return PL_OK;
}

static enum pl_status on_row(void *ctx, const struct pl_csv_row *row)
{
    struct rater *k = ctx;
    if (!k->have_header)
        return on_header(k, row);
    k->stats->rows++;
    enum pl_status st = rate_row(k, row);
    if (st == PL_OK && (pl_csv_writer_status(k->out) != PL_OK ||
                        (k->rejects && pl_csv_writer_status(k->rejects) != PL_OK)))
        st = PL_ERR_IO;
    return st;
}

static enum pl_status index_previous(struct rater *k)
{
    const struct pl_table *t = k->opt->previous;
    if (!t)
        return PL_OK;
    int task = pl_table_column(t, "task_id"), unit = pl_table_column(t, "unit");
    k->prev_progress_col = pl_table_column(t, "progress");
    k->prev_missing_col = pl_table_column(t, "missing");
    k->prev = calloc(t->nrows ? t->nrows : 1, sizeof *k->prev);
    if (!k->prev)
        return PL_ERR_NOMEM;
    for (size_t i = 0; i < t->nrows; i++)
        k->prev[i] = (struct prev_key){pl_table_get(t, i, task), pl_table_get(t, i, unit), i};
    k->nprev = t->nrows;
    qsort(k->prev, k->nprev, sizeof *k->prev, prev_cmp);
    for (size_t i = 1; i < k->nprev; i++)
        if (strcmp(k->prev[i].task_id, k->prev[i - 1].task_id) == 0 &&
            strcmp(k->prev[i].unit, k->prev[i - 1].unit) == 0)
            pl_diag_report(k->diag, t->source, t->lines[k->prev[i].row], 0, "W_PREVIOUS_DUPLICATE",
                           "任务%s、单位%s在上期文件中有两行，以第%lu行为准", k->prev[i].task_id,
                           k->prev[i].unit, t->lines[k->prev[i - 1].row]);
    return PL_OK;
}

enum pl_status pl_rate_stream(FILE *in, const char *in_name, struct pl_csv_writer *out,
                              struct pl_csv_writer *rejects, const struct pl_rate_options *opt,
                              struct pl_diag *diag, struct pl_rate_stats *stats)
{
    memset(stats, 0, sizeof *stats);
    struct rater k = {
        .opt = opt,
        .out = out,
        .rejects = rejects,
        .diag = diag,
        .stats = stats,
        .in_name = in_name,
        .status = PL_OK,
    };
    pl_buf_init(&k.reason);
    pl_buf_init(&k.num);
    pl_buf_init(&k.scratch);
    k.id_col = opt->tasks ? pl_table_column(opt->tasks, "id") : -1;
    k.due_col = opt->tasks ? pl_table_column(opt->tasks, "due") : -1;
    enum pl_status st = index_previous(&k);
    if (st == PL_OK)
        st = pl_csv_read_stream(in, ',', on_row, &k);
    if (st == PL_OK && !k.have_header) {
        pl_diag_report(diag, in_name, 0, 0, "E_EMPTY_INPUT", "输入是空的，没有合并流的表头");
        st = PL_ERR_DATA;
    }
    if (st == PL_OK &&
        (pl_csv_writer_status(out) != PL_OK || (rejects && pl_csv_writer_status(rejects) != PL_OK)))
        st = PL_ERR_IO;
    pl_buf_fini(&k.reason);
    pl_buf_fini(&k.num);
    pl_buf_fini(&k.scratch);
    free(k.extra);
    free(k.prev);
    return st;
}
