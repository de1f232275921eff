/* New credentials, shown large and once: the office reads them out or
 * writes them to a slip (mode 0600); leaving the screen wipes them. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "aup/config.h"
#include "aup/slip.h"
#include "aup/util.h"
#include "tui.h"

struct screen {
	struct aup_user u;
	char *password;
	char slip[256]; /* written to, when it was */
};

/* S with a space between its characters, the way a slip is read out. */
static void
spaced(const char *s, char *buf, size_t size)
{
	size_t n = 0;

	for (; *s != '\0' && n + 3 < size; s++) {
		if (n > 0 && (*s & 0xc0) != 0x80)
			buf[n++] = ' ';
		buf[n++] = *s;
	}
	buf[n] = '\0';
}

static void
draw(struct tui *t, struct view *v)
{
	struct screen *s = v->data;
	char big[512], name[200];
	int w = t->cols - 8, y = t->rows / 2 - 5;

	tui_frame(t, v, s->u.username);
	snprintf(name, sizeof name, "%s %s", s->u.first, s->u.last);
	tui_put(y, 4, "New login for", w);
	attrset(A_BOLD);
	tui_put(y + 1, 4, name, w);
	attrset(A_NORMAL);
	tui_put(y + 3, 4, "Username", w);
	spaced(s->u.username, big, sizeof big);
	attrset(A_BOLD | tui_attr(t, TUI_C_GOOD, 0));
	tui_put(y + 4, 8, big, w - 4);
	attrset(A_NORMAL);
	tui_put(y + 6, 4, "Password", w);
	spaced(s->password, big, sizeof big);
	attrset(A_BOLD | tui_attr(t, TUI_C_GOOD, 0));
	tui_put(y + 7, 8, big, w - 4);
	explicit_bzero(big, sizeof big);
	attrset(A_NORMAL);
	tui_put(y + 9, 4,
	    s->slip[0] != '\0' ?
		"Written to the slip below. It is shown here only now." :
		"It is shown only now: write a slip, or note it down.",
	    w);
	if (s->slip[0] != '\0')
		tui_put(y + 10, 4, s->slip, w);
}

static void
key_slip(struct tui *t, struct view *v)
{
	struct screen *s = v->data;
	struct aup_err err = { 0 };
	char path[256];
	int fd;

	snprintf(path, sizeof path, "%s-login.txt", s->u.username);
	if (!tui_ask(t, "Write the slip to: ", path, sizeof path) ||
	    path[0] == '\0')
		return;
	if ((fd = aup_slip_create(path, &err)) < 0 ||
	    aup_slip_write(t->db, fd, path, &s->u, s->password, &err) != 0) {
		tui_error(t, &err);
		return;
	}
	aup_strlcpy(s->slip, path, sizeof s->slip);
	tui_say(t, "slip written to %s (only you can read it)", path);
}

/* Print the slip with [print] command: the slip in a file of its own
 * (0600, in a folder of its own), the command run with it as its last
 * argument, not through a shell, then the file gone. */
static void
key_print(struct tui *t, struct view *v)
{
	struct screen *s = v->data;
	const char *cmd = aup_db_config(t->db)->print_command;
	const char *tmp = getenv("TMPDIR");
	char dir[256], path[300], words[256], *argv[18];
	struct aup_err err = { 0 };
	int fd, argc = 0, status = 0;
	pid_t pid;

	snprintf(dir, sizeof dir, "%s/auptui.XXXXXX",
	    tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL) {
		tui_say(t, "cannot make a folder for the slip in %s",
		    tmp != NULL ? tmp : "/tmp");
		t->status_err = true;
		return;
	}
	snprintf(path, sizeof path, "%s/slip.txt", dir);
	if ((fd = aup_slip_create(path, &err)) < 0 ||
	    aup_slip_write(t->db, fd, path, &s->u, s->password, &err) != 0) {
		tui_error(t, &err);
		rmdir(dir);
		return;
	}
	aup_strlcpy(words, cmd, sizeof words);
	for (char *w = strtok(words, " "); w != NULL && argc < 16;
	     w = strtok(NULL, " "))
		argv[argc++] = w;
	if (argc == 0) {
		unlink(path);
		rmdir(dir);
		tui_say(t, "[print] command is empty: set it, say to lp");
		t->status_err = true;
		return;
	}
	argv[argc++] = path;
	argv[argc] = NULL;
	if ((pid = fork()) == 0) {
		int null = open("/dev/null", O_RDWR);

		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		if (null > 2)
			close(null);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		status = -1;
	unlink(path);
	rmdir(dir);
	if (status == 0) {
		tui_say(t, "the slip went to the printer ('%s')", cmd);
		return;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		tui_say(t,
		    "could not run '%s': install CUPS (cups-client), or "
		    "set [print] command",
		    argv[0]);
	else
		tui_say(t,
		    "'%s' did not print the slip (exit %d): w writes it "
		    "to a file instead",
		    cmd, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	t->status_err = true;
}

static void
key_done(struct tui *t, struct view *v)
{
	(void)v;
	tui_pop(t);
}

static const struct tui_key keys[] = {
	{ 'w', "w", "write a slip to a file (mode 0600)", key_slip, "slip" },
	{ 'p', "p", "print the slip ([print] command, lp by default)",
	    key_print, "print" },
	{ '\n', "Enter", "done: the password is not shown again", key_done,
	    "done" },
	{ 0, NULL, NULL, NULL, NULL },
};

static void
screen_free(struct view *v)
{
	struct screen *s = v->data;

	if (s->password != NULL) {
		explicit_bzero(s->password, strlen(s->password));
		free(s->password);
	}
	aup_user_clear(&s->u);
	free(s);
}

static const struct view_ops secret_ops = {
	.title = "New password",
	.draw = draw,
	.free = screen_free,
	.keys = keys,
};

void
secret_open(struct tui *t, const struct aup_user *u, char *password)
{
	struct screen *s = xcalloc(1, sizeof *s);

	aup_user_copy(&s->u, u);
	s->password = password;
	tui_push(t, &secret_ops, s);
}
