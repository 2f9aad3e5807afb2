/*
 * output_guard: one build at a time in an output folder, and what a killed
 * build left behind. Internal to the output module (output.c).
 *
 * A build holds an exclusive flock() on the output folder itself (its
 * descriptor, so no lock file is left in the site) from output_open() to
 * output_free(); a second build waits for it (saying so on stderr) or,
 * asked not to wait, fails. While a build has staged files the folder
 * holds a marker, `.yardstick-building`, removed when it commits or
 * aborts: finding it when the lock is taken means the last build was
 * killed, and the temporary files it staged (".NAME.tmp-XXXXXX", a name
 * no site file can have) are removed from the whole folder first.
 */
#ifndef YARDSTICK_OUTPUT_GUARD_H
#define YARDSTICK_OUTPUT_GUARD_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

/* The marker's name, in the output folder. */
#define OUTPUT_GUARD_MARKER ".yardstick-building"

/*
 * Lock the output folder open as `root` (`dir` names it in messages),
 * waiting for another build when `wait`, clean up after a killed build
 * (`*removed` temporary files) and set the marker. 0, or -1 with `e`
 * filled (nothing changed).
 */
int output_guard_acquire(int root, const char *dir, bool wait, size_t *removed,
			 struct err *e);

/* Remove the marker: the build left no staged file behind. The lock goes
 * when `root` is closed. */
void output_guard_done(int root);

#endif
