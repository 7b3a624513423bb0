/* ptydrive.c: drive `sow repl` through a pseudo-terminal, as a person at a
 * keyboard would. A script is lines of:
 *   send TEXT      type TEXT (\n Enter, \t Tab, \x03 Ctrl-C, \x04 Ctrl-D, \e Esc)
 *   expect TEXT    wait (up to 10 s) until the screen output contains TEXT
 *   sleep MS       wait MS milliseconds
 * usage: ptydrive SCRIPT COMMAND [ARGS...]. Exit 0 when every expect was met;
 * else 1, with what was expected and the output seen. */
#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char seen[1 << 20];
static size_t nseen, from; /* expects look at output after the last match */

static long long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Read what the program writes for ms milliseconds (the whole time). */
static void pump(int fd, int ms)
{
	long long end = now_ms() + ms;
	struct pollfd p = { fd, POLLIN, 0 };
	for (long long left = ms; left >= 0; left = end - now_ms()) {
		if (poll(&p, 1, (int)left) <= 0)
			return;
		char buf[4096];
		ssize_t n = read(fd, buf, sizeof buf);
		if (n <= 0)
			return;
		for (ssize_t i = 0; i < n && nseen < sizeof seen - 1; i++)
			if (buf[i] != '\r')
				seen[nseen++] = buf[i];
		seen[nseen] = 0;
	}
}

static void unescape(const char *s, char *out, size_t *n)
{
	*n = 0;
	for (; *s; s++) {
		if (*s != '\\') {
			out[(*n)++] = *s;
			continue;
		}
		s++;
		if (*s == 'n')
			out[(*n)++] = '\r';
		else if (*s == 't')
			out[(*n)++] = '\t';
		else if (*s == 'e')
			out[(*n)++] = 27;
		else if (*s == 'x') {
			out[(*n)++] = (char)strtol((char[]){ s[1], s[2], 0 }, NULL, 16);
			s += 2;
		} else
			out[(*n)++] = *s;
	}
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: ptydrive SCRIPT COMMAND [ARGS...]\n");
		return 2;
	}
	FILE *script = fopen(argv[1], "r");
	if (!script) {
		perror(argv[1]);
		return 2;
	}
	struct winsize ws = { 40, 120, 0, 0 };
	int fd;
	pid_t pid = forkpty(&fd, NULL, NULL, &ws);
	if (pid < 0) {
		perror("forkpty");
		return 2;
	}
	if (pid == 0) {
		setenv("TERM", "dumb", 1);
		execvp(argv[2], argv + 2);
		perror(argv[2]);
		_exit(127);
	}
	char line[4096];
	int rc = 0;
	while (fgets(line, sizeof line, script)) {
		line[strcspn(line, "\n")] = 0;
		if (!line[0] || line[0] == '#')
			continue;
		if (strncmp(line, "send ", 5) == 0) {
			char out[4096];
			size_t n;
			unescape(line + 5, out, &n);
			for (size_t i = 0; i < n; i++) { /* one key at a time, like typing */
				if (write(fd, out + i, 1) != 1)
					break;
				pump(fd, 5);
			}
		} else if (strncmp(line, "sleep ", 6) == 0) {
			pump(fd, atoi(line + 6));
		} else if (strncmp(line, "expect ", 7) == 0) {
			const char *want = line + 7;
			struct timespec t0, t;
			clock_gettime(CLOCK_MONOTONIC, &t0);
			char *hit = NULL;
			for (;;) {
				if ((hit = strstr(seen + from, want)))
					break;
				clock_gettime(CLOCK_MONOTONIC, &t);
				if (t.tv_sec - t0.tv_sec > 10)
					break;
				pump(fd, 100);
			}
			if (!hit) {
				fprintf(stderr, "ptydrive: expected \"%s\"; the screen after the last match was:\n%s\n", want, seen + from);
				rc = 1;
				break;
			}
			from = (size_t)(hit - seen) + strlen(want);
		}
	}
	fclose(script);
	kill(pid, SIGTERM);
	int status;
	waitpid(pid, &status, 0);
	close(fd);
	if (rc == 0 && WIFSIGNALED(status) && WTERMSIG(status) != SIGTERM) {
		fprintf(stderr, "ptydrive: the program died of signal %d\n", WTERMSIG(status));
		rc = 1;
	}
	return rc;
}
