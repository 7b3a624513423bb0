/* profile.c: the table `sow run --profile` and `sow eval --profile` print:
 * per rule, its time, the rows it read and emitted, and the plan it ran
 * with, slowest first; the rest of the rules summed on one line. */
#include "profile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHOWN 12

static int slower(const void *a, const void *b)
{
	const RuleProfile *x = a, *y = b;
	return (x->ms < y->ms) - (x->ms > y->ms);
}

void profile_print(const Profile *p, FILE *out)
{
	RuleProfile *r = malloc((size_t)(p->n ? p->n : 1) * sizeof *r);
	if (!r)
		abort();
	long long total = 0;
	for (int i = 0; i < p->n; i++) {
		r[i] = p->r[i];
		total += r[i].ms;
	}
	/* insertion sort, which is stable: ties (the fast rules) keep the
	 * order they ran in (qsort is not stable) */
	for (int i = 1; i < p->n; i++) {
		RuleProfile t = r[i];
		int j = i;
		for (; j > 0 && slower(&t, &r[j - 1]) < 0; j--)
			r[j] = r[j - 1];
		r[j] = t;
	}
	int shown = p->n < SHOWN ? p->n : SHOWN, w = 4;
	for (int i = 0; i < shown; i++)
		if ((int)strlen(r[i].rule) > w)
			w = (int)strlen(r[i].rule);
	fprintf(out, "profile: %d rules, %lld ms\n", p->n, total);
	fprintf(out, "%8s  %10s  %10s  %-*s  %s\n", "ms", "rows read", "emitted", w, "rule", "plan");
	for (int i = 0; i < shown; i++)
		fprintf(out, "%8lld  %10lld  %10lld  %-*s  %s\n", r[i].ms, r[i].read, r[i].emitted, w, r[i].rule, r[i].plan);
	if (p->n > shown) {
		long long ms = 0, read = 0, emitted = 0;
		for (int i = shown; i < p->n; i++) {
			ms += r[i].ms;
			read += r[i].read;
			emitted += r[i].emitted;
		}
		fprintf(out, "%8lld  %10lld  %10lld  (%d more rules)\n", ms, read, emitted, p->n - shown);
	}
	free(r);
}

void profile_free(Profile *p)
{
	free(p->r);
	p->r = NULL;
	p->n = p->cap = 0;
}
