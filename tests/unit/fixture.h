/* A fresh school database in a temporary folder for each unit test. */
#ifndef AUP_TEST_FIXTURE_H
#define AUP_TEST_FIXTURE_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "aup/clock.h"
#include "aup/config.h"
#include "aup/db.h"
#include "aup/error.h"
#include "aup/log.h"
#include "aup/user.h"
#include "aup/util.h"

struct fixture {
	char dir[64];
	char path[96];
	struct aup_config *cfg;
	struct aup_db *db;
	struct aup_err err;
};

static inline int
fixture_setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof *f);

	snprintf(f->dir, sizeof f->dir, "/tmp/aup-unit.XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
	f->cfg = aup_config_read(NULL, &f->err);
	/* Cheap hashes: these tests are about logic, not cost. */
	f->cfg->argon2_m = 64;
	f->cfg->argon2_t = 1;
	f->db = aup_db_open(f->cfg, f->path, AUP_DB_CREATE, &f->err);
	if (f->db == NULL ||
	    aup_db_init(f->db, "Riverside Primary", 6, &f->err) != 0) {
		fprintf(stderr, "fixture: %s\n", f->err.msg);
		return -1;
	}
	*state = f;
	return 0;
}

static inline int
fixture_teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	aup_db_close(f->db);
	aup_config_free(f->cfg);
	snprintf(cmd, sizeof cmd, "%s-wal", f->path);
	unlink(cmd);
	snprintf(cmd, sizeof cmd, "%s-shm", f->path);
	unlink(cmd);
	snprintf(cmd, sizeof cmd, "%s.anchor", f->path);
	unlink(cmd);
	unlink(f->path);
	rmdir(f->dir);
	free(f);
	aup_clock_set(0);
	return 0;
}

/* Add FIRST LAST of ROLE (pupils in year 5) with the password PW (NULL:
 * none); the test fails if the core refuses. */
static inline struct aup_user *
fixture_add(struct fixture *f, enum aup_role role, const char *first,
    const char *last, const char *pw)
{
	struct aup_user_spec s;
	struct aup_user *u;

	memset(&s, 0, sizeof s);
	s.role = role;
	s.first = first;
	s.last = last;
	s.year = role == AUP_ROLE_PUPIL ? 5 : AUP_YEAR_NONE;
	s.password = pw;
	if (aup_user_add(f->db, &s, &u, NULL, &f->err) != 0)
		fail_msg("add %s: %s", first, f->err.msg);
	return u;
}

/* fixture_add, for a test that needs only the new person's id. */
static inline int64_t
fixture_person(struct fixture *f, enum aup_role role, const char *first,
    const char *last, const char *pw)
{
	struct aup_user *u = fixture_add(f, role, first, last, pw);
	int64_t id = u->id;

	aup_user_free(u);
	return id;
}

/* How many entries the audit log holds. */
static inline int64_t
fixture_log_count(struct fixture *f)
{
	struct aup_log_list l;
	int64_t n;

	assert_int_equal(aup_log_list(f->db, 0, 0, &l, &f->err), 0);
	n = (int64_t)l.n;
	aup_log_list_free(&l);
	return n;
}

#endif
