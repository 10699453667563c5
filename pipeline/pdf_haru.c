/* pdf_haru — libharu-internal calls, isolated (see pdf_haru.h for why). */
#include "pdf_haru.h"

#include <stdio.h>
#include <stdlib.h>

#include <hpdf_doc.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>

void *pl_haru_fontdef(HPDF_Doc pdf, const char *name)
{
    return HPDF_GetFontDef(pdf, name);
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

HPDF_STATUS pl_haru_shrink_cid_tables(HPDF_Font font, const uint16_t *cps, size_t n)
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
        HPDF_UINT16 gid = HPDF_TTFontDef_GetGlyphid(def, cps[i]);
        map[2 * cps[i]] = (HPDF_BYTE)(gid >> 8);
        map[2 * cps[i] + 1] = (HPDF_BYTE)gid;
    }
    HPDF_MemStream_FreeData(attr->map_stream->stream);
    st = HPDF_Stream_Write(attr->map_stream->stream, map, (HPDF_UINT)(count * 2));
    free(map);
    return st;
}
