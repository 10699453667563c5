/* pdf_haru — libharu-internal calls, isolated (see pdf_haru.h for why). */
#include "pdf_haru.h"

#include "buf.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include <errno.h>
#include <string.h>
#include <zlib.h>

#include <hpdf_doc.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_list.h>
#include <hpdf_mmgr.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <hpdf_utils.h>

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

/* A page's content compressed when the page is finished instead of when the document is
 * saved. libharu 2.3.0 keeps each page's content stream as written, uncompressed, until
 * HPDF_SaveToFile/Stream deflates it into the file: a 20,000-page circular held 570 MB of
 * operators that end up as about 40 MB in the file. Here the page's memory stream is
 * deflated with libharu's own settings (HPDF_Stream_WriteToStreamWithDeflate: deflateInit
 * at Z_DEFAULT_COMPRESSION, the content fed in the memory stream's 4,096-byte buffers, then
 * Z_FINISH) and replaced by the compressed bytes; zlib's output depends only on the input
 * and the settings, not on how input or output are cut, so the bytes are those libharu
 * would have written, and a stream reset with deflateReset compresses as a fresh one.
 *
 * The saved dictionary must still say /Filter [/FlateDecode] without compressing twice.
 * HPDF_Dict_Write reads dict->filter twice: first to write the Filter array (before the
 * keys), then, after the keys, its write_fn and ">>", to tell HPDF_Stream_WriteToStream
 * whether to deflate. write_fn clears the Flate bit between the two, so the stored bytes
 * are copied as they are and /Length (an indirect number libharu sets from the bytes
 * written) is their count; before_write_fn sets the bit again, should the document be
 * written twice. Content stream dictionaries have no callbacks of their own in 2.3.0. */
struct pl_haru_deflater {
    z_stream z;
    HPDF_BYTE *out;
    size_t cap;
    struct pl_buf flat; /* a page dictionary's entries as written (flatten) */
};

struct pl_haru_deflater *pl_haru_deflater_new(void)
{
    struct pl_haru_deflater *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    if (deflateInit(&d->z, Z_DEFAULT_COMPRESSION) != Z_OK) {
        free(d);
        return NULL;
    }
    return d;
}

void pl_haru_deflater_free(struct pl_haru_deflater *d)
{
    if (!d)
        return;
    deflateEnd(&d->z);
    free(d->out);
    pl_buf_fini(&d->flat);
    free(d);
}

static HPDF_STATUS precompressed_before_write(HPDF_Dict dict)
{
    dict->filter |= HPDF_STREAM_FILTER_FLATE_DECODE;
    return HPDF_OK;
}

static HPDF_STATUS precompressed_on_write(HPDF_Dict dict, HPDF_Stream stream)
{
    (void)stream;
    dict->filter &= ~(HPDF_UINT)HPDF_STREAM_FILTER_FLATE_DECODE;
    return HPDF_OK;
}

/* Room for at least WANT more bytes of output after what D holds. */
static bool room(struct pl_haru_deflater *d, size_t want)
{
    size_t used = d->cap - d->z.avail_out;
    if (d->cap - used >= want && d->z.avail_out > 0)
        return true;
    size_t cap = d->cap ? d->cap : 65536;
    while (cap - used < want || cap == used)
        cap *= 2;
    if (cap > UINT32_MAX)
        return false;
    HPDF_BYTE *out = realloc(d->out, cap);
    if (!out)
        return false;
    d->out = out;
    d->cap = cap;
    d->z.next_out = out + used;
    d->z.avail_out = (uInt)(cap - used);
    return true;
}

/* Deflates what D's stream has been given, with FLUSH, growing the output as needed. */
static HPDF_STATUS run_deflate(struct pl_haru_deflater *d, int flush)
{
    for (;;) {
        if (!room(d, 1))
            return HPDF_FAILD_TO_ALLOC_MEM;
        int rc = deflate(&d->z, flush);
        if (rc == Z_STREAM_END)
            return HPDF_OK;
        if (rc != Z_OK && rc != Z_BUF_ERROR)
            return HPDF_ZLIB_ERROR;
        /* Z_OK with output room left means deflate took all it was given. */
        if (flush == Z_NO_FLUSH && d->z.avail_in == 0)
            return HPDF_OK;
    }
}

/* A finished page's dictionary kept as the bytes it will be written as. libharu 2.3.0 keeps
 * a page as a tree of small objects until it saves: the dictionary's entries (each 136
 * bytes for its key), a Resources dictionary, a ProcSet array of five 136-byte names, the
 * MediaBox's numbers, a Font dictionary with a reference per font: about 4 KB a page, 80 MB
 * for a 20,000-page circular, for a hundred-odd bytes of text in the file. Nothing changes
 * them once the page is finished (their references name objects whose numbers are fixed
 * when they are made), so they are written now, by libharu's own writer (HPDF_Obj_Write,
 * as HPDF_Dict_Write does each entry), and freed; the bytes stay in one hidden entry, which
 * HPDF_Dict_Write skips, and the dictionary's write_fn, which HPDF_Dict_Write calls after
 * the entries and before ">>", writes them in their place. */
#define FLAT_KEY "ducha-flat"

static HPDF_STATUS flat_collect(HPDF_Stream stream, const HPDF_BYTE *ptr, HPDF_UINT siz)
{
    struct pl_haru_deflater *d = stream->attr;
    return pl_buf_append(&d->flat, (const char *)ptr, siz) == PL_OK
               ? HPDF_OK
               : HPDF_SetError(stream->error, HPDF_FAILD_TO_ALLOC_MEM, 0);
}

static HPDF_STATUS flat_on_write(HPDF_Dict dict, HPDF_Stream stream)
{
    HPDF_Binary b = HPDF_Dict_GetItem(dict, FLAT_KEY, HPDF_OCLASS_BINARY);
    if (!b)
        return HPDF_SetError(dict->error, HPDF_DICT_ITEM_NOT_FOUND, 0);
    return HPDF_Stream_Write(stream, b->value, b->len);
}

static HPDF_STATUS flatten(HPDF_Page page, struct pl_haru_deflater *d)
{
    HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
    if (page->write_fn || page->after_write_fn || page->list->count == 0)
        return HPDF_OK;
    HPDF_Stream s = HPDF_CallbackWriter_New(page->mmgr, flat_collect, d);
    if (!s)
        return HPDF_FAILD_TO_ALLOC_MEM;
    pl_buf_clear(&d->flat);
    HPDF_STATUS st = HPDF_OK;
    /* HPDF_Dict_Write's loop, entry for entry. */
    for (HPDF_UINT i = 0; i < page->list->count && st == HPDF_OK; i++) {
        HPDF_DictElement e = HPDF_List_ItemAt(page->list, i);
        HPDF_Obj_Header *h = e->value;
        if (!h || (h->obj_id & HPDF_OTYPE_HIDDEN))
            continue;
        if ((st = HPDF_Stream_WriteEscapeName(s, e->key)) == HPDF_OK &&
            (st = HPDF_Stream_WriteChar(s, ' ')) == HPDF_OK &&
            (st = HPDF_Obj_Write(e->value, s, NULL)) == HPDF_OK)
            st = HPDF_Stream_WriteStr(s, "\012");
    }
    HPDF_Stream_Free(s);
    HPDF_Binary b =
        st == HPDF_OK ? HPDF_Binary_New(page->mmgr, (HPDF_BYTE *)d->flat.data, (HPDF_UINT)d->flat.len) : NULL;
    if (!b)
        return st != HPDF_OK ? st : HPDF_FAILD_TO_ALLOC_MEM;
    while (page->list->count > 0) {
        HPDF_DictElement e = HPDF_List_ItemAt(page->list, 0);
        HPDF_Dict_RemoveElement(page, e->key);
    }
    /* Pointers into the Resources dictionary just freed; only drawing uses them. */
    attr->fonts = NULL;
    attr->xobjects = NULL;
    attr->ext_gstates = NULL;
    if ((st = HPDF_Dict_Add(page, FLAT_KEY, b)) != HPDF_OK)
        return st;
    b->header.obj_id |= HPDF_OTYPE_HIDDEN;
    page->write_fn = flat_on_write;
    return HPDF_OK;
}

/* L's pointer array cut to its items and ROOM more (libharu gives every list room for 20,
 * and a finished page has three lists of one or two). libharu's own resize (List_Add) grows
 * it again from block_siz should an item come after all. */
static HPDF_STATUS shrink_list(HPDF_List l, HPDF_UINT room)
{
    HPDF_UINT want = l->count + room;
    if (!l->obj || !want || l->block_siz <= want)
        return HPDF_OK;
    void **obj = HPDF_GetMem(l->mmgr, want * sizeof *obj);
    if (!obj)
        return HPDF_FAILD_TO_ALLOC_MEM;
    memcpy(obj, l->obj, l->count * sizeof *obj);
    HPDF_FreeMem(l->mmgr, l->obj);
    l->obj = obj;
    l->block_siz = want;
    return HPDF_OK;
}

/* What a finished page no longer needs: its graphics state (only drawing reads it; saving
 * and freeing the page take none) and the spare room of its lists (the contents dictionary
 * gets its Filter entry when it is written). */
static HPDF_STATUS trim_page(HPDF_Page page)
{
    HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
    if (attr->gstate && !attr->gstate->prev) {
        HPDF_GState_Free(page->mmgr, attr->gstate);
        attr->gstate = NULL;
    }
    HPDF_Stream s = attr->contents->stream;
    HPDF_STATUS st = shrink_list(page->list, 0);
    if (st == HPDF_OK)
        st = shrink_list(attr->contents->list, 1);
    if (st == HPDF_OK && s->type == HPDF_STREAM_MEMORY)
        st = shrink_list(((HPDF_MemStreamAttr)s->attr)->buf, 0);
    return st;
}

static HPDF_STATUS finish_dict(HPDF_Page page, struct pl_haru_deflater *d)
{
    HPDF_STATUS st = flatten(page, d);
    return st == HPDF_OK ? trim_page(page) : st;
}

HPDF_STATUS pl_haru_finish_page(HPDF_Page page, struct pl_haru_deflater *d)
{
    HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
    HPDF_Dict contents = attr->contents;
    HPDF_Stream s = contents->stream;
    if (contents->filter != HPDF_STREAM_FILTER_FLATE_DECODE || contents->before_write_fn ||
        contents->write_fn || contents->after_write_fn || s->type != HPDF_STREAM_MEMORY)
        return finish_dict(page, d);
    /* What Page_BeforeWrite adds to the content when the page itself is written: an open
     * path or text object closed, saved graphics states restored. Added now, they are
     * compressed with the rest, and the page has nothing left to add at save time. */
    HPDF_STATUS st = HPDF_OK;
    if (attr->gmode == HPDF_GMODE_PATH_OBJECT)
        st = HPDF_Page_EndPath(page);
    if (st == HPDF_OK && attr->gmode == HPDF_GMODE_TEXT_OBJECT)
        st = HPDF_Page_EndText(page);
    while (st == HPDF_OK && attr->gstate && attr->gstate->prev)
        st = HPDF_Page_GRestore(page);
    /* HPDF_Stream_WriteToStream writes nothing for an empty stream, not even an empty
     * deflate stream. */
    if (st != HPDF_OK)
        return st;
    if (s->size == 0)
        return finish_dict(page, d);
    HPDF_MemStreamAttr m = (HPDF_MemStreamAttr)s->attr;
    if (deflateReset(&d->z) != Z_OK)
        return HPDF_ZLIB_ERROR;
    d->z.next_out = d->out;
    d->z.avail_out = (uInt)d->cap;
    if (!room(d, deflateBound(&d->z, s->size)))
        return HPDF_FAILD_TO_ALLOC_MEM;
    for (HPDF_UINT i = 0; i < m->buf->count && st == HPDF_OK; i++) {
        d->z.next_in = HPDF_List_ItemAt(m->buf, i);
        d->z.avail_in = i + 1 < m->buf->count ? m->buf_siz : m->w_pos;
        st = run_deflate(d, Z_NO_FLUSH);
    }
    if (st == HPDF_OK)
        st = run_deflate(d, Z_FINISH);
    if (st != HPDF_OK)
        return st;
    size_t n = d->cap - d->z.avail_out;
    /* The compressed bytes in one buffer of their own size, in place of the stream's
     * 4,096-byte ones (which would waste half a buffer a page): the memory stream's read
     * function takes buf_siz and w_pos from the stream, whatever their size. Allocated
     * before anything is freed, so that a failure leaves the page as it was. */
    HPDF_BYTE *keep = HPDF_GetMem(s->mmgr, (HPDF_UINT)n);
    if (!keep)
        return HPDF_FAILD_TO_ALLOC_MEM;
    memcpy(keep, d->out, n);
    for (HPDF_UINT i = 0; i < m->buf->count; i++)
        HPDF_FreeMem(s->mmgr, HPDF_List_ItemAt(m->buf, i));
    m->buf->obj[0] = keep;
    m->buf->count = 1;
    m->buf_siz = (HPDF_UINT)n;
    m->w_pos = (HPDF_UINT)n;
    m->w_ptr = keep + n;
    m->r_ptr_idx = 0;
    m->r_pos = 0;
    m->r_ptr = NULL;
    s->size = (HPDF_UINT)n;
    contents->before_write_fn = precompressed_before_write;
    contents->write_fn = precompressed_on_write;
    return finish_dict(page, d);
}

/* The file as libharu writes it, in pieces of a few bytes, gathered into BUF for FP. */
struct writer {
    FILE *fp;
    bool failed;
    size_t n;
    HPDF_BYTE buf[65536];
};

static bool writer_flush(struct writer *w)
{
    if (!w->failed && w->n && fwrite(w->buf, 1, w->n, w->fp) != w->n)
        w->failed = true;
    w->n = 0;
    return !w->failed;
}

static HPDF_STATUS writer_write(HPDF_Stream stream, const HPDF_BYTE *ptr, HPDF_UINT siz)
{
    struct writer *w = stream->attr;
    if (siz > sizeof w->buf - w->n) {
        if (writer_flush(w) && siz >= sizeof w->buf && fwrite(ptr, 1, siz, w->fp) != siz)
            w->failed = true;
        if (w->failed)
            return HPDF_SetError(stream->error, HPDF_FILE_IO_ERROR, (HPDF_STATUS)errno);
        if (siz >= sizeof w->buf)
            return HPDF_OK;
    }
    memcpy(w->buf + w->n, ptr, siz);
    w->n += siz;
    return HPDF_OK;
}

HPDF_STATUS pl_haru_save(HPDF_Doc pdf, FILE *fp, bool *io_failed)
{
    *io_failed = false;
    struct writer *w = malloc(sizeof *w);
    if (!w)
        return HPDF_FAILD_TO_ALLOC_MEM;
    w->fp = fp;
    w->failed = false;
    w->n = 0;
    HPDF_Stream s = HPDF_CallbackWriter_New(pdf->mmgr, writer_write, w);
    if (!s) {
        free(w);
        return HPDF_FAILD_TO_ALLOC_MEM;
    }
    /* HPDF_SaveToStream writes into pdf->stream whatever kind of stream it is (it only
     * empties a memory stream first), and HPDF_Free frees it. */
    HPDF_Stream_Free(pdf->stream);
    pdf->stream = s;
    HPDF_STATUS st = HPDF_SaveToStream(pdf);
    if (st == HPDF_OK)
        writer_flush(w);
    pdf->stream = NULL;
    HPDF_Stream_Free(s);
    *io_failed = w->failed;
    free(w);
    return *io_failed ? HPDF_FILE_IO_ERROR : st;
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
