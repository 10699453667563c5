/* memo — see memo.h. */
#include "memo.h"

#include <stdlib.h>
#include <string.h>

void pl_memo_init(struct pl_memo *m, size_t limit)
{
    pl_strmap_init(&m->map);
    m->items = NULL;
    m->n = m->cap = 0;
    m->limit = limit ? limit : 1;
    pl_buf_init(&m->texts);
}

void pl_memo_fini(struct pl_memo *m)
{
    pl_strmap_fini(&m->map);
    free(m->items);
    pl_buf_fini(&m->texts);
    pl_memo_init(m, m->limit);
}

const struct pl_memo_item *pl_memo_find(const struct pl_memo *m, const char *key, size_t len)
{
    const size_t *i = pl_strmap_get(&m->map, key, len);
    return i ? &m->items[*i] : NULL;
}

/* Forgets every answer; the item array and the text arena keep their storage. */
static void forget(struct pl_memo *m)
{
    pl_strmap_fini(&m->map);
    m->n = 0;
    pl_buf_clear(&m->texts);
}

const struct pl_memo_item *pl_memo_add(struct pl_memo *m, const char *key, size_t len,
                                       const void *value, const char *text)
{
    if (m->n >= m->limit)
        forget(m);
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        if (cap > m->limit)
            cap = m->limit;
        struct pl_memo_item *v = realloc(m->items, cap * sizeof *v);
        if (!v)
            return NULL;
        m->items = v;
        m->cap = cap;
    }
    if (!text)
        text = "";
    size_t off = m->texts.len, tlen = strlen(text);
    if (pl_buf_reserve(&m->texts, tlen + 1) != PL_OK)
        return NULL;
    memcpy(m->texts.data + off, text, tlen + 1);
    m->texts.len = off + tlen + 1;
    m->texts.data[m->texts.len] = '\0';
    size_t *slot;
    bool added;
    if (pl_strmap_put(&m->map, key, len, m->n, &slot, &added) != PL_OK) {
        m->texts.len = off;
        m->texts.data[off] = '\0';
        return NULL;
    }
    struct pl_memo_item *item = &m->items[*slot];
    if (added) {
        m->n++;
        item->value = value;
        item->text = off;
    }
    return item;
}
