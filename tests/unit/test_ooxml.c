/* Unit tests for ooxml: one part of a zip package streamed through expat. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ooxml.h"

/* Handler state as the readers have it: the parser first, then what the handlers gather. */
struct gather {
    struct pl_ooxml_parser ps;
    char names[256];
    size_t text_bytes;
    const char *stop_at; /* stop with PL_ERR_INTERNAL at this element, if set */
};

static void on_start(void *ud, const XML_Char *el, const XML_Char **atts)
{
    (void)atts;
    struct gather *g = ud;
    const char *name = pl_ooxml_local(el);
    strncat(g->names, name, sizeof g->names - strlen(g->names) - 2);
    strcat(g->names, " ");
    if (g->stop_at && strcmp(name, g->stop_at) == 0)
        pl_ooxml_stop(&g->ps, PL_ERR_INTERNAL);
}

static void on_end(void *ud, const XML_Char *el)
{
    (void)ud, (void)el;
}

static void on_text(void *ud, const XML_Char *s, int len)
{
    (void)s;
    struct gather *g = ud;
    g->text_bytes += (size_t)len;
}

/* A zip in memory holding one entry, "part.xml", of BODY (copied; libzip frees the copy). */
static zip_t *package_of(const char *body)
{
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &err);
    assert_non_null(src);
    zip_source_keep(src);
    zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &err);
    assert_non_null(za);
    zip_source_t *part = zip_source_buffer(za, strdup(body), strlen(body), 1);
    assert_non_null(part);
    assert_true(zip_file_add(za, "part.xml", part, ZIP_FL_ENC_UTF_8) >= 0);
    assert_int_equal(zip_close(za), 0);
    za = zip_open_from_source(src, ZIP_RDONLY, &err);
    assert_non_null(za);
    return za;
}

static enum pl_status stream(const char *body, struct gather *g, int *zip_code, bool *bad_xml)
{
    zip_t *za = package_of(body);
    enum pl_status st =
        pl_ooxml_stream(za, 0, &g->ps, on_start, on_end, on_text, zip_code, bad_xml);
    assert_null(g->ps.p); /* the parser is freed whatever the outcome */
    zip_discard(za);
    return st;
}

static void test_a_part_is_streamed_with_names_by_their_local_part(void **state)
{
    (void)state;
    struct gather g = {0};
    int zip_code;
    bool bad_xml;
    const char *body = "<?xml version=\"1.0\"?><x:worksheet xmlns:x=\"u\"><x:row><c>表</c></x:row>"
                       "<w:p xmlns:w=\"v\"/></x:worksheet>";
    assert_int_equal(stream(body, &g, &zip_code, &bad_xml), PL_OK);
    assert_string_equal(g.names, "worksheet row c p ");
    assert_int_equal(g.text_bytes, strlen("表"));
    assert_int_equal(zip_code, 0);
    assert_false(bad_xml);
}

static void test_a_doctype_is_bad_xml_before_any_entity_is_read(void **state)
{
    (void)state;
    struct gather g = {0};
    int zip_code;
    bool bad_xml;
    const char *body = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaaaaaa\">]><r>&a;</r>";
    assert_int_equal(stream(body, &g, &zip_code, &bad_xml), PL_ERR_DATA);
    assert_true(bad_xml);
    assert_int_equal(zip_code, 0);
    assert_string_equal(g.names, "");
}

static void test_a_part_that_is_not_xml_is_bad_xml(void **state)
{
    (void)state;
    struct gather g = {0};
    int zip_code;
    bool bad_xml;
    assert_int_equal(stream("<r><unclosed></r>", &g, &zip_code, &bad_xml), PL_ERR_DATA);
    assert_true(bad_xml);
    assert_int_equal(zip_code, 0);
}

static void test_a_handler_that_stops_gives_its_own_status(void **state)
{
    (void)state;
    struct gather g = {.stop_at = "b"};
    int zip_code;
    bool bad_xml;
    assert_int_equal(stream("<r><a/><b/><c/></r>", &g, &zip_code, &bad_xml), PL_ERR_INTERNAL);
    assert_false(bad_xml);
    assert_string_equal(g.names, "r a b ");
}

static void test_a_missing_entry_is_a_zip_error_for_the_caller_to_word(void **state)
{
    (void)state;
    struct gather g = {0};
    int zip_code;
    bool bad_xml;
    zip_t *za = package_of("<r/>");
    assert_int_equal(pl_ooxml_stream(za, 7, &g.ps, on_start, on_end, NULL, &zip_code, &bad_xml),
                     PL_ERR_DATA);
    assert_int_not_equal(zip_code, 0);
    assert_false(bad_xml);
    zip_discard(za);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_part_is_streamed_with_names_by_their_local_part),
        cmocka_unit_test(test_a_doctype_is_bad_xml_before_any_entity_is_read),
        cmocka_unit_test(test_a_part_that_is_not_xml_is_bad_xml),
        cmocka_unit_test(test_a_handler_that_stops_gives_its_own_status),
        cmocka_unit_test(test_a_missing_entry_is_a_zip_error_for_the_caller_to_word),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
