/* gen_rated — write a synthetic cycle for ducha-xlsx (a catalog, rated rows and ranks),
 * deterministic by seed, for the benchmark of the summary workbook. */
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char usage[] =
    "usage: gen_rated [-V] [-s SEED] [-n ROWS] [-u UNITS] -d DIR\n"
    "\n"
    "Writes DIR/catalog/{tasks,units,cycles}.csv, DIR/rated.csv (ROWS rated rows, default\n"
    "100000, with the columns of DESIGN.md) and DIR/ranks.csv: ROWS / UNITS tasks (at least\n"
    "one), each hosted by UNITS units (default 60), led by one to three of seven leaders or by\n"
    "各位县长. The same SEED (default 1), ROWS and UNITS give the same bytes. About 330 bytes a\n"
    "rated row.\n"
    "\n"
    "  -V   print the generator's output version (changes when the bytes would)\n"
    "\n"
    "example: gen_rated -n 100000 -d build/bench-data/rated-100000 && ducha-xlsx \\\n"
    "             -c build/bench-data/rated-100000/catalog --rated .../rated.csv ...\n";

#define GEN_VERSION 1

static uint64_t rng_state;

static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static unsigned rnd(unsigned n)
{
    return (unsigned)(((rng_next() >> 32) * (uint64_t)n) >> 32);
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define PICK(a) ((a)[rnd(COUNT(a))])

static const char *const leaders[] = {"王君磊", "朱亚峰", "张艳丽", "张雷",
                                      "杨振邦", "王燕军", "孙晓伟"};
static const char *const verbs[] = {"推进", "完善", "加快", "深化", "落实", "实施", "强化"};
static const char *const objects[] = {
    "高标准农田建设", "重点项目攻坚", "营商环境优化", "城市品质提升", "智慧社区建设",
    "河道综合治理",   "老旧小区改造", "职业教育发展", "医保智能监管", "农村人居环境整治"};
static const char *const narratives[] = {
    "已完成年度任务的%u%%，召开专题调度会%u次，解决问题%u个。",
    "项目主体完工%u%%，完成投资%u亿元，新增就业%u人。",
    "累计完成%u%%，开展督导检查%u次，整改问题%u项，群众满意度持续提升。",
};
static const char *const problems[] = {"", "", "资金到位不足。", "审批手续办理周期较长。",
                                       "部分群众思想工作难做，协调难度较大。"};
static const char *const steps[] = {"持续跟踪调度，确保按期完成。", "加快资金拨付，倒排工期。",
                                    "强化督导，压实责任。"};

static FILE *open_out(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "w");
    if (!fp) {
        perror(path);
        exit(1);
    }
    return fp;
}

static void close_out(FILE *fp)
{
    if (ferror(fp) || fclose(fp) != 0) {
        perror("gen_rated: write");
        exit(1);
    }
}

int main(int argc, char **argv)
{
    unsigned long rows = 100000, seed = 1;
    unsigned units = 60;
    const char *dir = NULL;
    int c;
    while ((c = getopt(argc, argv, "s:n:u:d:Vh")) != -1) {
        switch (c) {
        case 's':
            seed = strtoul(optarg, NULL, 10);
            break;
        case 'n':
            rows = strtoul(optarg, NULL, 10);
            break;
        case 'u':
            units = (unsigned)strtoul(optarg, NULL, 10);
            break;
        case 'd':
            dir = optarg;
            break;
        case 'V':
            printf("%d\n", GEN_VERSION);
            return 0;
        case 'h':
            fputs(usage, stdout);
            return 0;
        default:
            fputs(usage, stderr);
            return 64;
        }
    }
    if (!dir || units == 0) {
        fputs(usage, stderr);
        return 64;
    }
    rng_state = seed;
    char sub[4096];
    snprintf(sub, sizeof sub, "%s/catalog", dir);
    mkdir(dir, 0777);
    mkdir(sub, 0777);
    unsigned long ntasks = rows / units ? rows / units : 1;

    FILE *fp = open_out(sub, "units.csv");
    fputs("name,aliases,kind,members\n", fp);
    for (unsigned u = 0; u < units; u++)
        fprintf(fp, "%s%03u%s,,%s,\n", u % 5 ? "县第" : "第", u, u % 5 ? "局" : "镇",
                u % 5 ? "department" : "town");
    close_out(fp);

    fp = open_out(sub, "cycles.csv");
    fputs("id,label,start,end,deadline,expected\n2023H1,2023年上半年,2023-01-01,2023-06-30,"
          "2023-06-30,50\n",
          fp);
    close_out(fp);

    fp = open_out(sub, "tasks.csv");
    fputs("id,kind,title,text,leaders,hosts,cohosts\n", fp);
    for (unsigned long t = 0; t < ntasks; t++) {
        const char *v = PICK(verbs), *o = PICK(objects);
        fprintf(fp, "%lu,%s,%s%s,%s%s，确保年底前全面完成年度目标任务。,", t + 1,
                t % 8 == 7 ? "livelihood" : "key", v, o, v, o);
        if (t % 20 == 19) {
            fputs("各位县长", fp);
        } else {
            unsigned n = 1 + rnd(3), first = rnd(COUNT(leaders));
            for (unsigned k = 0; k < n; k++)
                fprintf(fp, "%s%s", k ? "|" : "", leaders[(first + k) % COUNT(leaders)]);
        }
        fputc(',', fp);
        for (unsigned u = 0; u < units; u++)
            fprintf(fp, "%s%s%03u%s", u ? "|" : "", u % 5 ? "县第" : "第", u, u % 5 ? "局" : "镇");
        fputs(",\n", fp);
    }
    close_out(fp);

    fp = open_out(dir, "rated.csv");
    fputs("task_id,unit,group,owner,phone,progress,status,value,narrative,problems,next_steps,"
          "reported_on,late,missing,flags,source,line,indicators,notes,expected,gap,colour,"
          "reason,prev_progress,arrow\n",
          fp);
    for (unsigned long r = 0; r < rows; r++) {
        unsigned long t = r / units % ntasks;
        unsigned u = (unsigned)(r % units);
        bool missing = rnd(100) < 4, late = !missing && rnd(100) < 6;
        unsigned progress = rnd(101), prev = rnd(progress + 1);
        int gap = (int)progress - 50;
        const char *colour = missing || gap <= -20 ? "red" : gap < 0 ? "yellow" : "blue";
        char unit[64];
        snprintf(unit, sizeof unit, "%s%03u%s", u % 5 ? "县第" : "第", u, u % 5 ? "局" : "镇");
        if (missing) {
            fprintf(fp, "%lu,%s,%s,,,,未报送,,,,,,0,1,,,,,,50,,red,未报送,%u,same\n", t + 1, unit,
                    u % 5 ? "县直部门" : "镇街", prev);
            continue;
        }
        char narrative[256];
        snprintf(narrative, sizeof narrative, PICK(narratives), progress, 1 + rnd(20), 1 + rnd(50));
        fprintf(fp,
                "%lu,%s,%s,%s%s,0537-68%05u,%u,%s,,%s,%s,%s,2023-%s,%d,0,,returns/%s.csv,%u,,,"
                "50,%d,%s,%s,%u,%s\n",
                t + 1, unit, u % 5 ? "县直部门" : "镇街", PICK(leaders), "（联络员）", rnd(100000),
                progress,
                progress == 100 ? "已完成"
                : progress == 0 ? "未启动"
                : gap < 0       ? "滞后"
                                : "序时推进",
                narrative, PICK(problems), PICK(steps), late ? "07-03" : "06-28", late ? 1 : 0,
                unit, 3 + rnd(200), gap, colour, gap < 0 ? "落后序时进度" : "达到序时进度", prev,
                progress > prev ? "up" : "same");
    }
    close_out(fp);

    fp = open_out(dir, "ranks.csv");
    fputs("unit,group,tasks,blue,yellow,red,missing,late,score,rank,prev_rank,move\n", fp);
    for (unsigned u = 0; u < units; u++)
        fprintf(fp, "%s%03u%s,%s,%lu,%lu,%lu,%lu,%lu,%lu,%.1f,%u,%u,↑1\n", u % 5 ? "县第" : "第", u,
                u % 5 ? "局" : "镇", u % 5 ? "县直部门" : "镇街", ntasks, ntasks / 2, ntasks / 4,
                ntasks / 4, ntasks / 25, ntasks / 16, 90.0 - u, u / 5 + 1, u / 5 + 2);
    close_out(fp);
    return 0;
}
