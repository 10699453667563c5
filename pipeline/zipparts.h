/*
 * zipparts — a zip's parts compressed as minizip compresses them, each distinct part once.
 *
 * A program writing thousands of small workbooks (a receipt per unit, a form per unit)
 * writes most of their parts with the same bytes every time: [Content_Types].xml, the
 * relationships, the theme (7 KB), often the styles and workbook.xml. libxlsxwriter has each
 * compressed from scratch by minizip, with a fresh deflate stream per part (a quarter of a
 * megabyte allocated and cleared each time). This module compresses a part exactly as
 * minizip would (raw deflate with the caller's level, window bits, memory level and
 * strategy: the same bytes, CRC-32 and sizes), with one deflate stream reset between parts,
 * and remembers the result keyed by the part's name, settings and exact content: a part
 * whose bytes were compressed before is handed back from memory after its bytes are
 * compared whole, so a hash collision can never give a part another part's data.
 *
 * Memory stays bounded: a part is remembered only the second time its content is seen (a
 * part seen once, such as a unit's own sheet, costs one 64-bit fingerprint in a fixed
 * table), only up to PL_ZIPPARTS_MAX_PART bytes, and only while the cache's budget lasts;
 * nothing is ever evicted. It knows nothing of zip files or libxlsxwriter: the xlsx module
 * hands it the parts (see xlsx.c).
 */
#ifndef PL_ZIPPARTS_H
#define PL_ZIPPARTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "status.h"

/* Parts larger than this are never remembered (nor, in the xlsx module, gathered whole). */
#define PL_ZIPPARTS_MAX_PART ((size_t)256 * 1024)

/* A budget for a program writing many workbooks: the repeated parts of a receipt take some
 * 30 KB, a few hundred variants of a styles part a few MB. */
#define PL_ZIPPARTS_BUDGET ((size_t)8 << 20)

/* What libxlsxwriter asks of minizip: deflateInit2()'s settings for one part. */
struct pl_zipparts_settings {
    int level, window_bits, mem_level, strategy;
};

/* A part as the zip stores it. DATA lives until the next call on the cache or its free. */
struct pl_zippart {
    const unsigned char *data; /* the raw deflate stream */
    size_t len;
    uint32_t crc; /* CRC-32 of the uncompressed bytes */
    bool text;    /* zlib judged the bytes text: minizip then sets the
                     central directory's internal attribute to 1 */
    bool cached;  /* handed back from memory, not compressed by this call */
};

struct pl_zipparts;

/* A new cache that keeps at most BUDGET bytes of remembered parts (0: remembers nothing,
 * still compresses with one stream). PL_ERR_NOMEM when out of memory (*OUT is then NULL). */
enum pl_status pl_zipparts_new(struct pl_zipparts **out, size_t budget);

/* Frees C and everything it remembers; accepts NULL. */
void pl_zipparts_free(struct pl_zipparts *c);

/* The part NAME holding DATA[0..LEN) compressed with SET, as *OUT: from memory when the same
 * name, settings and bytes were compressed before by C, else compressed now (and remembered
 * when it is the second sighting of these bytes and the budget allows). NAME and DATA are
 * borrowed. PL_ERR_NOMEM when out of memory, PL_ERR_INTERNAL when zlib refuses the
 * settings; *OUT is then unusable and C stays usable. */
enum pl_status pl_zipparts_deflate(struct pl_zipparts *c, const char *name, const void *data,
                                   size_t len, const struct pl_zipparts_settings *set,
                                   struct pl_zippart *out);

/* Any other bytes worth keeping, such as a part's XML made from the same settings: the VALUE
 * remembered under NAME and KEY[0..KEY_LEN) (at the second sighting of the key, within the
 * budget, never over PL_ZIPPARTS_MAX_PART), and looked up by the whole key's bytes. Recall
 * gives true and *VALUE (living as long as C) when it is remembered. Remembering never fails:
 * out of room or memory, it forgets. NAME, KEY and VALUE are borrowed. */
bool pl_zipparts_recall(struct pl_zipparts *c, const char *name, const void *key, size_t key_len,
                        const void **value, size_t *value_len);
void pl_zipparts_remember(struct pl_zipparts *c, const char *name, const void *key, size_t key_len,
                          const void *value, size_t value_len);

/* Counts for tests and measurements: parts handed back from memory, parts compressed, and
 * the bytes remembered. */
struct pl_zipparts_stats {
    size_t hits, compressed, remembered, bytes;
};
void pl_zipparts_stats(const struct pl_zipparts *c, struct pl_zipparts_stats *out);

#endif
