/* Login slips: the one piece of paper a new password is written on, one at
 * a time or many to a file. */
#ifndef AUP_SLIP_H
#define AUP_SLIP_H

#include <stdbool.h>

#include "aup/db.h"
#include "aup/error.h"
#include "aup/user.h"

/* Create the slip file PATH (mode 0600, never over an existing file) before
 * the change that makes the password, so a password is never made that
 * cannot be handed over. Returns a descriptor, or -1. */
int  aup_slip_create(const char *path, struct aup_err *err);
/* Write the slip for U with password PW to FD and close it. */
int  aup_slip_write(struct aup_db *db, int fd, const char *path,
     const struct aup_user *u, const char *pw, struct aup_err *err);
/* Close and remove a slip file whose change did not happen. */
void aup_slip_discard(int fd, const char *path);

enum aup_slip_format {
	AUP_SLIP_TEXT, /* a printable page of cut-out slips */
	AUP_SLIP_CSV,  /* username,name,class,password: mail merge */
};

/*
 * The slips of a unit of work, many to one file: open it after
 * aup_tx_begin, add a slip for each password the unit makes, and end the
 * unit with aup_slips_commit or aup_slips_rollback instead of the
 * aup_tx_ calls. The slips wait in memory; the commit creates the file
 * (0600, never over another) and flushes it to disk before any password
 * is saved, and removes it if the commit fails, so a run stopped, killed
 * or failed leaves no slips for passwords that were never saved, and
 * never saved passwords without their slips. Only a kill in the moment
 * between the flush and the commit leaves slips for passwords that were
 * not saved: harmless, and without a two-phase commit unavoidable.
 */
struct aup_slips;
/* Slips for PATH, for the transaction open on DB: refused at once when
 * PATH exists or its folder cannot be written. */
struct aup_slips *aup_slips_open(struct aup_db *db, const char *path,
    enum aup_slip_format format, struct aup_err *err);
int aup_slips_add(struct aup_slips *s, const struct aup_user *u, const char *pw,
    struct aup_err *err);
/* Write every slip and flush the file to disk, then commit the unit of
 * work. If either fails, the unit is rolled back and the file removed.
 * Frees S. */
int aup_slips_commit(struct aup_slips *s, struct aup_err *err);
/* Roll back the unit of work and remove the file. Frees S (NULL is
 * fine). */
void aup_slips_rollback(struct aup_slips *s);
/* End the unit of work on DB that S (NULL: none were needed) belongs to:
 * with COMMIT, aup_slips_commit or, with no slips, aup_tx_commit; else
 * aup_slips_rollback or aup_tx_rollback (and 0). Frees S. */
int  aup_slips_end(struct aup_db *db, struct aup_slips *s, bool commit,
     struct aup_err *err);

#endif
