/* lspdrive: frames and unframes JSON-RPC messages for the language server's test.
 *
 *   lspdrive frame SCRIPT TOP   each line of SCRIPT that is not empty or a #
 *                               comment is one message; @TOP becomes TOP; it is
 *                               written with a Content-Length header
 *   lspdrive unframe TOP        reads framed messages, checks that each
 *                               Content-Length is exact, prints one body a line
 *                               with TOP written back as @TOP
 * Exit 1 on a malformed frame. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *replace(const char *s, const char *from, const char *to)
{
	size_t nf = strlen(from), nt = strlen(to), n = 0;
	for (const char *p = s; (p = strstr(p, from)); p += nf)
		n++;
	char *out = malloc(strlen(s) + n * (nt > nf ? nt - nf : 0) + 1), *o = out;
	if (!out)
		exit(2);
	for (const char *p = s, *q; ; p = q + nf) {
		q = strstr(p, from);
		if (!q) {
			strcpy(o, p);
			break;
		}
		memcpy(o, p, (size_t)(q - p));
		o += q - p;
		memcpy(o, to, nt);
		o += nt;
	}
	return out;
}

static int frame(const char *script, const char *top)
{
	FILE *f = fopen(script, "r");
	if (!f) {
		perror(script);
		return 2;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&line, &cap, f)) > 0) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = 0;
		if (!n || line[0] == '#')
			continue;
		char *body = replace(line, "@TOP", top);
		printf("Content-Length: %zu\r\n\r\n%s", strlen(body), body);
		free(body);
	}
	free(line);
	fclose(f);
	return 0;
}

static int unframe(const char *top)
{
	char head[256];
	for (;;) {
		long len = -1;
		if (!fgets(head, sizeof head, stdin))
			return 0;
		if (sscanf(head, "Content-Length: %ld\r\n", &len) != 1 || len < 0) {
			fprintf(stderr, "lspdrive: bad header: %s", head);
			return 1;
		}
		if (!fgets(head, sizeof head, stdin) || strcmp(head, "\r\n") != 0) {
			fprintf(stderr, "lspdrive: no blank line after the header\n");
			return 1;
		}
		char *body = malloc((size_t)len + 1);
		if (!body || fread(body, 1, (size_t)len, stdin) != (size_t)len) {
			fprintf(stderr, "lspdrive: body shorter than its Content-Length %ld\n", len);
			return 1;
		}
		body[len] = 0;
		if (strlen(body) != (size_t)len || (len && body[len - 1] != '}')) {
			fprintf(stderr, "lspdrive: Content-Length %ld does not end the message\n", len);
			return 1;
		}
		char *shown = replace(body, top, "@TOP");
		puts(shown);
		free(shown);
		free(body);
	}
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "frame") == 0)
		return frame(argv[2], argv[3]);
	if (argc == 3 && strcmp(argv[1], "unframe") == 0)
		return unframe(argv[2]);
	fprintf(stderr, "usage: lspdrive frame SCRIPT TOP | lspdrive unframe TOP\n");
	return 2;
}
