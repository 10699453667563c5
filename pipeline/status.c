/* status — wording and exit codes for enum pl_status. */
#include "status.h"

#include <sysexits.h>

static const char *const messages[PL_STATUS_COUNT] = {
    [PL_OK] = "success",
    [PL_ERR_NOMEM] = "out of memory",
    [PL_ERR_USAGE] = "wrong usage",
    [PL_ERR_OPEN] = "cannot open input",
    [PL_ERR_IO] = "input/output error",
    [PL_ERR_CREATE] = "cannot create output",
    [PL_ERR_DATA] = "unusable data",
    [PL_ERR_ENCODING] = "undecodable text",
    [PL_ERR_CONFIG] = "bad configuration",
    [PL_ERR_INTERNAL] = "internal error",
};

const char *pl_strerror(enum pl_status status)
{
    if ((unsigned)status >= PL_STATUS_COUNT || !messages[status])
        return "unknown status";
    return messages[status];
}

int pl_status_exit_code(enum pl_status status)
{
    switch (status) {
    case PL_OK:
        return 0;
    case PL_ERR_USAGE:
        return EX_USAGE;
    case PL_ERR_OPEN:
        return EX_NOINPUT;
    case PL_ERR_IO:
        return EX_IOERR;
    case PL_ERR_CREATE:
        return EX_CANTCREAT;
    case PL_ERR_DATA:
    case PL_ERR_ENCODING:
        return EX_DATAERR;
    case PL_ERR_CONFIG:
        return EX_CONFIG;
    case PL_ERR_NOMEM:
    case PL_ERR_INTERNAL:
    case PL_STATUS_COUNT:
        break;
    }
    return EX_SOFTWARE;
}
