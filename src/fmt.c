/* fmt.c: the canonical layout of a rule file.
 *
 * Items are separated by one blank line (imports stay together); clauses
 * go one per line, indented two spaces, SOW clause keywords padded so their
 * values line up. Expressions are printed with the fewest parentheses their
 * precedence needs. Comments are placed by position: one on the same line
 * as the end of a clause stays there; any other is printed on its own line
 * before the next clause or item. Formatting twice changes nothing. */
#include "fmt.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

typedef struct {
	FILE *out;
	const Src *src;
	Comment *next;        /* first comment not printed yet */
} Fmt;

static void put_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(out, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", out);
		else if (*s == '\t')
			fputs("\\t", out);
		else
			fputc(*s, out);
	}
	fputc('"', out);
}

static int prec(const Node *e)
{
	switch (e->kind) {
	case N_IF: return 0;
	case N_BIN:
		switch (e->op) {
		case OP_OR: return 1;
		case OP_AND: return 2;
		case OP_ADD: case OP_SUB: return 5;
		case OP_MUL: case OP_DIV: return 6;
		default: return 4;
		}
	case N_NOT: return 3;
	case N_ISSET: case N_IN: return 4;
	case N_NEG: return 7;
	default: return 8;
	}
}

static void expr(FILE *out, const Node *e, int ctx);
static void query(FILE *out, const Node *q, const char *sep);
static void pp(FILE *out, const Node *e, int ctx, int indent, int col);

static void list(FILE *out, const Node *e, const char *sep)
{
	for (; e; e = e->next) {
		expr(out, e, 0);
		if (e->next)
			fputs(sep, out);
	}
}

static void record(FILE *out, const Node *r)
{
	if (!r->a) {
		fputs("{}", out);
		return;
	}
	fputs("{ ", out);
	for (const Node *f = r->a; f; f = f->next) {
		fprintf(out, "%s: ", f->s);
		expr(out, f->a, 0);
		fputs(f->next ? ", " : " ", out);
	}
	fputc('}', out);
}

static void source(FILE *out, const Node *s)
{
	if (s->kind == N_SELECTQ) {
		fputc('(', out);
		query(out, s, " ");
		fputc(')', out);
	} else {
		expr(out, s, 8);
	}
}

static void expr(FILE *out, const Node *e, int ctx)
{
	int p = prec(e);
	bool paren = p < ctx;
	if (paren)
		fputc('(', out);
	switch (e->kind) {
	case N_NUM: fputs(e->s, out); break;
	case N_QTY: fprintf(out, "%s %s", e->s, unit_name((Unit)e->op, strcmp(e->s, "1") != 0)); break;
	case N_MONEY: fprintf(out, "%s %s", e->s, e->s2); break;
	case N_PERCENT: fprintf(out, "%s%%", e->s); break;
	case N_STR: put_string(out, e->s); break;
	case N_DATE: case N_PERIOD: case N_NAME: fputs(e->s, out); break;
	case N_BOOL: fputs(e->op ? "true" : "false", out); break;
	case N_UNSET: fputs("unset", out); break;
	case N_BIN: {
		bool cmp = p == 4;
		expr(out, e->a, cmp ? p + 1 : p);
		fprintf(out, " %s ", op_text(e->op));
		expr(out, e->b, p + 1);
		break;
	}
	case N_NOT: fputs("not ", out); expr(out, e->a, 3); break;
	case N_NEG: fputc('-', out); expr(out, e->a, 7); break;
	case N_ISSET: expr(out, e->a, 5); fputs(e->op ? " is not set" : " is set", out); break;
	case N_IN: expr(out, e->a, 5); fputs(" in ", out); expr(out, e->b, 5); break;
	case N_CALL:
		fprintf(out, "%s(", e->s);
		for (const Node *a = e->a; a; a = a->next) {
			if (a->s)
				fprintf(out, "%s: ", a->s);
			if (!a->next && a->a->kind == N_SELECTQ)
				query(out, a->a, " "); /* a query may close a call bare */
			else
				expr(out, a->a, 0);
			if (a->next)
				fputs(", ", out);
		}
		fputc(')', out);
		break;
	case N_MEMBER: expr(out, e->a, 8); fprintf(out, ".%s", e->s); break;
	case N_INDEX: expr(out, e->a, 8); fputc('[', out); expr(out, e->b, 0); fputc(']', out); break;
	case N_IF:
		fputs("if ", out);
		expr(out, e->a, 0);
		fputs(" then ", out);
		expr(out, e->b, 0);
		fputs(" else ", out);
		expr(out, e->c, 0);
		break;
	case N_LIST: fputc('[', out); list(out, e->a, ", "); fputc(']', out); break;
	case N_RECORD: record(out, e); break;
	case N_SELECTQ: fputc('(', out); query(out, e, " "); fputc(')', out); break;
	default: fputs("(?)", out); break;
	}
	if (paren)
		fputc(')', out);
}

/* sep: " " for one line, "\n  " for a clause per line */
static void query(FILE *out, const Node *q, const char *sep)
{
	fputs("from ", out);
	for (const Node *f = q->a; f; f = f->next) {
		if (f->s && f->a->kind == N_NAME && strcmp(f->s, f->a->s) != 0) {
			fprintf(out, "%s in ", f->s);
			source(out, f->a);
		} else if (f->s && f->a->kind != N_NAME) {
			fprintf(out, "%s in ", f->s);
			source(out, f->a);
		} else {
			source(out, f->a);
		}
		if (f->next)
			fputs(", ", out);
	}
	if (q->b) {
		fprintf(out, "%swhere ", sep);
		expr(out, q->b, 0);
	}
	if (q->c) {
		fprintf(out, "%sgroup by ", sep);
		list(out, q->c, ", ");
	}
	if (q->d) {
		fprintf(out, "%sselect ", sep);
		for (const Node *s = q->d; s; s = s->next) {
			if (s->s)
				fprintf(out, "%s: ", s->s);
			expr(out, s->a, 0);
			if (s->next)
				fputs(", ", out);
		}
	}
	if (q->e) {
		fprintf(out, "%sorder by ", sep);
		for (const Node *o = q->e; o; o = o->next) {
			expr(out, o->a, 0);
			if (o->op)
				fputs(" desc", out);
			if (o->next)
				fputs(", ", out);
		}
	}
	if (q->f) {
		fprintf(out, "%slimit ", sep);
		expr(out, q->f, 0);
	}
}

void fmt_expr(FILE *out, const Node *e)
{
	if (e->kind == N_SELECTQ)
		query(out, e, " ");
	else
		expr(out, e, 0);
}

/* ---- comments -------------------------------------------------------- */

static int line_of(const Src *s, int off)
{
	int start;
	return diag_line(s, s->text, off, &start);
}

static void put_comment(Fmt *F, const Comment *c)
{
	/* Comment text up to the end of its line, trailing blanks dropped. */
	int end = c->loc.end;
	while (end > c->loc.beg && (F->src->text[end - 1] == ' ' || F->src->text[end - 1] == '\t' || F->src->text[end - 1] == '\r'))
		end--;
	fwrite(F->src->text + c->loc.beg, 1, (size_t)(end - c->loc.beg), F->out);
}

/* Comments that start before offset `before`, each on its own line. A
 * blank line after a comment in the source stays (it separates a file's
 * header comment from its first item). */
static void leading(Fmt *F, int before, const char *indent)
{
	while (F->next && F->next->loc.beg < before) {
		Comment *c = F->next;
		fputs(indent, F->out);
		put_comment(F, c);
		fputc('\n', F->out);
		F->next = c->next;
		int upto = F->next && F->next->loc.beg < before ? F->next->loc.beg : before;
		int newlines = 0;
		for (int i = c->loc.end; i < upto && i < (int)F->src->len; i++)
			newlines += F->src->text[i] == '\n';
		if (newlines >= 2 && upto < (int)F->src->len)
			fputc('\n', F->out);
	}
}

/* End a line, keeping a comment that stood on source line `line` after
 * offset `from` (and before `limit`) at its end. */
static void end_line(Fmt *F, int line, int from, int limit)
{
	if (F->next && F->next->loc.beg >= from && F->next->loc.beg < limit &&
	    line_of(F->src, F->next->loc.beg) == line) {
		fputs("  ", F->out);
		put_comment(F, F->next);
		F->next = F->next->next;
	}
	fputc('\n', F->out);
}

/* After a clause: a comment on the line where the clause ends. */
static void trailing(Fmt *F, int end)
{
	end_line(F, line_of(F->src, end > 0 ? end - 1 : 0), end, (int)F->src->len + 1);
}

/* After a block's first line: a comment on the line the item starts on,
 * before its first clause. */
static void header_end(Fmt *F, const Node *it)
{
	end_line(F, line_of(F->src, it->loc.beg), it->loc.beg, it->a ? it->a->loc.beg : it->loc.end);
}

/* ---- items ----------------------------------------------------------- */

static void kw(FILE *out, const char *k) { fprintf(out, "%-10s ", k); }

static void sow_clause(Fmt *F, const Node *c, int rolew, const char *indent)
{
	FILE *out = F->out;
	fprintf(out, "%s  ", indent);
	switch (c->kind) {
	case N_CUSTOMER: kw(out, "customer"); put_string(out, c->s); break;
	case N_CURRENCY: kw(out, "currency"); fputs(c->s, out); break;
	case N_SOWCAL: kw(out, "calendar"); put_string(out, c->s); break;
	case N_BILLING: kw(out, "billing"); fputs(c->s, out); break;
	case N_ACCEPTANCE:
		kw(out, "acceptance");
		fprintf(out, "passive %s business %s", c->s, strcmp(c->s, "1") == 0 ? "day" : "days");
		break;
	case N_RATE:
		kw(out, "rate");
		put_string(out, c->s);
		fprintf(out, "%*s %s per hour", (int)(rolew - strlen(c->s)), "", c->s2);
		break;
	case N_MILESTONE: case N_TRAINING:
		kw(out, c->kind == N_MILESTONE ? "milestone" : "training");
		put_string(out, c->s);
		fputc(' ', out);
		put_string(out, c->s2);
		fprintf(out, " %s", c->a->s);
		break;
	case N_AUTHORIZED: kw(out, "authorized"); fprintf(out, "hours %s", c->s); break;
	case N_PO_REQUIRED: kw(out, "po"); fprintf(out, "required"); break;
	case N_SOWROUND: kw(out, "rounding"); fprintf(out, "%s to %s mode %s", c->s, c->a->s, c->s2); break;
	default: break;
	}
}

static void header_end(Fmt *F, const Node *it);

/* The closing brace of a block indented by indent, with the comments before it. */
static void block_end(Fmt *F, const Node *it, const char *indent);

/* The clauses of a SOW block or of an amendment, one to a line under
 * indent + 2; an amendment is a block of its own, one level deeper. */
static void sow_clauses(Fmt *F, const Node *list, const char *indent)
{
	FILE *out = F->out;
	int rolew = 0;
	for (const Node *c = list; c; c = c->next)
		if (c->kind == N_RATE && (int)strlen(c->s) > rolew)
			rolew = (int)strlen(c->s);
	char deeper[64];
	snprintf(deeper, sizeof deeper, "%s  ", indent);
	for (const Node *c = list; c; c = c->next) {
		leading(F, c->loc.beg, deeper);
		if (c->kind != N_AMENDMENT) {
			sow_clause(F, c, rolew, indent);
			trailing(F, c->loc.end);
			continue;
		}
		fprintf(out, "%samendment ", deeper);
		put_string(out, c->s);
		fprintf(out, " effective %s {", c->s2);
		header_end(F, c);
		sow_clauses(F, c->a, deeper);
		block_end(F, c, deeper);
	}
}

/* A SOW block, at the top level (indent "") or inside a test ("  "). */
static void sow_block(Fmt *F, const Node *it, const char *indent)
{
	FILE *out = F->out;
	fputs("sow ", out);
	put_string(out, it->s);
	fputs(" for project ", out);
	put_string(out, it->s2);
	fputs(" {", out);
	header_end(F, it);
	sow_clauses(F, it->a, indent);
	block_end(F, it, indent);
}

static void clause_line(Fmt *F, const Node *c, const char *text)
{
	leading(F, c->loc.beg, "  ");
	fprintf(F->out, "  %s", text);
}

static void rule_clause(Fmt *F, const Node *c)
{
	FILE *out = F->out;
	leading(F, c->loc.beg, "  ");
	switch (c->kind) {
	case N_FOR:
		fprintf(out, "  for %s in ", c->s);
		if (c->a->kind == N_SELECTQ)
			pp(out, c->a, 0, 2, 9 + (int)strlen(c->s));
		else
			source(out, c->a);
		break;
	case N_WHERE: fputs("  where ", out); pp(out, c->a, 0, 4, 8); break;
	case N_WHEN: fputs("  when ", out); pp(out, c->a, 0, 4, 7); break;
	case N_LETC: fprintf(out, "  let %s = ", c->s); pp(out, c->a, 0, 4, 9 + (int)strlen(c->s)); break;
	case N_EMIT: fprintf(out, "  emit %s ", c->s); pp(out, c->a, 0, 2, 8 + (int)strlen(c->s)); break;
	default: break;
	}
	trailing(F, c->loc.end);
}

#define WIDTH 100 /* a line longer than this is broken */

/* The expression on one line, as text the caller frees. */
static char *flat(const Node *e, int ctx)
{
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	if (!m)
		abort();
	expr(m, e, ctx);
	fclose(m);
	return text;
}

static void newline(FILE *out, int indent) { fprintf(out, "\n%*s", indent, ""); }

/* A query over several lines: each clause on its own line at indent. */
static void pp_query(FILE *out, const Node *q, int indent)
{
	fputs("from ", out);
	for (const Node *f = q->a; f; f = f->next) {
		if (f->s && !(f->a->kind == N_NAME && strcmp(f->s, f->a->s) == 0)) {
			fprintf(out, "%s in ", f->s);
			source(out, f->a);
		} else {
			source(out, f->a);
		}
		if (f->next)
			fputs(", ", out);
	}
	if (q->b) {
		newline(out, indent);
		fputs("where ", out);
		pp(out, q->b, 0, indent + 2, indent + 6);
	}
	if (q->c) {
		newline(out, indent);
		fputs("group by ", out);
		list(out, q->c, ", ");
	}
	if (q->d) {
		newline(out, indent);
		fputs("select ", out);
		for (const Node *it = q->d; it; it = it->next) {
			if (it->s)
				fprintf(out, "%s: ", it->s);
			expr(out, it->a, 0);
			if (it->next)
				fputs(", ", out);
		}
	}
	if (q->e) {
		newline(out, indent);
		fputs("order by ", out);
		for (const Node *o = q->e; o; o = o->next) {
			expr(out, o->a, 0);
			fputs(o->op ? " desc" : "", out);
			if (o->next)
				fputs(", ", out);
		}
	}
	if (q->f) {
		newline(out, indent);
		fputs("limit ", out);
		expr(out, q->f, 0);
	}
}

/* Print e starting at column col; break it over lines indented by indent
 * when it does not fit in WIDTH columns. */
static void pp(FILE *out, const Node *e, int ctx, int indent, int col)
{
	char *text = flat(e, ctx);
	bool fits = col + (int)strlen(text) <= WIDTH;
	if (fits || prec(e) < ctx) {
		fputs(text, out);
		free(text);
		return;
	}
	free(text);
	switch (e->kind) {
	case N_IF:
		fputs("if ", out);
		pp(out, e->a, 0, indent + 2, col + 3);
		newline(out, indent);
		fputs("then ", out);
		pp(out, e->b, 0, indent + 2, indent + 5);
		newline(out, indent);
		fputs("else ", out);
		pp(out, e->c, 0, indent, indent + 5);
		return;
	case N_BIN:
		if (e->op == OP_AND || e->op == OP_OR || e->op == OP_ADD || e->op == OP_SUB) {
			/* a chain a + b - c ...: as many operands to a line as fit */
			const Node *ops[256];
			int n = 0;
			const Node *x = e;
			while (x->kind == N_BIN && prec(x) == prec(e) && n < 255) {
				ops[n++] = x;
				x = x->a;
			}
			pp(out, x, prec(e), indent, col);
			int at = col + 8; /* unknown after a break: assume the line is busy */
			char *first = flat(x, prec(e));
			if (!strchr(first, '\n'))
				at = col + (int)strlen(first);
			free(first);
			for (int i = n - 1; i >= 0; i--) {
				char *t = flat(ops[i]->b, prec(e) + 1);
				const char *op = op_text(ops[i]->op);
				int w = (int)strlen(op) + 2 + (int)strlen(t);
				if (at + w > WIDTH) {
					newline(out, indent);
					fprintf(out, "%s ", op);
					at = indent + (int)strlen(op) + 1;
					pp(out, ops[i]->b, prec(e) + 1, indent + 2, at);
					at += (int)strlen(t);
				} else {
					fprintf(out, " %s %s", op, t);
					at += w;
				}
				free(t);
			}
			return;
		}
		break;
	case N_CALL:
		fprintf(out, "%s(", e->s);
		for (const Node *a = e->a; a; a = a->next) {
			newline(out, indent + 2);
			if (a->s)
				fprintf(out, "%s: ", a->s);
			if (!a->next && a->a->kind == N_SELECTQ)
				pp_query(out, a->a, indent + 2);
			else
				pp(out, a->a, 0, indent + 2, indent + 2);
			if (a->next)
				fputc(',', out);
		}
		newline(out, indent);
		fputc(')', out);
		return;
	case N_SELECTQ:
		fputc('(', out);
		newline(out, indent + 2);
		pp_query(out, e, indent + 2);
		newline(out, indent);
		fputc(')', out);
		return;
	case N_RECORD:
		fputc('{', out);
		for (const Node *f = e->a; f; f = f->next) {
			newline(out, indent + 2);
			fprintf(out, "%s: ", f->s);
			pp(out, f->a, 0, indent + 4, indent + 4 + (int)strlen(f->s));
			if (f->next)
				fputc(',', out);
		}
		newline(out, indent);
		fputc('}', out);
		return;
	default:
		break;
	}
	expr(out, e, ctx);
}

/* The right side of `const x =` / `fn f(a) =`: on the same line when the
 * whole fits in WIDTH columns, else on the next line; an if that still
 * does not fit puts then and else on lines of their own. */
static void body(FILE *out, const Node *e, int used)
{
	char *text = flat(e, 0);
	if (used + 1 + (int)strlen(text) <= WIDTH) {
		fprintf(out, " %s", text);
	} else {
		fputs("\n  ", out);
		pp(out, e, 0, 2, 2);
	}
	free(text);
}

static void params(FILE *out, const Node *p)
{
	fputc('(', out);
	for (; p; p = p->next)
		fprintf(out, "%s%s", p->s, p->next ? ", " : "");
	fputc(')', out);
}

/* ---- import mappings ---------------------------------------------------- */


static void map_value(FILE *out, const Node *v)
{
	if (v->kind == N_STR)
		put_string(out, v->s);
	else
		fputs(v->s, out);
}

/* An entry's keys ("Yes", "Y" or else), padded to width. */
static int map_keys(FILE *out, const Node *e, int width)
{
	long at = ftell(out);
	if (e->op)
		fputs("else", out);
	for (const Node *k = e->a; k; k = k->next) {
		put_string(out, k->s);
		if (k->next)
			fputs(", ", out);
	}
	int n = (int)(ftell(out) - at);
	fprintf(out, "%*s", width > n ? width - n : 0, "");
	return n;
}

static void map_entry(FILE *out, const Node *e, int width)
{
	map_keys(out, e, width);
	fputs(" -> ", out);
	map_value(out, e->b);
}

/* A value map stays on its line when it was written on one line and fits;
 * otherwise one entry per line. */
static void map_values(Fmt *F, const Node *c, int width)
{
	FILE *out = F->out;
	const Node *first = c->b, *last = first;
	for (const Node *e = first; e; e = e->next)
		last = e;
	char *one = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&one, &len);
	int keyw = 0;
	for (const Node *e = first; e; e = e->next) {
		long at = ftell(m);
		int n = map_keys(m, e, 0);
		keyw = n > keyw ? n : keyw;
		fseek(m, at, SEEK_SET);
	}
	for (const Node *e = first; e; e = e->next) {
		map_entry(m, e, 0);
		if (e->next)
			fputs(", ", m);
	}
	fclose(m);
	bool inline_ = line_of(F->src, first->loc.beg) == line_of(F->src, last->loc.end) && width + (int)len < 100;
	if (inline_) {
		fprintf(out, " { %s }", one);
	} else {
		fputs(" {", out);
		end_line(F, line_of(F->src, c->loc.beg), c->loc.beg, first->loc.beg);
		for (const Node *e = first; e; e = e->next) {
			leading(F, e->loc.beg, "    ");
			fputs("    ", out);
			map_entry(out, e, keyw);
			end_line(F, line_of(F->src, e->loc.end - 1), e->loc.end, e->next ? e->next->loc.beg : c->loc.end);
		}
		leading(F, c->loc.end - 1, "    ");
		fputs("  }", out);
	}
	free(one);
}

static int map_colw(const Node *list)
{
	int w = 0;
	for (const Node *c = list; c; c = c->next)
		if ((c->kind == N_MAPCOL || c->kind == N_MAPCONST) && (int)strlen(c->s) > w)
			w = (int)strlen(c->s);
	return w;
}

static void map_clause(Fmt *F, const Node *c, int colw, const char *indent)
{
	FILE *out = F->out;
	leading(F, c->loc.beg, indent);
	fputs(indent, out);
	switch (c->kind) {
	case N_MAPCOL:
		fprintf(out, "%-*s from ", colw, c->s);
		put_string(out, c->s2);
		for (const Node *f = c->a; f; f = f->next) {
			fputs(f == c->a ? " as date " : ", ", out);
			put_string(out, f->s);
		}
		if (c->b)
			map_values(F, c, colw + 8 + (int)strlen(c->s2));
		break;
	case N_MAPCONST:
		fprintf(out, "%-*s = ", colw, c->s);
		map_value(out, c->a);
		break;
	case N_MAPSET:
		fprintf(out, "%s ", c->s);
		put_string(out, c->s2);
		break;
	case N_MAPSKIP:
		if (c->op == 1) {
			fputs("skip when ", out);
			put_string(out, c->s);
			fputs(" == ", out);
			put_string(out, c->s2);
		} else if (c->op == 2) {
			fputs("skip", out);
		} else {
			fprintf(out, "skip %s %s", c->s, strcmp(c->s, "1") == 0 ? "line" : "lines");
		}
		break;
	case N_MAPIF: {
		fputs("if ", out);
		put_string(out, c->s);
		fputs(c->op ? " != " : " == ", out);
		put_string(out, c->s2);
		fputs(" {", out);
		end_line(F, line_of(F->src, c->loc.beg), c->loc.beg, c->a ? c->a->loc.beg : c->loc.end);
		int w = map_colw(c->a);
		for (const Node *b = c->a; b; b = b->next)
			map_clause(F, b, w, "    ");
		leading(F, c->loc.end - 1, "    ");
		fputs("  }", out);
		break;
	}
	default: break;
	}
	trailing(F, c->loc.end);
}

static void mapping_block(Fmt *F, const Node *it)
{
	fputs("mapping ", F->out);
	put_string(F->out, it->s);
	fprintf(F->out, " for %s {", it->s2);
	header_end(F, it);
	int colw = map_colw(it->a);
	for (const Node *c = it->a; c; c = c->next)
		map_clause(F, c, colw, "  ");
	block_end(F, it, "");
}

/* An account mapping: kinds, codes and names in columns, conditions after. */
static void accounts_block(Fmt *F, const Node *it)
{
	FILE *out = F->out;
	fputs("accounts ", out);
	put_string(out, it->s);
	fputs(" {", out);
	header_end(F, it);
	int kw_ = 0, cw = 0, tw = 0;
	for (const Node *c = it->a; c; c = c->next) {
		/* a column is as wide as its widest value with something after it */
		int k = (int)strlen(c->s), n = c->a || c->b ? (int)strlen(c->s2) + 2 : 0;
		int t = c->a && c->b ? (int)strlen(c->b->s) + 2 : 0;
		kw_ = k > kw_ ? k : kw_;
		cw = n > cw ? n : cw;
		tw = t > tw ? t : tw;
	}
	for (const Node *c = it->a; c; c = c->next) {
		leading(F, c->loc.beg, "  ");
		fprintf(out, "  %-*s ", kw_, c->s);
		put_string(out, c->s2);
		int tl = c->b ? (int)strlen(c->b->s) + 2 : 0;
		if (c->b || c->a)
			fprintf(out, "%*s", cw - (int)strlen(c->s2) - 2, "");
		if (c->b) {
			fputc(' ', out);
			put_string(out, c->b->s);
		}
		if (c->a) {
			fprintf(out, "%*s when ", tw ? tw - tl + (c->b ? 0 : 1) : 0, "");
			for (const Node *q = c->a; q; q = q->next) {
				fprintf(out, "%s%s ", q == c->a ? "" : " and ", q->s);
				map_value(out, q->a);
			}
		}
		trailing(F, c->loc.end);
	}
	block_end(F, it, "");
}

static void block_end(Fmt *F, const Node *it, const char *indent)
{
	char inner[80];
	snprintf(inner, sizeof inner, "%s  ", indent);
	leading(F, it->loc.end, inner);
	fprintf(F->out, "%s}", indent);
	trailing(F, it->loc.end);
}

static void item(Fmt *F, const Node *it)
{
	FILE *out = F->out;
	if (it->op == DEF_OVERRIDE && it->kind != N_SOW && it->kind != N_IMPORT && it->kind != N_TEST)
		fputs("override ", out);
	switch (it->kind) {
	case N_IMPORT:
		fputs("import ", out);
		put_string(out, it->s);
		trailing(F, it->loc.end);
		break;
	case N_SOW:
		sow_block(F, it, "");
		break;
	case N_MAPPING:
		mapping_block(F, it);
		break;
	case N_ACCOUNTS:
		accounts_block(F, it);
		break;
	case N_CALENDAR:
		fputs("calendar ", out);
		put_string(out, it->s);
		fputs(" {", out);
		header_end(F, it);
		for (const Node *c = it->a; c; c = c->next) {
			if (c->kind == N_WEEKEND) {
				clause_line(F, c, "weekend");
				for (const Node *w = c->a; w; w = w->next)
					fprintf(out, " %s", w->s);
			} else {
				clause_line(F, c, "holiday ");
				fputs(c->s, out);
				if (c->s2) {
					fputc(' ', out);
					put_string(out, c->s2);
				}
			}
			trailing(F, c->loc.end);
		}
		block_end(F, it, "");
		break;
	case N_FISCAL:
		fprintf(out, "fiscal year starts %s", it->s);
		trailing(F, it->loc.end);
		break;
	case N_LET:
		if (it->s2) {
			fprintf(out, "reporting currency %s", it->a->s);
			trailing(F, it->loc.end);
			break;
		}
		fprintf(out, "const %s =", it->s);
		body(out, it->a, (int)strlen(it->s) + 8);
		trailing(F, it->loc.end);
		break;
	case N_ROUNDING:
		fprintf(out, "rounding %s to %s mode %s", it->s, it->a->s, it->s2);
		trailing(F, it->loc.end);
		break;
	case N_FN: {
		char *head = NULL;
		size_t hl = 0;
		FILE *h = open_memstream(&head, &hl);
		fprintf(h, "fn %s", it->s);
		params(h, it->a);
		fputs(" =", h);
		fclose(h);
		fputs(head, out);
		body(out, it->b, (int)hl);
		free(head);
		trailing(F, it->loc.end);
		break;
	}
	case N_RELATION:
		fprintf(out, "relation %s(", it->s);
		for (const Node *c = it->a; c; c = c->next)
			fprintf(out, "%s %s%s", c->s, c->s2, c->next ? ", " : "");
		fputc(')', out);
		if (it->b) {
			fputs(" unique (", out);
			for (const Node *k = it->b; k; k = k->next)
				fprintf(out, "%s%s", k->s, k->next ? ", " : "");
			fputc(')', out);
		}
		trailing(F, it->loc.end);
		break;
	case N_ENUM:
		fprintf(out, "enum %s { ", it->s);
		for (const Node *m = it->a; m; m = m->next)
			fprintf(out, "%s%s", m->s, m->next ? ", " : " ");
		fputc('}', out);
		trailing(F, it->loc.end);
		break;
	case N_MACHINE:
		fprintf(out, "machine %s(%s)", it->s, it->s2);
		if (it->b) {
			fputs(" where ", out);
			expr(out, it->b, 0);
		}
		fputs(" {", out);
		header_end(F, it);
		for (const Node *t = it->c; t; t = t->next) {
			leading(F, t->loc.beg, "  ");
			fprintf(out, "  %s ", t->s);
			for (const Node *s = t->a; s; s = s->next) {
				put_string(out, s->s);
				if (s->next)
					fputs(", ", out);
			}
			trailing(F, t->loc.end);
		}
		for (const Node *t = it->a; t; t = t->next) {
			leading(F, t->loc.beg, "  ");
			fputs("  ", out);
			for (const Node *s = t->a; s; s = s->next) {
				put_string(out, s->s);
				if (s->next)
					fputs(", ", out);
			}
			fputs(" -> ", out);
			put_string(out, t->s);
			if (t->b) {
				fputs(" when ", out);
				expr(out, t->b, 0);
			}
			if (t->c) {
				fputs(" because ", out);
				put_string(out, t->c->s);
			}
			trailing(F, t->loc.end);
		}
		block_end(F, it, "");
		break;
	case N_RULE:
		fprintf(out, "rule %s", it->s);
		header_end(F, it);
		for (const Node *c = it->a; c; c = c->next)
			rule_clause(F, c);
		break;
	case N_QUERY:
		fprintf(out, "query %s", it->s);
		if (it->a)
			params(out, it->a);
		fputs(" =\n  ", out);
		query(out, it->b, "\n  ");
		trailing(F, it->loc.end);
		break;
	case N_TEST:
		fputs("test ", out);
		put_string(out, it->s);
		fputs(" {", out);
		header_end(F, it);
		for (const Node *c = it->a; c; c = c->next) {
			leading(F, c->loc.beg, "  ");
			switch (c->kind) {
			case N_ASOF: fprintf(out, "  as of %s", c->s); break;
			case N_GIVEN:
				fprintf(out, "  given %s", c->s);
				for (const Node *r = c->a; r; r = r->next) {
					fputs(r == c->a ? " " : "\n    ", out);
					record(out, r);
				}
				break;
			case N_EXPECT: fputs("  expect ", out); pp(out, c->a, 0, 4, 9); break;
			case N_EXPECTROW: fprintf(out, "  expect %s ", c->s); pp(out, c->a, 0, 2, 10 + (int)strlen(c->s)); break;
			case N_SOW: fputs("  ", out); sow_block(F, c, "  "); continue;
			default: break;
			}
			trailing(F, c->loc.end);
		}
		block_end(F, it, "");
		break;
	default:
		break;
	}
}

void fmt_file(FILE *out, const Src *src, Node *items, Comment *comments)
{
	Fmt F = { out, src, comments };
	const Node *prev = NULL;
	for (const Node *it = items; it; it = it->next) {
		if (prev && !(prev->kind == N_IMPORT && it->kind == N_IMPORT))
			fputc('\n', out);
		leading(&F, it->loc.beg, "");
		item(&F, it);
		prev = it;
	}
	if (F.next && prev)
		fputc('\n', out);
	leading(&F, (int)src->len + 1, "");
}
