/*
 * rules — the office's rules for rating and ranking: the model, its defaults, the INI reader
 * and the printer.
 *
 * Every number DESIGN.md (Rules) names is a field here, with DESIGN.md's value as its default:
 * where a cycle's expected progress (序时进度) comes from, the colour thresholds in points
 * behind, what is red besides the gap (未报送, 未启动 after the year's first cycle, late), the
 * score's full marks and deductions, the ranking method and the ranking groups of the unit
 * kinds, and the status words a rules file adds to the default table of status_words. The
 * shipped templates/rules.ini holds exactly these defaults, with a comment on every key
 * (ducha-rules(5) is its manual); a year may override it with input/<year>/rules.ini.
 *
 * A rules file is read with libinih over defaults (or over an earlier file): it sets the keys
 * it names and leaves the others as they were, so a year's file may hold one line. Each
 * problem is reported with the file and line: an unknown section or key, a key outside any
 * section, a value that is not of the key's kind (a number, yes/no, one of a list), a value
 * out of its range, a key given twice in one file, a status word mapped to something that is
 * not one of the four canonical statuses or mapped against the default table. Reading goes on
 * after an error so that every bad line is reported at once.
 *
 * What the module does not do: it reads no catalog (whether first_cycle names a cycle of
 * cycles.csv is ducha-rate's check, with the line kept here), rates nothing (rate) and ranks
 * nothing (rank).
 *
 * Decisions where the design is silent:
 * - Keys and section names are ASCII and compared without regard to case; cycle ids in
 *   [expected] and words in [status_words] are taken as written.
 * - A line (without its comment) may hold at most 190 bytes; comments have no limit.
 * - Lines may be indented; there are no continuation lines.
 * - [status_words] only adds: a word of the default table mapped to another status is an
 *   error, as status_words decides (a rules file may not turn 完成 into 滞后).
 */
#ifndef PL_RULES_H
#define PL_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "catalog.h"
#include "diag.h"
#include "status.h"
#include "status_words.h"
#include "strv.h"

enum pl_expected_from {
    PL_EXPECTED_CATALOG, /* cycles.csv's expected column; the elapsed share when it is blank */
    PL_EXPECTED_ELAPSED, /* always the share of the year elapsed at the cycle's deadline */
};

enum pl_rank_method {
    PL_RANK_DENSE,       /* 1, 2, 2, 3: as Chinese offices rank (中国式排名) */
    PL_RANK_COMPETITION, /* 1, 2, 2, 4: as Excel's RANK does */
};

/* An expected progress set for one cycle by [expected]. */
struct pl_rules_expected {
    char *cycle;
    double expected;
    char *file; /* where it was set, for messages */
    unsigned long line;
};

struct pl_rules {
    /* [progress] */
    enum pl_expected_from expected_from;
    char *first_cycle; /* NULL: the first row of cycles.csv for the cycle's year */
    char *first_cycle_file;
    unsigned long first_cycle_line;
    double done_at; /* progress at or above which a task is done (已完成), whatever expected */
    double over_limit; /* ducha-check: a progress above 100 up to this is 超额完成, read as 100
                          (W_PROGRESS_CAPPED); above it, a typo (E_PROGRESS_RANGE) */
    /* [expected] */
    struct pl_rules_expected *expected;
    size_t nexpected;
    /* [colour] */
    double blue_tolerance; /* points behind that still count blue */
    double red_behind;     /* points behind from which a task is red */
    bool missing_red;      /* 未报送 is red */
    bool returned_red;     /* 报送有误 (every row of the unit's return for the task rejected) is red */
    bool no_progress_red;  /* a row without a progress (only indicator values, no share) is red */
    bool not_started_red;  /* progress 0 after the year's first cycle is red */
    bool late_red;         /* a late return is red */
    /* [late] */
    long error_after_days; /* ducha-check: later than this after the deadline is an error */
    /* [score] */
    double full_marks; /* what a row at or above the expected progress earns */
    double late_deduction, missing_deduction, returned_deduction, yellow_deduction,
        red_deduction;
    /* [rank] */
    enum pl_rank_method method;
    struct pl_strv group_order; /* groups listed first in the ranks, in this order */
    struct pl_strv unranked;    /* groups listed with their figures but given no rank */
    /* [annual]: the year's assessment (ducha-annual) */
    double annual_last_weight; /* the weight of the year's last cycle; the earlier cycles share
                                  the rest equally */
    double annual_late_deduction, annual_missing_deduction, annual_returned_deduction;
                               /* per late, missing, returned row of any cycle of the year */
    /* [groups]: the ranking group of each unit kind; NULL for collectives (never ranked) */
    char *groups[PL_UNIT_KIND_COUNT];
    /* [status_words]: the default table plus the file's additions */
    struct pl_status_table words;
};

/* Fills R with the defaults of DESIGN.md. R needs pl_rules_fini() afterwards, also on
 * failure (PL_ERR_NOMEM). */
enum pl_status pl_rules_init(struct pl_rules *r);

/* Frees what R holds; R may be NULL. */
void pl_rules_fini(struct pl_rules *r);

/* Reads the rules file at PATH over R. PL_ERR_OPEN (E_UNREADABLE) when it cannot be read,
 * PL_ERR_CONFIG when any line was wrong (each reported to DIAG with PATH and its line; R then
 * holds part of the file and is fit only for pl_rules_fini()), PL_ERR_NOMEM. */
enum pl_status pl_rules_read(struct pl_rules *r, const char *path, struct pl_diag *diag);

/* The same from an open stream; SOURCE names it in messages. */
enum pl_status pl_rules_read_stream(struct pl_rules *r, FILE *fp, const char *source,
                                    struct pl_diag *diag);

/* Fills R with the defaults and reads the N files of PATHS over them, in order (the shipped
 * template, then a year's file). Fails as pl_rules_read() does, after reading every file so
 * that all their errors are reported; R needs pl_rules_fini() either way. */
enum pl_status pl_rules_load(struct pl_rules *r, const char *const *paths, size_t n,
                             struct pl_diag *diag);

/* pl_rules_print() under a comment naming the N files of PATHS ("defaults" when N is 0). */
enum pl_status pl_rules_print_from(const struct pl_rules *r, const char *const *paths, size_t n,
                                   FILE *out);

/* Writes R to OUT as a rules file that reads back to the same rules (every key, every status
 * word of the table), under a comment naming SOURCES (may be NULL). PL_ERR_IO when a write
 * fails. */
enum pl_status pl_rules_print(const struct pl_rules *r, const char *sources, FILE *out);

/* The expected progress [expected] sets for CYCLE, or NULL. Valid as long as R. */
const struct pl_rules_expected *pl_rules_expected_for(const struct pl_rules *r, const char *cycle);

/* The two ranked groups of DESIGN.md (Rules). */
#define PL_GROUP_TOWNS "镇街和功能区"
#define PL_GROUP_DEPARTMENTS "县直部门"
/* The default groups of the units the county government does not direct (unranked). */
#define PL_GROUP_VERTICAL "垂直管理单位"
#define PL_GROUP_ENTERPRISES "企业和金融机构"
#define PL_GROUP_JUDICIAL "法院检察院"

/* The default ranking group of unit kind KIND (what merge writes in the merged stream's group
 * column): 镇街和功能区 for towns, streets and the development zone; 县直部门 for departments,
 * Party organs and mass bodies; 垂直管理单位, 企业和金融机构 and 法院检察院 for the units the
 * county government does not direct (listed, not ranked, by default); NULL for collectives
 * and kinds out of range. A static string. */
const char *pl_rules_default_group(enum pl_unit_kind kind);

/* True when GROUP is ranked under R: not empty and not listed in [rank] unranked. */
bool pl_rules_group_ranked(const struct pl_rules *r, const char *group);

/* The ranking group of unit kind KIND, or NULL (collectives, kinds out of range). Valid as
 * long as R. */
const char *pl_rules_group_of(const struct pl_rules *r, enum pl_unit_kind kind);

#endif
