/*
 * indicators — the quantitative targets written in a task's text.
 *
 * A task text such as "新增各类市场主体1.3万家以上" holds a target: metric 新增各类市场主体,
 * comparator >=, value 13000, unit 家. This module finds such phrases clause by clause and
 * nothing else: it is conservative, so a phrase it cannot read as metrics with values is left
 * out rather than turned into a made-up target. The metric is what a unit's form shows as 指标
 * and what ducha-check matches a return's 指标 against, so it is short, read from the text, and
 * unique within its task. The rules, each with the document's example:
 *  - a value is digits (a decimal point allowed) with 万 or 亿 (expanded: 1.3万 → 13000) and a
 *    unit of measure (%, 家, 个, 亩, 元, 公里, 平方米, 口, 件, …); numbers without a unit (2023年,
 *    6大, 〔2023〕1号), inside quotes (“15条硬措施”), in codes (S244, PM2.5, 5G), ranges (35-75)
 *    or ordinals (第5项) are not values;
 *  - the comparator comes from the words after the unit (以上 >=, 左右 ~, 以内/以下 <=),
 *    else from the words before the number (达到/达/不少于/不低于/超过/过 >=, 严控在/控制在/
 *    不超过 <=), else =; those words are not part of the metric;
 *  - the metric is the clause's text before the number (after the previous value of the same
 *    clause), without a leading date (2023年底前), leading hedges (确保, 力争, 力促, 争取, 年内,
 *    全年, 预计, 持续, 加快) and trailing 全年/年内/全部; it must be at least three characters;
 *  - a count or a percent may stand before the noun it counts: the metric is the words before
 *    and the noun (完成100个村供水保障提升工程 → 完成村供水保障提升工程; 实现80%以上快件统一共仓
 *    共配); where the words before are a list (…南关二期等7个续建棚改项目, …及2处门诊慢病管理服务
 *    中心) the clause's opening verb stands for them; a short noun of a list takes the tail of
 *    the next (48个小区、67个单位雨污分流工程 → 小区雨污分流工程). Money and measures before a
 *    noun name a kind (50亿元大项目, 100元档次): left out;
 *  - a list of values (7%、10% or 7%/10%) takes a list of as many names, their shared tail and
 *    head shared out (城乡居民基本养老保险、基本医疗保险参保率达到95.3%、97%以上; 幼儿园公办率、
 *    普惠率分别达65%、95%以上 → 幼儿园普惠率), or 城乡 as 城镇 and 农村 (城乡居民人均可支配收入
 *    分别增长7%、10%左右); any other list is left out;
 *  - a metric too short to stand is read against the sentence's previous target: a level
 *    (市级…示范村15个、省级4个 → 建设省级美丽乡村示范村) or a total (总量达到2896个 after 全县新增
 *    托位640个 → 托位总量); 各 over a list of levels (新建县、镇婴幼儿照护服务机构各1个) is one
 *    target a level; other short metrics and other 各 are left out;
 *  - a breakdown after 其中 (其中，嘉祥街道169个，…) gives a target a part when the parts add up to
 *    a target of that sentence or the one before, named by the place and that target's metric
 *    less its scope (嘉祥街道新增托位); parts that add up to nothing are left out;
 *  - left out: rates (每亩30元, 每人2元), ranks (前3名), 分别 outside a list of values.
 * `source` is the exact phrase the target is read from, from its first word to the end of the
 * comparator words or the counted noun; a list's targets share the list's phrase.
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

/* Adds each target of TEXT to CAT as an indicator of TASK_ID. A metric already used by the
 * task's earlier indicators (those added since the task's first call) is numbered: 新建口袋公园
 * then 新建口袋公园（2）. */
enum pl_status pl_indicators_add(struct pl_catalog *cat, const char *task_id, const char *text);

/* Appends the decimal DIGITS[0..LEN) ("1.3", full-width digits and ． allowed) multiplied by
 * 10^SHIFT, written without leading or trailing zeros ("13000", "6.5", "0.5"). PL_ERR_DATA
 * when DIGITS is not a decimal number. */
enum pl_status pl_decimal_shift(const char *digits, size_t len, int shift, struct pl_buf *out);

#endif
