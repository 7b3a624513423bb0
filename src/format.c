/* format.c: the output formats as one table of behaviours. `table` aligns
 * columns (numbers and money to the right) and counts rows; `csv` is RFC
 * 4180 (text that would run as a spreadsheet formula is neutralised);
 * `json` is one object per line with every value a string, so no
 * amount ever passes through a binary float; `markdown` is a pipe table;
 * `html` a <table> with every text escaped. */
#include "format.h"
#include "model.h"
#include "money.h"
#include "report.h"

#include <stdlib.h>
#include <string.h>

struct FTable {
	Format f;
	FILE *out;
	bool header_done;     /* csv: header line printed */
	const char *title;
	int ncols;
	char **headers;
	bool *right;
	char **cells;         /* row-major */
	size_t nrows, cap;
};

bool format_parse(const char *name, Format *f)
{
	static const char *const names[] = { "table", "csv", "json", "markdown", "expanded", "html" };
	for (int i = 0; i < 6; i++)
		if (strcmp(name, names[i]) == 0) {
			*f = (Format)i;
			return true;
		}
	return false;
}

static char *dup(const char *s)
{
	char *p = strdup(s ? s : "");
	if (!p)
		abort();
	return p;
}

static void json_string(FILE *out, const char *s);
static void stream_row(FTable *t, const char *const *cells);

FTable *format_begin(const char *title, int ncols, const char *const *headers, const bool *right, Format f, FILE *out)
{
	FTable *t = calloc(1, sizeof *t);
	if (!t)
		abort();
	t->f = f;
	t->out = out;
	t->title = title;
	t->ncols = ncols;
	t->headers = calloc((size_t)ncols, sizeof *t->headers);
	t->right = calloc((size_t)ncols, sizeof *t->right);
	if (!t->headers || !t->right)
		abort();
	for (int i = 0; i < ncols; i++) {
		t->headers[i] = dup(headers[i]);
		t->right[i] = right && right[i];
	}
	return t;
}

void format_row(FTable *t, const char *const *cells)
{
	if (t->f == FMT_CSV || t->f == FMT_JSON || t->f == FMT_HTML) {
		stream_row(t, cells);
		return;
	}
	if (t->nrows == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		char **nc = realloc(t->cells, t->cap * (size_t)t->ncols * sizeof *nc);
		if (!nc)
			abort();
		t->cells = nc;
	}
	for (int i = 0; i < t->ncols; i++)
		t->cells[t->nrows * (size_t)t->ncols + (size_t)i] = dup(cells[i]);
	t->nrows++;
}

/* Display width: count UTF-8 characters, not bytes. */
static int width(const char *s)
{
	int w = 0;
	for (; *s; s++)
		w += ((unsigned char)*s & 0xC0) != 0x80;
	return w;
}

/* A text cell a spreadsheet would run as a formula (first character =, +,
 * -, @, tab or CR: OWASP's CSV injection) is written quoted with a leading
 * ', so it shows as the text it is; a number such as -5000.00 stays one. */
static bool formula_like(const char *s)
{
	Dec d;
	return *s && strchr("=+-@\t\r", *s) && dec_parse(s, strlen(s), &d) != DEC_OK;
}

void csv_cell(FILE *out, const char *s)
{
	bool formula = formula_like(s);
	if (!formula && !strpbrk(s, ",\"\n\r")) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	if (formula)
		fputc('\'', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

static void json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static void csv_header(FTable *t)
{
	if (t->title)
		fputs("section,", t->out);
	for (int i = 0; i < t->ncols; i++) {
		if (i)
			fputc(',', t->out);
		csv_cell(t->out, t->headers[i]);
	}
	fputs("\r\n", t->out);
	t->header_done = true;
}

static void html_header(FTable *t)
{
	fputs("<table>\n", t->out);
	if (t->title) {
		fputs("<caption>", t->out);
		html_text(t->out, t->title);
		fputs("</caption>\n", t->out);
	}
	fputs("<thead><tr>", t->out);
	for (int i = 0; i < t->ncols; i++) {
		fputs(t->right[i] ? "<th class=\"num\">" : "<th>", t->out);
		html_text(t->out, t->headers[i]);
		fputs("</th>", t->out);
	}
	fputs("</tr></thead>\n<tbody>\n", t->out);
	t->header_done = true;
}

static void stream_row(FTable *t, const char *const *cells)
{
	FILE *out = t->out;
	int n = t->ncols;
	if (t->f == FMT_HTML) {
		if (!t->header_done)
			html_header(t);
		fputs("<tr>", out);
		for (int i = 0; i < n; i++) {
			fputs(t->right[i] ? "<td class=\"num\">" : "<td>", out);
			html_text(out, cells[i]);
			fputs("</td>", out);
		}
		fputs("</tr>\n", out);
		t->nrows++;
		return;
	}
	if (t->f == FMT_CSV) {
		if (!t->header_done)
			csv_header(t);
		if (t->title) {
			csv_cell(out, t->title);
			fputc(',', out);
		}
		for (int i = 0; i < n; i++) {
			if (i)
				fputc(',', out);
			csv_cell(out, cells[i]);
		}
		fputs("\r\n", out);
		return;
	}
	fputc('{', out);
	if (t->title) {
		json_string(out, "section");
		fputs(": ", out);
		json_string(out, t->title);
	}
	for (int i = 0; i < n; i++) {
		if (i || t->title)
			fputs(", ", out);
		json_string(out, t->headers[i]);
		fputs(": ", out);
		json_string(out, cells[i]);
	}
	fputs("}\n", out);
}

void format_end(FTable *t)
{
	int n = t->ncols;
	Format f = t->f;
	FILE *out = t->out;
	switch (f) {
	case FMT_CSV:
		if (!t->header_done)
			csv_header(t);
		break;
	case FMT_JSON:
		break;
	case FMT_HTML:
		if (!t->header_done)
			html_header(t);
		fprintf(out, "</tbody>\n</table>\n<p class=\"rows\">(%zu row%s)</p>\n", t->nrows, t->nrows == 1 ? "" : "s");
		t->nrows = 0; /* (counted, not kept) */
		break;
	case FMT_EXPANDED: {
		/* psql's expanded display: a header per record, then its fields */
		int hw = 0, vw = 0;
		for (int i = 0; i < n; i++)
			if (width(t->headers[i]) > hw)
				hw = width(t->headers[i]);
		for (size_t k = 0; k < t->nrows * (size_t)n; k++)
			if (width(t->cells[k]) > vw)
				vw = width(t->cells[k]);
		if (t->title)
			fprintf(out, "%s\n", t->title);
		for (size_t r = 0; r < t->nrows; r++) {
			int len = fprintf(out, "-[ RECORD %zu ]", r + 1);
			for (int k = len; k < hw + 3 + vw; k++)
				fputc(k == hw + 1 ? '+' : '-', out);
			fputc('\n', out);
			for (int i = 0; i < n; i++) {
				const char *c = t->cells[r * (size_t)n + (size_t)i];
				fprintf(out, "%s%*s |%s%s\n", t->headers[i], hw - width(t->headers[i]), "", *c ? " " : "", c);
			}
		}
		fprintf(out, "(%zu row%s)\n", t->nrows, t->nrows == 1 ? "" : "s");
		break;
	}
	case FMT_TABLE:
	case FMT_MARKDOWN: {
		int *w = calloc((size_t)n, sizeof *w);
		if (!w)
			abort();
		for (int i = 0; i < n; i++) {
			w[i] = width(t->headers[i]);
			for (size_t r = 0; r < t->nrows; r++) {
				int cw = width(t->cells[r * (size_t)n + (size_t)i]);
				if (cw > w[i])
					w[i] = cw;
			}
			if (f == FMT_MARKDOWN && w[i] < 3)
				w[i] = 3;
		}
		const char *sep = f == FMT_MARKDOWN ? " | " : "  ";
		if (t->title && f == FMT_TABLE)
			fprintf(out, "%s\n", t->title);
		if (t->title && f == FMT_MARKDOWN)
			fprintf(out, "### %s\n\n", t->title);
		for (int pass = 0; pass < 2; pass++) {
			fputs(f == FMT_MARKDOWN ? "| " : "", out);
			for (int i = 0; i < n; i++) {
				const char *h = t->headers[i];
				if (pass == 0) {
					int pad = w[i] - width(h);
					if (i == n - 1 && !t->right[i] && f == FMT_TABLE)
						pad = 0; /* no trailing blanks */
					fprintf(out, "%*s%s%*s", t->right[i] ? pad : 0, "", h, t->right[i] ? 0 : pad, "");
				} else {
					for (int k = 0; k < w[i]; k++)
						fputc(f == FMT_MARKDOWN && k == w[i] - 1 && t->right[i] ? ':' : '-', out);
				}
				fputs(i < n - 1 ? sep : "", out);
			}
			fputs(f == FMT_MARKDOWN ? " |\n" : "\n", out);
		}
		for (size_t r = 0; r < t->nrows; r++) {
			char *line = NULL;
			size_t len = 0;
			FILE *lf = open_memstream(&line, &len);
			if (!lf)
				abort();
			fputs(f == FMT_MARKDOWN ? "| " : "", lf);
			for (int i = 0; i < n; i++) {
				const char *c = t->cells[r * (size_t)n + (size_t)i];
				int pad = w[i] - width(c);
				fprintf(lf, "%*s%s%*s", t->right[i] ? pad : 0, "", c, t->right[i] ? 0 : pad, "");
				fputs(i < n - 1 ? sep : "", lf);
			}
			fclose(lf);
			if (f == FMT_TABLE)
				while (len && line[len - 1] == ' ')
					line[--len] = 0; /* no trailing blanks */
			fprintf(out, "%s%s", line, f == FMT_MARKDOWN ? " |\n" : "\n");
			free(line);
		}
		if (f == FMT_TABLE)
			fprintf(out, "(%zu row%s)\n", t->nrows, t->nrows == 1 ? "" : "s");
		free(w);
		break;
	}
	}
	for (size_t i = 0; i < t->nrows * (size_t)n; i++)
		free(t->cells[i]);
	for (int i = 0; i < n; i++)
		free(t->headers[i]);
	free(t->cells);
	free(t->headers);
	free(t->right);
	free(t);
}

/* Money in csv and json is two fields (SPEC 8.4): the amount as a plain
 * decimal in the column, its currency in x_currency beside it, unless the
 * row already names it (amount + currency, or x + x_currency). */
static bool is_money_col(const Value *v, int col)
{
	const Row *first = v->items[0].row;
	if (first->shape->types && first->shape->types[col].k == V_MONEY)
		return true;
	for (int r = 0; r < v->nitems; r++)
		if (v->items[r].row->vals[col].k == V_MONEY)
			return true;
	return false;
}

static bool has_currency_col(const Shape *sh, const char *col)
{
	char name[256];
	snprintf(name, sizeof name, "%s_currency", col);
	return shape_col(sh, name) >= 0 || (strcmp(col, "amount") == 0 && shape_col(sh, "currency") >= 0);
}

/* The plain decimal of a money value, as Finance reads it. */
static void money_plain(const Value *x, char *buf)
{
	money_fmt(x->d, x->cur, buf);
}

/* A value alone, or a query's rows as a table in the chosen format. */
void format_value(const Value *v, Format f, FILE *out)
{
	char buf[4096];
	if (v->k == V_ROW) {
		/* one row: its fields, one per line in the table view */
		Value one = { .k = V_LIST, .items = v, .nitems = 1 };
		format_value(&one, f == FMT_TABLE ? FMT_EXPANDED : f, out);
		return;
	}
	if (v->k != V_LIST || (v->nitems > 0 && v->items[0].k != V_ROW)) {
		value_fmt(v, buf, sizeof buf);
		if (f == FMT_HTML) {
			fputs("<p class=\"value\">", out);
			html_text(out, buf);
			fputs("</p>\n", out);
		} else {
			fprintf(out, "%s\n", buf);
		}
		return;
	}
	if (v->nitems == 0) {
		fputs(f == FMT_HTML ? "<p class=\"rows\">(0 rows)</p>\n" : "(0 rows)\n", out);
		return;
	}
	const Row *first = v->items[0].row;
	int n = first->shape->ncols < 32 ? first->shape->ncols : 32;
	bool split = f == FMT_CSV || f == FMT_JSON;
	/* output column k shows column src[k]; cur[k]: the currency of money */
	int src[64], m = 0;
	bool money[64] = { false }, cur[64] = { false }, right[64] = { false };
	const char *headers[64] = { NULL };
	char extra[32][300];
	for (int i = 0; i < n; i++) {
		VKind k = first->vals[i].k;
		bool mon = split && is_money_col(v, i);
		src[m] = i;
		money[m] = mon;
		right[m] = k == V_NUM || k == V_MONEY || k == V_HOURS || k == V_PERCENT || k == V_DUR;
		headers[m++] = first->shape->cols[i];
		if (mon && !has_currency_col(first->shape, first->shape->cols[i])) {
			snprintf(extra[i], sizeof extra[i], "%s_currency", first->shape->cols[i]);
			src[m] = i;
			cur[m] = true;
			headers[m++] = extra[i];
		}
	}
	FTable *t = format_begin(NULL, m, headers, right, f, out);
	char *cells[64];
	for (int i = 0; i < m; i++)
		cells[i] = malloc(512);
	for (int r = 0; r < v->nitems; r++) {
		for (int i = 0; i < m; i++) {
			const Value *x = &v->items[r].row->vals[src[i]];
			if (x->k == V_UNSET)
				cells[i][0] = 0;
			else if (cur[i])
				snprintf(cells[i], 512, "%s", x->k == V_MONEY ? x->cur : "");
			else if (money[i] && x->k == V_MONEY)
				money_plain(x, cells[i]);
			else
				value_fmt(x, cells[i], 512);
		}
		format_row(t, (const char *const *)cells);
	}
	for (int i = 0; i < m; i++)
		free(cells[i]);
	format_end(t);
}
