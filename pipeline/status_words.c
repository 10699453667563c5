/* status_words — the status synonyms table and status/progress relations. */
#include "status_words.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"

static const char *const canonical[PL_WORK_COUNT] = {
    [PL_WORK_DONE] = "已完成",
    [PL_WORK_ON_TRACK] = "序时推进",
    [PL_WORK_BEHIND] = "滞后",
    [PL_WORK_NOT_STARTED] = "未启动",
};

/* DESIGN.md, Rules: the whole default table. */
static const struct {
    const char *word;
    enum pl_work_status status;
} defaults[] = {
    {"已完成", PL_WORK_DONE},
    {"完成", PL_WORK_DONE},
    {"已办结", PL_WORK_DONE},
    {"办结", PL_WORK_DONE},
    {"提前完成", PL_WORK_DONE},
    {"done", PL_WORK_DONE},
    {"completed", PL_WORK_DONE},
    {"complete", PL_WORK_DONE},

    {"序时推进", PL_WORK_ON_TRACK},
    {"正常推进", PL_WORK_ON_TRACK},
    {"按序时推进", PL_WORK_ON_TRACK},
    {"有序推进", PL_WORK_ON_TRACK},
    {"达序时", PL_WORK_ON_TRACK},
    {"超序时", PL_WORK_ON_TRACK},
    {"达进度", PL_WORK_ON_TRACK},
    {"超进度", PL_WORK_ON_TRACK},
    {"推进中", PL_WORK_ON_TRACK},
    {"进行中", PL_WORK_ON_TRACK},
    {"正在办理", PL_WORK_ON_TRACK},
    {"正在推进", PL_WORK_ON_TRACK},
    {"on-track", PL_WORK_ON_TRACK},
    {"on track", PL_WORK_ON_TRACK},
    {"in progress", PL_WORK_ON_TRACK},
    {"in-progress", PL_WORK_ON_TRACK},

    {"滞后", PL_WORK_BEHIND},
    {"进展滞后", PL_WORK_BEHIND},
    {"进度滞后", PL_WORK_BEHIND},
    {"滞后序时", PL_WORK_BEHIND},
    {"慢序时", PL_WORK_BEHIND},
    {"未达序时", PL_WORK_BEHIND},
    {"欠进度", PL_WORK_BEHIND},
    {"进度缓慢", PL_WORK_BEHIND},
    {"behind", PL_WORK_BEHIND},
    {"lagging", PL_WORK_BEHIND},

    {"未启动", PL_WORK_NOT_STARTED},
    {"未开工", PL_WORK_NOT_STARTED},
    {"暂未启动", PL_WORK_NOT_STARTED},
    {"暂未开启", PL_WORK_NOT_STARTED},
    {"尚未启动", PL_WORK_NOT_STARTED},
    {"not started", PL_WORK_NOT_STARTED},
    {"not-started", PL_WORK_NOT_STARTED},
};

const char *pl_work_status_word(enum pl_work_status status)
{
    if ((unsigned)status >= PL_WORK_COUNT)
        return "";
    return canonical[status];
}

enum pl_status pl_work_status_by_word(const char *s, size_t len, enum pl_work_status *status)
{
    size_t a = 0, b = 0;
    if (s)
        pl_text_trim(s, len, &a, &b);
    for (int k = 0; k < PL_WORK_COUNT; k++) {
        if (strlen(canonical[k]) == b - a && memcmp(canonical[k], s + a, b - a) == 0) {
            *status = (enum pl_work_status)k;
            return PL_OK;
        }
    }
    return PL_ERR_DATA;
}

enum pl_work_status pl_work_status_from_progress(double progress)
{
    if (progress >= 100)
        return PL_WORK_DONE;
    if (progress <= 0)
        return PL_WORK_NOT_STARTED;
    return PL_WORK_ON_TRACK;
}

bool pl_work_status_contradicts(enum pl_work_status status, double progress)
{
    return (status == PL_WORK_DONE && progress < 100) ||
           (status == PL_WORK_NOT_STARTED && progress > 0);
}

void pl_status_table_init(struct pl_status_table *t)
{
    t->entries = NULL;
    t->len = 0;
    t->cap = 0;
}

void pl_status_table_fini(struct pl_status_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->len; i++)
        free(t->entries[i].key);
    free(t->entries);
    pl_status_table_init(t);
}

enum pl_status pl_status_table_init_default(struct pl_status_table *t)
{
    pl_status_table_init(t);
    for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++) {
        enum pl_status st = pl_status_table_add(t, defaults[i].word, defaults[i].status);
        if (st != PL_OK) {
            pl_status_table_fini(t);
            /* The defaults are all distinct and valid, so only memory can fail here. */
            return st == PL_ERR_NOMEM ? st : PL_ERR_INTERNAL;
        }
    }
    return PL_OK;
}

/* A linear search: the table has some forty words and a return a few hundred rows. */
static const struct pl_status_entry *find(const struct pl_status_table *t, const char *key)
{
    for (size_t i = 0; i < t->len; i++)
        if (strcmp(t->entries[i].key, key) == 0)
            return &t->entries[i];
    return NULL;
}

enum pl_status pl_status_table_add(struct pl_status_table *t, const char *word,
                                   enum pl_work_status status)
{
    if ((unsigned)status >= PL_WORK_COUNT || !word)
        return PL_ERR_USAGE;
    struct pl_buf key;
    pl_buf_init(&key);
    enum pl_status st = pl_text_match_key(&key, word, strlen(word));
    if (st == PL_ERR_DATA || (st == PL_OK && key.len == 0))
        st = PL_ERR_CONFIG;
    if (st != PL_OK)
        goto done;
    const struct pl_status_entry *old = find(t, key.data);
    if (old) {
        st = old->status == status ? PL_OK : PL_ERR_CONFIG;
        goto done;
    }
    if (t->len == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        struct pl_status_entry *e = realloc(t->entries, cap * sizeof *e);
        if (!e) {
            st = PL_ERR_NOMEM;
            goto done;
        }
        t->entries = e;
        t->cap = cap;
    }
    char *owned = pl_buf_take(&key);
    if (!owned) {
        st = PL_ERR_NOMEM;
        goto done;
    }
    t->entries[t->len].key = owned;
    t->entries[t->len].status = status;
    t->len++;
done:
    pl_buf_fini(&key);
    return st;
}

enum pl_status pl_status_word_lookup(const struct pl_status_table *t, const char *word, size_t len,
                                     enum pl_work_status *status, enum pl_field_error *why)
{
    if (!word && len)
        return PL_ERR_USAGE;
    enum pl_field_error err = PL_FERR_NONE;
    struct pl_buf key;
    pl_buf_init(&key);
    enum pl_status st = len ? pl_text_match_key(&key, word, len) : PL_OK;
    if (st == PL_ERR_DATA) {
        st = PL_OK;
        err = PL_FERR_STATUS_UNKNOWN;
    } else if (st == PL_OK) {
        /* The match key drops all white space, so a blank cell has an empty key. */
        const struct pl_status_entry *e = key.len ? find(t, key.data) : NULL;
        if (key.len == 0)
            err = PL_FERR_STATUS_ABSENT;
        else if (!e)
            err = PL_FERR_STATUS_UNKNOWN;
        else
            *status = e->status;
    }
    pl_buf_fini(&key);
    if (st != PL_OK)
        return st;
    if (why)
        *why = err;
    return err == PL_FERR_NONE ? PL_OK : PL_ERR_DATA;
}
