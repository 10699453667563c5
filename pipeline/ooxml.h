/* ooxml — one part of an Office Open XML package (.xlsx, .docx) streamed through expat.
 *
 * The workbook reader and the Word reader each keep their own handler state; it begins with
 * a struct pl_ooxml_parser, through which a handler stops the parse with a status. */
#ifndef PL_OOXML_H
#define PL_OOXML_H

#include <expat.h>
#include <stdbool.h>
#include <zip.h>

#include "status.h"

/* The head of every handler state: the parser, and the status a handler stopped it with.
 * The handlers' user data is this struct, hence the state that begins with it. */
struct pl_ooxml_parser {
    XML_Parser p;
    enum pl_status st;
};

/* Stops the parse; the first status given is the one kept. */
void pl_ooxml_stop(struct pl_ooxml_parser *ps, enum pl_status st);

/* NAME without its prefix ("x:sheet" → "sheet"), whatever prefix a writer chose. */
const char *pl_ooxml_local(const XML_Char *name);

/* Streams entry INDEX of ZA through a new parser on PS with the handlers given (TEXT may be
 * NULL), and frees the parser. Returns PL_OK; PS's status when a handler stopped the parse;
 * PL_ERR_NOMEM; or PL_ERR_DATA with either *ZIP_CODE set to libzip's error (the package
 * breaks off or is encrypted: the caller says so in its words) or *BAD_XML true (the part is
 * not well-formed XML, or declares a DOCTYPE, whose entities could expand without bound and
 * which no OOXML part has). Nothing is reported here. */
enum pl_status pl_ooxml_stream(zip_t *za, zip_int64_t index, struct pl_ooxml_parser *ps,
                               XML_StartElementHandler start, XML_EndElementHandler end,
                               XML_CharacterDataHandler text, int *zip_code, bool *bad_xml);

#endif
