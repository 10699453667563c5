/* unitnames — splitting lists of names, unit kinds, aliases and canonical names. */
#include "unitnames.h"

#include <stdlib.h>
#include <string.h>

#include "docline.h"
#include "text.h"

/* ---- splitting ------------------------------------------------------------------------ */

static bool is_separator(uint32_t cp)
{
    return cp == 0x3001 /* 、 */ || cp == 0xFF0C /* ， */ || cp == ',' || cp == 0xFF1B /* ； */ ||
           cp == ';' || cp == '\n' || cp == '\r';
}

static bool is_none(const char *s, size_t len)
{
    static const char *const none[] = {"——", "—", "－", "-", "无", "/", "／"};
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++)
        if (len == strlen(none[i]) && memcmp(s, none[i], len) == 0)
            return true;
    return false;
}

static enum pl_status push_name(struct pl_strv *out, const char *s, size_t len)
{
    struct pl_buf b;
    pl_buf_init(&b);
    enum pl_status st = pl_buf_append(&b, s, len);
    if (st == PL_OK && !pl_strv_contains(out, b.data))
        st = pl_strv_push(out, b.data, b.len);
    pl_buf_fini(&b);
    return st;
}

static enum pl_status split_piece(const char *s, size_t len, struct pl_strv *out)
{
    struct pl_buf name;
    pl_buf_init(&name);
    enum pl_status st = pl_doc_squeeze(&name, s, len);
    if (st != PL_OK)
        goto done;
    while (name.len && (pl_doc_ends(name.data, name.len, "。") || name.data[name.len - 1] == '.'))
        name.len -= pl_doc_ends(name.data, name.len, "。") ? strlen("。") : 1;
    name.data[name.len] = '\0';
    if (name.len == 0 || is_none(name.data, name.len))
        goto done;
    static const char *const etc[] = {"等相关单位", "等单位", "等部门", "等"};
    for (size_t i = 0; i < sizeof etc / sizeof etc[0]; i++) {
        size_t n = strlen(etc[i]);
        if (name.len > n && pl_doc_ends(name.data, name.len, etc[i])) {
            st = push_name(out, name.data, name.len - n);
            if (st == PL_OK)
                st = push_name(out, "相关单位", strlen("相关单位"));
            goto done;
        }
    }
    st = push_name(out, name.data, name.len);
done:
    pl_buf_fini(&name);
    return st;
}

enum pl_status pl_names_split(const char *s, size_t len, struct pl_strv *out)
{
    size_t start = 0, i = 0;
    while (i <= len) {
        uint32_t cp = 0;
        size_t n = i < len ? pl_utf8_decode(s + i, len - i, &cp) : 0;
        if (i < len && n == 0)
            n = 1;
        if (i == len || is_separator(cp)) {
            enum pl_status st = split_piece(s + start, i - start, out);
            if (st != PL_OK)
                return st;
            if (i == len)
                break;
            start = i + n;
        }
        i += n;
    }
    return PL_OK;
}

enum pl_status pl_names_lead(const struct pl_strv *in, struct pl_strv *lead, struct pl_strv *rest)
{
    static const char *const marks[] = {"（牵头）", "(牵头)", "（牵头)", "(牵头）"};
    for (size_t i = 0; i < in->n; i++) {
        const char *s = in->v[i];
        size_t len = strlen(s), cut = len;
        for (size_t k = 0; k < sizeof marks / sizeof marks[0] && cut == len; k++)
            if (len > strlen(marks[k]) && pl_doc_ends(s, len, marks[k]))
                cut = len - strlen(marks[k]);
        char *name = strndup(s, cut);
        if (!name)
            return PL_ERR_NOMEM;
        enum pl_status st = pl_strv_push_unique(cut < len ? lead : rest, name);
        free(name);
        if (st != PL_OK)
            return st;
    }
    return PL_OK;
}

/* ---- kinds ---------------------------------------------------------------------------- */

static bool starts(const char *s, const char *w)
{
    return strncmp(s, w, strlen(w)) == 0;
}

static bool ends(const char *s, const char *w)
{
    return pl_doc_ends(s, strlen(s), w);
}

static bool has(const char *s, const char *w)
{
    return strstr(s, w) != NULL;
}

enum pl_unit_kind pl_unit_classify(const char *name, bool *known)
{
    bool dummy;
    if (!known)
        known = &dummy;
    *known = true;
    /* Collectives: "各…", "相关…", "…成员单位" and other "…单位", "县政府各部门", "承担…的部门". */
    if (starts(name, "各") || starts(name, "相关") || ends(name, "单位") || has(name, "各部门") ||
        (ends(name, "部门") && has(name, "的")))
        return PL_UNIT_COLLECTIVE;
    if (ends(name, "法院") || ends(name, "检察院"))
        return PL_UNIT_JUDICIAL;
    if (starts(name, "人民银行") || starts(name, "中国人民银行"))
        return PL_UNIT_VERTICAL;
    /* Vertically managed offices (垂直管理): the county government does not direct them
     * (DESIGN.md, Rules; 《政府督查工作条例》第五条). By their system's words: 税务, 消防救援,
     * 邮政管理, 气象, 烟草专卖, 海关, 金融监管 (银保监, 监管组, 监管分局), 国家统计局的调查队,
     * and any 分局 or 管理部 of a higher level (市生态环境局嘉祥县分局). */
    static const char *const vertical[] = {"税务局", "消防救援", "邮政管理局", "气象局", "烟草专卖",
                                           "海关", "银保监", "金融监管", "监管组", "监管分局",
                                           "调查队", "管理部"};
    for (size_t i = 0; i < sizeof vertical / sizeof vertical[0]; i++)
        if (has(name, vertical[i]))
            return PL_UNIT_VERTICAL;
    /* Banks and other lenders: 银行 (but 人民银行 above), 支行, 农商行, 信用社, 农村信用合作联社. */
    if (ends(name, "银行") || has(name, "支行") || has(name, "分行") || has(name, "农商行") ||
        has(name, "信用社") || has(name, "信用合作联社"))
        return PL_UNIT_BANK;
    if (ends(name, "公司") || ends(name, "集团"))
        return PL_UNIT_ENTERPRISE;
    if (has(name, "经开区") || has(name, "开发区") || has(name, "高新区"))
        return PL_UNIT_ZONE;
    if (!starts(name, "县") && !starts(name, "市") && !starts(name, "省") &&
        (ends(name, "镇") || ends(name, "街道") || ends(name, "乡")) &&
        pl_doc_chars(name, strlen(name)) <= 6)
        return PL_UNIT_TOWN;
    if (starts(name, "县委") || starts(name, "中共") || starts(name, "团县委"))
        return PL_UNIT_PARTY;
    if (ends(name, "联") || ends(name, "联合会") || ends(name, "供销社") || ends(name, "工会") ||
        ends(name, "科协") || ends(name, "红十字会"))
        return PL_UNIT_MASS;
    if (starts(name, "市") || starts(name, "省") || starts(name, "国家") ||
        (!starts(name, "县") && (has(name, "分局") || has(name, "监管组") || has(name, "调查队"))))
        return PL_UNIT_VERTICAL;
    if (starts(name, "县"))
        return PL_UNIT_DEPARTMENT;
    /* Public bodies whose name does not start with 县 (…园区建设发展服务中心). */
    if (ends(name, "中心") || ends(name, "局") || ends(name, "办公室") || ends(name, "委员会"))
        return PL_UNIT_DEPARTMENT;
    *known = false;
    return PL_UNIT_DEPARTMENT;
}

bool pl_unit_means_all_towns(const char *name)
{
    static const char *const all[] = {"各镇街", "各镇街道", "各镇（街道）", "各镇(街道)",
                                      "各乡镇", "各乡镇街道", "各乡镇（街道）", "各乡镇(街道)"};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (strcmp(name, all[i]) == 0)
            return true;
    return false;
}

/* ---- aliases -------------------------------------------------------------------------- */

/* Short forms of county bureaus (domain.md §6.4), keyed by the name without its leading 县.
 * The first short form is also given without 县 (发改局). */
static const char *const abbreviations[][5] = {
    {"发展和改革局", "发改局", NULL},
    {"发展改革局", "发改局", NULL},
    {"人力资源和社会保障局", "人社局", "人力资源社会保障局", NULL},
    {"住房和城乡建设局", "住建局", "住房城乡建设局", NULL},
    {"自然资源和规划局", "自然资源局", "自规局", "资规局", "自然资源规划局"},
    {"工业和信息化局", "工信局", NULL},
    {"科学技术局", "科技局", NULL},
    {"文化和旅游局", "文旅局", "文化旅游局", NULL},
    {"卫生健康局", "卫健局", NULL},
    {"教育和体育局", "教体局", NULL},
    {"市场监督管理局", "市场监管局", "市监局", NULL},
    {"医疗保障局", "医保局", NULL},
    {"应急管理局", "应急局", NULL},
    {"行政审批服务局", "行政审批局", "审批局", "审批服务局", NULL},
    {"交通运输局", "交通局", "交运局", NULL},
    {"乡村振兴局", "振兴局", NULL},
    {"退役军人事务局", "退役军人局", NULL},
    {"综合行政执法局", "综合执法局", NULL},
    {"大数据中心", "大数据局", NULL},
    {"机关事务服务中心", "机关事务中心", NULL},
    {"农业农村局", "农业局", NULL},
    {"消防救援大队", "消防大队", NULL},
    {"疾控中心", "疾病预防控制中心", NULL},
    {"妇联", "妇女联合会", NULL},
    {"残联", "残疾人联合会", NULL},
    {"供销社", "供销合作社", NULL},
    {"人居办", "农村人居环境整治推进办公室", NULL},
};

static enum pl_status add_alias(struct pl_strv *out, const char *self, const char *a, size_t len)
{
    if (len == 0 || (strlen(self) == len && memcmp(self, a, len) == 0))
        return PL_OK;
    struct pl_buf b;
    pl_buf_init(&b);
    enum pl_status st = pl_buf_append(&b, a, len);
    if (st == PL_OK)
        st = pl_strv_push_unique(out, b.data);
    pl_buf_fini(&b);
    return st;
}

static enum pl_status add_fmt(struct pl_strv *out, const char *self, const char *a,
                              const char *b, const char *c)
{
    struct pl_buf s;
    pl_buf_init(&s);
    enum pl_status st = pl_buf_append_str(&s, a);
    if (st == PL_OK && b)
        st = pl_buf_append_str(&s, b);
    if (st == PL_OK && c)
        st = pl_buf_append_str(&s, c);
    if (st == PL_OK)
        st = add_alias(out, self, s.data, s.len);
    pl_buf_fini(&s);
    return st;
}

enum pl_status pl_county_short(const char *county, struct pl_buf *out)
{
    size_t len = strlen(county);
    if (pl_doc_chars(county, len) > 2 &&
        (ends(county, "县") || ends(county, "区") || ends(county, "市") || ends(county, "旗")))
        len -= strlen("县");
    return pl_buf_append(out, county, len);
}

enum pl_status pl_unit_aliases(const char *name, enum pl_unit_kind kind, const char *county,
                               struct pl_strv *out)
{
    enum pl_status st = PL_OK;
    struct pl_buf shortc;
    pl_buf_init(&shortc);
    if (county)
        st = pl_county_short(county, &shortc);
    const char *rest = starts(name, "县") ? name + strlen("县") : NULL;
    if (rest && kind != PL_UNIT_COLLECTIVE) {
        for (size_t i = 0; i < sizeof abbreviations / sizeof abbreviations[0] && st == PL_OK; i++) {
            if (strcmp(rest, abbreviations[i][0]) != 0)
                continue;
            for (int k = 1; k < 5 && abbreviations[i][k] && st == PL_OK; k++)
                st = add_fmt(out, name, "县", abbreviations[i][k], NULL);
            if (st == PL_OK)
                st = add_fmt(out, name, abbreviations[i][1], NULL, NULL);
        }
        /* 县委编办 → 编办, 嘉祥县委编办; 县财政局 → 财政局, 嘉祥县财政局. */
        const char *bare = starts(rest, "委") ? rest + strlen("委") : rest;
        if (st == PL_OK && pl_doc_chars(bare, strlen(bare)) >= 2)
            st = add_fmt(out, name, bare, NULL, NULL);
        if (st == PL_OK && county)
            st = add_fmt(out, name, county, rest, NULL);
    }
    if (st == PL_OK && kind == PL_UNIT_ZONE && strcmp(name, "县经开区") == 0) {
        st = add_fmt(out, name, "县经济开发区", NULL, NULL);
        if (st == PL_OK && county) {
            const char *forms[] = {"经济开发区", "经济开发区管委会", "经开区"};
            for (int k = 0; k < 3 && st == PL_OK; k++) {
                st = add_fmt(out, name, county, forms[k], NULL);
                if (st == PL_OK)
                    st = add_fmt(out, name, shortc.data, forms[k], NULL);
            }
        }
    }
    if (st == PL_OK && kind == PL_UNIT_TOWN) {
        if (ends(name, "街道")) {
            st = add_fmt(out, name, name, "办事处", NULL);
        } else {
            st = add_fmt(out, name, name, "人民政府", NULL);
            if (st == PL_OK)
                st = add_fmt(out, name, name, "政府", NULL);
        }
    }
    if (st == PL_OK && pl_unit_means_all_towns(name)) {
        st = add_fmt(out, name, "各镇（街道）", NULL, NULL);
        if (st == PL_OK)
            st = add_fmt(out, name, "各镇街道", NULL, NULL);
    }
    if (st == PL_OK && county) {
        struct pl_buf full;
        pl_buf_init(&full);
        /* Higher-level and vertical units stationed in the county. */
        st = pl_buf_printf(&full, "市生态环境局%s分局", county);
        if (st == PL_OK && strcmp(name, full.data) == 0) {
            const char *forms[] = {"县生态环境分局", "生态环境分局", "县环保局", "县环境局"};
            for (int k = 0; k < 4 && st == PL_OK; k++)
                st = add_fmt(out, name, forms[k], NULL, NULL);
        }
        if (st == PL_OK && strcmp(name, "县税务局") == 0)
            st = add_fmt(out, name, "国家税务总局", county, "税务局");
        if (st == PL_OK && strcmp(name, "县供电公司") == 0)
            st = add_fmt(out, name, "国网", county, "供电公司");
        pl_buf_fini(&full);
    }
    pl_buf_fini(&shortc);
    return st;
}

/* ---- short names ---------------------------------------------------------------------- */

/* The standard short forms (规范简称) of county bodies, keyed by the name without its leading
 * 县: only forms in current official use. Never a name from before the 2018–19 institutional
 * reform (农业局 for 农业农村局, 消防大队 for 消防救援大队, 交通局, 环保局) and never another
 * body's name (大数据局 is not 大数据中心; 振兴局, 审批局 are not in use): a unit with no entry
 * here keeps its own name. */
static const char *const short_forms[][2] = {
    {"发展和改革局", "发改局"},       {"发展改革局", "发改局"},
    {"人力资源和社会保障局", "人社局"}, {"住房和城乡建设局", "住建局"},
    {"自然资源和规划局", "自然资源局"}, {"工业和信息化局", "工信局"},
    {"科学技术局", "科技局"},         {"文化和旅游局", "文旅局"},
    {"卫生健康局", "卫健局"},         {"教育和体育局", "教体局"},
    {"市场监督管理局", "市场监管局"},   {"医疗保障局", "医保局"},
    {"应急管理局", "应急局"},         {"综合行政执法局", "综合执法局"},
    {"退役军人事务局", "退役军人局"},   {"机关事务服务中心", "机关事务中心"},
    {"疾病预防控制中心", "疾控中心"},   {"妇女联合会", "妇联"},
    {"残疾人联合会", "残联"},         {"供销合作社", "供销社"},
    {"农村人居环境整治推进办公室", "人居办"},
};

/* Names from before the reform: never a short name, whatever a table or staff say. */
static const char *const pre_reform[] = {"农业局", "交通局", "消防大队", "环保局", "环境保护局",
                                         "国土资源局", "国土局", "规划局", "安监局", "食药监局",
                                         "工商局", "质监局", "卫计局", "文广新局", "粮食局"};

bool pl_unit_name_pre_reform(const char *name)
{
    const char *rest = starts(name, "县") ? name + strlen("县") : name;
    for (size_t i = 0; i < sizeof pre_reform / sizeof pre_reform[0]; i++)
        if (strcmp(rest, pre_reform[i]) == 0)
            return true;
    return false;
}

enum pl_status pl_unit_short_form(const char *name, enum pl_unit_kind kind, struct pl_buf *out)
{
    const char *rest = starts(name, "县") ? name + strlen("县") : NULL;
    if (rest && kind != PL_UNIT_COLLECTIVE) {
        for (size_t i = 0; i < sizeof short_forms / sizeof short_forms[0]; i++)
            if (strcmp(rest, short_forms[i][0]) == 0)
                return pl_buf_printf(out, "县%s", short_forms[i][1]);
    }
    return pl_buf_append_str(out, name);
}

/* U's short name by rule; its own name when the short form would name another unit (by name or
 * alias) or is a pre-reform name. */
static enum pl_status set_short_name(struct pl_catalog *cat, struct pl_unit *u)
{
    struct pl_buf sh, key, other;
    pl_buf_init(&sh);
    pl_buf_init(&key);
    pl_buf_init(&other);
    enum pl_status st = pl_unit_short_form(u->name, u->kind, &sh);
    bool ok = st == PL_OK && !pl_unit_name_pre_reform(sh.data);
    if (ok && strcmp(sh.data, u->name) != 0)
        st = pl_text_match_key(&key, sh.data, sh.len);
    for (size_t i = 0; ok && st == PL_OK && key.len && i < cat->nunits; i++) {
        const struct pl_unit *v = &cat->units[i];
        if (v == u)
            continue;
        for (size_t a = 0; a <= v->aliases.n && ok && st == PL_OK; a++) {
            const char *n = a == 0 ? v->name : v->aliases.v[a - 1];
            pl_buf_clear(&other);
            st = pl_text_match_key(&other, n, strlen(n));
            if (st == PL_OK && strcmp(other.data, key.data) == 0)
                ok = false;
        }
    }
    if (st == PL_OK)
        u->short_name = strdup(ok ? sh.data : u->name);
    if (st == PL_OK && !u->short_name)
        st = PL_ERR_NOMEM;
    pl_buf_fini(&sh);
    pl_buf_fini(&key);
    pl_buf_fini(&other);
    return st;
}

/* ---- towns enumerated in a text ------------------------------------------------------- */

static bool is_ideograph(uint32_t cp)
{
    return cp >= 0x4E00 && cp <= 0x9FFF;
}

enum pl_status pl_names_find_towns(const char *text, size_t len, struct pl_strv *out)
{
    static const char *const suffixes[] = {"街道", "镇", "乡"};
    for (size_t i = 0; i < len; i++) {
        for (size_t k = 0; k < 3; k++) {
            size_t n = strlen(suffixes[k]);
            if (i + n >= len || memcmp(text + i, suffixes[k], n) != 0)
                continue;
            uint32_t cp;
            int d;
            size_t m = pl_utf8_decode(text + i + n, len - i - n, &cp);
            if (m == 0 || !pl_doc_digit(cp, &d))
                continue;
            /* Walk back over the ideographs of the name. */
            size_t start = i, chars = 0;
            while (start > 0) {
                size_t p = start - 1;
                while (p > 0 && ((unsigned char)text[p] & 0xC0) == 0x80)
                    p--;
                if (pl_utf8_decode(text + p, start - p, &cp) == 0 || !is_ideograph(cp))
                    break;
                start = p;
                chars++;
            }
            if (chars < 1 || chars > 5)
                continue;
            enum pl_status st = add_alias(out, "", text + start, i + n - start);
            if (st != PL_OK)
                return st;
            break;
        }
    }
    return PL_OK;
}

/* ---- registry ------------------------------------------------------------------------- */

struct reg_entry {
    char *name;
    char *vkey; /* match key without 和: spellings with the same vkey are one unit */
    unsigned long first_line;
    size_t uses;
    size_t canon;     /* index of the group's canonical entry */
    bool short_form;  /* merged because it is a short form of the canonical name */
};

struct pl_unitreg {
    struct reg_entry *v;
    size_t n, cap;
};

struct pl_unitreg *pl_unitreg_new(void)
{
    return calloc(1, sizeof(struct pl_unitreg));
}

void pl_unitreg_free(struct pl_unitreg *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++) {
        free(r->v[i].name);
        free(r->v[i].vkey);
    }
    free(r->v);
    free(r);
}

static enum pl_status variant_key(const char *name, char **out)
{
    struct pl_buf key, stripped;
    pl_buf_init(&key);
    pl_buf_init(&stripped);
    enum pl_status st = pl_text_match_key(&key, name, strlen(name));
    const char *he = "和";
    for (size_t i = 0; st == PL_OK && i < key.len;) {
        if (pl_doc_starts(key.data + i, key.len - i, he)) {
            i += strlen(he);
            continue;
        }
        st = pl_buf_append_char(&stripped, key.data[i++]);
    }
    *out = st == PL_OK ? pl_buf_take(&stripped) : NULL;
    if (st == PL_OK && !*out)
        st = PL_ERR_NOMEM;
    pl_buf_fini(&key);
    pl_buf_fini(&stripped);
    return st;
}

enum pl_status pl_unitreg_note(struct pl_unitreg *r, const char *name, unsigned long line)
{
    for (size_t i = 0; i < r->n; i++) {
        if (strcmp(r->v[i].name, name) == 0) {
            r->v[i].uses++;
            return PL_OK;
        }
    }
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        struct reg_entry *v = realloc(r->v, cap * sizeof *v);
        if (!v)
            return PL_ERR_NOMEM;
        r->v = v;
        r->cap = cap;
    }
    struct reg_entry *e = &r->v[r->n];
    memset(e, 0, sizeof *e);
    e->name = strdup(name);
    if (!e->name)
        return PL_ERR_NOMEM;
    enum pl_status st = variant_key(name, &e->vkey);
    if (st != PL_OK) {
        free(e->name);
        return st;
    }
    e->first_line = line;
    e->uses = 1;
    e->canon = r->n;
    r->n++;
    return PL_OK;
}

const char *pl_unitreg_canonical(const struct pl_unitreg *r, const char *name)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->v[i].name, name) == 0)
            return r->v[r->v[i].canon].name;
    return name;
}

/* Drops every alias whose match key names another unit or is another unit's alias too. */
static enum pl_status drop_clashing_aliases(struct pl_catalog *cat)
{
    enum pl_status st = PL_OK;
    struct pl_strv keys;
    pl_strv_init(&keys);
    size_t *owner = NULL;
    size_t total = cat->nunits;
    for (size_t u = 0; u < cat->nunits; u++)
        total += cat->units[u].aliases.n;
    owner = calloc(total ? total : 1, sizeof *owner);
    bool *clash = calloc(total ? total : 1, sizeof *clash);
    struct pl_buf key;
    pl_buf_init(&key);
    if (!owner || !clash) {
        st = PL_ERR_NOMEM;
        goto done;
    }
    /* keys[0..nunits) are the names, then every alias in unit order. */
    for (size_t u = 0; u < cat->nunits && st == PL_OK; u++) {
        pl_buf_clear(&key);
        st = pl_text_match_key(&key, cat->units[u].name, strlen(cat->units[u].name));
        if (st == PL_OK) {
            owner[keys.n] = u;
            st = pl_strv_push(&keys, key.data, key.len);
        }
    }
    for (size_t u = 0; u < cat->nunits && st == PL_OK; u++) {
        const struct pl_strv *al = &cat->units[u].aliases;
        for (size_t a = 0; a < al->n && st == PL_OK; a++) {
            pl_buf_clear(&key);
            st = pl_text_match_key(&key, al->v[a], strlen(al->v[a]));
            if (st == PL_OK) {
                owner[keys.n] = u;
                st = pl_strv_push(&keys, key.data, key.len);
            }
        }
    }
    if (st != PL_OK)
        goto done;
    for (size_t i = cat->nunits; i < keys.n; i++)
        for (size_t j = 0; j < keys.n; j++)
            if (j != i && owner[j] != owner[i] && strcmp(keys.v[i], keys.v[j]) == 0)
                clash[i] = true;
    size_t k = cat->nunits;
    for (size_t u = 0; u < cat->nunits; u++) {
        struct pl_strv *al = &cat->units[u].aliases;
        size_t w = 0;
        for (size_t a = 0; a < al->n; a++, k++) {
            if (clash[k])
                free(al->v[a]);
            else
                al->v[w++] = al->v[a];
        }
        al->n = w;
    }
done:
    pl_buf_fini(&key);
    free(owner);
    free(clash);
    pl_strv_fini(&keys);
    return st;
}

/* A name that is a usual short form of another unit's name (县人社局 of 县人力资源和社会保障局,
 * 财政局 of 县财政局) is that unit: its group joins the full name's, which stays canonical. */
static enum pl_status merge_short_forms(struct pl_unitreg *r, const char *county)
{
    enum pl_status st = PL_OK;
    struct pl_buf key;
    pl_buf_init(&key);
    for (size_t i = 0; i < r->n && st == PL_OK; i++) {
        if (r->v[i].canon != i)
            continue;
        struct pl_strv aliases, keys;
        pl_strv_init(&aliases);
        pl_strv_init(&keys);
        st = pl_unit_aliases(r->v[i].name, pl_unit_classify(r->v[i].name, NULL), county,
                             &aliases);
        for (size_t a = 0; a < aliases.n && st == PL_OK; a++) {
            pl_buf_clear(&key);
            st = pl_text_match_key(&key, aliases.v[a], strlen(aliases.v[a]));
            if (st == PL_OK)
                st = pl_strv_push(&keys, key.data, key.len);
        }
        for (size_t j = 0; j < r->n && st == PL_OK; j++) {
            if (j == i || r->v[j].canon != j)
                continue;
            pl_buf_clear(&key);
            st = pl_text_match_key(&key, r->v[j].name, strlen(r->v[j].name));
            if (st != PL_OK || !pl_strv_contains(&keys, key.data))
                continue;
            for (size_t k = 0; k < r->n; k++) {
                if (r->v[k].canon == j) {
                    r->v[k].canon = i;
                    r->v[k].short_form = true;
                }
            }
        }
        pl_strv_fini(&aliases);
        pl_strv_fini(&keys);
    }
    pl_buf_fini(&key);
    return st;
}

enum pl_status pl_unitreg_finish(struct pl_unitreg *r, const char *county,
                                 const struct pl_strv *towns, const char *file,
                                 struct pl_diag *diag, struct pl_catalog *cat)
{
    /* Groups: the most used spelling is canonical, the first met wins a tie. */
    for (size_t i = 0; i < r->n; i++) {
        r->v[i].canon = i;
        for (size_t j = 0; j < i; j++) {
            if (strcmp(r->v[i].vkey, r->v[j].vkey) == 0) {
                r->v[i].canon = r->v[j].canon;
                break;
            }
        }
        size_t c = r->v[i].canon;
        if (c != i && r->v[i].uses > r->v[c].uses) {
            for (size_t j = 0; j <= i; j++)
                if (r->v[j].canon == c)
                    r->v[j].canon = i;
        }
    }
    enum pl_status st = merge_short_forms(r, county);
    if (st != PL_OK)
        return st;
    for (size_t i = 0; i < r->n; i++) {
        const struct reg_entry *e = &r->v[i];
        if (e->canon == i)
            continue;
        const char *canon = r->v[e->canon].name;
        if (e->short_form)
            pl_diag_report(diag, file, e->first_line, 0, "W_UNIT_VARIANT",
                           "“%s”是“%s”的简称，按“%s”处理（别名）", e->name, canon, canon);
        else
            pl_diag_report(diag, file, e->first_line, 0, "W_UNIT_VARIANT",
                           "“%s”与“%s”是同一单位的两种写法，按“%s”处理（别名）", e->name, canon,
                           canon);
    }
    /* Units in order of first use: the group's earliest entry decides. */
    struct pl_strv order;
    pl_strv_init(&order);
    for (size_t i = 0; i < r->n && st == PL_OK; i++)
        st = pl_strv_push_unique(&order, r->v[r->v[i].canon].name);
    for (size_t t = 0; towns && t < towns->n && st == PL_OK; t++)
        st = pl_strv_push_unique(&order, towns->v[t]);
    for (size_t o = 0; o < order.n && st == PL_OK; o++) {
        const char *name = order.v[o];
        bool known;
        enum pl_unit_kind kind = pl_unit_classify(name, &known);
        long at = -1;
        for (size_t i = 0; i < r->n && at < 0; i++)
            if (strcmp(r->v[i].name, name) == 0)
                at = (long)i;
        unsigned long line = at >= 0 ? r->v[at].first_line : 0;
        if (!known)
            pl_diag_report(diag, file, line, 0, "W_UNIT_KIND",
                           "无法从名称判断“%s”是哪类单位，按县直部门（department）处理", name);
        if (kind == PL_UNIT_TOWN && towns && towns->n > 0 && !pl_strv_contains(towns, name))
            pl_diag_report(diag, file, line, 0, "W_TOWN_UNLISTED",
                           "“%s”不在附件2列出的镇街之中，未算作“各镇街”的成员", name);
        struct pl_unit *u = pl_catalog_add_unit(cat);
        if (!u || !(u->name = strdup(name))) {
            st = PL_ERR_NOMEM;
            break;
        }
        u->kind = kind;
        for (size_t i = 0; i < r->n && st == PL_OK; i++)
            if (at >= 0 && r->v[i].canon == r->v[at].canon && (long)i != at)
                st = pl_strv_push_unique(&u->aliases, r->v[i].name);
        if (st == PL_OK)
            st = pl_unit_aliases(name, kind, county, &u->aliases);
        if (st == PL_OK && pl_unit_means_all_towns(name) && towns)
            st = pl_strv_copy(&u->members, towns);
    }
    pl_strv_fini(&order);
    if (st == PL_OK)
        st = drop_clashing_aliases(cat);
    for (size_t i = 0; i < cat->nunits && st == PL_OK; i++)
        st = set_short_name(cat, &cat->units[i]);
    return st;
}
