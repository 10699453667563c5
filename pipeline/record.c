/* record — names of the record stream's columns. */
#include "record.h"

#include <string.h>

const char *const pl_record_columns[PL_F_COUNT] = {
    [PL_F_CYCLE] = "cycle",         [PL_F_SOURCE] = "source",
    [PL_F_LINE] = "line",           [PL_F_TASK_ID] = "task_id",
    [PL_F_UNIT] = "unit",           [PL_F_OWNER] = "owner",
    [PL_F_PHONE] = "phone",         [PL_F_PROGRESS] = "progress",
    [PL_F_STATUS] = "status",       [PL_F_VALUE] = "value",
    [PL_F_METRIC] = "metric",       [PL_F_NARRATIVE] = "narrative",
    [PL_F_PROBLEMS] = "problems",   [PL_F_NEXT_STEPS] = "next_steps",
    [PL_F_REPORTED_ON] = "reported_on",
};

static const char *const labels[PL_F_COUNT] = {
    [PL_F_TASK_ID] = "任务编号",   [PL_F_UNIT] = "承办单位",     [PL_F_OWNER] = "责任人",
    [PL_F_PHONE] = "联系电话",     [PL_F_PROGRESS] = "完成进度", [PL_F_STATUS] = "状态",
    [PL_F_VALUE] = "完成值",       [PL_F_METRIC] = "指标",       [PL_F_NARRATIVE] = "进展情况",
    [PL_F_PROBLEMS] = "存在问题",  [PL_F_NEXT_STEPS] = "下步措施", [PL_F_REPORTED_ON] = "填报日期",
};

const char *pl_field_name(enum pl_field field)
{
    return (unsigned)field < PL_F_COUNT ? pl_record_columns[field] : NULL;
}

const char *pl_field_label(enum pl_field field)
{
    return (unsigned)field < PL_F_COUNT ? labels[field] : NULL;
}

enum pl_field pl_field_by_name(const char *name, size_t len)
{
    for (int f = 0; f < PL_F_COUNT; f++)
        if (strlen(pl_record_columns[f]) == len && memcmp(pl_record_columns[f], name, len) == 0)
            return (enum pl_field)f;
    return PL_F_COUNT;
}
