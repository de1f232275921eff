/* Login slips: the one piece of paper a new password is written on. */
#ifndef AUP_SLIP_H
#define AUP_SLIP_H

#include "aup/db.h"
#include "aup/error.h"
#include "aup/user.h"

/* Create the slip file PATH (mode 0600, never over an existing file) before
 * the change that makes the password, so a password is never made that
 * cannot be handed over. Returns a descriptor, or -1. */
int	aup_slip_create(const char *path, struct aup_err *err);
/* Write the slip for U with password PW to FD and close it. */
int	aup_slip_write(struct aup_db *db, int fd, const char *path,
	    const struct aup_user *u, const char *pw, struct aup_err *err);
/* Close and remove a slip file whose change did not happen. */
void	aup_slip_discard(int fd, const char *path);

#endif
