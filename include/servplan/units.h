/*
 * units.h - named conversion factors.  Inside servplan every quantity is SI
 * (s, bytes, FLOP, FLOP/s, bytes/s, USD); these factors are used once, where a
 * value enters (CSV reader) or leaves (printers, workbook, charts).
 * Decimal prefixes throughout, as the vendors' datasheets use them.
 */
#ifndef SERVPLAN_UNITS_H
#define SERVPLAN_UNITS_H

#define SVP_KB 1e3
#define SVP_MB 1e6
#define SVP_GB 1e9           /* bytes per GB (decimal, as datasheets print) */
#define SVP_TB 1e12
#define SVP_GBPS 1e9         /* bytes/s per GB/s */
#define SVP_TBPS 1e12        /* bytes/s per TB/s */
#define SVP_TFLOPS 1e12      /* FLOP/s per TFLOPS (and OP/s per TOPS) */
#define SVP_MS 1e-3          /* seconds per millisecond */
#define SVP_US 1e-6          /* seconds per microsecond */
#define SVP_BILLION 1e9      /* parameters per "B" */
#define SVP_MILLION 1e6

#endif
