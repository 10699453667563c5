/*
 * status_words — the words units write in the 状态 column, mapped to the four canonical
 * work statuses (已完成, 序时推进, 滞后, 未启动), and how a status relates to a progress.
 *
 * A status table maps words to statuses. pl_status_table_init_default() fills it with the
 * default table of DESIGN.md (Rules); a rules file may add words with
 * pl_status_table_add(). Words are compared by their match key (pl_text_match_key(): NFKC,
 * case-folded, white space removed), so " In Progress ", "ＤＯＮＥ" and "on　track" find
 * their entries. An empty status is reported as absent, for the caller to derive it from
 * the progress with pl_work_status_from_progress() and flag it; a status that contradicts
 * the progress is found by pl_work_status_contradicts().
 *
 * What the module does not do: it does not decide colours (the rate module does, from the
 * numbers), and it has no 未报送: that status is given by the merge to (task, host) rows with
 * no valid return, never read from a unit's cell.
 *
 * Decisions where the design is silent:
 * - Adding a word the table already maps to the same status is a no-op; to another status,
 *   a configuration error (the rules file may add to the vocabulary, not turn 完成 into
 *   滞后 behind the reader's back).
 * - Only two contradictions are flagged, as the design names them: 已完成 below 100, and
 *   未启动 above 0. 序时推进 or 滞后 at 100 is not one (the numbers decide the colour
 *   anyway), nor 滞后 at 0.
 */
#ifndef PL_STATUS_WORDS_H
#define PL_STATUS_WORDS_H

#include <stdbool.h>
#include <stddef.h>

#include "fields.h"
#include "status.h"

enum pl_work_status {
    PL_WORK_DONE,        /* 已完成 */
    PL_WORK_ON_TRACK,    /* 序时推进 */
    PL_WORK_BEHIND,      /* 滞后 */
    PL_WORK_NOT_STARTED, /* 未启动 */
    PL_WORK_COUNT
};

/* The canonical word of STATUS ("已完成"); a static string, never NULL ("" for values out of
 * range). */
const char *pl_work_status_word(enum pl_work_status status);

/* Finds the status whose canonical word is exactly S[0..LEN), surrounding space aside (for
 * a rules file naming the target of a synonym). PL_ERR_DATA when there is none. */
enum pl_status pl_work_status_by_word(const char *s, size_t len, enum pl_work_status *status);

/* The status derived from a progress when the unit left the status empty: 已完成 at 100 and
 * above, 未启动 at 0 and below, 序时推进 otherwise. */
enum pl_work_status pl_work_status_from_progress(double progress);

/* True when STATUS cannot be true at PROGRESS: 已完成 below 100, 未启动 above 0. */
bool pl_work_status_contradicts(enum pl_work_status status, double progress);

struct pl_status_entry {
    char *key; /* the word's match key; owned by the table */
    enum pl_work_status status;
};

/* Caller-owned storage; the entries belong to the table. */
struct pl_status_table {
    struct pl_status_entry *entries;
    size_t len;
    size_t cap;
};

/* Makes T an empty table. */
void pl_status_table_init(struct pl_status_table *t);

/* Makes T the default table: the four canonical words and their synonyms from DESIGN.md.
 * On PL_ERR_NOMEM T is left empty (and still needs pl_status_table_fini(), which is then a
 * no-op). */
enum pl_status pl_status_table_init_default(struct pl_status_table *t);

/* Frees what T holds and leaves it empty; T may be NULL. */
void pl_status_table_fini(struct pl_status_table *t);

/* Maps WORD (NUL-terminated UTF-8; copied) to STATUS in T. PL_ERR_CONFIG when WORD is blank,
 * not UTF-8, or already mapped to a different status; PL_ERR_USAGE when STATUS is out of
 * range; PL_ERR_NOMEM when memory runs out. T is unchanged on failure. */
enum pl_status pl_status_table_add(struct pl_status_table *t, const char *word,
                                   enum pl_work_status status);

/* Looks the cell WORD[0..LEN) up in T. On PL_OK *STATUS is set. On PL_ERR_DATA *WHY (if not
 * NULL) is PL_FERR_STATUS_ABSENT (a blank cell) or PL_FERR_STATUS_UNKNOWN (a word T does
 * not know, or bytes that are not UTF-8) and *STATUS is unchanged. PL_ERR_NOMEM when scratch
 * memory runs out. */
enum pl_status pl_status_word_lookup(const struct pl_status_table *t, const char *word, size_t len,
                                     enum pl_work_status *status, enum pl_field_error *why);

#endif
