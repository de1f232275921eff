/* Login slips, one or many to a file. The file is created 0600 with O_EXCL
 * so a password never lands in a file someone else can read or in one that
 * already existed, and it is on disk before the passwords are saved. */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aup/slip.h"
#include "aup/utf8.h"
#include "aup/util.h"
#include "core.h"

/* One slip, kept until the file is written: sorted by class, then name. */
struct slip {
	char *class_key; /* "" when none */
	char *name_key;	 /* "last first", folded */
	size_t off, len; /* its text in the slips' buffer */
};

struct aup_slips {
	struct aup_db *db;
	int fd;
	char *path;
	enum aup_slip_format format;
	char *school;
	struct aup_buf buf; /* slips not yet written; wiped */
	struct slip *v;	    /* each slip's place in BUF */
	size_t n;
	int depth; /* the transaction they belong to */
};

int
aup_slip_create(const char *path, struct aup_err *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd < 0) {
		aup_err_set(err, AUP_EX_CANTCREAT,
		    "cannot create the slip file %s: %s", path,
		    strerror(errno));
		if (errno == EEXIST)
			aup_err_hint(err,
			    "slips are never written over an old "
			    "file; remove it or choose a new name");
	}
	return fd;
}

void
aup_slip_discard(int fd, const char *path)
{
	if (fd < 0)
		return;
	close(fd);
	unlink(path);
}

/* Slips for the file FD at PATH, which they now own. */
static struct aup_slips *
slips_new(struct aup_db *db, int fd, const char *path,
    enum aup_slip_format format, struct aup_err *err)
{
	struct aup_slips *s;
	struct aup_school school;

	if (aup_school_get(db, &school, err) != 0) {
		aup_slip_discard(fd, path);
		return NULL;
	}
	s = xcalloc(1, sizeof *s);
	s->db = db;
	s->fd = fd;
	s->path = xstrdup(path);
	s->format = format;
	s->school = school.name;
	return s;
}

static void
slips_free(struct aup_slips *s)
{
	if (s->buf.data != NULL)
		explicit_bzero(s->buf.data, s->buf.len);
	aup_buf_free(&s->buf);
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].class_key);
		free(s->v[i].name_key);
	}
	free(s->v);
	free(s->path);
	free(s->school);
	free(s);
}

/* Close and remove the file, and free S. */
static void
slips_discard(struct aup_slips *s)
{
	aup_slip_discard(s->fd, s->path);
	slips_free(s);
}

static int
slips_ioerr(struct aup_slips *s, struct aup_err *err)
{
	return aup_err_set(err, AUP_EX_IOERR,
	    "cannot write the slip file %s: %s", s->path, strerror(errno));
}

/* Write LEN bytes at P to the file. */
static int
slips_put(struct aup_slips *s, const char *p, size_t len, struct aup_err *err)
{
	size_t off = 0;

	while (off < len) {
		ssize_t n = write(s->fd, p + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return slips_ioerr(s, err);
		}
		off += (size_t)n;
	}
	return 0;
}

static int
slip_cmp(const void *a, const void *b)
{
	const struct slip *x = a, *y = b;
	int c = strcmp(x->class_key, y->class_key);

	if (c == 0)
		c = strcmp(x->name_key, y->name_key);
	return c != 0 ? c : (x->off > y->off) - (x->off < y->off);
}

/* Write every slip, grouped by class and sorted by name, as a teacher
 * hands them out; then wipe them from memory. */
static int
slips_write(struct aup_slips *s, struct aup_err *err)
{
	static const char header[] = "username,name,class,password\n";
	int rc = 0;

	qsort(s->v, s->n, sizeof *s->v, slip_cmp);
	if (s->format == AUP_SLIP_CSV)
		rc = slips_put(s, header, sizeof header - 1, err);
	for (size_t i = 0; i < s->n && rc == 0; i++)
		rc = slips_put(s, s->buf.data + s->v[i].off, s->v[i].len, err);
	if (s->buf.data != NULL)
		explicit_bzero(s->buf.data, s->buf.len);
	s->buf.len = 0;
	return rc;
}

/* Write what is waiting, flush the file and its folder to disk and close
 * it; on failure remove it. Frees S either way. */
static int
slips_finish(struct aup_slips *s, struct aup_err *err)
{
	char *dir, *slash, *tmp = NULL;
	bool staged;
	int rc = 0, dfd;

	/* Many slips wait in memory and reach the disk only now, at the
	 * end of their unit of work: killed before, the run leaves none.
	 * They are written under a hidden name beside the file and then
	 * given its name in one step, so that a kill while they are written
	 * leaves no half a file under it. */
	if (s->fd < 0) {
		const char *base = strrchr(s->path, '/');

		tmp = base != NULL ?
		    xasprintf("%.*s/.%s.XXXXXX", (int)(base - s->path), s->path,
			base + 1) :
		    xasprintf(".%s.XXXXXX", s->path);
		if ((s->fd = mkostemp(tmp, O_CLOEXEC)) < 0) {
			rc = slips_ioerr(s, err);
			free(tmp);
			slips_free(s);
			return rc;
		}
	}
	dir = xstrdup(s->path);
	slash = strrchr(dir, '/');
	if (slips_write(s, err) != 0)
		rc = -1;
	else if (fsync(s->fd) != 0)
		rc = slips_ioerr(s, err);
	if (close(s->fd) != 0 && rc == 0)
		rc = slips_ioerr(s, err);
	s->fd = -1;
	if (tmp != NULL && rc == 0 &&
	    renameat2(AT_FDCWD, tmp, AT_FDCWD, s->path, RENAME_NOREPLACE) !=
		0) {
		/* A file system without it: a second name, then the first
		 * one gone; never over a file that is there. */
		if ((errno == EINVAL || errno == ENOSYS) &&
		    link(tmp, s->path) == 0) {
			unlink(tmp);
		} else if (errno == EEXIST) {
			rc = aup_err_set(err, AUP_EX_CANTCREAT,
			    "cannot create the slip file %s: it exists now",
			    s->path);
			aup_err_hint(err,
			    "slips are never written over an old file; "
			    "remove it or choose a new name");
		} else {
			rc = slips_ioerr(s, err);
		}
	}
	staged = tmp != NULL;
	if (staged) {
		if (rc != 0)
			unlink(tmp);
		free(tmp);
	}
	/* The new name must survive a crash as well as the contents. */
	if (slash != NULL)
		*(slash == dir ? slash + 1 : slash) = '\0';
	dfd = open(slash != NULL ? dir : ".",
	    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		(void)fsync(dfd);
		close(dfd);
	}
	free(dir);
	if (rc != 0 && !staged)
		unlink(s->path);
	slips_free(s);
	return rc;
}

/* A CSV field, quoted when it must be. A leading = + - @ would make a
 * spreadsheet read the cell as a formula: such a cell gets a ' first. */
static void
csv_field(struct aup_buf *b, const char *v, const char *sep)
{
	bool quote, formula;

	if (v == NULL)
		v = "";
	quote = strpbrk(v, ",\"\r\n") != NULL;
	formula = v[0] != '\0' && strchr("=+-@", v[0]) != NULL;
	aup_buf_puts(b, quote ? "\"" : "");
	aup_buf_puts(b, formula ? "'" : "");
	for (const char *p = v; *p != '\0'; p++) {
		if (*p == '"')
			aup_buf_puts(b, "\"");
		aup_buf_add(b, p, 1);
	}
	aup_buf_puts(b, quote ? "\"" : "");
	aup_buf_puts(b, sep);
}

static void
slip_text(struct aup_buf *b, const char *school, const struct aup_user *u,
    const char *pw)
{
	aup_buf_puts(b,
	    "------------------------------------------------------------\n");
	aup_buf_printf(b, "  %s: your school computer login\n\n",
	    school[0] ? school : "School");
	aup_buf_printf(b, "  Name:      %s %s", u->first, u->last);
	if (u->year != AUP_YEAR_NONE)
		aup_buf_printf(b, " (Year %s%s%s)", aup_year_name(u->year),
		    u->class_name ? ", " : "",
		    u->class_name ? u->class_name : "");
	aup_buf_printf(b, "\n  Username:  %s\n  Password:  %s\n\n", u->username,
	    pw);
	aup_buf_puts(b,
	    "  Choose a new password of your own as soon as you "
	    "can.\n  Keep this slip somewhere safe and never share your "
	    "password.\n\n  Received (signature): ______________________\n");
	aup_buf_puts(b,
	    "------------------------------------------------------------\n");
}

int
aup_slips_add(struct aup_slips *s, const struct aup_user *u, const char *pw,
    struct aup_err *err)
{
	struct aup_buf key = { 0 };
	struct slip *sl;

	(void)err;
	s->v = xreallocarray(s->v, s->n + 1, sizeof *s->v);
	sl = &s->v[s->n++];
	sl->off = s->buf.len;
	if (s->format == AUP_SLIP_CSV) {
		char *name = xasprintf("%s %s", u->first, u->last);

		csv_field(&s->buf, u->username, ",");
		csv_field(&s->buf, name, ",");
		csv_field(&s->buf, u->class_name, ",");
		csv_field(&s->buf, pw, "\n");
		free(name);
	} else
		slip_text(&s->buf, s->school, u, pw);
	sl->len = s->buf.len - sl->off;
	sl->class_key = xstrdup(u->class_name ? u->class_name : "");
	aup_utf8_fold(u->last, &key);
	aup_buf_puts(&key, " ");
	aup_utf8_fold(u->first, &key);
	sl->name_key = aup_buf_detach(&key);
	return 0;
}

int
aup_slip_write(struct aup_db *db, int fd, const char *path,
    const struct aup_user *u, const char *pw, struct aup_err *err)
{
	struct aup_slips *s = slips_new(db, fd, path, AUP_SLIP_TEXT, err);

	if (s == NULL)
		return -1;
	if (aup_slips_add(s, u, pw, err) != 0) {
		slips_discard(s);
		return -1;
	}
	return slips_finish(s, err);
}

/* Could PATH be created: a free name in a folder we may write? */
static int
slip_place_ok(const char *path, struct aup_err *err)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	bool taken = access(path, F_OK) == 0;
	int e = taken ? EEXIST : 0;

	if (slash != NULL)
		*(slash == dir ? slash + 1 : slash) = '\0';
	if (!taken && access(slash != NULL ? dir : ".", W_OK | X_OK) != 0)
		e = errno;
	free(dir);
	if (e == 0)
		return 0;
	aup_err_set(err, AUP_EX_CANTCREAT, "cannot create the slip file %s: %s",
	    path, strerror(e));
	if (taken)
		aup_err_hint(err,
		    "slips are never written over an old file; remove it "
		    "or choose a new name");
	return -1;
}

struct aup_slips *
aup_slips_open(struct aup_db *db, const char *path, enum aup_slip_format format,
    struct aup_err *err)
{
	struct aup_slips *s;

	if (st_tx_depth(db) == 0) {
		aup_err_set(err, AUP_EX_SOFTWARE,
		    "slips belong to a unit of work; none is open");
		return NULL;
	}
	/* The file is made when the unit ends (slips_finish); a name that
	 * is taken, or a folder it cannot be made in, is refused now. */
	if (slip_place_ok(path, err) != 0)
		return NULL;
	if ((s = slips_new(db, -1, path, format, err)) == NULL)
		return NULL;
	s->depth = st_tx_depth(db);
	return s;
}

int
aup_slips_commit(struct aup_slips *s, struct aup_err *err)
{
	struct aup_db *db = s->db;
	char *path;

	if (st_tx_depth(db) != s->depth) {
		aup_err_set(err, AUP_EX_SOFTWARE,
		    "the slips of %s outlived their unit of work", s->path);
		slips_discard(s);
		return -1;
	}
	path = xstrdup(s->path);
	if (slips_finish(s, err) != 0) {
		aup_tx_rollback(db);
		free(path);
		return -1;
	}
	if (aup_tx_commit(db, err) != 0) {
		/* The commit rolled the unit back: no password was saved. */
		unlink(path);
		free(path);
		return -1;
	}
	free(path);
	return 0;
}

void
aup_slips_rollback(struct aup_slips *s)
{
	if (s == NULL)
		return;
	if (st_tx_depth(s->db) == s->depth)
		aup_tx_rollback(s->db);
	slips_discard(s);
}

int
aup_slips_end(struct aup_db *db, struct aup_slips *s, bool commit,
    struct aup_err *err)
{
	if (commit)
		return s != NULL ? aup_slips_commit(s, err) :
				   aup_tx_commit(db, err);
	if (s != NULL)
		aup_slips_rollback(s);
	else
		aup_tx_rollback(db);
	return 0;
}
