/* cli: what the subcommands share. */
#include "cli.h"

#include <stdarg.h>
#include <stdio.h>

int cli_usage_error(const char *command, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "yardstick: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (command)
		fprintf(stderr, "\ntry 'yardstick %s --help'\n", command);
	else
		fprintf(stderr, "\ntry 'yardstick --help'\n");
	return EXIT_USAGE;
}
