/* Login slips. The file is created 0600 with O_EXCL so a password never
 * lands in a file someone else can read or in one that already existed. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "aup/slip.h"
#include "aup/util.h"
#include "core.h"

int
aup_slip_create(const char *path, struct aup_err *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd < 0) {
		aup_err_set(err, AUP_EX_CANTCREAT, "cannot create the slip file "
		    "%s: %s", path, strerror(errno));
		if (errno == EEXIST)
			aup_err_hint(err, "slips are never written over an old "
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

int
aup_slip_write(struct aup_db *db, int fd, const char *path,
    const struct aup_user *u, const char *pw, struct aup_err *err)
{
	struct aup_school school;
	struct aup_buf b = { 0 };
	int rc = 0;

	if (aup_school_get(db, &school, err) != 0) {
		aup_slip_discard(fd, path);
		return -1;
	}
	aup_buf_puts(&b, "------------------------------------------------"
	    "------------\n");
	aup_buf_printf(&b, "  %s: your school computer login\n\n",
	    school.name[0] ? school.name : "School");
	aup_buf_printf(&b, "  Name:      %s %s", u->first, u->last);
	if (u->year != AUP_YEAR_NONE)
		aup_buf_printf(&b, " (Year %s%s%s)", aup_year_name(u->year),
		    u->class_name ? ", " : "", u->class_name ? u->class_name :
		    "");
	aup_buf_printf(&b, "\n  Username:  %s\n  Password:  %s\n\n",
	    u->username, pw);
	aup_buf_puts(&b, "  Choose a new password of your own as soon as you "
	    "can.\n  Keep this slip somewhere safe and never share your "
	    "password.\n");
	aup_buf_puts(&b, "------------------------------------------------"
	    "------------\n");
	if (write(fd, b.data, b.len) != (ssize_t)b.len || fsync(fd) != 0) {
		aup_err_set(err, AUP_EX_IOERR, "cannot write the slip file %s: "
		    "%s", path, strerror(errno));
		unlink(path);
		rc = -1;
	}
	if (close(fd) != 0 && rc == 0) {
		aup_err_set(err, AUP_EX_IOERR, "cannot write the slip file %s: "
		    "%s", path, strerror(errno));
		unlink(path);
		rc = -1;
	}
	explicit_bzero(b.data, b.len);
	aup_buf_free(&b);
	aup_school_clear(&school);
	return rc;
}
