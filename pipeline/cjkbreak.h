/*
 * cjkbreak — line breaking for Chinese text with 避头尾 and embedded Latin words and numbers.
 *
 * Text is broken into units that never split: one Chinese character; a run of Latin letters,
 * digits and the signs inside numbers (45%, 2023, 1.2, v2.0); a pair of —— or ……. A closing
 * mark (，。、；：？！）》」』”’〕】 …) joins the unit before it, so no line begins with one;
 * an opening mark (（《「『“‘〔【 …) joins the unit after it, so no line ends with one. A
 * line that would have to start with a closing mark therefore pushes the character before it
 * down (推出), and is justified by spreading the space it leaves. Units are laid greedily;
 * an ASCII space is a break and is dropped at either end of a line. Widths come from a
 * callback (the font's real advances: digits and Latin letters are measured, not assumed half
 * width), plus a fixed tracking per character (the grid pitch).
 *
 * The module is pure: no fonts, no pages. It does not hyphenate, segment words in Chinese,
 * or handle vertical text.
 */
#ifndef PL_CJKBREAK_H
#define PL_CJKBREAK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "status.h"

/* The advance of CP in points. */
typedef double (*pl_width_fn)(void *ctx, uint32_t cp);

struct pl_break_opts {
    double width;        /* the line's measure, points */
    double first_indent; /* taken off the first line (two characters for a paragraph) */
    double tracking;     /* added after every character, points */
    pl_width_fn width_of;
    void *ctx;
};

struct pl_line {
    size_t start, end; /* bytes of the text, spaces at either end left out */
    size_t chars;      /* characters in [start, end) */
    size_t gaps;       /* places justification may widen: between characters, but not
                        * inside a run of Latin letters and digits (45.5% stays together) */
    double width;      /* natural width, tracking included */
    double indent;     /* where the line starts, from the left of the measure */
    double measure;    /* the width available to the line (width - indent) */
    bool last;         /* the paragraph's last line: set ragged, not justified */
};

struct pl_lines {
    struct pl_line *line;
    size_t count;
    size_t cap;
};

/* True when CP may not begin a line (closing punctuation). */
bool pl_break_no_start(uint32_t cp);

/* True when CP may not end a line (opening punctuation). */
bool pl_break_no_end(uint32_t cp);

/* Breaks S[0..LEN) (UTF-8, one paragraph; a newline counts as a space) into lines no wider
 * than O->width (O->width - O->first_indent for the first), appending them to OUT (caller
 * storage: zero it first, pl_lines_fini after). A unit wider than a whole line is split by
 * characters. An empty text gives no lines. PL_ERR_DATA for invalid UTF-8, PL_ERR_NOMEM. */
enum pl_status pl_break(const char *s, size_t len, const struct pl_break_opts *o,
                        struct pl_lines *out);

/* Like pl_break, for a title: as many lines as the greedy break needs at O->width, but
 * balanced — the narrowest measure that still gives that many lines — so that lines come out
 * of similar length. Every line is marked last (centred titles are not justified). */
enum pl_status pl_break_balanced(const char *s, size_t len, const struct pl_break_opts *o,
                                 struct pl_lines *out);

/* True for the characters that make Latin words and numbers (letters, digits and the signs
 * between them): runs of them are one unit and are not spread by justification. */
bool pl_break_is_latin(uint32_t cp);

/* The extra space to add at each of LINE's gaps so that it fills its measure: 0 for a last
 * line, a line without gaps, or a line that is already full. */
double pl_line_justify(const struct pl_line *line);

/* Frees what OUT holds and zeroes it. */
void pl_lines_fini(struct pl_lines *out);

#endif
