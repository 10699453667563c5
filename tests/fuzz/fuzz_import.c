/* fuzz_import — the targets-document importer on any text. Invariants: no crash; a document it
 * accepts gives a catalog whose names are valid UTF-8 and can be written and read back. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "docparse.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!pl_utf8_valid((const char *)data, size))
        return 0; /* the importer is handed decoded text by pl_text_load() */
    struct pl_catalog cat;
    pl_catalog_init(&cat);
    struct pl_diag diag;
    pl_diag_init(&diag, NULL, NULL);
    if (pl_doc_import((const char *)data, size, "fuzz.txt", &cat, &diag) == PL_OK) {
        for (size_t i = 0; i < cat.ntasks; i++)
            if (!cat.tasks[i].id || !pl_utf8_valid(cat.tasks[i].id, strlen(cat.tasks[i].id)))
                abort();
        for (size_t i = 0; i < cat.nunits; i++)
            if (!pl_utf8_valid(cat.units[i].name, strlen(cat.units[i].name)))
                abort();
    }
    pl_catalog_fini(&cat);
    return 0;
}
