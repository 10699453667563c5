/*
 * unitnames — names of units and leaders as the targets document writes them.
 *
 * The document lists units after 承办单位：/协办单位： (and in 附件2's cells) separated by 、 ，
 * or line breaks, with spaces typed inside names (张  雷), the same unit spelled two ways
 * (县发展和改革局 / 县发展改革局), collectives mixed with units (各镇街, …成员单位) and
 * "X等相关单位". This module cuts such a list into names, classifies a unit by rules on its
 * name (kind), derives the usual short forms (aliases, domain.md §6.4), finds the towns and
 * streets a text enumerates, and keeps a registry of every name met so that each unit gets one
 * canonical name: spellings that differ only by 和 are one unit, the spelling the document
 * uses most is canonical and the others become aliases, each merge reported (W_UNIT_VARIANT).
 * It does not decide which label a list belongs to (doctasks, doctable do).
 */
#ifndef PL_UNITNAMES_H
#define PL_UNITNAMES_H

#include <stdbool.h>
#include <stddef.h>

#include "catalog.h"
#include "diag.h"
#include "strv.h"

/* Appends the names of the list S[0..LEN) to OUT in order: cut at 、，,；; and line breaks;
 * white space inside a name removed; a trailing 。 dropped; "——", "—", "无" and "/" (none)
 * give no name; "X等相关单位", "X等单位", "X等部门" and "X等" give X and the collective
 * 相关单位. Duplicates within the list are kept once. */
enum pl_status pl_names_split(const char *s, size_t len, struct pl_strv *out);

/* Moves the names of IN into LEAD (those marked as the lead unit: "县发改局（牵头）" or with an
 * ASCII "(牵头)", the mark removed) and REST (the others), in order. A task table or a
 * 责任单位 list names its lead unit this way. PL_ERR_NOMEM. */
enum pl_status pl_names_lead(const struct pl_strv *in, struct pl_strv *lead, struct pl_strv *rest);

/* The kind a unit's name implies; *KNOWN (if not NULL) is false when no rule matched (the
 * kind is then PL_UNIT_DEPARTMENT). */
enum pl_unit_kind pl_unit_classify(const char *name, bool *known);

/* The official short name of unit NAME of KIND (units.csv `short`), appended to OUT: the
 * standard short form where one is in current use (县发展和改革局 → 县发改局, 县人力资源和社会
 * 保障局 → 县人社局), else NAME itself (县财政局 stays). pl_unitreg_finish() also refuses a form
 * that names another unit or a pre-reform body. */
enum pl_status pl_unit_short_form(const char *name, enum pl_unit_kind kind, struct pl_buf *out);

/* True for the names of bodies abolished or renamed in the 2018–19 reform (县农业局, 县交通局,
 * 县消防大队, 县环保局 …): they may stay aliases, so that old returns are read, but are never
 * a short name. */
bool pl_unit_name_pre_reform(const char *name);

/* True for the collectives that mean every town and street (各镇街, 各镇（街道）, 各乡镇…). */
bool pl_unit_means_all_towns(const char *name);

/* The county's short name: 嘉祥县 → 嘉祥 (a name of two characters is kept whole). Appended
 * to OUT. */
enum pl_status pl_county_short(const char *county, struct pl_buf *out);

/* Appends to OUT the usual other names of unit NAME of KIND in COUNTY (may be NULL): the short
 * forms of the bureaus (县发改局, 发改局), the name without 县 and with the county's name
 * (财政局, 嘉祥县财政局), 镇人民政府/街道办事处 for towns, the development zone's full names.
 * Never NAME itself; no duplicates. */
enum pl_status pl_unit_aliases(const char *name, enum pl_unit_kind kind, const char *county,
                               struct pl_strv *out);

/* Appends to OUT (once each, in order) the towns and streets TEXT[0..LEN) enumerates with a
 * number, as 附件2 does under its childcare item: "嘉祥街道169个，金屯镇51个" → 嘉祥街道,
 * 金屯镇. */
enum pl_status pl_names_find_towns(const char *text, size_t len, struct pl_strv *out);

/* The registry of unit names met in a document. */
struct pl_unitreg;

struct pl_unitreg *pl_unitreg_new(void);
void pl_unitreg_free(struct pl_unitreg *r);

/* Notes one use of NAME at document line LINE. */
enum pl_status pl_unitreg_note(struct pl_unitreg *r, const char *name, unsigned long line);

/* Settles the canonical names (reporting each merged variant to DIAG against FILE as
 * W_UNIT_VARIANT, and a unit whose kind no rule gives as W_UNIT_KIND), and appends one unit per
 * canonical name to CAT in order of first use, with kind, aliases, short name and — for the collectives
 * meaning all towns — TOWNS as members. Towns of TOWNS never named are added as units too; a
 * town named but not in TOWNS (when TOWNS is not empty) is reported as W_TOWN_UNLISTED. An
 * alias that would name two units is dropped from both. */
enum pl_status pl_unitreg_finish(struct pl_unitreg *r, const char *county,
                                 const struct pl_strv *towns, const char *file,
                                 struct pl_diag *diag, struct pl_catalog *cat);

/* The canonical name for NAME after pl_unitreg_finish() (NAME itself when unknown). The
 * pointer lives as long as the registry or NAME. */
const char *pl_unitreg_canonical(const struct pl_unitreg *r, const char *name);

#endif
