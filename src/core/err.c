/*
 * err.c - error codes: their English descriptions and exit codes, and
 * clearing a diagnostic.
 *
 * Pure: no stdio here.  svp_diag_set needs vsnprintf, which lives in
 * <stdio.h>, so it is defined at the edge, in src/io/diag.c.
 */
#include "servplan/err.h"

#include <string.h>

const char *svp_strerror(svp_err err)
{
    switch (err) {
    case SVP_OK:           return "no error";
    case SVP_ERR_NOMEM:    return "out of memory";
    case SVP_ERR_IO:       return "input/output error";
    case SVP_ERR_INTERNAL: return "internal error";
    case SVP_ERR_USAGE:    return "bad usage";
    case SVP_ERR_DATA:     return "bad input data";
    case SVP_ERR_NOPLAN:   return "no feasible configuration";
    }
    return "unknown error";
}

int svp_err_exit_code(svp_err err)
{
    switch (err) {
    case SVP_OK:           return SVP_EXIT_OK;
    case SVP_ERR_NOMEM:    return SVP_EXIT_IO;
    case SVP_ERR_IO:       return SVP_EXIT_IO;
    case SVP_ERR_INTERNAL: return SVP_EXIT_IO;
    case SVP_ERR_USAGE:    return SVP_EXIT_USAGE;
    case SVP_ERR_DATA:     return SVP_EXIT_DATA;
    case SVP_ERR_NOPLAN:   return SVP_EXIT_NOPLAN;
    }
    /* An out-of-range code is a bug somewhere; report it as internal. */
    return SVP_EXIT_IO;
}

void svp_diag_clear(svp_diag *d)
{
    if (d != NULL)
        memset(d, 0, sizeof *d);
}
