/* coverage.h: what `sow test --coverage` saw run.
 *
 * The evaluator counts hits on tree nodes when an Eval has a Coverage: a
 * rule's emit, a `where`/`when` clause that held, a call of a function or
 * rounding, a transition a machine proposed. The report lists, by file and
 * line, every such item of the files under test and whether it ran. */
#ifndef SOW_COVERAGE_H
#define SOW_COVERAGE_H

#include <stdbool.h>
#include <stdio.h>

#include "map.h"
#include "program.h"

typedef struct Coverage {
	PtrMap hits;          /* node -> (void *)count */
} Coverage;

void coverage_hit(Coverage *c, const void *node);
void coverage_free(Coverage *c);

/* Threshold in tenths of a percent (85.5% is 855); -1 when none. Parses
 * "85", "85.5" or "85%"; false when it is not a percentage 0..100. */
bool coverage_parse_threshold(const char *s, int *tenths);

/* Print the report of the user files of P (text, or JSON when json);
 * tests_passed/failed go into the JSON. False when below the threshold. */
bool coverage_report(const Program *P, const Coverage *c, FILE *out, bool json, int threshold,
		     int tests_passed, int tests_failed);

#endif
