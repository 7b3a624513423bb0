/* rules.h: running rules (rules.c) in dependency order; their rows go to
 * E->sink (sink.h). Status machines run after them (machine.h). */
#ifndef SOW_RULES_H
#define SOW_RULES_H

#include "eval.h"

/* Evaluate every rule of the program, in dependency order, then the
 * machines; their rows go to E->sink (set: a run's, a test's). */
bool rules_run_all(Eval *E);
/* The same for the rules want() says yes to, in dependency order; the rest
 * count as run (their rows are there). want(NULL): the status machines too. */
bool rules_run_some(Eval *E, bool (*want)(const Decl *rule, void *arg), void *arg);
/* "file:line name", as a rule's rows say which rule wrote them. */
void rules_name(const Decl *r, char *buf, size_t n);
/* Evaluate one rule (why.c traces with it). */
bool rules_run_one(Eval *E, Decl *rule);

#endif
