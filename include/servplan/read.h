/*
 * read.h - the CSV readers (src/io/read*.c, on libcsv).  The edge where data
 * enters: human units in the headers become SI here, once.
 *
 * Every reader finds columns by header name in any order (units are part of
 * the name: "hbm_TBps"), accepts a UTF-8 BOM and CRLF line ends, skips empty
 * lines, and on any problem returns SVP_ERR_DATA (or _IO / _NOMEM) with *d
 * naming the file, the 1-based line, the column and the offending value:
 *     column 'hbm_TBps': expected a positive number, got "abc"
 * On error nothing is returned in *out (it is left empty; no leak).
 * The caller owns what a successful reader returns (free with *_fini).
 */
#ifndef SERVPLAN_READ_H
#define SERVPLAN_READ_H

#include "servplan/err.h"
#include "servplan/hw.h"
#include "servplan/model.h"
#include "servplan/scenario.h"
#include "servplan/price.h"

/* data/hardware.csv: one row per chip (schema in README). Duplicate chip
 * names, missing required columns, non-numeric or out-of-range values and an
 * empty table are errors. */
svp_err svp_read_hardware(const char *path, svp_hw_table *out, svp_diag *d);

/* data/models/NAME.csv: key,value,unit,note. Every key of svp_model is
 * required except n_redundant_experts (default 0); unknown keys are errors. */
svp_err svp_read_model(const char *path, svp_model *out, svp_diag *d);

/* data/scenarios.csv: name,phase,input_len_tokens,output_len_tokens,
 * max_tpot_ms,max_ftl_ms,source. */
svp_err svp_read_scenarios(const char *path, svp_scenario_table *out, svp_diag *d);

/* data/search-space.csv: variable,values,source; values are positive
 * integers separated by spaces; variables batch, mla_tp, mla_dp, moe_tp,
 * moe_ep, sp each exactly once; mla_tp, moe_tp and sp must be powers of two.
 * Grids come back sorted ascending without duplicates. */
svp_err svp_read_space(const char *path, svp_space *out, svp_diag *d);

/* data/prices.csv: chip,unit_price_usd_low,unit_price_usd_high,
 * unit_price_basis,hourly_usd_low,hourly_usd_high,date,confidence,source_urls.
 * Empty hourly columns = no hourly price. */
svp_err svp_read_prices(const char *path, svp_price_table *out, svp_diag *d);

#endif
