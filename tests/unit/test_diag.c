/* Unit tests for the diag module: counting, severity by code, the message format. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "diag.h"

static void test_reports_are_formatted_file_line_column_message_code(void **state)
{
    (void)state;
    struct pl_buf out;
    pl_buf_init(&out);
    struct pl_diag d;
    pl_diag_init(&d, pl_diag_emit_buf, &out);
    pl_diag_report(&d, "a.csv", 12, 3, "E_RAGGED_ROW", "第%d行有问题", 12);
    pl_diag_report(&d, "a.csv", 4, 0, "W_UNKNOWN_COLUMN", "未知列");
    pl_diag_report(&d, "a.csv", 0, 0, "E_EMPTY_FILE", "空文件");
    pl_diag_report(&d, NULL, 0, 0, "E_WRITE", "写入失败");
    assert_string_equal(out.data, "a.csv:12:3: 第12行有问题 [E_RAGGED_ROW]\n"
                                  "a.csv:4: 未知列 [W_UNKNOWN_COLUMN]\n"
                                  "a.csv: 空文件 [E_EMPTY_FILE]\n"
                                  "写入失败 [E_WRITE]\n");
    assert_int_equal(d.errors, 3);
    assert_int_equal(d.warnings, 1);
    pl_buf_fini(&out);
}

static void test_format_names_the_program_when_given(void **state)
{
    (void)state;
    struct pl_buf out;
    pl_buf_init(&out);
    struct pl_diagnostic d = {PL_SEV_ERROR, "f", 1, 2, "E_X", "msg"};
    assert_int_equal(pl_diag_format(&out, "ducha-read", &d), PL_OK);
    assert_string_equal(out.data, "ducha-read: f:1:2: msg [E_X]\n");
    pl_buf_fini(&out);
}

static void test_control_characters_in_a_cell_cannot_forge_a_line_or_move_the_terminal(void **state)
{
    (void)state;
    struct pl_buf out;
    pl_buf_init(&out);
    struct pl_diag d;
    pl_diag_init(&d, pl_diag_emit_buf, &out);
    pl_diag_report(&d, "a\nb.csv", 3, 1, "E_STATUS_UNKNOWN", "状态“%s”无法识别",
                   "x\nevil.csv:1:1: 伪造 [E_FAKE]\r\x1b[2J\t\x7f");
    assert_string_equal(out.data, "a\\nb.csv:3:1: 状态“x\\nevil.csv:1:1: 伪造 [E_FAKE]\\r"
                                  "\\x1b[2J\\t\\x7f”无法识别 [E_STATUS_UNKNOWN]\n");
    assert_null(strchr(out.data, '\r'));
    assert_ptr_equal(strchr(out.data, '\n'), out.data + out.len - 1);
    pl_buf_fini(&out);
}

static void test_escape_keeps_utf8_and_backslashes(void **state)
{
    (void)state;
    struct pl_buf out;
    pl_buf_init(&out);
    assert_int_equal(pl_diag_escape(&out, "县财政局 a\\b"), PL_OK);
    assert_string_equal(out.data, "县财政局 a\\b");
    pl_buf_fini(&out);
}

/* Every byte value at every place of a long line (the eight-byte scan and the byte scan both
 * see it) is escaped as the one rule says: below 0x20 and 0x7F escaped, the rest kept. */
static void test_escape_finds_a_control_byte_wherever_it_stands(void **state)
{
    (void)state;
    static const char hex[] = "0123456789abcdef";
    struct pl_buf out, want;
    pl_buf_init(&out);
    pl_buf_init(&want);
    char line[40];
    for (int c = 1; c < 256; c++) {
        for (size_t at = 0; at < sizeof line - 1; at++) {
            memset(line, 'a', sizeof line - 1);
            memcpy(line, "县财", 6);
            line[sizeof line - 1] = '\0';
            line[at] = (char)c;
            pl_buf_clear(&want);
            for (size_t i = 0; line[i]; i++) {
                unsigned char b = (unsigned char)line[i];
                if (b == '\n')
                    pl_buf_append_str(&want, "\\n");
                else if (b == '\r')
                    pl_buf_append_str(&want, "\\r");
                else if (b == '\t')
                    pl_buf_append_str(&want, "\\t");
                else if (b < 0x20 || b == 0x7f) {
                    char esc[5] = {'\\', 'x', hex[b >> 4], hex[b & 15], '\0'};
                    pl_buf_append_str(&want, esc);
                } else {
                    pl_buf_append(&want, &line[i], 1);
                }
            }
            pl_buf_clear(&out);
            assert_int_equal(pl_diag_escape(&out, line), PL_OK);
            if (strcmp(out.data, want.data) != 0)
                fail_msg("byte 0x%02x at %zu: got %s", c, at, out.data);
        }
    }
    pl_buf_fini(&out);
    pl_buf_fini(&want);
}

static void test_a_null_sink_or_emitter_only_counts(void **state)
{
    (void)state;
    pl_diag_report(NULL, "f", 1, 1, "E_X", "dropped");
    struct pl_diag d;
    pl_diag_init(&d, NULL, NULL);
    pl_diag_report(&d, "f", 1, 1, "E_X", "counted");
    assert_int_equal(d.errors, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reports_are_formatted_file_line_column_message_code),
        cmocka_unit_test(test_format_names_the_program_when_given),
        cmocka_unit_test(test_a_null_sink_or_emitter_only_counts),
        cmocka_unit_test(test_control_characters_in_a_cell_cannot_forge_a_line_or_move_the_terminal),
        cmocka_unit_test(test_escape_keeps_utf8_and_backslashes),
        cmocka_unit_test(test_escape_finds_a_control_byte_wherever_it_stands),
    };
    return cmocka_run_group_tests_name("diag", tests, NULL, NULL);
}
