/*
 * pdf — a PDF document drawn with libharu: A4 pages, embedded TrueType fonts by role, text
 * runs in UTF-8, lines and filled rectangles. The only module that includes hpdf.h.
 *
 * Fonts come from a font table (templates/fonts.conf, an INI file: one section per role —
 * 小标宋, 仿宋, 黑体, 楷体, 页码 — each listing `font = PATH [face=N] [embolden=PT]` lines,
 * tried in order; the first that loads serves the role). Every font that loaded is also a
 * fallback for every other role: a character the role's font lacks is drawn, character by
 * character, with the first loaded font that has it. A character no font has is drawn as a
 * visible □ and reported (W_MISSING_GLYPH), never as a silent blank; pl_pdf_covers() lets
 * callers check data before drawing and name the task and field.
 *
 * What is drawn stays searchable: each font gets a ToUnicode map of exactly the characters
 * drawn with it (libharu 2.3.0's own map is invalid; see pdf_tounicode.c). Saving writes the
 * whole file through a FILE *; nothing depends on the clock.
 *
 * Coordinates are PDF points from the bottom-left corner of the page. Not here: layout,
 * line breaking (cjkbreak), the circular's structure (typeset).
 */
#ifndef PL_PDF_H
#define PL_PDF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "diag.h"
#include "status.h"

/* A4 in points. */
#define PL_PDF_A4_WIDTH 595.276
#define PL_PDF_A4_HEIGHT 841.890
#define PL_MM(x) ((x)*72.0 / 25.4)

enum pl_font_role {
    PL_FONT_TITLE, /* 小标宋: title, issuer mark */
    PL_FONT_BODY,  /* 仿宋: body text */
    PL_FONT_HEI,   /* 黑体: 一、 headings, 附件1 */
    PL_FONT_KAI,   /* 楷体: （一） headings */
    PL_FONT_FOLIO, /* 页码: page numbers (宋体) */
    PL_FONT_ROLES
};

/* The role's name as the font table spells it (小标宋 …); a static string. */
const char *pl_font_role_name(enum pl_font_role role);

struct pl_rgb {
    double r, g, b; /* 0..1 */
};

struct pl_pdf;

/* Creates an empty document. DIAG (borrowed for the document's life) receives every problem.
 * PL_ERR_NOMEM or PL_ERR_INTERNAL (libharu failed) on failure; *OUT is NULL then. */
enum pl_status pl_pdf_new(struct pl_pdf **out, struct pl_diag *diag);

/* Frees the document; accepts NULL. */
void pl_pdf_free(struct pl_pdf *p);

/* Reads the font table at CONF and loads, for each role, the first font that loads. Relative
 * paths are taken from CONF's directory. PL_ERR_CONFIG (E_FONT_TABLE, with the line) when the
 * file is unreadable or malformed, or (E_NO_FONT) when a role has no font that loads. */
enum pl_status pl_pdf_load_fonts(struct pl_pdf *p, const char *conf);

/* The file and face serving ROLE, for messages ("" before loading). */
const char *pl_pdf_font_file(const struct pl_pdf *p, enum pl_font_role role);

/* True when some loaded font has a glyph for CP (a character outside the BMP never has). */
bool pl_pdf_covers(struct pl_pdf *p, uint32_t cp);

/* Notes that the caller has already reported CP as missing (naming where it came from), so
 * that drawing it does not report it again. */
void pl_pdf_missing_reported(struct pl_pdf *p, uint32_t cp);

/* The advance of CP drawn in ROLE at SIZE points, from the font that would draw it (the □
 * substitute's for a character no font has). */
double pl_pdf_char_width(struct pl_pdf *p, enum pl_font_role role, uint32_t cp, double size);

/* Sets the document information: title, author, subject (UTF-8) and the creation date as a
 * Unix time (from SOURCE_DATE_EPOCH or the cycle, never the clock; 0 leaves it unset). */
enum pl_status pl_pdf_set_info(struct pl_pdf *p, const char *title, const char *author,
                               const char *subject, long long when);

/* Starts a new A4 portrait page; drawing goes there from now on. The page before is finished
 * then: its content compressed and its dictionary written out (pdf_haru.h,
 * pl_haru_finish_page), so that a document's memory follows its compressed size, not what
 * was drawn; nothing can be drawn on it again. */
enum pl_status pl_pdf_add_page(struct pl_pdf *p);

/* How many pages there are. */
size_t pl_pdf_page_count(const struct pl_pdf *p);

struct pl_text_style {
    enum pl_font_role role;
    double size;     /* points */
    double tracking; /* added after every character, points (the grid's pitch) */
    double justify;  /* added at every gap between characters but inside runs of Latin
                      * letters and digits (pl_break_is_latin), points */
    struct pl_rgb colour;
    double embolden; /* extra stroke width in points on top of the font's own; 0 none */
};

/* Draws S[0..LEN) (UTF-8) with its baseline starting at X, Y on the current page. Line breaks
 * are not interpreted. Invalid UTF-8 is PL_ERR_DATA; characters no font has are drawn as □
 * and reported once per character (W_MISSING_GLYPH). Returns the advance drawn through
 * *ADVANCE when not NULL. */
enum pl_status pl_pdf_text(struct pl_pdf *p, const struct pl_text_style *st, double x, double y,
                           const char *s, size_t len, double *advance);

/* Strokes a line of WIDTH points in COLOUR. */
enum pl_status pl_pdf_line(struct pl_pdf *p, double x1, double y1, double x2, double y2,
                           double width, struct pl_rgb colour);

/* Fills the rectangle with its lower-left corner at X, Y. */
enum pl_status pl_pdf_fill_rect(struct pl_pdf *p, double x, double y, double w, double h,
                                struct pl_rgb colour);

/* Writes the finished document to FP: finishes the last page, fixes each font's ToUnicode
 * map, embeds the fonts' subsets, writes straight to FP (no copy of the file in memory).
 * Once only. PL_ERR_IO (E_WRITE) when FP fails, PL_ERR_INTERNAL when libharu does. */
enum pl_status pl_pdf_save(struct pl_pdf *p, FILE *fp, const char *name);

#endif
