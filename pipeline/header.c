/* header — column names to record fields; blank and signature rows. */
#include "header.h"

#include <string.h>

#include "text.h"

/* Column names by field, best first. 序号 is not among them: on most forms it numbers the
 * rows, and taking it for the task id would be a guess. Names are compared after normalise() below, so they are
 * written here without spaces, brackets or stars, ASCII in lower case. */
static const struct {
    enum pl_field field;
    const char *names[12];
} synonyms[] = {
    {PL_F_TASK_ID, {"任务编号", "task_id", "taskid", "编号", "任务序号", "工作编号", "重点工作编号",
                    "项目编号"}},
    {PL_F_UNIT, {"承办单位", "unit", "填报单位", "责任单位", "单位名称", "单位", "牵头单位",
                 "主办单位"}},
    {PL_F_OWNER, {"责任人", "owner", "具体责任人", "联系人", "负责人"}},
    {PL_F_PHONE, {"联系电话", "phone", "电话", "联系方式", "手机", "手机号码"}},
    {PL_F_PROGRESS, {"完成进度", "progress", "进度", "完成比例", "完成率", "完成百分比",
                     "形象进度"}},
    {PL_F_STATUS, {"状态", "status", "进展状态", "推进状态", "完成状态", "进度状态"}},
    {PL_F_VALUE, {"完成值", "value", "完成量", "累计完成", "累计完成值", "实际完成", "完成数"}},
    {PL_F_METRIC, {"指标", "metric", "指标名称", "目标指标"}},
    {PL_F_NARRATIVE, {"进展情况", "narrative", "落实情况", "工作进展", "进展", "完成情况",
                      "推进情况", "工作进展情况"}},
    {PL_F_PROBLEMS, {"存在问题", "problems", "存在的问题", "问题", "困难问题"}},
    {PL_F_NEXT_STEPS, {"下步措施", "next_steps", "nextsteps", "下一步措施", "下步打算",
                       "下一步打算", "下步工作", "下一步工作计划"}},
    {PL_F_REPORTED_ON, {"填报日期", "reported_on", "reportedon", "报送日期", "日期", "填报时间",
                        "报送时间"}},
};

/* Labels that open a signature or footer row; their lengths are computed once. */
#define LABEL(s) {s, sizeof s - 1}
static const struct {
    const char *text;
    size_t len;
} signature_labels[] = {
    LABEL("填报人"),     LABEL("填表人"),       LABEL("审核人"),   LABEL("审核"),
    LABEL("制表人"),     LABEL("单位负责人"),   LABEL("主要负责人"), LABEL("负责人"),
    LABEL("主要领导"),   LABEL("分管领导"),     LABEL("联系人"),   LABEL("联系电话"),
    LABEL("填报日期"),   LABEL("报送日期"),     LABEL("签字"),     LABEL("盖章"),
    LABEL("单位（盖章）"), LABEL("单位(盖章)"),
};
#undef LABEL

/* Folds a header cell to the form the tables use: no white space or BOM anywhere, full-width
 * ASCII folded, a bracketed tail such as （%） or (万元) dropped, stars and colons dropped,
 * ASCII lower-cased. */
static void normalise(struct pl_buf *out, const char *s, size_t len)
{
    struct pl_buf folded;
    pl_buf_init(&folded);
    pl_text_fold_width(&folded, s, len);
    int depth = 0;
    for (size_t i = 0; i < folded.len;) {
        uint32_t cp;
        size_t n = pl_utf8_decode(folded.data + i, folded.len - i, &cp);
        if (n == 0) {
            pl_buf_append(out, folded.data + i, 1);
            i++;
            continue;
        }
        if (cp == '(' || cp == 0x3010 /* 【 */)
            depth++;
        else if ((cp == ')' || cp == 0x3011) && depth > 0)
            depth--;
        else if (depth == 0 && !pl_text_is_space(cp) && cp != '*' && cp != ':' &&
                 cp != 0xFF1A) {
            if (cp >= 'A' && cp <= 'Z')
                pl_buf_append_char(out, (char)(cp + 32));
            else
                pl_buf_append(out, folded.data + i, n);
        }
        i += n;
    }
    pl_buf_fini(&folded);
}

bool pl_header_is_reference(const char *name, size_t len)
{
    static const char *const reference[] = {
        "工作任务", "任务名称", "工作内容", "目标任务", "重点工作", "牵头领导", "牵头县领导",
        "责任领导", "目标值", "年度目标", "目标", "协办单位", "配合单位", "完成时限", "序号",
    };
    struct pl_buf key;
    pl_buf_init(&key);
    normalise(&key, name, len);
    bool found = false;
    for (size_t i = 0; i < sizeof reference / sizeof reference[0] && !found; i++)
        found = strcmp(key.data, reference[i]) == 0;
    pl_buf_fini(&key);
    return found;
}

enum pl_field pl_header_field(const char *name, size_t len, int *rank)
{
    struct pl_buf key;
    pl_buf_init(&key);
    normalise(&key, name, len);
    enum pl_field found = PL_F_COUNT;
    for (size_t i = 0; i < sizeof synonyms / sizeof synonyms[0] && found == PL_F_COUNT; i++) {
        for (int j = 0; j < 12 && synonyms[i].names[j]; j++) {
            if (strcmp(key.data, synonyms[i].names[j]) == 0) {
                found = synonyms[i].field;
                if (rank)
                    *rank = j;
                break;
            }
        }
    }
    pl_buf_fini(&key);
    return found;
}

bool pl_header_map_row(const char *const *cells, const size_t *lens, size_t count,
                       struct pl_header_map *map)
{
    int rank_of[PL_F_COUNT];
    for (int f = 0; f < PL_F_COUNT; f++) {
        map->column[f] = -1;
        rank_of[f] = 1 << 30;
    }
    map->width = count;
    map->recognised = 0;
    for (size_t i = 0; i < count; i++) {
        int rank;
        enum pl_field f = pl_header_field(cells[i], lens[i], &rank);
        if (f == PL_F_COUNT)
            continue;
        map->recognised++;
        /* Of two columns naming the same field the better name wins, the first on a tie. */
        if (rank < rank_of[f]) {
            map->column[f] = (int)i;
            rank_of[f] = rank;
        }
    }
    return map->column[PL_F_TASK_ID] >= 0 && map->column[PL_F_UNIT] >= 0;
}

bool pl_header_row_is_blank(const char *const *cells, const size_t *lens, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        /* A cell starting with printable ASCII or a CJK ideograph is not blank: most are. */
        unsigned char c = lens[i] ? (unsigned char)cells[i][0] : 0;
        if ((c > ' ' && c < 0x80) || (c >= 0xE4 && c <= 0xE9) ||
            !pl_text_is_blank(cells[i], lens[i]))
            return false;
    }
    return true;
}

static bool contains(const char *s, size_t len, const char *word, size_t n)
{
    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(s + i, word, n) == 0)
            return true;
    return false;
}

bool pl_header_row_is_signature(const char *const *cells, const size_t *lens, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        size_t a, b;
        pl_text_trim(cells[i], lens[i], &a, &b);
        if (a == b)
            continue;
        /* Every label is Chinese: a cell starting with ASCII (a task id, a number) is data.
         * Labels are looked for anywhere in the first cell (单位主要负责人（签字）：, 签字：),
         * which no task id or unit name holds. */
        if ((unsigned char)cells[i][a] < 0x80)
            return false;
        for (size_t k = 0; k < sizeof signature_labels / sizeof signature_labels[0]; k++)
            if (contains(cells[i] + a, b - a, signature_labels[k].text, signature_labels[k].len))
                return true;
        return false;
    }
    return false;
}

enum pl_status pl_header_describe_row(struct pl_buf *out, const char *const *cells,
                                      const size_t *lens, size_t count)
{
    bool first = true;
    for (size_t i = 0; i < count; i++) {
        size_t a, b;
        pl_text_trim(cells[i], lens[i], &a, &b);
        if (a == b)
            continue;
        if (!first && pl_buf_append_str(out, "、") != PL_OK)
            return PL_ERR_NOMEM;
        first = false;
        size_t end = a, chars = 0;
        while (end < b && chars < 20) {
            uint32_t cp;
            size_t n = pl_utf8_decode(cells[i] + end, b - end, &cp);
            end += n ? n : 1;
            chars++;
        }
        if (pl_buf_printf(out, "“%.*s%s”", (int)(end - a), cells[i] + a, end < b ? "…" : "") !=
            PL_OK)
            return PL_ERR_NOMEM;
    }
    return PL_OK;
}
