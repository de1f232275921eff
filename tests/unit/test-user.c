/* People: names to usernames, validation, add/find/edit/suspend, each
 * change logged and nothing written when a change is refused. */
#include "fixture.h"

#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aup/log.h"
#include "aup/password.h"
#include "aup/slip.h"
#include "aup/user.h"

static void
test_username_valid(void **state)
{
	(void)state;
	assert_true(aup_username_valid("zoneill"));
	assert_true(aup_username_valid("26z.o-n_eill"));
	assert_false(aup_username_valid(""));
	assert_false(aup_username_valid("Zoneill"));
	assert_false(aup_username_valid(".zo"));
	assert_false(aup_username_valid("zo neill"));
	assert_false(aup_username_valid("zoë"));
	assert_false(aup_username_valid("abcdefghijklmnopqrstuvwxyz0123456"));
}

static struct aup_user_spec
spec(enum aup_role role, const char *first, const char *last, int year)
{
	struct aup_user_spec s;

	memset(&s, 0, sizeof s);
	s.role = role;
	s.first = first;
	s.last = last;
	s.year = year;
	return s;
}

static void
test_add_find(void **state)
{
	struct fixture *f = *state;
	struct aup_user_spec s = spec(AUP_ROLE_STAFF, "Zoë", "O'Neill",
	    AUP_YEAR_NONE);
	struct aup_user *u, *v;

	assert_int_equal(aup_user_add(f->db, &s, &u, NULL, &f->err), 0);
	assert_string_equal(u->username, "zoneill");
	assert_string_equal(u->first, "Zoë");
	/* A second Zoë O'Neill gets a suffix. */
	assert_int_equal(aup_user_add(f->db, &s, &v, NULL, &f->err), 0);
	assert_string_equal(v->username, "zoneill2");
	aup_user_free(v);
	assert_int_equal(aup_user_find(f->db, "zoneill", &v, &f->err), 0);
	assert_int_equal(v->id, u->id);
	aup_user_free(v);
	assert_int_equal(aup_user_find(f->db, "id:2", &v, &f->err), 0);
	assert_string_equal(v->username, "zoneill2");
	aup_user_free(v);
	assert_int_equal(aup_user_find(f->db, "nobody", &v, &f->err), -1);
	assert_int_equal(f->err.code, AUP_EX_NOUSER);
	assert_int_equal(aup_user_find(f->db, "id:x", &v, &f->err), -1);
	assert_int_equal(f->err.code, AUP_EX_USAGE);
	aup_user_free(u);
}

static void
test_pupil_rules(void **state)
{
	struct fixture *f = *state;
	struct aup_user_spec s = spec(AUP_ROLE_PUPIL, "Amy", "Khan",
	    AUP_YEAR_NONE);
	struct aup_user *u;
	int64_t before = fixture_log_count(f);

	s.mis_id = "A123";
	assert_int_equal(aup_user_add(f->db, &s, &u, NULL, &f->err), -1);
	assert_int_equal(f->err.code, AUP_EX_DATAERR);
	s.year = 1;
	s.generate = true;
	assert_int_equal(aup_user_add(f->db, &s, &u, NULL, &f->err), -1);
	assert_non_null(strstr(f->err.msg, "class logon"));
	s.generate = false;
	s.class_name = "1K";
	assert_int_equal(aup_user_add(f->db, &s, &u, NULL, &f->err), 0);
	aup_user_free(u);
	/* The MIS id is unique. */
	s.first = "Ben";
	assert_int_equal(aup_user_add(f->db, &s, &u, NULL, &f->err), -1);
	assert_non_null(strstr(f->err.msg, "A123"));
	/* Staff have no year group. */
	s = spec(AUP_ROLE_STAFF, "Cat", "Lee", 5);
	assert_int_equal(aup_user_add(f->db, &s, &u, NULL, &f->err), -1);
	s = spec(AUP_ROLE_STAFF, "Cat", "Lee", AUP_YEAR_NONE);
	s.email = "not-an-address";
	assert_int_equal(aup_user_add(f->db, &s, &u, NULL, &f->err), -1);
	s.email = NULL;
	s.username = "Bad Name";
	assert_int_equal(aup_user_add(f->db, &s, &u, NULL, &f->err), -1);
	/* Only the one successful add was logged. */
	assert_int_equal(fixture_log_count(f), before + 1);
}

static void
test_list_filters(void **state)
{
	struct fixture *f = *state;
	static const struct {
		const char *first;
		int year;
	} pupils[] = {
		{ "Ann", AUP_YEAR_R },
		{ "Bob", 2 },
		{ "Cal", 3 },
		{ "Dee", 6 },
		{ "Eve", 6 },
	};
	struct aup_user_filter flt;
	struct aup_user_list l;
	struct aup_user_spec s;

	for (size_t i = 0; i < sizeof pupils / sizeof pupils[0]; i++) {
		s = spec(AUP_ROLE_PUPIL, pupils[i].first, "Test",
		    pupils[i].year);
		s.class_name = pupils[i].year == 6 ? "6B" : NULL;
		assert_int_equal(aup_user_add(f->db, &s, NULL, NULL, &f->err),
		    0);
	}
	s = spec(AUP_ROLE_GOVERNOR, "Gil", "Test", AUP_YEAR_NONE);
	assert_int_equal(aup_user_add(f->db, &s, NULL, NULL, &f->err), 0);
	aup_user_filter_init(&flt);
	flt.ks = AUP_KS_2;
	assert_int_equal(aup_user_list(f->db, &flt, &l, &f->err), 0);
	assert_int_equal(l.n, 3);
	aup_user_list_free(&l);
	flt.ks = -1;
	flt.role = AUP_ROLE_GOVERNOR;
	assert_int_equal(aup_user_list(f->db, &flt, &l, &f->err), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].first, "Gil");
	aup_user_list_free(&l);
	aup_user_filter_init(&flt);
	flt.class_name = "6b";
	assert_int_equal(aup_user_list(f->db, &flt, &l, &f->err), 0);
	assert_int_equal(l.n, 2);
	aup_user_list_free(&l);
	aup_user_filter_init(&flt);
	flt.search = "ev";
	assert_int_equal(aup_user_list(f->db, &flt, &l, &f->err), 0);
	assert_int_equal(l.n, 1);
	aup_user_list_free(&l);
	flt.search = "%";
	assert_int_equal(aup_user_list(f->db, &flt, &l, &f->err), 0);
	assert_int_equal(l.n, 0);
	aup_user_list_free(&l);
}

static void
test_edit_suspend(void **state)
{
	struct fixture *f = *state;
	struct aup_user_spec s = spec(AUP_ROLE_PUPIL, "Tom", "Ray", 4);
	struct aup_user_edit e;
	struct aup_user *u;
	struct aup_log_list l;
	time_t until;

	assert_int_equal(aup_user_add(f->db, &s, NULL, NULL, &f->err), 0);
	memset(&e, 0, sizeof e);
	e.set_year = true;
	e.year = 5;
	e.class_name = "5R";
	assert_int_equal(aup_user_edit(f->db, "id:1", &e, &f->err), 0);
	assert_int_equal(aup_user_find(f->db, "id:1", &u, &f->err), 0);
	assert_int_equal(u->year, 5);
	assert_string_equal(u->class_name, "5R");
	aup_user_free(u);
	assert_int_equal(aup_log_list(f->db, 1, 0, &l, &f->err), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[1].action, "user.edit");
	assert_string_equal(l.v[1].before, "{\"year\":\"4\",\"class\":null}");
	assert_string_equal(l.v[1].after, "{\"year\":\"5\",\"class\":\"5R\"}");
	aup_log_list_free(&l);

	aup_clock_set(1800000000);
	assert_int_equal(aup_user_suspend(f->db, "id:1", "", 0, &f->err), -1);
	until = 1800000000 + 7 * 86400;
	assert_int_equal(aup_user_suspend(f->db, "id:1", "category B", until,
			     &f->err),
	    0);
	assert_int_equal(aup_user_find(f->db, "id:1", &u, &f->err), 0);
	assert_int_equal(aup_user_status_now(u, aup_now()),
	    AUP_STATUS_SUSPENDED);
	/* When the date passes the suspension is over by itself. */
	assert_int_equal(aup_user_status_now(u, until), AUP_STATUS_ACTIVE);
	aup_user_free(u);
	/* Suspending again changes the reason and the end, no gap between. */
	assert_int_equal(aup_user_suspend(f->db, "id:1", "again", 0, &f->err),
	    0);
	assert_int_equal(aup_user_find(f->db, "id:1", &u, &f->err), 0);
	assert_int_equal(u->status, AUP_STATUS_SUSPENDED);
	assert_string_equal(u->status_reason, "again");
	assert_int_equal(u->status_until, 0);
	aup_user_free(u);
	assert_int_equal(aup_user_reactivate(f->db, "id:1", &f->err), 0);
	assert_int_equal(aup_user_reactivate(f->db, "id:1", &f->err), -1);
}

/* Three adds in one unit of work, the second a duplicate MIS id. */
static int
add_three(struct fixture *f, bool savepoint_per_row)
{
	static const char *const mis[] = { "A100", "A100", "A300" };
	static const char *const last[] = { "One", "Two", "Three" };
	int failed = 0;

	assert_int_equal(aup_tx_begin(f->db, &f->err), 0);
	for (int i = 0; i < 3; i++) {
		struct aup_user_spec s = { .role = AUP_ROLE_STAFF,
			.first = "Row",
			.last = last[i],
			.year = AUP_YEAR_NONE,
			.mis_id = mis[i] };

		if (savepoint_per_row)
			assert_int_equal(aup_tx_begin(f->db, &f->err), 0);
		if (aup_user_add(f->db, &s, NULL, NULL, &f->err) != 0) {
			failed++;
			if (savepoint_per_row)
				aup_tx_rollback(f->db);
			else
				break;
		} else if (savepoint_per_row)
			assert_int_equal(aup_tx_commit(f->db, &f->err), 0);
	}
	return failed;
}

static size_t
count_people(struct fixture *f)
{
	struct aup_user_filter flt;
	struct aup_user_list l;
	size_t n;

	aup_user_filter_init(&flt);
	assert_int_equal(aup_user_list(f->db, &flt, &l, &f->err), 0);
	n = l.n;
	aup_user_list_free(&l);
	return n;
}

static void
test_three_adds_all_or_nothing(void **state)
{
	struct fixture *f = *state;
	struct aup_user *u = NULL;
	int64_t n, bad;

	assert_int_equal(add_three(f, false), 1);
	assert_int_equal(f->err.code, AUP_EX_DATAERR);
	aup_tx_rollback(f->db);
	assert_int_equal(count_people(f), 0);
	/* The handle is usable afterwards, and the log is whole. */
	assert_int_equal(aup_user_find(f->db, "mis:A100", &u, &f->err), -1);
	assert_int_equal(f->err.code, AUP_EX_NOUSER);
	assert_int_equal(aup_log_verify(f->db, &n, &bad, &f->err), 0);
}

static void
test_three_adds_savepoint_per_row(void **state)
{
	struct fixture *f = *state;
	struct aup_user *u = NULL;
	int64_t n0, n, bad;

	assert_int_equal(aup_log_verify(f->db, &n0, &bad, &f->err), 0);
	assert_int_equal(add_three(f, true), 1);
	assert_int_equal(aup_tx_commit(f->db, &f->err), 0);
	assert_int_equal(count_people(f), 2);
	assert_int_equal(aup_user_find(f->db, "mis:A100", &u, &f->err), 0);
	assert_string_equal(u->last, "One");
	aup_user_free(u);
	assert_int_equal(aup_user_find(f->db, "mis:A300", &u, &f->err), 0);
	assert_string_equal(u->last, "Three");
	aup_user_free(u);
	assert_int_equal(aup_log_verify(f->db, &n, &bad, &f->err), 0);
	assert_int_equal(n, n0 + 2);
}

/* ---- bulk adds: validate, plan, hash, insert; slips ---- */

static bool
has_problem(const struct aup_problems *p, size_t i, const char *field)
{
	return i < p->n && strcmp(p->v[i].field, field) == 0;
}

static void
test_validate_every_field(void **state)
{
	struct fixture *f = *state;
	struct aup_user_spec s = spec(AUP_ROLE_PUPIL, "", "Ray\001",
	    AUP_YEAR_NONE);
	static const char *const fields[] = { "first", "last", "year", "class",
		"mis_id", "email", "username", "password", "status" };
	struct aup_problems p;

	s.class_name = "a class name far longer than thirty-two bytes";
	s.mis_id = "A 1";
	s.email = "not-an-address";
	s.username = "Bad Name";
	s.password = "x";
	s.generate = true;
	s.status = AUP_STATUS_SUSPENDED;
	assert_int_equal(aup_user_validate(f->cfg, &s, &p), 9);
	for (size_t i = 0; i < 9; i++) {
		assert_true(has_problem(&p, i, fields[i]));
		/* The error itself names its field too. */
		assert_string_equal(p.v[i].err.field, fields[i]);
		assert_int_equal(p.v[i].err.code, AUP_EX_DATAERR);
		/* The core names no option of any face. */
		assert_null(strstr(p.v[i].err.msg, "--"));
		assert_null(strstr(p.v[i].err.hint, "--"));
	}
	assert_string_equal(p.v[2].err.msg, "a pupil needs a year group");
	aup_problems_free(&p);

	/* A class logon needs its class; a KS1 pupil may not have a password;
	 * nothing else is wrong. */
	s = spec(AUP_ROLE_CLASS, "Class", "1K", 1);
	assert_int_equal(aup_user_validate(f->cfg, &s, &p), 1);
	assert_true(has_problem(&p, 0, "class"));
	aup_problems_free(&p);
	s = spec(AUP_ROLE_PUPIL, "Amy", "Khan", 1);
	s.generate = true;
	assert_int_equal(aup_user_validate(f->cfg, &s, &p), 1);
	assert_true(has_problem(&p, 0, "password"));
	aup_problems_free(&p);
	s.year = 3;
	assert_int_equal(aup_user_validate(f->cfg, &s, &p), 0);
	assert_null(p.v);

	/* Names that leave nothing in a-z: a username must be given. */
	s = spec(AUP_ROLE_STAFF, "Мария", "Иванова", AUP_YEAR_NONE);
	assert_int_equal(aup_user_validate(f->cfg, &s, &p), 1);
	assert_true(has_problem(&p, 0, "username"));
	assert_non_null(strstr(p.v[0].err.msg, "give a username"));
	assert_null(strstr(p.v[0].err.msg, "--"));
	aup_problems_free(&p);
	s.username = "mivanova";
	assert_int_equal(aup_user_validate(f->cfg, &s, &p), 0);
}

static void
test_plan_reserves_in_batch(void **state)
{
	struct fixture *f = *state;
	struct aup_user_spec s = spec(AUP_ROLE_STAFF, "Zoë", "O’Neill",
	    AUP_YEAR_NONE);
	struct aup_user_batch *b = aup_user_batch_new();
	struct aup_user_plan p1, p2, p3;
	struct aup_user *u;

	s.mis_id = "S1";
	assert_int_equal(aup_user_plan(f->db, b, &s, &p1, &f->err), 0);
	/* The same MIS id twice in one batch is refused before any insert. */
	assert_int_equal(aup_user_plan(f->db, b, &s, &p2, &f->err), -1);
	assert_non_null(strstr(f->err.msg, "S1"));
	assert_non_null(strstr(f->err.msg, "zoneill"));
	s.mis_id = "S2";
	assert_int_equal(aup_user_plan(f->db, b, &s, &p2, &f->err), 0);
	assert_string_equal(p1.user.username, "zoneill");
	assert_string_equal(p2.user.username, "zoneill2");
	assert_int_equal(count_people(f), 0);
	/* A name given outright is reserved too. */
	s.mis_id = NULL;
	s.username = "zoneill2";
	assert_int_equal(aup_user_plan(f->db, b, &s, &p3, &f->err), -1);
	assert_non_null(strstr(f->err.msg, "zoneill2"));

	assert_int_equal(aup_tx_begin(f->db, &f->err), 0);
	assert_int_equal(aup_user_insert(f->db, &p1, &f->err), 0);
	assert_int_equal(aup_user_insert(f->db, &p2, &f->err), 0);
	assert_int_equal(aup_tx_commit(f->db, &f->err), 0);
	assert_int_equal(aup_user_find(f->db, "mis:S2", &u, &f->err), 0);
	assert_string_equal(u->username, "zoneill2");
	assert_int_equal(u->id, p2.user.id);
	aup_user_free(u);
	/* A later batch goes on from the database. */
	aup_user_batch_free(b);
	b = aup_user_batch_new();
	s.username = NULL;
	assert_int_equal(aup_user_plan(f->db, b, &s, &p3, &f->err), 0);
	assert_string_equal(p3.user.username, "zoneill3");
	aup_user_plan_clear(&p1);
	aup_user_plan_clear(&p2);
	aup_user_plan_clear(&p3);
	aup_user_batch_free(b);
}

static void
test_batch_dry_run(void **state)
{
	struct fixture *f = *state;
	static const char *const first[] = { "Siân", "Łukasz", "Siân" };
	struct aup_user_batch *b = aup_user_batch_new();
	struct aup_pw_rules *r = aup_pw_rules_new(f->db, &f->err);
	struct aup_user_plan p[3];
	int64_t logged = fixture_log_count(f), n, bad;

	assert_non_null(r);
	assert_int_equal(aup_tx_begin(f->db, &f->err), 0);
	for (int i = 0; i < 3; i++) {
		struct aup_user_spec s = spec(AUP_ROLE_PUPIL, first[i],
		    "Kowalska", 5);

		s.generate = true;
		assert_int_equal(aup_tx_begin(f->db, &f->err), 0);
		assert_int_equal(aup_user_plan(f->db, b, &s, &p[i], &f->err),
		    0);
		assert_int_equal(aup_user_hash(r, &p[i], &f->err), 0);
		assert_int_equal(aup_user_insert(f->db, &p[i], &f->err), 0);
		assert_int_equal(aup_tx_commit(f->db, &f->err), 0);
		assert_true(p[i].user.has_password);
	}
	/* What a dry run shows: the usernames it would give. */
	assert_string_not_equal(p[0].user.username, p[2].user.username);
	assert_int_equal(count_people(f), 3);
	aup_tx_rollback(f->db);
	assert_int_equal(count_people(f), 0);
	assert_int_equal(fixture_log_count(f), logged);
	assert_int_equal(aup_log_verify(f->db, &n, &bad, &f->err), 0);
	for (int i = 0; i < 3; i++)
		aup_user_plan_clear(&p[i]);
	aup_pw_rules_free(r);
	aup_user_batch_free(b);
}

struct hash_job {
	const struct aup_pw_rules *rules;
	struct aup_user_plan p[16];
	int ok;
};

static void *
hash_many(void *arg)
{
	struct hash_job *j = arg;
	struct aup_err err;

	for (size_t i = 0; i < sizeof j->p / sizeof j->p[0]; i++)
		if (aup_user_hash(j->rules, &j->p[i], &err) == 0 &&
		    aup_pw_verify(j->p[i].phc, j->p[i].password) == 1)
			j->ok++;
	return NULL;
}

static void
test_hash_two_threads(void **state)
{
	struct fixture *f = *state;
	struct aup_user_batch *b = aup_user_batch_new();
	struct hash_job jobs[2];
	pthread_t t[2];

	memset(jobs, 0, sizeof jobs);
	jobs[0].rules = jobs[1].rules = aup_pw_rules_new(f->db, &f->err);
	assert_non_null(jobs[0].rules);
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; i < 16; i++) {
			struct aup_user_spec s = spec(AUP_ROLE_STAFF, "Nguyễn",
			    k ? "Ó Briain" : "Kowalska", AUP_YEAR_NONE);

			/* One thread checks given passwords, one makes them. */
			s.generate = k == 1;
			s.password = k == 0 ? "maple-otter-cloud-42" : NULL;
			assert_int_equal(aup_user_plan(f->db, b, &s,
					     &jobs[k].p[i], &f->err),
			    0);
		}
	for (int k = 0; k < 2; k++)
		assert_int_equal(pthread_create(&t[k], NULL, hash_many,
				     &jobs[k]),
		    0);
	for (int k = 0; k < 2; k++)
		assert_int_equal(pthread_join(t[k], NULL), 0);
	for (int k = 0; k < 2; k++) {
		assert_int_equal(jobs[k].ok, 16);
		for (size_t i = 0; i < 16; i++) {
			assert_int_equal(aup_pw_check(f->db, &jobs[k].p[i].user,
					     AUP_ROLE_STAFF,
					     jobs[k].p[i].password, NULL,
					     &f->err),
			    0);
			aup_user_plan_clear(&jobs[k].p[i]);
		}
	}
	aup_pw_rules_free((struct aup_pw_rules *)jobs[0].rules);
	aup_user_batch_free(b);
}

/* Add a pupil with a generated password inside the open transaction and
 * put their slip in S. */
static void
add_with_slip(struct fixture *f, struct aup_slips *s,
    const struct aup_pw_rules *r, const char *first, char **username, char **pw)
{
	struct aup_user_spec sp = spec(AUP_ROLE_PUPIL, first, "O’Neill, Jr", 6);
	struct aup_user_plan p;

	sp.generate = true;
	sp.class_name = "6B";
	assert_int_equal(aup_user_plan(f->db, NULL, &sp, &p, &f->err), 0);
	assert_int_equal(aup_user_hash(r, &p, &f->err), 0);
	assert_int_equal(aup_user_insert(f->db, &p, &f->err), 0);
	assert_int_equal(aup_slips_add(s, &p.user, p.password, &f->err), 0);
	*username = xstrdup(p.user.username);
	*pw = xstrdup(p.password);
	aup_user_plan_clear(&p);
}

static char *
slurp(const char *path)
{
	FILE *fp = fopen(path, "r");
	struct aup_buf b = { 0 };
	char chunk[4096];
	size_t n;

	assert_non_null(fp);
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		aup_buf_add(&b, chunk, n);
	fclose(fp);
	aup_buf_puts(&b, "");
	return aup_buf_detach(&b);
}

static void
test_slips_bulk(void **state)
{
	struct fixture *f = *state;
	struct aup_pw_rules *r = aup_pw_rules_new(f->db, &f->err);
	char path[128], *name[3], *pw[3], *text;
	struct aup_slips *s;
	struct stat st;

	snprintf(path, sizeof path, "%s/slips.csv", f->dir);
	/* Slips belong to a unit of work. */
	assert_null(aup_slips_open(f->db, path, AUP_SLIP_CSV, &f->err));
	assert_int_equal(f->err.code, AUP_EX_SOFTWARE);

	/* A name that is taken is refused at once. */
	{
		char taken[160];
		int fd;

		snprintf(taken, sizeof taken, "%s/taken.csv", f->dir);
		fd = open(taken, O_WRONLY | O_CREAT | O_EXCL, 0600);
		assert_true(fd >= 0);
		close(fd);
		assert_int_equal(aup_tx_begin(f->db, &f->err), 0);
		assert_null(
		    aup_slips_open(f->db, taken, AUP_SLIP_CSV, &f->err));
		assert_int_equal(f->err.code, AUP_EX_CANTCREAT);
		aup_tx_rollback(f->db);
		unlink(taken);
	}

	/* Rolled back: no one added, no file. */
	assert_int_equal(aup_tx_begin(f->db, &f->err), 0);
	s = aup_slips_open(f->db, path, AUP_SLIP_CSV, &f->err);
	assert_non_null(s);
	add_with_slip(f, s, r, "Zoë", &name[0], &pw[0]);
	/* The slips wait in memory until the commit: a kill now leaves no
	 * file. */
	assert_int_equal(stat(path, &st), -1);
	free(name[0]);
	free(pw[0]);
	aup_slips_rollback(s);
	assert_int_equal(stat(path, &st), -1);
	assert_int_equal(count_people(f), 0);
	assert_int_equal(aup_tx_begin(f->db, &f->err), 0);
	assert_int_equal(aup_tx_commit(f->db, &f->err), 0);

	/* Committed: everyone's slip is in the file, complete. */
	assert_int_equal(aup_tx_begin(f->db, &f->err), 0);
	s = aup_slips_open(f->db, path, AUP_SLIP_CSV, &f->err);
	assert_non_null(s);
	for (int i = 0; i < 3; i++)
		add_with_slip(f, s, r, i == 1 ? "=Siân" : "Zoë", &name[i],
		    &pw[i]);
	assert_int_equal(aup_slips_commit(s, &f->err), 0);
	assert_int_equal(count_people(f), 3);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	text = slurp(path);
	assert_true(strncmp(text, "username,name,class,password\n", 29) == 0);
	for (int i = 0; i < 3; i++) {
		char line[256];

		snprintf(line, sizeof line, "%s,\"%s O’Neill, Jr\",6B,%s\n",
		    name[i], i == 1 ? "'=Siân" : "Zoë", pw[i]);
		assert_non_null(strstr(text, line));
	}
	free(text);
	/* Never over an existing file. */
	assert_int_equal(aup_tx_begin(f->db, &f->err), 0);
	assert_null(aup_slips_open(f->db, path, AUP_SLIP_TEXT, &f->err));
	assert_int_equal(f->err.code, AUP_EX_CANTCREAT);
	aup_tx_rollback(f->db);
	unlink(path);

	/* The page of cut-out slips, the one-slip form many times. */
	snprintf(path, sizeof path, "%s/slips.txt", f->dir);
	assert_int_equal(aup_tx_begin(f->db, &f->err), 0);
	s = aup_slips_open(f->db, path, AUP_SLIP_TEXT, &f->err);
	assert_non_null(s);
	for (int i = 0; i < 3; i++) {
		free(name[i]);
		free(pw[i]);
		add_with_slip(f, s, r, "Łukasz", &name[i], &pw[i]);
	}
	assert_int_equal(aup_slips_commit(s, &f->err), 0);
	text = slurp(path);
	for (int i = 0; i < 3; i++) {
		char line[256];

		snprintf(line, sizeof line,
		    "  Username:  %s\n  Password:  %s\n", name[i], pw[i]);
		assert_non_null(strstr(text, line));
		free(name[i]);
		free(pw[i]);
	}
	assert_non_null(strstr(text, "Riverside Primary: your school"));
	assert_non_null(strstr(text, "(Year 6, 6B)"));
	free(text);
	unlink(path);
	aup_pw_rules_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_username_valid),
		cmocka_unit_test_setup_teardown(test_add_find, fixture_setup,
		    fixture_teardown),
		cmocka_unit_test_setup_teardown(test_pupil_rules, fixture_setup,
		    fixture_teardown),
		cmocka_unit_test_setup_teardown(test_list_filters,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_three_adds_all_or_nothing,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(
		    test_three_adds_savepoint_per_row, fixture_setup,
		    fixture_teardown),
		cmocka_unit_test_setup_teardown(test_edit_suspend,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_validate_every_field,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_plan_reserves_in_batch,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_batch_dry_run,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_hash_two_threads,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_slips_bulk, fixture_setup,
		    fixture_teardown),
	};

	setenv("TZ", "UTC", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
