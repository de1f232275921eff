/* Benchmark: auptui through a pseudo-terminal of 80x24 on a database given
 * (the generated 100,000-person school): the time from starting it to the
 * first screen drawn whole, and to the dashboard's counts filled in; the
 * time each of 50 search keystrokes takes
 * from being read to the screen redrawn (auptui's own trace, median and
 * worst); its peak resident memory. Prints "NAME VALUE" lines for
 * bench-tui.sh to hold against the targets; with $BENCH_TUI_KEYS set, each
 * key's time too, on standard error.
 *
 * usage: bench-tui AUPTUI DB */
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char screen[1 << 20]; /* everything auptui wrote, for searching */
static size_t nscreen;

static double
now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* Read what FD has for at most MS milliseconds; 0 when it closed. */
static int
drain(int fd, int ms)
{
	struct pollfd p = { fd, POLLIN, 0 };
	char buf[65536];
	ssize_t n;

	if (poll(&p, 1, ms) <= 0)
		return 1;
	if ((n = read(fd, buf, sizeof buf)) <= 0)
		return 0;
	if (nscreen + (size_t)n >= sizeof screen)
		nscreen = 0; /* only what comes next matters */
	memcpy(screen + nscreen, buf, (size_t)n);
	nscreen += (size_t)n;
	screen[nscreen] = '\0';
	return 1;
}

/* Read until the output since the mark holds TEXT; give up after 10 s. */
static int
wait_for(int fd, const char *text)
{
	double until = now_ms() + 10000;

	while (memmem(screen, nscreen, text, strlen(text)) == NULL) {
		if (now_ms() > until || drain(fd, 100) == 0) {
			fprintf(stderr, "bench-tui: never saw '%s'\n", text);
			return -1;
		}
	}
	return 0;
}

/* Lines in the trace file PATH. */
static size_t
trace_lines(const char *path)
{
	FILE *f = fopen(path, "r");
	size_t lines = 0;
	int ch;

	while (f != NULL && (ch = getc(f)) != EOF)
		lines += ch == '\n';
	if (f != NULL)
		fclose(f);
	return lines;
}

/* Read the screen until the trace PATH has N lines; give up after 10 s. */
static int
wait_trace(int fd, const char *path, size_t n)
{
	double until = now_ms() + 10000;

	while (trace_lines(path) < n) {
		if (now_ms() > until) {
			fprintf(stderr, "bench-tui: no trace of key %zu\n", n);
			return -1;
		}
		drain(fd, 2);
	}
	return 0;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int
main(int argc, char **argv)
{
	struct winsize ws = { .ws_row = 24, .ws_col = 80 };
	/* 50 keys: names typed and taken back, as an office searches. */
	const char *keys = "smith\b\b\b\b\bquil\b\b\b\bo'n\b\b\bkowal\b\b\b\b\b"
			   "zoe\b\b\bev\b\bjon\b\b\b";
	char trace[] = "/tmp/bench-tui.XXXXXX", status[64], line[64];
	double t0, first, counted, ms[64];
	size_t n = 0;
	long hwm = -1;
	FILE *f;
	pid_t pid;
	int fd, tfd;

	if (argc != 3 || strlen(keys) != 50) {
		fprintf(stderr, "usage: bench-tui AUPTUI DB\n");
		return 64;
	}
	if ((tfd = mkstemp(trace)) < 0) {
		perror("bench-tui: mkstemp");
		return 1;
	}
	close(tfd);
	t0 = now_ms();
	if ((pid = forkpty(&fd, NULL, NULL, &ws)) < 0) {
		perror("bench-tui: forkpty");
		return 1;
	}
	if (pid == 0) {
		setenv("TERM", "xterm-256color", 1);
		setenv("AUPCTL_DB", argv[2], 1);
		setenv("AUPTUI_TRACE", trace, 1);
		execl(argv[1], "auptui", (char *)NULL);
		_exit(127);
	}
	/* The dashboard's key bar is the last line drawn. The trace holds a
	 * line for the Ctrl-C that ends it too: the first 50 are read. */
	if (wait_for(fd, "q quit") != 0)
		goto fail;
	first = now_ms() - t0;
	/* Then the counts, filled in: the last of them. */
	if (wait_for(fd, "Leaver checklists open") != 0)
		goto fail;
	counted = now_ms() - t0;
	nscreen = 0;
	if (write(fd, "p", 1) != 1 || wait_for(fd, "Pw age") != 0)
		goto fail;
	nscreen = 0;
	if (write(fd, "/", 1) != 1 || wait_for(fd, "Search:") != 0)
		goto fail;
	/* From here on the trace holds the search keystrokes only. */
	if (wait_trace(fd, trace, 2) != 0 || truncate(trace, 0) != 0)
		goto fail;
	for (const char *k = keys; *k != '\0'; k++) {
		char c = *k == '\b' ? 127 : *k;

		if (write(fd, &c, 1) != 1 ||
		    wait_trace(fd, trace, (size_t)(k - keys + 1)) != 0)
			goto fail;
	}
	snprintf(status, sizeof status, "/proc/%d/status", (int)pid);
	if ((f = fopen(status, "r")) != NULL) {
		while (fgets(line, sizeof line, f) != NULL)
			if (sscanf(line, "VmHWM: %ld kB", &hwm) == 1)
				break;
		fclose(f);
	}
	if (write(fd, "\003", 1) != 1)
		goto fail;
	while (drain(fd, 1000) == 1)
		;
	waitpid(pid, NULL, 0);
	if ((f = fopen(trace, "r")) == NULL)
		goto fail;
	while (n < 50 && fscanf(f, "%lf", &ms[n]) == 1)
		n++;
	fclose(f);
	unlink(trace);
	if (n != 50) {
		fprintf(stderr, "bench-tui: %zu keystrokes traced, not 50\n",
		    n);
		return 1;
	}
	if (getenv("BENCH_TUI_KEYS") != NULL)
		for (size_t i = 0; i < n; i++)
			fprintf(stderr, "key %zu '%c': %.2f ms\n", i,
			    keys[i] == '\b' ? '<' : keys[i], ms[i]);
	qsort(ms, n, sizeof ms[0], cmp);
	printf("first-screen-ms %.1f\n", first);
	printf("counts-ms %.1f\n", counted);
	printf("search-key-median-ms %.2f\n", (ms[24] + ms[25]) / 2);
	printf("search-key-worst-ms %.2f\n", ms[49]);
	printf("resident-mib %.1f\n", (double)hwm / 1024);
	return 0;
fail:
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	unlink(trace);
	return 1;
}
