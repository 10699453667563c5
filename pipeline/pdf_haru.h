/*
 * pdf_haru — the few calls into libharu 2.3.0 that its public header does not declare.
 *
 * libharu exports these functions but declares them only in its internal headers
 * (hpdf_doc.h, hpdf_fontdef.h, hpdf_objects.h, hpdf_font.h). The pdf module needs them for
 * four things the public API cannot do: ask a TrueType font whether it has a glyph (before
 * drawing, so that a missing character is reported and not drawn as a silent blank), read
 * a glyph's advance without a page, and replace the ToUnicode map that 2.3.0 writes invalid
 * (poppler: "Invalid 'begincidrange' operator in ToUnicode CMap"), and trim the width and
 * glyph maps it writes for every code of the UTF-8 encoder; and make its glyph lookups
 * constant-time (see pl_haru_direct_cmap); and embed a subset font program of its own
 * (pl_haru_embed_font); and keep a document's memory to its compressed size, a finished page's
 * content compressed at once (pl_haru_finish_page) and the file written straight to its
 * FILE * (pl_haru_save). pdf_haru.c also defines libharu's HPDF_MemSet, HPDF_MemCpy and
 * HPDF_StrLen for the whole program (the C library's routines instead of libharu's
 * byte-at-a-time loops, with the same results). They are kept here, in
 * one small file, so that a libharu upgrade is checked in one place. Only pdf.c includes
 * this header.
 */
#ifndef PL_PDF_HARU_H
#define PL_PDF_HARU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <hpdf.h>

/* The font definition libharu registered under NAME (what HPDF_LoadTTFontFromFile2
 * returned), or NULL. */
void *pl_haru_fontdef(HPDF_Doc pdf, const char *name);

/* Replaces the format-4 cmap libharu parsed for DEF (kept as sorted segments, which it walks
 * linearly on every lookup: for a CJK font, thousands of segments per character, and 65,536
 * lookups each time a font is first used) by an equivalent one-segment cmap whose glyph
 * array is indexed by the code point, so every later lookup is one array read. Fills GIDS
 * (65,536 entries, the caller's) with the glyph id of every BMP code point, exactly what
 * libharu answered before. The embedded font is unaffected: libharu copies the font's own
 * cmap table into the PDF, never this parsed form. A format-0 cmap is left as it is. Returns
 * HPDF_OK, or HPDF_FAILD_TO_ALLOC_MEM with DEF unchanged. */
HPDF_STATUS pl_haru_direct_cmap(void *def, uint16_t *gids);

/* HPDF_GetFont(PDF, NAME, "UTF-8") for the font definition DEF under NAME, without the cost
 * libharu 2.3.0 pays there: it looks up all 65,536 codes to build a width array (W) and a
 * CIDToGIDMap that pl_haru_shrink_cid_tables replaces before saving anyway. While the font
 * object is made, DEF's direct cmap (pl_haru_direct_cmap) answers glyph 0 for every code, so
 * both come out empty; nothing else libharu keeps depends on those lookups. The font must be
 * passed to pl_haru_shrink_cid_tables before the document is saved. NULL on failure (the
 * document's error handler has the reason). */
HPDF_Font pl_haru_get_font(HPDF_Doc pdf, void *def, const char *name);

/* The glyph id of CP in DEF; 0 when the font has none (or CP is outside the BMP). */
unsigned pl_haru_glyph(void *def, uint32_t cp);

/* The advance of CP in DEF, in thousandths of the em, as libharu writes it in the W array. */
int pl_haru_width(void *def, uint32_t cp);

/* Replaces FONT's ToUnicode map with one bfchar entry for each of the N code points in CPS
 * (sorted, BMP only; libharu's UTF-8 encoder writes each character as its own 2-byte code).
 * An identity bfrange breaks ghostscript's extraction, so every entry is spelled out. */
HPDF_STATUS pl_haru_set_tounicode(HPDF_Doc pdf, HPDF_Font font, const uint16_t *cps, size_t n);

/* Shrinks FONT's width array (W) and CIDToGIDMap to the N code points in CPS, the ones drawn,
 * mapping CPS[i] to glyph GIDS[i] of the embedded font program. libharu 2.3.0 writes both
 * for all 65,536 codes of the UTF-8 encoder: about 200 KB of uncompressed widths and 50-80
 * KB of map per font, for characters never drawn. */
HPDF_STATUS pl_haru_shrink_cid_tables(HPDF_Font font, const uint16_t *cps, const uint16_t *gids,
                                      size_t n);

/* The object number FONT has in the document (the fonts' order in the file). */
unsigned pl_haru_object_id(HPDF_Font font);

/* Embeds the LEN bytes of DATA (a TrueType font program, copied) as FONT's font file,
 * instead of the one libharu would write from the whole font when the document is saved:
 * the font descriptor is made here, with the same entries libharu gives it, so libharu's
 * save leaves it alone. Call at most once per font, before saving, with a font program
 * whose glyph ids are the ones passed to pl_haru_shrink_cid_tables. */
HPDF_STATUS pl_haru_embed_font(HPDF_Font font, const uint8_t *data, size_t len);

/* A zlib stream and an output buffer, reused from page to page by pl_haru_finish_page. */
struct pl_haru_deflater;

/* A new deflater (NULL when memory is short); freed with pl_haru_deflater_free, which
 * accepts NULL. */
struct pl_haru_deflater *pl_haru_deflater_new(void);
void pl_haru_deflater_free(struct pl_haru_deflater *d);

/* Compresses PAGE's content stream now, exactly as libharu 2.3.0 would when the document is
 * saved, and keeps only the compressed bytes; the saved file is byte for byte the same.
 * libharu keeps every page's content uncompressed until it saves (a 20,000-page circular:
 * 570 MB); compressed as each page is finished, it is about a tenth. Nothing may be drawn
 * on PAGE afterwards (the content would be appended to compressed bytes). A page whose
 * content is not compressed (or is empty), or already finished, is left as it is. HPDF_OK,
 * or libharu's error (HPDF_ZLIB_ERROR, HPDF_FAILD_TO_ALLOC_MEM) with the page unchanged
 * unless libharu's own closing operators were added. */
HPDF_STATUS pl_haru_finish_page(HPDF_Page page, struct pl_haru_deflater *d);

/* Saves PDF to FP as HPDF_SaveToStream would write it, but straight to FP (through a 64 KB
 * buffer, flushed at the end) instead of into a memory stream holding the whole file.
 * HPDF_OK; HPDF_FILE_IO_ERROR, with *IO_FAILED set, when writing to FP fails (errno says
 * why); libharu's error otherwise. */
HPDF_STATUS pl_haru_save(HPDF_Doc pdf, FILE *fp, bool *io_failed);

#endif
