/* pdf_haru — libharu-internal calls, isolated (see pdf_haru.h for why). */
#include "pdf_haru.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include <hpdf_doc.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_mmgr.h>
#include <hpdf_objects.h>
#include <hpdf_utils.h>
#include <string.h>

void *pl_haru_fontdef(HPDF_Doc pdf, const char *name)
{
    return HPDF_GetFontDef(pdf, name);
}

/* What libharu 2.3.0's HPDF_TTFontDef_GetGlyphid answers for every BMP code point, computed
 * in one sweep over the format-4 segments instead of one linear walk per code point. The
 * walk finds the first segment whose end is at or above the code; as codes rise, that
 * segment never moves back, so one pointer serves them all. libharu's own edge cases are
 * kept: a code past the last segment, or a glyph index outside the glyph array, is 0 (where
 * libharu would read past its arrays, which no well-formed font makes it do). */
static void decode_format4(const HPDF_TTF_CmapRange *c, HPDF_UINT16 *gids)
{
    unsigned segs = c->seg_count_x2 / 2u, i = 0;
    for (uint32_t u = 0; u < 65536; u++) {
        while (i < segs && u > c->end_count[i])
            i++;
        HPDF_UINT16 gid = 0;
        if (i < segs && c->start_count[i] <= u) {
            if (c->id_range_offset[i] == 0) {
                gid = (HPDF_UINT16)(u + (HPDF_UINT16)c->id_delta[i]);
            } else {
                HPDF_UINT idx = c->id_range_offset[i] / 2u + (u - c->start_count[i]) - (segs - i);
                if (idx < c->glyph_id_array_count)
                    gid = (HPDF_UINT16)(c->glyph_id_array[idx] + (HPDF_UINT16)c->id_delta[i]);
            }
        }
        gids[u] = gid;
    }
}

HPDF_STATUS pl_haru_direct_cmap(void *def, uint16_t *gids)
{
    HPDF_FontDef fd = def;
    HPDF_TTFontDefAttr attr = (HPDF_TTFontDefAttr)fd->attr;
    HPDF_TTF_CmapRange *c = &attr->cmap;
    if (c->format != 4 || c->seg_count_x2 == 0) {
        /* Format 0 is already a table; a format-4 cmap without segments maps nothing (and
         * libharu flags an error on every lookup). */
        for (uint32_t u = 0; u < 65536; u++)
            gids[u] = c->format == 0 ? HPDF_TTFontDef_GetGlyphid(fd, (HPDF_UINT16)u) : 0;
        return HPDF_OK;
    }
    HPDF_UINT16 *end = HPDF_GetMem(fd->mmgr, sizeof *end);
    HPDF_UINT16 *start = HPDF_GetMem(fd->mmgr, sizeof *start);
    HPDF_INT16 *delta = HPDF_GetMem(fd->mmgr, sizeof *delta);
    HPDF_UINT16 *range = HPDF_GetMem(fd->mmgr, sizeof *range);
    HPDF_UINT16 *table = HPDF_GetMem(fd->mmgr, 65536 * sizeof *table);
    if (!end || !start || !delta || !range || !table) {
        HPDF_FreeMem(fd->mmgr, end);
        HPDF_FreeMem(fd->mmgr, start);
        HPDF_FreeMem(fd->mmgr, delta);
        HPDF_FreeMem(fd->mmgr, range);
        HPDF_FreeMem(fd->mmgr, table);
        return HPDF_FAILD_TO_ALLOC_MEM;
    }
    decode_format4(c, table);
    memcpy(gids, table, 65536 * sizeof *gids);
    HPDF_FreeMem(fd->mmgr, c->end_count);
    HPDF_FreeMem(fd->mmgr, c->start_count);
    HPDF_FreeMem(fd->mmgr, c->id_delta);
    HPDF_FreeMem(fd->mmgr, c->id_range_offset);
    HPDF_FreeMem(fd->mmgr, c->glyph_id_array);
    /* One segment 0..FFFF whose id_range_offset (2 = its own distance to the glyph array)
     * makes libharu's index exactly the code point: idx = 2/2 + (u - 0) - (1 - 0) = u. */
    *end = 0xFFFF;
    *start = 0;
    *delta = 0;
    *range = 2;
    c->end_count = end;
    c->start_count = start;
    c->id_delta = delta;
    c->id_range_offset = range;
    c->glyph_id_array = table;
    c->glyph_id_array_count = 65536;
    c->seg_count_x2 = 2;
    return HPDF_OK;
}

HPDF_Font pl_haru_get_font(HPDF_Doc pdf, void *def, const char *name)
{
    HPDF_TTF_CmapRange *c = &((HPDF_TTFontDefAttr)((HPDF_FontDef)def)->attr)->cmap;
    bool direct = c->format == 4 && c->seg_count_x2 == 2 && c->glyph_id_array_count == 65536;
    HPDF_UINT16 *zeros = direct ? calloc(65536, sizeof *zeros) : NULL;
    HPDF_UINT16 *table = c->glyph_id_array;
    if (zeros)
        c->glyph_id_array = zeros;
    HPDF_Font font = HPDF_GetFont(pdf, name, "UTF-8");
    c->glyph_id_array = table;
    free(zeros);
    return font;
}

unsigned pl_haru_glyph(void *def, uint32_t cp)
{
    if (cp > 0xFFFF)
        return 0;
    return HPDF_TTFontDef_GetGlyphid((HPDF_FontDef)def, (HPDF_UINT16)cp);
}

int pl_haru_width(void *def, uint32_t cp)
{
    if (cp > 0xFFFF)
        return 0;
    return HPDF_TTFontDef_GetCharWidth((HPDF_FontDef)def, (HPDF_UINT16)cp);
}

static const char cmap_head[] =
    "/CIDInit /ProcSet findresource begin\n"
    "12 dict begin\n"
    "begincmap\n"
    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
    "/CMapName /Adobe-Identity-UCS def\n"
    "/CMapType 2 def\n"
    "1 begincodespacerange\n"
    "<0000> <FFFF>\n"
    "endcodespacerange\n";

static const char cmap_tail[] = "endcmap\n"
                                "CMapName currentdict /CMap defineresource pop\n"
                                "end\n"
                                "end\n";

HPDF_STATUS pl_haru_set_tounicode(HPDF_Doc pdf, HPDF_Font font, const uint16_t *cps, size_t n)
{
    HPDF_Dict stream = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    if (!stream)
        return HPDF_GetError(pdf);
    stream->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    HPDF_STATUS st = HPDF_Stream_WriteStr(stream->stream, cmap_head);
    char line[32];
    /* A CMap block holds at most 100 entries. */
    for (size_t i = 0; i < n && st == HPDF_OK; i += 100) {
        size_t m = n - i < 100 ? n - i : 100;
        snprintf(line, sizeof line, "%zu beginbfchar\n", m);
        st = HPDF_Stream_WriteStr(stream->stream, line);
        for (size_t j = 0; j < m && st == HPDF_OK; j++) {
            snprintf(line, sizeof line, "<%04X> <%04X>\n", cps[i + j], cps[i + j]);
            st = HPDF_Stream_WriteStr(stream->stream, line);
        }
        if (st == HPDF_OK)
            st = HPDF_Stream_WriteStr(stream->stream, "endbfchar\n");
    }
    if (st == HPDF_OK)
        st = HPDF_Stream_WriteStr(stream->stream, cmap_tail);
    if (st == HPDF_OK)
        st = HPDF_Dict_Add(font, "ToUnicode", stream);
    return st;
}

HPDF_STATUS pl_haru_shrink_cid_tables(HPDF_Font font, const uint16_t *cps, const uint16_t *gids,
                                      size_t n)
{
    HPDF_FontAttr attr = (HPDF_FontAttr)font->attr;
    HPDF_Dict cid = attr->descendant_font;
    HPDF_FontDef def = attr->fontdef;
    if (!cid || !n)
        return HPDF_OK;
    HPDF_Array w = HPDF_Array_New(font->mmgr);
    if (!w)
        return HPDF_FAILD_TO_ALLOC_MEM;
    HPDF_STATUS st = HPDF_Dict_Add(cid, "W", w);
    HPDF_Array run = NULL;
    for (size_t i = 0; i < n && st == HPDF_OK; i++) {
        if (!run || cps[i] != cps[i - 1] + 1) {
            run = HPDF_Array_New(font->mmgr);
            if (!run)
                return HPDF_FAILD_TO_ALLOC_MEM;
            st = HPDF_Array_AddNumber(w, cps[i]);
            if (st == HPDF_OK)
                st = HPDF_Array_Add(w, run);
        }
        if (st == HPDF_OK)
            st = HPDF_Array_AddNumber(run, HPDF_TTFontDef_GetCharWidth(def, cps[i]));
    }
    if (st != HPDF_OK || !attr->map_stream)
        return st;
    size_t count = (size_t)cps[n - 1] + 1;
    HPDF_BYTE *map = calloc(count, 2);
    if (!map)
        return HPDF_FAILD_TO_ALLOC_MEM;
    for (size_t i = 0; i < n; i++) {
        map[2 * cps[i]] = (HPDF_BYTE)(gids[i] >> 8);
        map[2 * cps[i] + 1] = (HPDF_BYTE)gids[i];
    }
    HPDF_MemStream_FreeData(attr->map_stream->stream);
    st = HPDF_Stream_Write(attr->map_stream->stream, map, (HPDF_UINT)(count * 2));
    free(map);
    return st;
}

unsigned pl_haru_object_id(HPDF_Font font)
{
    return (unsigned)(font->header.obj_id & 0x00FFFFFF);
}

HPDF_STATUS pl_haru_embed_font(HPDF_Font font, const uint8_t *data, size_t len)
{
    HPDF_FontAttr attr = (HPDF_FontAttr)font->attr;
    HPDF_FontDef def = attr->fontdef;
    HPDF_TTFontDefAttr def_attr = (HPDF_TTFontDefAttr)def->attr;
    if (def->descriptor || !def_attr->embedding || len > 0x7FFFFFFF)
        return HPDF_INVALID_OPERATION;
    /* The same objects, keys and values in the same order as CIDFontType2_BeforeWrite_Func
     * (hpdf_font_cid.c), with the font program from DATA instead of SaveFontData's. */
    HPDF_Dict data_dict = HPDF_DictStream_New(font->mmgr, attr->xref);
    HPDF_Dict desc = HPDF_Dict_New(font->mmgr);
    if (!data_dict || !desc)
        return HPDF_FAILD_TO_ALLOC_MEM;
    HPDF_STATUS st = HPDF_Stream_Write(data_dict->stream, data, (HPDF_UINT)len);
    if (st == HPDF_OK)
        st = HPDF_Dict_Add(desc, "FontFile2", data_dict);
    if (st == HPDF_OK)
        st = HPDF_Dict_AddNumber(data_dict, "Length1", (HPDF_INT32)len);
    if (st == HPDF_OK)
        st = HPDF_Dict_AddNumber(data_dict, "Length2", 0);
    if (st == HPDF_OK)
        st = HPDF_Dict_AddNumber(data_dict, "Length3", 0);
    data_dict->filter = font->filter;
    if (st == HPDF_OK)
        st = HPDF_Xref_Add(attr->xref, desc);
    else
        HPDF_Dict_Free(desc);
    if (st != HPDF_OK)
        return st;
    HPDF_Array bbox = HPDF_Box_Array_New(font->mmgr, def->font_bbox);
    if (!bbox)
        return HPDF_FAILD_TO_ALLOC_MEM;
    if ((st = HPDF_Dict_AddName(desc, "Type", "FontDescriptor")) != HPDF_OK ||
        (st = HPDF_Dict_AddNumber(desc, "Ascent", def->ascent)) != HPDF_OK ||
        (st = HPDF_Dict_AddNumber(desc, "Descent", def->descent)) != HPDF_OK ||
        (st = HPDF_Dict_AddNumber(desc, "Flags", (HPDF_INT32)def->flags)) != HPDF_OK ||
        (st = HPDF_Dict_Add(desc, "FontBBox", bbox)) != HPDF_OK ||
        (st = HPDF_Dict_AddName(desc, "FontName", def_attr->base_font)) != HPDF_OK ||
        (st = HPDF_Dict_AddNumber(desc, "ItalicAngle", def->italic_angle)) != HPDF_OK ||
        (st = HPDF_Dict_AddNumber(desc, "StemV", def->stemv)) != HPDF_OK ||
        (st = HPDF_Dict_AddNumber(desc, "XHeight", def->x_height)) != HPDF_OK)
        return st;
    def_attr->length1 = (HPDF_UINT)len;
    def->descriptor = desc;
    return HPDF_OK;
}

/* libharu 2.3.0's byte utilities, replaced for the whole program. libharu clears a 512-byte
 * buffer with HPDF_MemSet, one byte at a time, before it formats every page operator (a
 * line's colour, width, move and line-to; a run's font, position and text), and copies its
 * streams with HPDF_MemCpy and measures strings with HPDF_StrLen the same way: on a
 * 3,000-page circular that was a fifth of ducha-pdf's instructions. libharu calls its own
 * exported utilities through the PLT, so these definitions in the program take their place
 * (ELF symbol interposition); each does exactly what libharu's does (hpdf_utils.c), with
 * the C library's optimised routines, so every byte written stays the same. */
void *HPDF_MemSet(void *s, HPDF_BYTE c, HPDF_UINT n)
{
    memset(s, c, n);
    return (HPDF_BYTE *)s + n;
}

HPDF_BYTE *HPDF_MemCpy(HPDF_BYTE *out, const HPDF_BYTE *in, HPDF_UINT n)
{
    if (out + n <= in || in + n <= out) {
        memcpy(out, in, n);
        return out + n;
    }
    /* Overlapping: libharu's forward byte copy, whatever it makes of the overlap. */
    while (n > 0) {
        *out++ = *in++;
        n--;
    }
    return out;
}

HPDF_UINT HPDF_StrLen(const char *s, HPDF_INT maxlen)
{
    if (!s)
        return 0;
    return (HPDF_UINT)(maxlen < 0 ? strlen(s) : strnlen(s, (size_t)maxlen));
}
