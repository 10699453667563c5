/*
 * catalog — the year's catalog: tasks, units, indicators, cycles and the document's facts.
 *
 * ducha-import makes the catalog from the targets document; every later program reads it. On
 * disk it is a directory of UTF-8 CSV files with a header row and "\n" line ends (DESIGN.md,
 * Formats): tasks.csv, units.csv, indicators.csv, cycles.csv and document.csv (key,value rows).
 * Lists inside a cell (leaders, hosts, co-units, aliases, members) are joined with '|'.
 *
 * The catalog stays hand-editable: the reader takes what Excel writes back (a UTF-8 BOM, CRLF,
 * GBK/GB18030, columns in another order, extra columns, trailing cells left out), and checks
 * what later stages rely on (unique task ids and unit names, known unit kinds, every host,
 * co-unit and member naming a unit of units.csv). The writer puts each file in place with
 * rename(2) from a temporary file in the same directory, so a reader never sees half a file.
 *
 * Lookups (task by id, unit by name or alias, cycle by id) work after pl_catalog_index();
 * pl_catalog_read() builds the index itself. Names are compared by pl_text_match_key() (NFKC,
 * case and white space folded), never rewritten.
 *
 * Loading a province's catalog (100,000 units, half a million names in the tasks' lists) is
 * linear and allocates little: the strings read go into one arena, a list name that is a unit's
 * very name shares that name's string, every name is looked up once (as tasks.csv is read, the
 * units being indexed as soon as units.csv is), in batches whose hash slots are fetched ahead,
 * and the (task, unit) roles are kept by number.
 *
 * One identity for a unit (issue 13): pl_catalog_read() resolves every name the catalog
 * itself uses — tasks' hosts and co-units, collectives' members — through units.csv once,
 * when it loads: an alias (财政局) becomes the unit's name (县财政局) with a warning naming it
 * (W_CATALOG_ALIAS_USED), a unit named twice in one list under two names is kept once
 * (W_CATALOG_UNIT_TWICE), a unit that is both host and co-unit of a task stays a host only.
 * After the load every list holds canonical names, so a program compares names with strcmp
 * and never sees an alias. Renaming a unit while keeping the old name among its aliases
 * therefore needs no change to tasks.csv. Programs that want the catalog's files as tables
 * read them with pl_catalog_read_table(), which gives the same resolved names.
 *
 * Columns (ASCII names are the ones written; the Chinese ones are accepted on reading, since
 * staff may retitle a column in Excel):
 *   tasks.csv  id, kind, title, text, leaders, hosts, cohosts, due, previous_id
 *              due (截止日期): the task's own deadline as an ISO date, blank for none;
 *              ducha-import reads it from the text (8月底前 → 2023-08-31).
 *              previous_id (上年编号): optional, the task's id in last year's catalog, so
 *              the year's first cycle compares it with last year's task (issue 16).
 *   cycles.csv id, label, start, end, deadline, expected, kind, tasks
 *              kind (类型) and tasks (任务) optional: see pl_cycle_kind() and
 *              pl_catalog_cycle_has_task(); other columns (number, issued) are read by the
 *              programs that use them.
 *   units.csv  name, aliases, kind, members, short, contact, phone, email
 *              short (简称): the official short name used in prose (县发改局); blank means the
 *              name itself. contact (联系人), phone (电话), email (邮箱): optional, for
 *              receipts and reminders; kept when present, blank otherwise. Files written
 *              before these columns existed are read with them blank.
 * The writer puts a UTF-8 byte order mark at the start of every file so that Excel on Chinese
 * Windows opens it as UTF-8; the reader accepts it (and GBK, GB18030, CRLF) as returns are.
 * Column numbers in messages are spreadsheet columns (A = 1), not character offsets.
 */
#ifndef PL_CATALOG_H
#define PL_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "diag.h"
#include "status.h"
#include "strv.h"

enum pl_task_kind {
    PL_TASK_KEY,        /* 附件1: 重点工作, ids 1..N */
    PL_TASK_LIVELIHOOD, /* 附件2: 民生实事 items, ids M<project>[-<item>] */
};

/* "key" or "livelihood"; pl_task_kind_parse() is its inverse (false for anything else). */
const char *pl_task_kind_name(enum pl_task_kind kind);
bool pl_task_kind_parse(const char *name, enum pl_task_kind *out);

/* Unit kinds: the words of units.csv's `kind` column, exactly as below (the rating engineer's
 * ranking groups key on them; DESIGN.md, Rules):
 *
 *   directed by the county government (ranked by default)
 *     town        towns and streets (纸坊镇, 嘉祥街道)               → group 镇街和功能区
 *     zone        the development zone (县经开区)                     → group 镇街和功能区
 *     department  county government departments and their public institutions
 *                 (县财政局, 县大数据中心, 县公路局, 县职业中等专业学校) → group 县直部门
 *     party       county Party organs (县委编办, 县委宣传部)           → group 县直部门
 *     mass        mass bodies (县妇联, 县残联, 县供销社)               → group 县直部门
 *   not directed by the county government (listed, not ranked, unless rules [groups] say so)
 *     vertical    vertically managed offices and higher-level units stationed in the county:
 *                 税务, 消防救援, 邮政管理, 人民银行, 银保监/金融监管, 市…分局, 国家统计局…
 *                 调查队, 气象局, 烟草专卖局, 市…管理部 (市住房公积金管理中心嘉祥县管理部)
 *     enterprise  companies and groups (县城建集团, 县供电公司, 县邮政公司)
 *     bank        banks and lenders (中国农业银行嘉祥支行, 农商银行, …担保有限责任公司 stays
 *                 enterprise)
 *     judicial    courts and procuratorates (县法院, 县检察院)
 *   never a unit that reports
 *     collective  a group named as one (各镇街, 县政府各部门, …成员单位)
 *
 * New kinds are appended before PL_UNIT_KIND_COUNT; code indexes by name, not by number. */
enum pl_unit_kind {
    PL_UNIT_DEPARTMENT, /* county government departments and their institutions */
    PL_UNIT_PARTY,      /* county Party organs (县委编办, 县委宣传部) */
    PL_UNIT_MASS,       /* mass organisations (县妇联, 县残联, 县供销社) */
    PL_UNIT_VERTICAL,   /* vertically managed offices stationed in the county (县税务局) */
    PL_UNIT_JUDICIAL,   /* 县法院, 县检察院 */
    PL_UNIT_ZONE,       /* the development zone (县经开区): ranked with the towns */
    PL_UNIT_ENTERPRISE, /* companies and groups (县城建集团, 县供电公司) */
    PL_UNIT_TOWN,       /* towns and streets (纸坊镇, 嘉祥街道) */
    PL_UNIT_COLLECTIVE, /* a group named as one (各镇街, 县政府各部门, …成员单位) */
    PL_UNIT_BANK,       /* banks (中国农业银行嘉祥支行) */
    PL_UNIT_KIND_COUNT
};

/* The kind's name in units.csv ("department", "town", …); NULL when out of range. */
const char *pl_unit_kind_name(enum pl_unit_kind kind);
bool pl_unit_kind_parse(const char *name, enum pl_unit_kind *out);
/* Historical: the ranking group before DESIGN.md named its groups ("镇街" for towns, NULL for
 * collectives, "县直部门" otherwise). The groups in use come from pl_rules_default_group() and
 * the rules file; new code should call that. Kept for its callers. */
const char *pl_unit_kind_group(enum pl_unit_kind kind);
/* True for the kinds the county government directs (town, zone, department, party, mass):
 * the units DESIGN.md ranks by default. False for vertical, enterprise, bank, judicial and
 * collective. */
bool pl_unit_kind_directed(enum pl_unit_kind kind);

struct pl_task {
    char *id;
    enum pl_task_kind kind;
    char *title;
    char *text;
    struct pl_strv leaders; /* canonical names; 各位县长 is a collective leader */
    struct pl_strv hosts;   /* canonical unit names */
    struct pl_strv cohosts;
    char *due;          /* the task's own deadline, an ISO date, or NULL/"" for none */
    char *previous_id;  /* tasks.csv `previous_id`: the same task's id in last year's catalog,
                           NULL or "" when it has none (a new task for the arrows) */
    char *section;      /* the heading or category the document files it under (一、主要预期
                           目标 → 主要预期目标), or NULL/"" for none */
    unsigned long line; /* its line in tasks.csv, 0 when not read from a file */
};

struct pl_unit {
    char *name;
    struct pl_strv aliases;
    enum pl_unit_kind kind;
    struct pl_strv members; /* for collectives whose members the document names */
    char *short_name;       /* units.csv `short`: the name used in prose; NULL or "" for none,
                               see pl_unit_short() */
    char *contact;          /* units.csv `contact` (联系人), `phone` (电话), `email` (邮箱): */
    char *phone;            /* NULL or "" when not given */
    char *email;
    unsigned long line;     /* its line in units.csv, 0 when not read from a file */
};

/* The name to use for U in prose: its short name, or its name when that is blank. */
const char *pl_unit_short(const struct pl_unit *u);

struct pl_indicator {
    char *task_id;
    char *metric;
    char *comparator; /* ">=", "<=", "~" or "=" */
    char *value;      /* a decimal number, 万 and 亿 expanded */
    char *unit;
    char *source; /* the phrase of the task text it was read from */
};

struct pl_catalog;

struct pl_cycle {
    char *id;       /* 2023H1 */
    char *label;    /* 2023年上半年 */
    char *start;    /* ISO dates */
    char *end;
    char *deadline;
    char *expected; /* expected progress at the deadline, a decimal number; "" for the
                       share of the year elapsed at the deadline */
    char *kind;     /* cycles.csv `kind`: NULL or "" to derive it from the dates (see
                       pl_cycle_kind()) */
    char *tasks;    /* cycles.csv `tasks`: the tasks the cycle demands (see
                       pl_catalog_cycle_has_task()); NULL or "" for every task */
};

/* Cycles (issue 16). A cycle's kind says which calendar it belongs to: cycles of one kind follow
 * each other, by their dates, wherever they stand in cycles.csv. The kind is the `kind` column
 * when it is not blank, else it comes from the length of start..end, both days counted:
 * "week" (1–7 days), "month" (28–31), "quarter" (89–92), "half" (181–184), "year" (365, 366),
 * else "<N>d" (cycles of the same length). Sets *OUT (cleared first) to the kind;
 * PL_ERR_NOMEM, or PL_ERR_DATA when the kind is blank and the dates are not dates. */
enum pl_status pl_cycle_kind(const struct pl_cycle *y, struct pl_buf *out);

/* The cycle of C before Y: of Y's kind, ended before Y ended, the one that ended last (a
 * week's is the week before, H2's is H1, Q1's is the last quarter of the year before when C
 * is last year's catalog). Y need not be one of C's cycles. NULL when there is none, or when
 * dates are not dates. The pointer is C's, valid until C changes. */
const struct pl_cycle *pl_catalog_previous_cycle(const struct pl_catalog *c,
                                                 const struct pl_cycle *y);
/* The cycle of C after Y: of Y's kind, ending after Y ended, the one that ends first; NULL
 * for none. */
const struct pl_cycle *pl_catalog_next_cycle(const struct pl_catalog *c, const struct pl_cycle *y);

/* Whether cycle Y demands TASK: Y's `tasks` is blank (every task), or one of its items names
 * the task. Items are separated by commas (also ，), 、, '|', ';' or spaces; an item is a kind
 * (key, livelihood), a task id (17, M1-2), a livelihood project (M1: every item M1-…, and M1
 * itself), or a range of key ids (3-7). */
bool pl_catalog_cycle_has_task(const struct pl_cycle *y, const struct pl_task *task);

/* Appends to OUT how the prose names the tasks Y demands, in tasks.csv order: key tasks
 * together (重点工作第3、17、45项), then livelihood items (民生实事第1项第（2）目); the kinds
 * by name when an item is a kind (全部重点工作). Appends nothing when Y demands every task.
 * PL_ERR_NOMEM. */
enum pl_status pl_catalog_cycle_scope(const struct pl_catalog *c, const struct pl_cycle *y,
                                      struct pl_buf *out);

struct pl_table;

/* The same for the programs that read tasks.csv as a table (its id and kind columns): appends
 * to OUT how the prose names the tasks that SPEC (a cycles.csv `tasks` cell; NULL or "" for
 * every task, which appends nothing) names. PL_ERR_NOMEM. */
enum pl_status pl_catalog_table_scope(const struct pl_table *tasks, const char *spec,
                                      struct pl_buf *out);

struct pl_fact {
    char *key;
    char *value;
};

struct pl_catalog_index;

struct pl_catalog {
    struct pl_task *tasks;
    size_t ntasks, cap_tasks;
    struct pl_unit *units;
    size_t nunits, cap_units;
    struct pl_indicator *indicators;
    size_t nindicators, cap_indicators;
    struct pl_cycle *cycles;
    size_t ncycles, cap_cycles;
    struct pl_fact *facts;
    size_t nfacts, cap_facts;
    struct pl_catalog_index *index; /* NULL until pl_catalog_index() */
    struct pl_arena *arena; /* the strings read from files (pl_catalog_read()); NULL before */
};

void pl_catalog_init(struct pl_catalog *c);
/* Frees everything the catalog owns; C is left empty. */
void pl_catalog_fini(struct pl_catalog *c);

/* Each appends a zeroed entry (lists initialised) and returns it, or NULL when out of memory.
 * The pointer is valid until the next add of the same kind; the entry's strings are owned by
 * the catalog (malloc'd by the caller, freed by pl_catalog_fini()). Adding drops the index.
 *
 * A catalog read from files (pl_catalog_read()) keeps the strings it read in one arena, freed
 * whole by pl_catalog_fini(): its strings, and the names in its lists, are never freed or
 * reallocated one by one. A caller may still set a field or push onto a list (pl_strv_push:
 * the arrays of the lists are malloc'd) with malloc'd strings; pl_catalog_fini() frees those
 * and leaves the arena's. */
struct pl_task *pl_catalog_add_task(struct pl_catalog *c);
struct pl_unit *pl_catalog_add_unit(struct pl_catalog *c);
struct pl_indicator *pl_catalog_add_indicator(struct pl_catalog *c);
struct pl_cycle *pl_catalog_add_cycle(struct pl_catalog *c);

/* Sets fact KEY to a copy of VALUE (replacing an earlier value). */
enum pl_status pl_catalog_set_fact(struct pl_catalog *c, const char *key, const char *value);
/* The value of fact KEY, or NULL; valid until the catalog changes. */
const char *pl_catalog_fact(const struct pl_catalog *c, const char *key);

/* Builds the lookup index. An alias shared by two units makes that alias ambiguous (it finds
 * nothing) and is reported to DIAG as W_CATALOG_ALIAS against FILE. PL_ERR_NOMEM. */
enum pl_status pl_catalog_index(struct pl_catalog *c, struct pl_diag *diag, const char *file);

/* Lookups (hash tables, never walks of a list); NULL when not found or when the index is not
 * built. The pointers are valid until
 * the catalog changes. A unit is found by its name or any alias under pl_text_match_key(). */
const struct pl_task *pl_catalog_find_task(const struct pl_catalog *c, const char *id);
const struct pl_unit *pl_catalog_find_unit(const struct pl_catalog *c, const char *name);
const struct pl_cycle *pl_catalog_find_cycle(const struct pl_catalog *c, const char *id);

/* The part a unit plays in a task. */
enum pl_task_role {
    PL_ROLE_NONE,   /* neither host nor co-unit */
    PL_ROLE_HOST,   /* the task's hosts name it */
    PL_ROLE_COHOST, /* its co-units name it, or it is a member of a collective among the task's
                       hosts or co-units */
};

/* Sets *ROLE to the role of the unit named UNIT (its canonical name, compared exactly, as the
 * lists hold canonical names after pl_catalog_resolve()) in TASK, a task of C: host before
 * co-unit. PL_ROLE_NONE when the index is not built. A hash lookup, whatever the lists' length:
 * the (task, unit) table is built from every task's lists on the first call and dropped when
 * the index is (and by pl_catalog_resolve()); a caller that edits a task's lists by hand
 * afterwards calls pl_catalog_index() again. PL_ERR_NOMEM (with *ROLE PL_ROLE_NONE). */
enum pl_status pl_catalog_task_role(const struct pl_catalog *c, const struct pl_task *task,
                                    const char *unit, enum pl_task_role *role);

/* Sets *LIST to the indicators of task TASK_ID in catalog order and *N to their number (NULL
 * and 0 for none, or when the index is not built). The array is the catalog's, valid until
 * the catalog changes; it is built on first use and again after indicators are added.
 * PL_ERR_NOMEM. */
enum pl_status pl_catalog_task_indicators(const struct pl_catalog *c, const char *task_id,
                                          const struct pl_indicator *const **list, size_t *n);

/* Writes the five files into DIR (which must exist). PL_ERR_CREATE when a file cannot be
 * created or renamed into place, PL_ERR_IO when a write fails; a file already in place is left
 * as it was when its replacement fails. */
enum pl_status pl_catalog_write(const struct pl_catalog *c, const char *dir);

/* Reads the catalog in DIR into C (which must be empty). tasks.csv, units.csv and cycles.csv
 * are required, indicators.csv and document.csv optional. Every problem is reported to DIAG
 * with file and line; the call returns PL_ERR_OPEN when a required file cannot be read,
 * PL_ERR_CONFIG when any row was wrong (after reading all of them), PL_ERR_NOMEM. The index is
 * built on success. */
enum pl_status pl_catalog_read(struct pl_catalog *c, const char *dir, struct pl_diag *diag);

/* Reads only DIR/cycles.csv into C (which must be empty), as pl_catalog_read() reads it: for a
 * program that wants last year's calendar and not last year's catalog. The `tasks` items are
 * not checked against tasks (there are none). PL_ERR_OPEN, PL_ERR_CONFIG, PL_ERR_NOMEM. */
enum pl_status pl_catalog_read_cycles(struct pl_catalog *c, const char *dir, struct pl_diag *diag);

/* Resolves the names of every task's hosts and co-units and every collective's members to
 * canonical unit names (see the top of this file), reporting each alias used and each unit
 * named twice to DIAG as warnings against DIR's tasks.csv and units.csv (DIR may be NULL).
 * Names no unit has are left as written (pl_catalog_read() reports them as E_CATALOG_UNIT).
 * Needs the index; pl_catalog_read() calls it. PL_ERR_NOMEM. */
enum pl_status pl_catalog_resolve(struct pl_catalog *c, struct pl_diag *diag, const char *dir);

struct pl_table;

/* Reads catalog file FILE ("tasks.csv", "units.csv", "cycles.csv", …) of the catalog in DIR
 * into table T, for programs that read the catalog by column name. tasks.csv and units.csv
 * come from the whole catalog read and resolved by pl_catalog_read() (so hosts, co-units and
 * members are canonical names, and the columns are those the writer writes); the other files
 * are read as they are, in any encoding a catalog may be saved in. A name no unit has is left
 * as written, not an error (ducha-check and ducha-merge refuse such a catalog; the programs that
 * present it do not). Warnings are reported for
 * tasks.csv only, so that a program reading both files hears each once; errors always.
 * The table is made from the catalog in memory, cell for cell what the file pl_catalog_write()
 * writes would read back as. The catalog read for one of the two files is kept for the other
 * (same DIR, every file unchanged: device, inode, size, modification time) and let go once
 * both tables were made from it; what its load reported is reported again from the copy.
 * Returns what pl_catalog_read() or pl_table_read() returns. */
enum pl_status pl_catalog_read_table(const char *dir, const char *file, struct pl_table *t,
                                     struct pl_diag *diag);

#endif
