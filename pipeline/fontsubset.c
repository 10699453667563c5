/* fontsubset — a TrueType font cut down to the glyphs a document draws (HarfBuzz's subsetter). */
#include "fontsubset.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <hb-subset.h>

/* The tables libharu 2.3.0 embeds (its REQUIRED_TAGS); every other table of the face is
 * dropped, as libharu drops it, so the subset differs from what libharu wrote only in the
 * glyphs it holds. */
static const char keep[][5] = {"OS/2", "cmap", "cvt ", "fpgm", "glyf", "head", "hhea",
                               "hmtx", "loca", "maxp", "name", "post", "prep"};

static bool kept(hb_tag_t tag)
{
    for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++)
        if (tag == hb_tag_from_string(keep[i], 4))
            return true;
    return false;
}

/* Adds every table of FACE that libharu would not embed to the subsetter's drop set. */
static bool drop_others(hb_face_t *face, hb_subset_input_t *input)
{
    hb_set_t *drop = hb_subset_input_set(input, HB_SUBSET_SETS_DROP_TABLE_TAG);
    hb_tag_t tags[64];
    unsigned start = 0, total;
    do {
        unsigned count = sizeof tags / sizeof tags[0];
        total = hb_face_get_table_tags(face, start, &count, tags);
        for (unsigned i = 0; i < count; i++)
            if (!kept(tags[i]))
                hb_set_add(drop, tags[i]);
        start += count;
        if (!count)
            break;
    } while (start < total);
    return hb_set_allocation_successful(drop);
}

enum pl_status pl_fontsubset_make(const char *path, unsigned face_index, const uint16_t *cps,
                                  const uint16_t *gids, size_t n, uint8_t **data, size_t *len,
                                  uint16_t *new_gids)
{
    *data = NULL;
    *len = 0;
    enum pl_status st = PL_ERR_NOMEM;
    hb_face_t *face = NULL, *sub = NULL;
    hb_subset_input_t *input = NULL;
    hb_subset_plan_t *plan = NULL;
    hb_blob_t *out = NULL;
    /* The file is mapped, not read: only the tables and glyphs the subset takes are touched. */
    hb_blob_t *blob = hb_blob_create_from_file_or_fail(path);
    if (!blob)
        return PL_ERR_OPEN;
    face = hb_face_create(blob, face_index);
    if (!face || hb_face_get_glyph_count(face) == 0) {
        st = PL_ERR_OPEN;
        goto done;
    }
    input = hb_subset_input_create_or_fail();
    if (!input)
        goto done;
    /* Hinting is kept (the default) so that glyphs render as before at every size; so is
     * the outline of glyph 0, which libharu always embedded. */
    hb_subset_input_set_flags(input, HB_SUBSET_FLAGS_NOTDEF_OUTLINE);
    hb_set_t *glyphs = hb_subset_input_glyph_set(input);
    hb_set_t *unicodes = hb_subset_input_unicode_set(input);
    hb_set_add(glyphs, 0);
    for (size_t i = 0; i < n; i++) {
        hb_set_add(glyphs, gids[i]);
        hb_set_add(unicodes, cps[i]);
    }
    if (!hb_set_allocation_successful(glyphs) || !hb_set_allocation_successful(unicodes) ||
        !drop_others(face, input))
        goto done;
    plan = hb_subset_plan_create_or_fail(face, input);
    if (!plan) {
        st = PL_ERR_DATA;
        goto done;
    }
    const hb_map_t *map = hb_subset_plan_old_to_new_glyph_mapping(plan);
    for (size_t i = 0; i < n; i++) {
        hb_codepoint_t g = hb_map_get(map, gids[i]);
        if (g == HB_MAP_VALUE_INVALID || g > 0xFFFF) {
            st = PL_ERR_DATA;
            goto done;
        }
        new_gids[i] = (uint16_t)g;
    }
    sub = hb_subset_plan_execute_or_fail(plan);
    if (!sub) {
        st = PL_ERR_DATA;
        goto done;
    }
    out = hb_face_reference_blob(sub);
    unsigned size = 0;
    const char *bytes = hb_blob_get_data(out, &size);
    if (!bytes || !size) {
        st = PL_ERR_DATA;
        goto done;
    }
    *data = malloc(size);
    if (!*data)
        goto done;
    memcpy(*data, bytes, size);
    *len = size;
    st = PL_OK;
done:
    hb_blob_destroy(out);
    hb_face_destroy(sub);
    hb_subset_plan_destroy(plan);
    hb_subset_input_destroy(input);
    hb_face_destroy(face);
    hb_blob_destroy(blob);
    return st;
}
