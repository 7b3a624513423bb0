/* diag.c: turning a byte range into "file:line:col" plus the source line and
 * a caret. Very long lines are shown as a window around the fault; control
 * bytes and broken UTF-8 are shown as '?', so a message never emits junk. */
#include "diag.h"

#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

void diag_init(Diag *d, FILE *out)
{
	memset(d, 0, sizeof *d);
	d->out = out;
	d->max_errors = 50;
	d->max_warnings = 1000;
}

static const char *level_name(DiagLevel lv)
{
	return lv == DIAG_ERROR ? "error" : lv == DIAG_WARNING ? "warning" : "note";
}

static int is_cont(unsigned char c) { return (c & 0xC0) == 0x80; }

void diag_index_lines(Arena *A, Src *src)
{
	if (src->len > (size_t)INT_MAX)
		return; /* offsets are ints: such a file is refused by the lexer anyway */
	int n = 1;
	for (size_t i = 0; i < src->len; i++)
		n += src->text[i] == '\n';
	src->lines = arena_alloc(A, (size_t)n * sizeof *src->lines);
	src->nlines = n;
	n = 1;
	for (size_t i = 0; i < src->len; i++)
		if (src->text[i] == '\n')
			src->lines[n++] = (int)i + 1;
}

int diag_line(const Src *src, const char *text, int off, int *start)
{
	if (off > (int)src->len)
		off = (int)src->len;
	if (off < 0)
		off = 0;
	if (!src->lines) { /* a compacted file's copy: scan the text read again */
		int l = 1, s = 0;
		for (int i = 0; i < off; i++)
			if (text[i] == '\n')
				l++, s = i + 1;
		*start = s;
		return l;
	}
	int lo = 0, hi = src->nlines - 1; /* the last line starting at or before off */
	while (lo < hi) {
		int mid = lo + (hi - lo + 1) / 2;
		if (src->lines[mid] <= off)
			lo = mid;
		else
			hi = mid - 1;
	}
	*start = src->lines[lo];
	return lo + 1;
}

/* Line and column in text; 0 and 0 when the text cannot be had. */
static void linecol(const Src *src, const char *text, int off, int *line, int *col)
{
	if (!text) {
		*line = *col = 0;
		return;
	}
	if (off > (int)src->len)
		off = (int)src->len;
	int start, c = 1;
	*line = diag_line(src, text, off, &start) + src->lines_before; /* (a piece of a script) */
	for (int i = start; i < off; i++)
		c += !is_cont((unsigned char)text[i]);
	*col = c;
}

void diag_linecol(const Src *src, int off, int *line, int *col)
{
	char *owned;
	linecol(src, src_text(src, &owned), off, line, col);
	free(owned);
}

/* Count the message; whether to show it. Past a cap messages are counted
 * (the summary line says how many) but not shown, nor the notes that go
 * with them: 40,000 warnings would bury the first. */
static int counts(Diag *d, DiagLevel lv)
{
	if (lv == DIAG_NOTE)
		return !d->muted;
	int n = lv == DIAG_ERROR ? ++d->errors : ++d->warnings;
	int cap = lv == DIAG_ERROR ? d->max_errors : d->max_warnings;
	d->muted = cap && n > cap;
	if (d->muted && n == cap + 1 && !d->sink)
		fprintf(d->out, "sow: more than %d %s; not showing the rest\n", cap, lv == DIAG_ERROR ? "errors" : "warnings");
	return !d->muted;
}

#define WINDOW 60 /* bytes shown either side of the fault on a long line */

/* Bytes in the character at s[i] (1 for a byte that is not valid UTF-8 or
 * not printable); *show says whether to print it as is or as '?'. */
static int glyph(const char *s, int i, int to, int *show)
{
	unsigned char ch = (unsigned char)s[i];
	*show = ch == '\t' || (ch >= 0x20 && ch < 0x7f);
	if (ch < 0xC2 || ch > 0xF4)
		return 1;
	int n = ch >= 0xF0 ? 4 : ch >= 0xE0 ? 3 : 2;
	if (i + n > to)
		return 1;
	for (int k = 1; k < n; k++)
		if (!is_cont((unsigned char)s[i + k]))
			return 1;
	*show = 1;
	return n;
}

static void show_line(FILE *out, const Src *src, const char *text, Loc loc)
{
	int beg = loc.beg < 0 ? 0 : loc.beg > (int)src->len ? (int)src->len : loc.beg;
	int ls = beg, le = beg;
	while (ls > 0 && text[ls - 1] != '\n')
		ls--;
	while (le < (int)src->len && text[le] != '\n')
		le++;
	int from = beg - ls > WINDOW ? beg - WINDOW : ls;
	int to = le - beg > WINDOW ? beg + WINDOW : le;
	while (from > ls && from < beg && is_cont((unsigned char)text[from]))
		from++;
	const char *pre = from > ls ? "..." : "";
	fprintf(out, "  %s", pre);
	for (int i = from, n, show; i < to; i += n) {
		n = glyph(text, i, to, &show);
		if (show)
			fwrite(text + i, 1, (size_t)n, out);
		else
			fputc('?', out);
	}
	fprintf(out, "%s\n  %s", to < le ? "..." : "", *pre ? "   " : "");
	/* Same walk, blanks instead of glyphs; tabs kept so the caret lines up. */
	for (int i = from, n, show; i < beg; i += n) {
		n = glyph(text, i, to, &show);
		fputc(text[i] == '\t' ? '\t' : ' ', out);
	}
	fputc('^', out);
	int end = loc.end > to ? to : loc.end;
	for (int i = beg, n, show; i < end; i += n) {
		n = glyph(text, i, to, &show);
		if (text[i] == '\n')
			break;
		if (i > beg)
			fputc('~', out);
	}
	fputc('\n', out);
}

/* The message as text, to the sink in place of out. */
static void to_sink(Diag *d, const Src *src, Loc loc, DiagLevel lv, const char *fmt, va_list ap)
{
	char msg[1024];
	vsnprintf(msg, sizeof msg, fmt, ap);
	d->sink(d->sink_arg, src, loc, lv, msg);
}

void diag_at(Diag *d, const Src *src, Loc loc, DiagLevel lv, const char *fmt, ...)
{
	if (!counts(d, lv))
		return;
	if (d->sink) {
		va_list ap;
		va_start(ap, fmt);
		to_sink(d, src, loc, lv, fmt, ap);
		va_end(ap);
		return;
	}
	/* a compacted file's text is read again, only to show the line */
	char *owned;
	const char *text = src_text(src, &owned);
	int line, col;
	linecol(src, text, loc.beg, &line, &col);
	if (text)
		fprintf(d->out, "%s:%d:%d: %s: ", src->path, line, col, level_name(lv));
	else
		fprintf(d->out, "%s: %s: ", src->path, level_name(lv));
	va_list ap;
	va_start(ap, fmt);
	vfprintf(d->out, fmt, ap);
	va_end(ap);
	fputc('\n', d->out);
	if (text)
		show_line(d->out, src, text, loc);
	free(owned);
}

void diag_plain(Diag *d, DiagLevel lv, const char *fmt, ...)
{
	if (!counts(d, lv))
		return;
	if (d->sink) {
		va_list ap;
		va_start(ap, fmt);
		to_sink(d, NULL, (Loc){ 0, 0 }, lv, fmt, ap);
		va_end(ap);
		return;
	}
	fprintf(d->out, "sow: %s: ", level_name(lv));
	va_list ap;
	va_start(ap, fmt);
	vfprintf(d->out, fmt, ap);
	va_end(ap);
	fputc('\n', d->out);
}

static int edit_distance(const char *a, const char *b)
{
	int la = (int)strlen(a), lb = (int)strlen(b);
	if (la > 40 || lb > 40)
		return 99;
	int row[41];
	for (int j = 0; j <= lb; j++)
		row[j] = j;
	for (int i = 1; i <= la; i++) {
		int prev = row[0];
		row[0] = i;
		for (int j = 1; j <= lb; j++) {
			int cur = row[j];
			int sub = prev + (a[i - 1] != b[j - 1]);
			int best = row[j] + 1 < row[j - 1] + 1 ? row[j] + 1 : row[j - 1] + 1;
			row[j] = sub < best ? sub : best;
			prev = cur;
		}
	}
	return row[lb];
}

const char *diag_suggest(const char *word, const char *const *cands, int n)
{
	const char *best = NULL;
	size_t wl = strlen(word);
	int bestd = wl <= 3 ? 2 : 3; /* short words: only a one-letter slip */
	for (int i = 0; i < n; i++) {
		int dist = edit_distance(word, cands[i]);
		if (wl >= 3 && strncmp(word, cands[i], wl) == 0 && dist > 1)
			dist = 2; /* a prefix is a good guess too */
		if (dist < bestd) {
			bestd = dist;
			best = cands[i];
		}
	}
	return best;
}

void diag_snippet(const Src *src, Loc loc, char *buf, size_t n)
{
	size_t k = 0;
	bool space = false, cut = false;
	char *owned;
	const char *text = src_text(src, &owned);
	for (int i = loc.beg; text && i < loc.end && i < (int)src->len; i++) {
		char ch = text[i];
		if (ch == '\n' || ch == '\t' || ch == ' ' || ch == '\r') {
			space = k > 0;
			continue;
		}
		if (k + 2 + 4 > n) { /* a space, the character, "..." and the NUL */
			cut = true;
			break;
		}
		if (space)
			buf[k++] = ' ';
		space = false;
		buf[k++] = ch;
	}
	if (cut)
		memcpy(buf + k, "...", 3), k += 3;
	buf[k] = 0;
	free(owned);
}
