/*
 * indicators — the quantitative targets written in a task's text.
 *
 * A task text such as "新增各类市场主体1.3万家以上" holds a target: metric 新增各类市场主体,
 * comparator >=, value 13000, unit 家. This module finds such phrases clause by clause and
 * nothing else: it is conservative, so a phrase it cannot read as one metric with one value is
 * left out rather than turned into a made-up target. The rules, each with the document's
 * example:
 *  - a value is digits (a decimal point allowed) with 万 or 亿 (expanded: 1.3万 → 13000) and a
 *    unit of measure (%, 家, 个, 亩, 元, 公里, 平方米, …); numbers without a unit (2023年,
 *    6大), inside quotes (“15条硬措施”), in codes (S244, PM2.5, 5G) or ranges (35-75) are not
 *    values;
 *  - the comparator comes from the words after the unit (以上 >=, 左右 ~, 以内/以下 <=),
 *    else from the words before the number (达到/达/不少于/不低于/超过/过 >=, 严控在/控制在/
 *    不超过 <=), else =; those words are not part of the metric;
 *  - the metric is the clause's text before the number (after the previous value of the same
 *    clause), without leading hedges (确保, 力争, 力促, 争取, 年内, 全年, 预计) and trailing
 *    全年/年内/全部; it must be at least three characters;
 *  - left out: a value followed by more words (50亿元大项目 is a kind of project, not a
 *    target), lists of values (增长7%、10%左右, 分别达65%、95%), per-unit rates (每亩30元, 各1个),
 *    and the breakdown after 其中 up to the end of its sentence.
 * `source` is the exact phrase, from the metric's start to the end of the comparator words.
 */
#ifndef PL_INDICATORS_H
#define PL_INDICATORS_H

#include <stddef.h>

#include "buf.h"
#include "catalog.h"
#include "status.h"

/* Called for each target found; all strings are valid for the call only. A status other than
 * PL_OK stops the scan and is returned. */
typedef enum pl_status (*pl_target_fn)(void *ctx, const char *metric, const char *comparator,
                                       const char *value, const char *unit, const char *source);

/* Scans TEXT[0..LEN) (UTF-8) for targets, in order. */
enum pl_status pl_indicators_scan(const char *text, size_t len, pl_target_fn fn, void *ctx);

/* Adds each target of TEXT to CAT as an indicator of TASK_ID. */
enum pl_status pl_indicators_add(struct pl_catalog *cat, const char *task_id, const char *text);

/* Appends the decimal DIGITS[0..LEN) ("1.3", full-width digits and ． allowed) multiplied by
 * 10^SHIFT, written without leading or trailing zeros ("13000", "6.5", "0.5"). PL_ERR_DATA
 * when DIGITS is not a decimal number. */
enum pl_status pl_decimal_shift(const char *digits, size_t len, int shift, struct pl_buf *out);

#endif
