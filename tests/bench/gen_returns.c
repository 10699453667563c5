/* gen_returns — write synthetic unit returns (Chinese CSV, as units submit them), deterministic
 * by seed, for the benchmarks and for tests that need volume. */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char usage[] =
    "usage: gen_returns [-brV] [-s SEED] [-n ROWS] [-u UNITS] [-p PAIRS] [-o FILE | -d DIR]\n"
    "\n"
    "Writes ROWS data rows (default 1000) of unit returns: the header\n"
    "任务编号,承办单位,责任人,联系电话,完成进度,状态,完成值,指标,进展情况,存在问题,下步措施,"
    "填报日期\n"
    "then rows spread over UNITS units (default 60). The same SEED (default 1), ROWS and UNITS\n"
    "give the same bytes on every machine. About 270 bytes a row.\n"
    "\n"
    "  -o FILE   one file holding every row (default: standard output; '-' too)\n"
    "  -d DIR    one file a unit in DIR (created if missing): DIR/NNN-<unit>.csv\n"
    "  -p PAIRS  draw each row's task and unit from PAIRS, lines \"task,unit\" (the first two\n"
    "            columns of ducha-merge's output), so that the rows pass ducha-check\n"
    "  -b        start each file with a UTF-8 byte order mark (Excel's \"CSV UTF-8\")\n"
    "  -r        end rows with CRLF (as Excel writes); line breaks inside cells stay LF\n"
    "  -V        print the generator's output version (changes when the bytes would)\n"
    "\n"
    "example: gen_returns -s 7 -n 1000000 -o returns.csv && iconv -f UTF-8 -t GB18030 \\\n"
    "             returns.csv > returns.gbk.csv\n";

/* Bumped whenever a change to this file changes the bytes written for a given seed, so that
 * tests/bench/run.sh knows to regenerate its cached data. */
#define GEN_VERSION 1

/* ---- the PRNG: splitmix64, so that output never depends on the C library's rand() ---- */

static uint64_t rng_state;

static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* A number in [0, n), n > 0. The top 32 bits scaled: bias is far below what matters here. */
static unsigned rnd(unsigned n)
{
    return (unsigned)(((rng_next() >> 32) * (uint64_t)n) >> 32);
}

/* True with probability PERCENT/100. */
static bool chance(unsigned percent)
{
    return rnd(100) < percent;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define PICK(a) ((a)[rnd(COUNT(a))])

/* ---- the word pools ---- */

struct unit_name {
    const char *full, *shortname;
};

static const struct unit_name units_pool[] = {
    {"县人民政府办公室", "县政府办"},
    {"县发展和改革局", "县发改局"},
    {"县教育局", "县教育局"},
    {"县科学技术局", "县科技局"},
    {"县工业和信息化局", "县工信局"},
    {"县公安局", "县公安局"},
    {"县民政局", "县民政局"},
    {"县司法局", "县司法局"},
    {"县财政局", "县财政局"},
    {"县人力资源和社会保障局", "县人社局"},
    {"县自然资源局", "县自然资源局"},
    {"县住房和城乡建设局", "县住建局"},
    {"县交通运输局", "县交通局"},
    {"县水利局", "县水利局"},
    {"县农业农村局", "县农业农村局"},
    {"县商务局", "县商务局"},
    {"县文化和旅游局", "县文旅局"},
    {"县卫生健康局", "县卫健局"},
    {"县退役军人事务局", "县退役军人局"},
    {"县应急管理局", "县应急局"},
    {"县审计局", "县审计局"},
    {"县市场监督管理局", "县市场监管局"},
    {"县统计局", "县统计局"},
    {"县医疗保障局", "县医保局"},
    {"县林业局", "县林业局"},
    {"县城市管理局", "县城管局"},
    {"县行政审批服务局", "县审批局"},
    {"县乡村振兴局", "县振兴局"},
    {"县数据局", "县数据局"},
    {"县经济开发区管委会", "县经开区"},
    {"县生态环境分局", "县环境局"},
    {"县税务局", "县税务局"},
    {"县供电公司", "县供电公司"},
    {"县融媒体中心", "县融媒体中心"},
    {"城关镇", "城关镇"},
    {"马村镇", "马村镇"},
    {"东关街道", "东关街道"},
    {"西关街道", "西关街道"},
    {"柳林镇", "柳林镇"},
    {"石门镇", "石门镇"},
    {"河口镇", "河口镇"},
    {"新集镇", "新集镇"},
    {"王庄镇", "王庄镇"},
    {"李家乡", "李家乡"},
    {"杨集镇", "杨集镇"},
    {"高桥镇", "高桥镇"},
    {"双河镇", "双河镇"},
    {"青山镇", "青山镇"},
    {"白土乡", "白土乡"},
    {"龙泉镇", "龙泉镇"},
    {"安乐镇", "安乐镇"},
    {"长岭镇", "长岭镇"},
    {"大坪乡", "大坪乡"},
    {"三里桥镇", "三里桥镇"},
    {"黄龙镇", "黄龙镇"},
    {"永和镇", "永和镇"},
    {"兴隆镇", "兴隆镇"},
    {"桃园乡", "桃园乡"},
    {"红星镇", "红星镇"},
    {"金沙镇", "金沙镇"},
};

static const char *const surnames[] = {
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡",   "朱",
    "高", "林", "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯",   "于",
    "董", "萧", "程", "曹", "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕", "欧阳", "司马",
};

static const char *const given[] = {
    "伟",   "芳",   "娜",   "敏",   "静",   "丽",   "强", "磊",   "军", "洋",
    "勇",   "艳",   "杰",   "娟",   "涛",   "明",   "超", "秀英", "华", "平",
    "刚",   "桂英", "建华", "志强", "海燕", "晓东", "文", "斌",   "红", "国庆",
    "建国", "玉兰", "春梅", "立新", "卫东", "鹏",   "辉", "宇",   "浩", "婷",
};

/* Templates: '#' is an integer 1..99, '@' a month 1..12, '$' a decimal such as 3.5. */
static const char *const progress_sentences[] = {
    "截至@月底，已完成投资$亿元，占年度计划的#%。",
    "项目主体工程已完工#%，配套设施建设同步推进。",
    "已召开专题推进会#次，协调解决问题#个。",
    "完成征地拆迁#亩，剩余部分正在加紧推进。",
    "累计新增城镇就业#人，发放创业担保贷款$万元。",
    "已完成招投标工作，施工单位已进场施工。",
    "按照时间节点有序推进，各项工作进展顺利。",
    "已制定实施方案并印发各镇街，明确了责任分工和完成时限。",
    "组织开展专项检查#次，发现并整改问题#个。",
    "完成可研报告编制及评审，正在办理用地手续。",
    "入户走访群众#户，收集意见建议#条，均已办结。",
    "硬化道路#公里，新建桥梁#座，改造农村危房#户。",
    "累计培训#人次，覆盖全县#个行政村。",
    "上半年实现税收收入$亿元，同比增长#%。",
    "已争取上级资金$亿元，资金到位率#%。",
    "与#家企业签订合作协议，协议总投资$亿元。",
    "深入开展\"双招双引\"活动, 新签约项目#个。",
    "全面落实\"河长制\"，各级河长累计巡河#次。",
    "建成标准化厂房#万平方米，已入驻企业#家。",
    "完成高标准农田建设#万亩，正在组织验收。",
};

static const char *const problem_sentences[] = {
    "资金缺口较大，项目推进受到一定影响。",
    "受雨季影响，施工进度有所放缓。",
    "征地拆迁难度大，个别群众诉求较高。",
    "专业技术人员不足，部分工作推进较慢。",
    "上级审批手续办理周期较长。",
    "要素保障不足，用地指标紧张。",
    "部分企业投资意愿不强, 签约项目落地较慢。",
    "无",
    "暂无",
};

static const char *const step_sentences[] = {
    "加大协调力度，确保按期完成年度目标任务。",
    "倒排工期、挂图作战，全力加快项目建设进度。",
    "积极向上争取资金支持，拓宽融资渠道。",
    "加强督促检查，确保各项措施落实到位。",
    "强化要素保障，及时解决项目推进中的困难和问题。",
    "持续跟踪问效，确保@月底前全面完成。",
    "继续按序时推进。",
};

static const char *const metrics[] = {
    "完成投资（亿元）", "新增就业（人）", "改造户数（户）",   "道路里程（公里）",
    "培训人次",         "签约项目（个）", "税收收入（万元）", "高标准农田（万亩）",
};

/* ---- output ---- */

struct out {
    FILE *fp;
    const char *name;
    char *row;
    size_t len, cap;
    bool crlf;
};

static int put(struct out *o, const char *s, size_t n)
{
    if (o->len + n > o->cap) {
        size_t cap = o->cap ? o->cap : 1024;
        while (cap < o->len + n)
            cap *= 2;
        char *p = realloc(o->row, cap);
        if (!p)
            return -1;
        o->row = p;
        o->cap = cap;
    }
    memcpy(o->row + o->len, s, n);
    o->len += n;
    return 0;
}

static int puts_(struct out *o, const char *s)
{
    return put(o, s, strlen(s));
}

/* Appends a template with its '#', '@' and '$' filled in. */
static int expand(struct out *o, const char *t)
{
    char num[32];
    for (const char *p = t; *p; p++) {
        int n = 0;
        if (*p == '#')
            n = snprintf(num, sizeof num, "%u", 1 + rnd(99));
        else if (*p == '@')
            n = snprintf(num, sizeof num, "%u", 1 + rnd(12));
        else if (*p == '$')
            n = snprintf(num, sizeof num, "%u.%u", 1 + rnd(30), rnd(10));
        else if (put(o, p, 1) != 0)
            return -1;
        if (n > 0 && put(o, num, (size_t)n) != 0)
            return -1;
    }
    return 0;
}

/* A cell: CELL[0..N) quoted as RFC 4180 asks when it holds a comma, quote or line break. */
static int cell(struct out *o, const char *c, size_t n, bool last)
{
    bool quote = false;
    for (size_t i = 0; i < n && !quote; i++)
        quote = c[i] == ',' || c[i] == '"' || c[i] == '\n' || c[i] == '\r';
    int rc = 0;
    if (!quote) {
        rc = put(o, c, n);
    } else {
        rc = put(o, "\"", 1);
        for (size_t i = 0; i < n && rc == 0; i++)
            rc = c[i] == '"' ? put(o, "\"\"", 2) : put(o, c + i, 1);
        if (rc == 0)
            rc = put(o, "\"", 1);
    }
    if (rc == 0)
        rc = last ? puts_(o, o->crlf ? "\r\n" : "\n") : put(o, ",", 1);
    return rc;
}

/* The scratch buffer a cell is composed in before it is quoted into the row. */
static struct out scratch;

static int scratch_cell(struct out *o, bool last)
{
    int rc = cell(o, scratch.row, scratch.len, last);
    scratch.len = 0;
    return rc;
}

/* Some sentences from POOL: one to MAX of them; a multi-line cell (numbered lines, as people
 * type with Alt+Enter) in MULTILINE_PCT percent of cells. */
static int sentences(const char *const *pool, size_t n, unsigned max, unsigned multiline_pct)
{
    unsigned k = 1 + rnd(max);
    bool multi = k > 1 && chance(multiline_pct);
    for (unsigned i = 0; i < k; i++) {
        char num[16];
        if (multi) {
            int len = snprintf(num, sizeof num, "%s%u.", i ? "\n" : "", i + 1);
            if (put(&scratch, num, (size_t)len) != 0)
                return -1;
        }
        if (expand(&scratch, pool[rnd((unsigned)n)]) != 0)
            return -1;
    }
    return 0;
}

static int digits(struct out *o, unsigned v, bool fullwidth)
{
    char num[16];
    int n = snprintf(num, sizeof num, "%u", v);
    if (!fullwidth)
        return put(o, num, (size_t)n);
    static const char *const wide[] = {"０", "１", "２", "３", "４", "５", "６", "７", "８", "９"};
    for (int i = 0; i < n; i++)
        if (puts_(o, wide[num[i] - '0']) != 0)
            return -1;
    return 0;
}

/* With -p: the (task, unit) pairs a catalog demands, so that rows pass ducha-check. */
struct pair {
    char *task, *unit;
};
static struct pair *pairs;
static size_t npairs;

/* Reads "task,unit" lines (as `ducha-merge` writes its first two columns). */
static int read_pairs(const char *path)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return -1;
    char *line = NULL;
    size_t cap = 0, have = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, fp)) > 0) {
        line[strcspn(line, "\r\n")] = '\0';
        char *comma = strchr(line, ',');
        if (!comma)
            continue;
        *comma = '\0';
        if (npairs == have) {
            have = have ? have * 2 : 256;
            struct pair *p = realloc(pairs, have * sizeof *p);
            if (!p)
                return -1;
            pairs = p;
        }
        pairs[npairs].task = strdup(line);
        pairs[npairs].unit = strdup(comma + 1);
        if (!pairs[npairs].task || !pairs[npairs].unit)
            return -1;
        npairs++;
    }
    free(line);
    fclose(fp);
    return npairs ? 0 : -1;
}

/* One data row of unit U; the row's bytes are left in O->row. */
static int make_row(struct out *o, const struct unit_name *u, const char *owner, const char *phone)
{
    char tmp[64];
    int n;
    o->len = 0;

    /* 任务编号: mostly 1..81, some livelihood items M1-1 …, some written 第17项; with -p a
     * pair the catalog demands, its unit in place of U. */
    unsigned r = rnd(100);
    const struct pair *pair = npairs ? &pairs[rnd((unsigned)npairs)] : NULL;
    if (pair)
        n = snprintf(tmp, sizeof tmp, "%s", pair->task);
    else if (r < 85)
        n = snprintf(tmp, sizeof tmp, "%u", 1 + rnd(81));
    else if (r < 95)
        n = snprintf(tmp, sizeof tmp, "M%u-%u", 1 + rnd(10), 1 + rnd(5));
    else
        n = snprintf(tmp, sizeof tmp, "第%u项", 1 + rnd(81));
    if (cell(o, tmp, (size_t)n, false) != 0)
        return -1;

    /* 承办单位, 责任人, 联系电话: the unit's own, its short name now and then. */
    const char *name = pair ? pair->unit : chance(10) ? u->shortname : u->full;
    if (cell(o, name, strlen(name), false) != 0 || cell(o, owner, strlen(owner), false) != 0 ||
        cell(o, phone, chance(3) ? 0 : strlen(phone), false) != 0)
        return -1;

    /* 完成进度 and 状态, which mostly agree. */
    static const unsigned steps[] = {0,  10, 20, 30, 40, 45, 50,  55,  60,  65,
                                     70, 75, 80, 85, 90, 95, 100, 100, 100, 100};
    unsigned progress = PICK(steps);
    r = rnd(100);
    if (r < 55) {
        if (digits(&scratch, progress, false) != 0)
            return -1;
    } else if (r < 90) {
        if (digits(&scratch, progress, false) != 0 || puts_(&scratch, "%") != 0)
            return -1;
    } else if (r < 97) {
        if (digits(&scratch, progress, true) != 0 || puts_(&scratch, "％") != 0)
            return -1;
    }
    if (scratch_cell(o, false) != 0)
        return -1;
    const char *status;
    if (progress == 100)
        status = chance(80) ? "已完成" : "已办结";
    else if (progress == 0)
        status = chance(70) ? "未启动" : "暂未启动";
    else if (progress < 40)
        status = chance(70) ? "滞后" : "进度滞后";
    else {
        static const char *const going[] = {"序时推进", "序时推进", "序时推进", "正常推进",
                                            "有序推进", "进行中",   "超序时"};
        status = PICK(going);
    }
    if (chance(2))
        status = "";
    if (cell(o, status, strlen(status), false) != 0)
        return -1;

    /* 完成值 and 指标: on the rows that report an indicator (not with -p, whose pairs say
     * nothing of indicators). */
    if (!pair && chance(40)) {
        r = rnd(3);
        if (r == 0)
            n = snprintf(tmp, sizeof tmp, "%u.%u万", 1 + rnd(50), rnd(10));
        else if (r == 1)
            n = snprintf(tmp, sizeof tmp, "%u", 1 + rnd(9999));
        else
            n = snprintf(tmp, sizeof tmp, "%u.%02u", rnd(20), rnd(100));
        const char *m = PICK(metrics);
        if (cell(o, tmp, (size_t)n, false) != 0 || cell(o, m, strlen(m), false) != 0)
            return -1;
    } else if (cell(o, "", 0, false) != 0 || cell(o, "", 0, false) != 0) {
        return -1;
    }

    /* 进展情况, 存在问题, 下步措施. */
    if (sentences(progress_sentences, COUNT(progress_sentences), 3, 12) != 0 ||
        scratch_cell(o, false) != 0)
        return -1;
    if (progress < 100 && chance(45) &&
        sentences(problem_sentences, COUNT(problem_sentences), 2, 5) != 0)
        return -1;
    if (scratch_cell(o, false) != 0)
        return -1;
    if (progress < 100 && chance(70) && sentences(step_sentences, COUNT(step_sentences), 2, 5) != 0)
        return -1;
    if (scratch_cell(o, false) != 0)
        return -1;

    /* 填报日期: half-year returns, sent from late June to mid July, in every usual form. */
    unsigned day = rnd(25); /* 0 = June 20th */
    unsigned month = day < 11 ? 6 : 7, dom = day < 11 ? 20 + day : day - 10;
    r = rnd(100);
    if (r < 60)
        n = snprintf(tmp, sizeof tmp, "2023-%02u-%02u", month, dom);
    else if (r < 85)
        n = snprintf(tmp, sizeof tmp, "2023年%u月%u日", month, dom);
    else if (r < 95)
        n = snprintf(tmp, sizeof tmp, "2023/%u/%u", month, dom);
    else /* Excel's serial: 45097 is 2023-06-20 */
        n = snprintf(tmp, sizeof tmp, "%u", 45097 + day);
    return cell(o, tmp, (size_t)n, true);
}

static const char header[] =
    "任务编号,承办单位,责任人,联系电话,完成进度,状态,完成值,指标,进展情况,存在问题,下步措施,"
    "填报日期";

static int flush_row(struct out *o)
{
    if (o->len && fwrite(o->row, 1, o->len, o->fp) != o->len)
        return -1;
    o->len = 0;
    return 0;
}

static int write_header(struct out *o, bool bom)
{
    if ((bom && puts_(o, "\xEF\xBB\xBF") != 0) || puts_(o, header) != 0 ||
        puts_(o, o->crlf ? "\r\n" : "\n") != 0)
        return -1;
    return flush_row(o);
}

struct unit {
    const struct unit_name *name;
    char owner[32];
    char phone[16];
};

static void make_unit(struct unit *u, unsigned i)
{
    u->name = &units_pool[i % COUNT(units_pool)];
    snprintf(u->owner, sizeof u->owner, "%s%s", PICK(surnames), PICK(given));
    static const char second[] = "35789";
    snprintf(u->phone, sizeof u->phone, "1%c%09llu", second[rnd(5)],
             (unsigned long long)(rng_next() % 1000000000u));
}

static int open_out(struct out *o, const char *path)
{
    o->name = path;
    if (!path || strcmp(path, "-") == 0) {
        o->fp = stdout;
        o->name = "standard output";
        return 0;
    }
    o->fp = fopen(path, "wb");
    if (!o->fp) {
        fprintf(stderr, "gen_returns: %s: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

static int close_out(struct out *o)
{
    int bad = ferror(o->fp);
    if (fclose(o->fp) != 0 || bad) {
        fprintf(stderr, "gen_returns: %s: write error: %s\n", o->name, strerror(errno));
        return -1;
    }
    return 0;
}

/* ROWS rows, each from one of the NUNITS UNITS (names beyond the pool repeat: fine for volume). */
static int write_rows(struct out *o, struct unit *units, unsigned nunits, unsigned long rows)
{
    for (unsigned long i = 0; i < rows; i++) {
        struct unit *u = &units[nunits > 1 ? rnd(nunits) : 0];
        if (make_row(o, u->name, u->owner, u->phone) != 0) {
            fprintf(stderr, "gen_returns: out of memory\n");
            return -1;
        }
        if (flush_row(o) != 0) {
            fprintf(stderr, "gen_returns: %s: write error: %s\n", o->name, strerror(errno));
            return -1;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    unsigned long long seed = 1;
    unsigned long rows = 1000;
    unsigned long nunits = 60;
    const char *file = NULL, *dir = NULL;
    bool bom = false, crlf = false;
    static const struct option longopts[] = {{"help", no_argument, NULL, 'h'}, {0, 0, 0, 0}};
    int c;
    char *end;
    while ((c = getopt_long(argc, argv, "bd:hn:o:p:rs:u:V", longopts, NULL)) != -1) {
        switch (c) {
        case 'b':
            bom = true;
            break;
        case 'r':
            crlf = true;
            break;
        case 'd':
            dir = optarg;
            break;
        case 'p':
            if (read_pairs(optarg) != 0) {
                fprintf(stderr, "gen_returns: %s: cannot read task,unit pairs\n", optarg);
                return 66;
            }
            break;
        case 'o':
            file = optarg;
            break;
        case 's':
            errno = 0;
            seed = strtoull(optarg, &end, 10);
            if (errno || *end || end == optarg)
                goto bad_usage;
            break;
        case 'n':
            errno = 0;
            rows = strtoul(optarg, &end, 10);
            if (errno || *end || end == optarg)
                goto bad_usage;
            break;
        case 'u':
            errno = 0;
            nunits = strtoul(optarg, &end, 10);
            if (errno || *end || end == optarg || nunits == 0 || nunits > 100000)
                goto bad_usage;
            break;
        case 'V':
            if (printf("%d\n", GEN_VERSION) < 0 || fclose(stdout) != 0)
                return 74;
            return 0;
        case 'h':
            if (fputs(usage, stdout) == EOF || fclose(stdout) != 0)
                return 74;
            return 0;
        default:
            goto bad_usage;
        }
    }
    if (optind != argc || (file && dir))
        goto bad_usage;

    rng_state = seed;
    struct unit *units = calloc(nunits, sizeof *units);
    if (!units) {
        fprintf(stderr, "gen_returns: out of memory\n");
        return 70;
    }
    for (unsigned i = 0; i < nunits; i++)
        make_unit(&units[i], i);

    int status = 0;
    struct out o = {.crlf = crlf};
    if (!dir) {
        if (open_out(&o, file) != 0) {
            status = 73;
        } else {
            if (write_header(&o, bom) != 0 || write_rows(&o, units, (unsigned)nunits, rows) != 0)
                status = 74;
            if (close_out(&o) != 0)
                status = 74;
        }
    } else {
        if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
            fprintf(stderr, "gen_returns: %s: %s\n", dir, strerror(errno));
            status = 73;
        }
        for (unsigned long i = 0; i < nunits && status == 0; i++) {
            size_t plen = strlen(dir) + strlen(units[i].name->full) + 32;
            char *path = malloc(plen);
            if (!path) {
                fprintf(stderr, "gen_returns: out of memory\n");
                status = 70;
                break;
            }
            snprintf(path, plen, "%s/%03lu-%s.csv", dir, i + 1, units[i].name->full);
            unsigned long n = rows / nunits + (i < rows % nunits);
            if (open_out(&o, path) != 0) {
                status = 73;
            } else {
                if (write_header(&o, bom) != 0 || write_rows(&o, &units[i], 1, n) != 0)
                    status = 74;
                if (close_out(&o) != 0)
                    status = 74;
            }
            free(path);
        }
    }
    free(o.row);
    free(scratch.row);
    free(units);
    return status;

bad_usage:
    fputs(usage, stderr);
    return 64;
}
