/*
 * cli.h - the servplan command line (src/cli/cli.c): option parsing with
 * getopt_long, reading the data files, running a command and mapping every
 * outcome to an exit code.  The only code that owns the process.
 *
 *     servplan [COMMAND] [OPTIONS]
 *
 * Commands: report (the default), plan, eval, sweep, validate, calibrate.
 * Results go to stdout; diagnostics to stderr, one line each, prefixed
 * "servplan: ", a data error in the shape
 *     servplan: data/hardware.csv:12: column 'hbm_TBps': expected a positive number, got "abc"
 * Exit codes (err.h): 0 done; 1 I/O or internal error (including a failed
 * write to stdout); 2 bad usage; 3 bad input data; 4 plan/eval found no
 * feasible configuration.
 */
#ifndef SERVPLAN_CLI_H
#define SERVPLAN_CLI_H

/* Runs servplan with argv[0..argc) as the command line and returns the
 * process exit code (SVP_EXIT_*).  It writes to stdout and stderr, flushes
 * stdout and reports a write error on it as exit 1, but does not close it,
 * so tests can call it more than once in one process.  getopt's global state
 * is reset on entry; argv may be permuted (GNU getopt).  Data files default
 * to ./data/ when ./data/hardware.csv exists, else to SVP_DATADIR/data/. */
int svp_cli_main(int argc, char **argv);

#endif
