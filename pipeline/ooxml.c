/* ooxml — one part of an Office Open XML package streamed through expat. */
#include "ooxml.h"

#include <string.h>

#define CHUNK 65536

void pl_ooxml_stop(struct pl_ooxml_parser *ps, enum pl_status st)
{
    if (ps->st == PL_OK)
        ps->st = st;
    XML_StopParser(ps->p, XML_FALSE);
}

const char *pl_ooxml_local(const XML_Char *name)
{
    const char *colon = strrchr(name, ':');
    return colon ? colon + 1 : name;
}

/* Stops the parse without a status of its own: the part then counts as bad XML. */
static void on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid, const XML_Char *pubid,
                       int has_internal_subset)
{
    (void)name, (void)sysid, (void)pubid, (void)has_internal_subset;
    struct pl_ooxml_parser *ps = ud;
    XML_StopParser(ps->p, XML_FALSE);
}

/* The error of a libzip call as a status: PL_ERR_NOMEM, or PL_ERR_DATA with *ZIP_CODE set. */
static enum pl_status zip_failure(int code, int *zip_code)
{
    if (code == ZIP_ER_MEMORY)
        return PL_ERR_NOMEM;
    *zip_code = code;
    return PL_ERR_DATA;
}

enum pl_status pl_ooxml_stream(zip_t *za, zip_int64_t index, struct pl_ooxml_parser *ps,
                               XML_StartElementHandler start, XML_EndElementHandler end,
                               XML_CharacterDataHandler text, int *zip_code, bool *bad_xml)
{
    *zip_code = 0;
    *bad_xml = false;
    zip_file_t *zf = zip_fopen_index(za, (zip_uint64_t)index, 0);
    if (!zf)
        return zip_failure(zip_error_code_zip(zip_get_error(za)), zip_code);
    ps->st = PL_OK;
    /* Without namespace processing: expat would build "uri|name" for every element and
     * attribute of a sheet, a third of the reading time; names are matched by their local
     * part instead (pl_ooxml_local). */
    ps->p = XML_ParserCreate(NULL);
    if (!ps->p) {
        zip_fclose(zf);
        return PL_ERR_NOMEM;
    }
    XML_SetParamEntityParsing(ps->p, XML_PARAM_ENTITY_PARSING_NEVER);
    XML_SetStartDoctypeDeclHandler(ps->p, on_doctype);
    XML_SetElementHandler(ps->p, start, end);
    if (text)
        XML_SetCharacterDataHandler(ps->p, text);
    XML_SetUserData(ps->p, ps);
    enum pl_status st = PL_OK;
    for (;;) {
        void *buf = XML_GetBuffer(ps->p, CHUNK);
        if (!buf) {
            st = PL_ERR_NOMEM;
            break;
        }
        zip_int64_t n = zip_fread(zf, buf, CHUNK);
        if (n < 0) {
            st = zip_failure(zip_error_code_zip(zip_file_get_error(zf)), zip_code);
            break;
        }
        if (XML_ParseBuffer(ps->p, (int)n, n == 0) != XML_STATUS_OK) {
            st = ps->st;
            if (st == PL_OK) {
                st = PL_ERR_DATA;
                *bad_xml = true;
            }
            break;
        }
        if (n == 0)
            break;
    }
    XML_ParserFree(ps->p);
    ps->p = NULL;
    zip_fclose(zf);
    return st;
}
