/* keyscope.h: which rules can run again for one project alone.
 *
 * An assume on one project's rows (view.c) deletes and makes again only
 * that project's rows of the rules it makes stale, with the evaluator's
 * scans of project-keyed sources reading that project's rows only
 * (Eval.only_project, honored in source.c). That is the rule's answer
 * for every project exactly when the rule is local to a project:
 * keyscope_rule says when it is, from the rule's text. */
#ifndef SOW_KEYSCOPE_H
#define SOW_KEYSCOPE_H

#include <stdbool.h>

#include "model.h"
#include "schema.h"
#include "source.h"

/* Is rule r local to a project? Its first `for` reads a project-keyed
 * source (or a query of such sources grouped by project); every row it
 * emits goes to an output table with project_id and rule columns or a
 * declared relation with project_id, with the project of that first row;
 * and every other scan of a project-keyed
 * source, in the rule, the functions it calls and the queries it reads, is
 * tied to a project by `x.project_id == e` (e a name or a field). */
bool keyscope_rule(Program *P, const Decl *r);
/* Is relation name declared, with a project_id column? */
bool keyscope_relation(Program *P, const char *name);
/* Drop the project's rows of relation r (its unique keys are rebuilt). */
void keyscope_rel_drop(Eval *E, Rel *r, const char *project);

#endif
