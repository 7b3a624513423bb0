/* profile.h: what `sow run --profile` shows (profile.c prints it; rules.c
 * fills it). */
#ifndef SOW_PROFILE_H
#define SOW_PROFILE_H

#include <stdio.h>

/* --profile: what each rule cost and how its sources were read. */
typedef struct RuleProfile {
	const char *rule;     /* "rules/std/revenue.sow:15 release_time" */
	long long ms, read, emitted;
	char plan[320];       /* in source terms: what was hashed, what went to SQL */
} RuleProfile;

typedef struct Profile {
	RuleProfile *r;
	int n, cap;
} Profile;

/* The profile as a table (the slowest rules first, about a dozen lines). */
void profile_print(const Profile *p, FILE *out);
void profile_free(Profile *p);

#endif
