/*
 * main.c - the process entry point; everything else is in cli.c so that
 * tests can link the whole program as a library.
 */
#include "servplan/cli.h"

int main(int argc, char **argv) { return svp_cli_main(argc, argv); }
