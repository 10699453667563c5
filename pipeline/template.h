/*
 * template — a small text template engine: named placeholders and repeated sections.
 *
 * Syntax (ducha-template(5) is the reference):
 *   {{name}}            the value of name, escaped by the caller's escape function
 *   {{&name}}           the value of name as it is (for markup the data itself makes)
 *   {{:name=value}}     a default: name has this value where the data does not give one
 *   {{#name}}…{{/name}} a list: the part repeated for each item, whose names are looked up
 *                       in the item first, then outwards; a value: the part shown when the
 *                       value is neither empty nor "0"
 *   {{^name}}…{{/name}} the part shown when the list is empty or the value empty or "0"
 *   {{|TEXT}}           inside a list section: TEXT between items, not after the last
 *   {{! comment }}      nothing
 * A line holding nothing but section tags, separators or comments (and spaces) leaves no
 * line behind. An unknown name, an unclosed or mismatched section, or an unterminated tag is
 * an error with its line (E_TEMPLATE, PL_ERR_CONFIG), whatever the data: names inside an
 * empty list are checked against the fields the list declares. Templates cannot read files,
 * run commands or loop otherwise.
 *
 * Data is a tree of scopes (struct pl_tpl_data): named values, and named lists of scopes.
 * Everything is copied in; the tree owns it. A list's items may also be made only when they
 * are rendered (pl_tpl_list_made): a province's circular lists every one of its 185,000
 * rows, and kept as scopes they took 450 MB before a page was drawn.
 */
#ifndef PL_TEMPLATE_H
#define PL_TEMPLATE_H

#include <stddef.h>

#include "buf.h"
#include "diag.h"
#include "status.h"

struct pl_tpl_data;
struct pl_tpl_list;

/* A new empty scope (NULL when out of memory); free the root with pl_tpl_data_free. */
struct pl_tpl_data *pl_tpl_data_new(void);
void pl_tpl_data_free(struct pl_tpl_data *d);

/* Sets NAME to VALUE (copied; replaces an earlier value). */
enum pl_status pl_tpl_set(struct pl_tpl_data *d, const char *name, const char *value);
enum pl_status pl_tpl_setf(struct pl_tpl_data *d, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Creates (or returns) the list NAME in D, whose items have the comma-separated FIELDS (used
 * to check templates when the list is empty). NULL when out of memory. Owned by D. */
struct pl_tpl_list *pl_tpl_list(struct pl_tpl_data *d, const char *name, const char *fields);

/* Appends an item to L and returns it (owned by L), NULL when out of memory. */
struct pl_tpl_data *pl_tpl_item(struct pl_tpl_list *l);

/* Fills ITEM, an empty scope of the list's, with the values of the item whose key is KEY. */
typedef enum pl_status (*pl_tpl_fill_fn)(void *ctx, size_t key, struct pl_tpl_data *item);

/* Creates the list NAME in D, as pl_tpl_list does, for items made while rendering: each item
 * appended with pl_tpl_item_made is made by FILL(CTX, key, item) when the template renders
 * it, and dropped once its part is rendered, so that such a list holds a key an item instead
 * of a scope. FILL must make the same item from the same key every time (a list rendered
 * twice is made twice) and report nothing; CTX (borrowed) must live until the data is
 * rendered for the last time (pl_tpl_keep ties it to the tree). Items appended with
 * pl_tpl_item are kept as usual, in their places. NULL when out of memory, or when NAME is
 * already a list with items or made by another function. */
struct pl_tpl_list *pl_tpl_list_made(struct pl_tpl_data *d, const char *name, const char *fields,
                                     pl_tpl_fill_fn fill, void *ctx);

/* Appends to L (from pl_tpl_list_made) an item made from KEY when it is rendered. PL_ERR_USAGE
 * for a list of kept items only, PL_ERR_NOMEM. */
enum pl_status pl_tpl_item_made(struct pl_tpl_list *l, size_t key);

/* Hands P to the tree whose root is D: FREE_FN(P) is called when the tree is freed, after its
 * scopes. How a made list's context lives as long as the data. When it fails (PL_ERR_NOMEM;
 * PL_ERR_USAGE when D is not a root) FREE_FN(P) is called at once. */
enum pl_status pl_tpl_keep(struct pl_tpl_data *d, void *p, void (*free_fn)(void *));

/* The scope that stands for L's items when L is empty: declare nested lists in it. */
struct pl_tpl_data *pl_tpl_proto(struct pl_tpl_list *l);

/* The number of items in L. */
size_t pl_tpl_count(const struct pl_tpl_list *l);

/* Appends S, escaped for the output language, to OUT. */
typedef enum pl_status (*pl_tpl_escape_fn)(struct pl_buf *out, const char *s);

/* Renders the template TPL[0..LEN) (SOURCE names it in messages) with D into OUT, escaping
 * values with ESCAPE (NULL: as they are). Errors are reported to DIAG. */
enum pl_status pl_tpl_render(const char *tpl, size_t len, const char *source,
                             const struct pl_tpl_data *d, pl_tpl_escape_fn escape,
                             struct pl_buf *out, struct pl_diag *diag);

#endif
