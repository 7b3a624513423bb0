/* importmap.c: import mappings, checked and applied.
 *
 * A mapping is written in the language's own syntax (grammar/sow.y,
 * `mapping`), modelled on hledger's CSV rules: columns from headers, date
 * formats, value maps, rows to skip, the number layout. Compiling checks
 * everything that can be checked without the export: the table and its
 * columns (with did-you-mean), every format, and every mapped value against
 * its column (validate.c), so a mapping that loads bad data does not pass
 * `sow check`. Applying turns one field into the column's standard text;
 * the importer (import.c) validates that text like any other. */
#include "importmap.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "date.h"
#include "parse.h"
#include "validate.h"

static const char *const months[] = { "january", "february", "march", "april", "may", "june", "july",
				      "august", "september", "october", "november", "december" };

static int digits(const char *s, size_t n, size_t *i, int min, int max, int *out)
{
	int v = 0, k = 0;
	while (*i < n && k < max && isdigit((unsigned char)s[*i])) {
		v = v * 10 + (s[*i] - '0');
		(*i)++;
		k++;
	}
	*out = v;
	return k >= min;
}

bool mapping_parse_date(const char *fmt, const char *s, size_t n, int *y, int *m, int *d)
{
	size_t i = 0;
	int hh = 0, mm = 0, ss = 0;
	*y = *m = *d = -1;
	for (const char *f = fmt; *f; f++) {
		if (*f != '%') {
			if (i >= n || s[i] != *f)
				return false;
			i++;
			continue;
		}
		f++;
		switch (*f) {
		case 'Y': if (!digits(s, n, &i, 4, 4, y)) return false; break;
		case 'y': if (!digits(s, n, &i, 2, 2, y)) return false; *y += 2000; break;
		case 'm': if (!digits(s, n, &i, 1, 2, m)) return false; break;
		case 'd': case 'e':
			if (*f == 'e' && i < n && s[i] == ' ')
				i++;
			if (!digits(s, n, &i, 1, 2, d))
				return false;
			break;
		case 'H': if (!digits(s, n, &i, 1, 2, &hh) || hh > 23) return false; break;
		case 'M': if (!digits(s, n, &i, 1, 2, &mm) || mm > 59) return false; break;
		case 'S': if (!digits(s, n, &i, 1, 2, &ss) || ss > 60) return false; break;
		case 'T':
			if (!digits(s, n, &i, 1, 2, &hh) || hh > 23 || i >= n || s[i++] != ':' ||
			    !digits(s, n, &i, 1, 2, &mm) || mm > 59 || i >= n || s[i++] != ':' || !digits(s, n, &i, 1, 2, &ss) || ss > 60)
				return false;
			break;
		case 'b': case 'B': {
			int found = -1;
			for (int k = 0; k < 12 && found < 0; k++) {
				size_t full = strlen(months[k]);
				if (*f == 'B' && i + full <= n && strncasecmp(s + i, months[k], full) == 0) {
					found = k;
					i += full;
				} else if (*f == 'b' && i + 3 <= n && strncasecmp(s + i, months[k], 3) == 0) {
					found = k;
					i += 3;
				}
			}
			if (found < 0)
				return false;
			*m = found + 1;
			break;
		}
		case '%':
			if (i >= n || s[i] != '%')
				return false;
			i++;
			break;
		default: return false;
		}
	}
	return i == n && date_valid_ymd(*y, *m, *d);
}

/* NULL when fmt can read a date, else what is wrong with it. */
static const char *format_problem(const char *fmt)
{
	bool year = false, month = false, day = false;
	for (const char *f = fmt; *f; f++) {
		if (*f != '%')
			continue;
		switch (*++f) {
		case 'Y': case 'y': year = true; break;
		case 'm': case 'b': case 'B': month = true; break;
		case 'd': case 'e': day = true; break;
		case 'H': case 'M': case 'S': case 'T': case '%': break;
		case 0: return "a date format cannot end with '%'";
		default: return "unknown directive in a date format (%Y %y %m %d %e %b %B %H %M %S %T %%)";
		}
	}
	if (!year || !month || !day)
		return "a date format needs a year (%Y or %y), a month (%m, %b or %B) and a day (%d or %e)";
	return NULL;
}

#define ERR(D, src, loc, ...) diag_at(D, src, loc, DIAG_ERROR, __VA_ARGS__)

/* The standard text a map_value node stands for in column col; *ok false
 * (reported) when the column cannot hold it. */
static const char *value_text(const Src *src, Diag *D, const TableDef *t, int col, const Node *v)
{
	const char *s = v->s;
	if (v->kind == N_NAME && strcmp(s, "unset") == 0)
		return NULL;
	if (t->cols[col].type == COL_BOOL && v->kind == N_NAME && strcmp(s, "true") == 0)
		s = "1";
	else if (t->cols[col].type == COL_BOOL && v->kind == N_NAME && strcmp(s, "false") == 0)
		s = "0";
	Invalid w;
	if (!validate_value(t, col, s, strlen(s), &w))
		ERR(D, src, v->loc, "column %s: %s", t->cols[col].name, w.msg);
	else if (!*s)
		ERR(D, src, v->loc, "column %s: an empty text is unset: write unset", t->cols[col].name);
	return s;
}

static int column(const Src *src, Diag *D, const TableDef *t, const char *name, Loc at)
{
	int col = schema_column(t, name);
	if (col >= 0)
		return col;
	const char *names[128];
	int n = 0;
	for (; n < t->ncols && n < 128; n++)
		names[n] = t->cols[n].name;
	const char *s = diag_suggest(name, names, n);
	ERR(D, src, at, "%s has no column '%s'%s%s%s", t->name, name, s ? "; did you mean '" : "", s ? s : "", s ? "'?" : "");
	return -1;
}

static void entries(Mapping *M, MapColumn *c, Arena *A, const Src *src, Diag *D, const Node *list)
{
	int n = 0;
	for (const Node *e = list; e; e = e->next) {
		n += e->op;
		for (const Node *k = e->a; k; k = k->next)
			n++;
	}
	c->entries = arena_alloc(A, (size_t)(n ? n : 1) * sizeof *c->entries);
	for (const Node *e = list; e; e = e->next) {
		const char *v = value_text(src, D, M->table, c->col, e->b);
		if (e->op) {
			if (c->otherwise)
				ERR(D, src, e->loc, "column %s has two else entries", M->table->cols[c->col].name);
			c->entries[c->nentries] = (MapEntry){ NULL, v, e };
			c->otherwise = &c->entries[c->nentries++];
			continue;
		}
		for (const Node *k = e->a; k; k = k->next) {
			for (int i = 0; i < c->nentries; i++)
				if (c->entries[i].key && strcmp(c->entries[i].key, k->s) == 0) {
					ERR(D, src, k->loc, "'%s' is mapped twice for column %s", k->s, M->table->cols[c->col].name);
					diag_at(D, src, c->entries[i].at->loc, DIAG_NOTE, "first mapped here");
				}
			c->entries[c->nentries] = (MapEntry){ k->s, v, e };
			map_put(&c->index, k->s, &c->entries[c->nentries++]);
		}
	}
}

void mapping_free(Mapping *M)
{
	for (int i = 0; i < M->ncols; i++)
		map_free(&M->cols[i].index);
	M->ncols = 0;
}

bool mapping_compile(Mapping *M, Arena *A, const Src *src, const Node *it, Diag *D)
{
	int before = D->errors;
	memset(M, 0, sizeof *M);
	M->name = it->s;
	M->path = src->path;
	M->decimal = '.';
	const TableDef *t = schema_table(it->s2);
	if (!t || t->output) {
		const char *names[64];
		int n = 0;
		for (int i = 0; i < schema_ntables && n < 64; i++)
			if (!schema_tables[i].output)
				names[n++] = schema_tables[i].name;
		const char *s = diag_suggest(it->s2, names, n);
		size_t l = strlen(it->s2);
		for (int i = 0; i < n && !s && l >= 5; i++)
			if (strncmp(names[i], it->s2, l - 1) == 0)
				s = names[i]; /* time_entry: the singular */
		ERR(D, src, it->b->loc, "'%s' is not an input table%s%s%s", it->s2, s ? "; did you mean '" : "", s ? s : "",
		    s ? "'?" : " (a mapping loads one of the tables sow import takes)");
		return false;
	}
	M->table = t;
	int ncols = 0, nskips = 0, nrules = 0;
	for (const Node *c = it->a; c; c = c->next) {
		ncols += c->kind == N_MAPCOL || c->kind == N_MAPCONST;
		nskips += c->kind == N_MAPSKIP && c->op == 1;
		nrules += c->kind == N_MAPIF;
	}
	M->rules = arena_alloc(A, (size_t)(nrules ? nrules : 1) * sizeof *M->rules);
	M->cols = arena_alloc(A, (size_t)(ncols ? ncols : 1) * sizeof *M->cols);
	M->skips = arena_alloc(A, (size_t)(nskips ? nskips : 1) * sizeof *M->skips);
	const Node **first = arena_alloc(A, (size_t)t->ncols * sizeof *first);
	const Node *thousands_at = NULL;
	for (const Node *c = it->a; c; c = c->next) {
		switch (c->kind) {
		case N_MAPCOL:
		case N_MAPCONST: {
			int col = column(src, D, t, c->s, c->c->loc);
			if (col < 0)
				break;
			if (first[col]) {
				ERR(D, src, c->c->loc, "column %s is mapped twice", c->s);
				diag_at(D, src, first[col]->loc, DIAG_NOTE, "first mapped here");
				break;
			}
			first[col] = c;
			MapColumn *mc = &M->cols[M->ncols++];
			mc->col = col;
			if (c->kind == N_MAPCONST) {
				mc->constant = value_text(src, D, t, col, c->a);
				break;
			}
			mc->header = c->s2;
			if (c->a && t->cols[col].type != COL_DATE)
				ERR(D, src, c->a->loc, "'as date' is for date columns; %s is %s", c->s, coltype_name(t->cols[col].type));
			for (const Node *f = c->a; f; f = f->next)
				mc->nformats++;
			mc->formats = arena_alloc(A, (size_t)(mc->nformats ? mc->nformats : 1) * sizeof *mc->formats);
			mc->nformats = 0;
			for (const Node *f = c->a; f; f = f->next) {
				const char *why = format_problem(f->s);
				if (why)
					ERR(D, src, f->loc, "%s", why);
				mc->formats[mc->nformats++] = f->s;
			}
			entries(M, mc, A, src, D, c->b);
			break;
		}
		case N_MAPSET:
			if (strcmp(c->s, "thousands") == 0) {
				if (strlen(c->s2) > 1 || (c->s2[0] && !strchr(",. '", c->s2[0])))
					ERR(D, src, c->d->loc, "the thousands separator is one of \",\" \".\" \" \" \"'\" (or \"\" for none)");
				M->thousands = c->s2[0];
				thousands_at = c;
			} else if (strcmp(c->s, "decimal") == 0) {
				if (strcmp(c->s2, ",") != 0 && strcmp(c->s2, ".") != 0)
					ERR(D, src, c->d->loc, "the decimal mark is \".\" or \",\"");
				else
					M->decimal = c->s2[0];
			} else if (strcmp(c->s, "date") == 0) {
				const char *why = format_problem(c->s2);
				if (why)
					ERR(D, src, c->d->loc, "%s", why);
				M->date_formats = arena_alloc(A, sizeof *M->date_formats);
				M->date_formats[0] = c->s2;
				M->ndate_formats = 1;
			} else {
				static const char *const settings[] = { "thousands", "decimal", "date" };
				const char *s = diag_suggest(c->s, settings, 3);
				ERR(D, src, c->c->loc, "unknown setting '%s'%s%s%s (thousands, decimal, date; a column is NAME from \"Header\")",
				    c->s, s ? "; did you mean '" : "", s ? s : "", s ? "'?" : "");
			}
			break;
		case N_MAPIF: {
			MapRule *r = &M->rules[M->nrules++];
			*r = (MapRule){ c->s, c->s2, c->op == 1, false, NULL, 0 };
			int n = 0;
			for (const Node *b = c->a; b; b = b->next)
				n++;
			r->sets = arena_alloc(A, (size_t)(n ? n : 1) * sizeof *r->sets);
			for (const Node *b = c->a; b; b = b->next) {
				if (b->kind == N_MAPSKIP && b->op == 2) {
					r->skip = true;
				} else if (b->kind == N_MAPCONST) {
					int col = column(src, D, t, b->s, b->c->loc);
					if (col >= 0)
						r->sets[r->nsets++] = (MapSet){ col, value_text(src, D, t, col, b->a) };
				} else {
					ERR(D, src, b->loc, "an if block holds assignments (COLUMN = value) and skip");
				}
			}
			break;
		}
		case N_MAPSKIP:
			if (c->op == 2) {
				ERR(D, src, c->loc, "skip alone belongs in an if block (or write skip when \"Header\" == \"value\")");
			} else if (c->op == 1) {
				M->skips[M->nskips++] = (MapSkip){ c->s, c->s2 };
			} else {
				char *end;
				errno = 0;
				long v = strtol(c->s, &end, 10);
				if (*end || errno || v > 100000)
					ERR(D, src, c->a->loc, "skip takes a whole number of lines (at most 100000)");
				else
					M->skip_lines += (int)v;
			}
			break;
		default: break;
		}
	}
	if (M->thousands && M->thousands == M->decimal)
		ERR(D, src, thousands_at->d->loc, "the thousands separator and the decimal mark must differ");
	if (M->ncols == 0 && M->nrules == 0 && D->errors == 0) /* not after a syntax error ate the clauses */
		ERR(D, src, it->loc, "mapping \"%s\" maps no column (write NAME from \"Header\")", it->s);
	if (D->errors != before) {
		mapping_free(M);
		return false;
	}
	return true;
}

bool mapping_load(Mapping *M, Arena *A, const char *path, Diag *D)
{
	Src *src;
	const Node *found = parse_single_block(A, path, N_MAPPING, "a mapping file", "mapping",
					       "mapping (mapping \"NAME\" for TABLE { ... })", D, &src);
	return found && mapping_compile(M, A, src, found, D);
}

/* Rewrite a number written with M's thousands separator and decimal mark
 * as sow writes it (1.234,50 -> 1234.50). */
static bool number(const Mapping *M, const char *s, size_t n, char *buf, size_t size, char *why, size_t whysize)
{
	size_t o = 0, i = 0;
	if (n + 1 > size) {
		snprintf(why, whysize, "'%.*s' is too long for a number", (int)(n > 40 ? 40 : n), s);
		return false;
	}
	if (i < n && (s[i] == '-' || s[i] == '+'))
		buf[o++] = s[i++];
	int group = -1; /* digits since the last separator; -1: none seen */
	size_t lead = 0;
	for (; i < n && s[i] != M->decimal; i++) {
		if (M->thousands && s[i] == M->thousands) {
			if ((group < 0 && (lead == 0 || lead > 3)) || (group >= 0 && group != 3))
				goto grouping;
			group = 0;
			continue;
		}
		if (M->decimal == ',' && s[i] == '.') {
			snprintf(why, whysize, "'%.*s' has a '.', but this mapping's decimal mark is ','", (int)n, s);
			return false;
		}
		if (group >= 0)
			group++;
		else
			lead++;
		buf[o++] = s[i];
	}
	if (group >= 0 && group != 3)
		goto grouping;
	if (i < n) {
		buf[o++] = '.';
		i++;
	}
	for (; i < n; i++)
		buf[o++] = s[i];
	buf[o] = 0;
	return true;
grouping:
	snprintf(why, whysize, "'%.*s' does not group its digits by three ('%c' separates thousands in this mapping)", (int)n, s,
		 M->thousands);
	return false;
}

const char *mapping_apply(const Mapping *M, const MapColumn *c, const char *s, size_t n, char *buf, size_t size,
			  bool *null, char *why, size_t whysize)
{
	*null = false;
	if (!c->header) {
		*null = !c->constant;
		return c->constant;
	}
	const MapEntry *e = c->nentries ? map_get(&c->index, s) : NULL;
	if (e) {
		*null = !e->value;
		return e->value;
	}
	if (n == 0) {
		*null = true;
		return NULL;
	}
	if (c->otherwise) {
		*null = !c->otherwise->value;
		return c->otherwise->value;
	}
	ColType t = M->table->cols[c->col].type;
	int nf = c->nformats ? c->nformats : M->ndate_formats;
	const char **fs = c->nformats ? c->formats : M->date_formats;
	if (t == COL_DATE && nf) {
		int y, m, d;
		for (int i = 0; i < nf; i++)
			if (mapping_parse_date(fs[i], s, n, &y, &m, &d)) {
				date_fmt(date_from_ymd(y, m, d), buf);
				return buf;
			}
		size_t len = (size_t)snprintf(why, whysize, "'%.*s' is not a date written as", (int)(n > 60 ? 60 : n), s);
		for (int i = 0; i < nf && len < whysize; i++)
			len += (size_t)snprintf(why + len, whysize - len, "%s \"%s\"", i == 0 ? "" : i == nf - 1 ? " or" : ",", fs[i]);
		return NULL;
	}
	if ((t == COL_DECIMAL || t == COL_HOURS || t == COL_MONEY || t == COL_INT) && (M->thousands || M->decimal != '.'))
		return number(M, s, n, buf, size, why, whysize) ? buf : NULL;
	if (n + 1 > size) {
		snprintf(why, whysize, "a field of %zu bytes is too long", n);
		return NULL;
	}
	memcpy(buf, s, n);
	buf[n] = 0;
	return buf;
}
