/*
 * fontsubset — a TrueType font cut down to the glyphs a document draws (HarfBuzz's subsetter).
 *
 * libharu 2.3.0 embeds a TrueType font with every table it copies whole: cmap, hmtx, loca and
 * post for all of a CJK font's 30,000-45,000 glyphs (0.6-0.8 MB a font before compression),
 * with only the outlines of unused glyphs left out, and it copies them four bytes at a time.
 * Compressing those tables was most of the time ducha-pdf spent on a county's circular. This
 * module makes the font program that is embedded instead: the glyphs drawn (and the glyphs
 * they are built from), numbered 1, 2, ... in the order of their original ids, with the same
 * outlines, hinting, metrics and font-wide values, and only the tables libharu embeds. It
 * knows nothing of PDF: the pdf module puts the result in the document and writes the
 * CIDToGIDMap from the new glyph ids. The same font and glyphs give the same bytes with the
 * same HarfBuzz; another HarfBuzz release may lay the tables out differently (the glyphs, and
 * so the pages, stay the same).
 */
#ifndef PL_FONTSUBSET_H
#define PL_FONTSUBSET_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"

/* Makes the subset of face FACE of the TrueType file (or collection) PATH that holds glyph 0
 * and the N glyphs GIDS (ids in the whole font; any order, repeats allowed), each mapped from
 * the code point CPS[i] in its cmap. On PL_OK, *DATA (malloc'd, the caller frees it) and
 * *LEN hold the font program and NEW_GIDS[i] (N entries, the caller's) the glyph id of
 * GIDS[i] in it. PL_ERR_OPEN when the file cannot be read or the face is not there,
 * PL_ERR_DATA when the subsetter refuses the font (the caller may then embed it the old
 * way), PL_ERR_NOMEM. */
enum pl_status pl_fontsubset_make(const char *path, unsigned face, const uint16_t *cps,
                                  const uint16_t *gids, size_t n, uint8_t **data, size_t *len,
                                  uint16_t *new_gids);

#endif
