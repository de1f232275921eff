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
#include "aup/util.h"

struct fixture {
	char			 dir[64];
	char			 path[96];
	struct aup_config	*cfg;
	struct aup_db		*db;
	struct aup_err		 err;
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

#endif
