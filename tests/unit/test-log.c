/* The audit log's hash chain notices an edited, a deleted and a truncated
 * entry, and an edited or removed personal value; a purge erases one
 * person's values and the chain still holds. The tests edit the file
 * behind aupctl's back with SQLite. */
#include "fixture.h"

#include <sqlite3.h>

#include "aup/log.h"
#include "aup/user.h"
#include "core.h"

static void
add_people(struct fixture *f, int n)
{
	for (int i = 0; i < n; i++) {
		struct aup_user_spec s;
		char first[16];

		memset(&s, 0, sizeof s);
		snprintf(first, sizeof first, "Person%d", i);
		s.role = AUP_ROLE_VOLUNTEER;
		s.first = first;
		s.last = "Test";
		s.year = AUP_YEAR_NONE;
		assert_int_equal(aup_user_add(f->db, &s, NULL, NULL, &f->err),
		    0);
	}
}

static void
tamper(struct fixture *f, const char *sql)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void
test_intact(void **state)
{
	struct fixture *f = *state;
	int64_t n, bad;

	add_people(f, 5);
	assert_int_equal(aup_log_verify(f->db, &n, &bad, &f->err), 0);
	assert_int_equal(n, 6); /* init and five adds */
	assert_int_equal(bad, 0);
}

static void
expect_broken(struct fixture *f, int64_t want_bad)
{
	int64_t n, bad;

	assert_int_equal(aup_log_verify(f->db, &n, &bad, &f->err), -1);
	assert_int_equal(f->err.code, AUP_EX_ATTENTION);
	assert_int_equal(bad, want_bad);
}

static void
test_edited(void **state)
{
	struct fixture *f = *state;

	add_people(f, 5);
	tamper(f, "UPDATE audit_log SET operator = 'someone' WHERE id = 3");
	expect_broken(f, 3);
}

static void
test_deleted(void **state)
{
	struct fixture *f = *state;

	add_people(f, 5);
	tamper(f, "DELETE FROM audit_log WHERE id = 4");
	expect_broken(f, 5);
}

static void
test_truncated(void **state)
{
	struct fixture *f = *state;

	add_people(f, 5);
	tamper(f, "DELETE FROM audit_log WHERE id = 6");
	expect_broken(f, 6);
}

static void
test_rechained_edit(void **state)
{
	struct fixture *f = *state;

	/* Changing an entry and its own stored hash still breaks the next
	 * entry's link. */
	add_people(f, 3);
	tamper(f, "UPDATE audit_log SET after = '{}', hash = 'x' WHERE id = 2");
	expect_broken(f, 2);
}

static int64_t
add_person(struct fixture *f, const char *first, const char *last,
    const char *email)
{
	struct aup_user_spec s;
	struct aup_user *u;
	int64_t id;

	memset(&s, 0, sizeof s);
	s.role = AUP_ROLE_STAFF;
	s.first = first;
	s.last = last;
	s.email = email;
	s.year = AUP_YEAR_NONE;
	assert_int_equal(aup_user_add(f->db, &s, &u, NULL, &f->err), 0);
	id = u->id;
	aup_user_free(u);
	return id;
}

static void
test_emptied(void **state)
{
	struct fixture *f = *state;

	/* "0 entries, chain intact" was the answer, and the next change
	 * started a new chain. */
	add_people(f, 3);
	tamper(f, "DELETE FROM audit_log");
	expect_broken(f, 1);
	tamper(f, "DELETE FROM meta WHERE key = 'log_head'");
	expect_broken(f, 1);
}

static void
anchor(struct fixture *f, bool want_added)
{
	bool added;

	assert_int_equal(aup_log_anchor(f->db, &added, &f->err), 0);
	assert_int_equal(added, want_added);
}

static void
test_anchor_catches_a_cut(void **state)
{
	struct fixture *f = *state;

	/* Deleting the newest entry and setting the stored head to the one
	 * before leaves a whole chain: only an anchor outside the database
	 * can tell. */
	add_people(f, 5);
	anchor(f, true);
	anchor(f, false); /* nothing new: no second line */
	tamper(f,
	    "DELETE FROM audit_log WHERE id = 6; UPDATE meta SET value "
	    "= (SELECT id || ' ' || hash FROM audit_log WHERE id = 5) "
	    "WHERE key = 'log_head'");
	expect_broken(f, 6);
	assert_non_null(strstr(f->err.msg, "anchored"));
}

static void
test_anchor_catches_a_rewrite(void **state)
{
	struct fixture *f = *state;
	int64_t n, bad;

	add_people(f, 3);
	anchor(f, true);
	assert_int_equal(aup_log_verify(f->db, &n, &bad, &f->err), 0);
	/* Cut the log back to entry 2 and let aupctl write a new, whole
	 * chain from there: only the anchor of entry 4 shows it. */
	tamper(f,
	    "DELETE FROM audit_values WHERE entry_id >= 3; "
	    "DELETE FROM audit_log WHERE id >= 3; UPDATE meta SET value = "
	    "(SELECT id || ' ' || hash FROM audit_log WHERE id = 2) "
	    "WHERE key = 'log_head'");
	add_people(f, 2);
	expect_broken(f, 4);
	assert_non_null(strstr(f->err.msg, "rewritten"));
}

static void
test_verify_recent(void **state)
{
	struct fixture *f = *state;
	int64_t n, bad;

	/* With no anchor it is the whole chain. */
	add_people(f, 3);
	assert_int_equal(aup_log_verify_recent(f->db, &n, &bad, &f->err), 0);
	assert_int_equal(n, 4);
	anchor(f, true);
	add_people(f, 2);
	/* From the anchored entry 4 on: 4, 5 and 6. */
	assert_int_equal(aup_log_verify_recent(f->db, &n, &bad, &f->err), 0);
	assert_int_equal(n, 3);
	/* An entry after the anchor edited: caught. */
	tamper(f, "UPDATE audit_log SET operator = 'x' WHERE id = 6");
	assert_int_equal(aup_log_verify_recent(f->db, &n, &bad, &f->err), -1);
	assert_int_equal(bad, 6);
	tamper(f,
	    "UPDATE audit_log SET operator = (SELECT operator FROM "
	    "audit_log WHERE id = 5) WHERE id = 6");
	assert_int_equal(aup_log_verify_recent(f->db, &n, &bad, &f->err), 0);
	/* The anchored entry itself edited: caught. */
	tamper(f, "UPDATE audit_log SET operator = 'x' WHERE id = 4");
	assert_int_equal(aup_log_verify_recent(f->db, &n, &bad, &f->err), -1);
	assert_int_equal(bad, 4);
	tamper(f,
	    "UPDATE audit_log SET operator = (SELECT operator FROM "
	    "audit_log WHERE id = 5) WHERE id = 4");
	/* One before it: only the whole chain sees it. */
	tamper(f, "UPDATE audit_log SET operator = 'x' WHERE id = 2");
	assert_int_equal(aup_log_verify_recent(f->db, &n, &bad, &f->err), 0);
	expect_broken(f, 2);
}

static void
test_anchor_file_edited(void **state)
{
	struct fixture *f = *state;
	char *path;
	FILE *fp;

	add_people(f, 1);
	anchor(f, true);
	path = aup_log_anchor_path(f->db);
	fp = fopen(path, "a");
	assert_non_null(fp);
	fputs("anchor two words\n", fp);
	fclose(fp);
	expect_broken(f, 0);
	free(path);
}

/* Amy (entries 2 and 4) and Ben (entry 3), each with personal values. */
static void
two_people(struct fixture *f, int64_t *amy, int64_t *ben)
{
	*amy = add_person(f, "Amy", "Smith", "amy@riverside.example");
	*ben = add_person(f, "Ben", "Ng", NULL);
	assert_int_equal(aup_user_suspend(f->db, "asmith", "left her badge", 0,
			     &f->err),
	    0);
}

/* The text of the whole log as listed, for looking for a value in. */
static char *
listed(struct fixture *f, struct aup_log_list *l)
{
	struct aup_buf b = { 0 };

	assert_int_equal(aup_log_list(f->db, 0, 0, l, &f->err), 0);
	for (size_t i = 0; i < l->n; i++)
		aup_buf_printf(&b, "%s|%s|%s|%s\n", l->v[i].action,
		    l->v[i].subject ? l->v[i].subject : "-",
		    l->v[i].before ? l->v[i].before : "-",
		    l->v[i].after ? l->v[i].after : "-");
	return aup_buf_detach(&b);
}

static int64_t
count(struct fixture *f, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	int64_t n;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return n;
}

static void
test_values_beside_chain(void **state)
{
	struct fixture *f = *state;
	int64_t amy, ben;

	two_people(f, &amy, &ben);
	/* Nothing personal in the chained rows; all of it beside them. */
	assert_int_equal(
	    count(f,
		"SELECT count(*) FROM audit_log WHERE "
		"before || after LIKE '%Amy%' OR before || after LIKE '%Smith%' "
		"OR before || after LIKE '%badge%' OR before || after LIKE "
		"'%asmith%' OR after LIKE '%amy@%'"),
	    0);
	assert_int_equal(
	    count(f,
		"SELECT count(*) FROM audit_values WHERE "
		"value IN ('Amy', 'Smith', 'asmith', 'amy@riverside.example', "
		"'left her badge', 'Ben', 'Ng', 'bng')"),
	    11);
}

static void
test_purge_one_person(void **state)
{
	struct fixture *f = *state;
	struct aup_log_list l;
	int64_t amy, ben, erased, n, bad;
	char *text;

	two_people(f, &amy, &ben);
	assert_int_equal(aup_log_purge_user(f->db, amy, &erased, &f->err), 0);
	/* user.add: subject, username, first, last, email; suspend: subject,
	 * reason. */
	assert_int_equal(erased, 7);
	assert_int_equal(aup_log_verify(f->db, &n, &bad, &f->err), 0);
	assert_int_equal(n, 5); /* init, two adds, suspend, purge */

	text = listed(f, &l);
	assert_null(strstr(text, "Amy"));
	assert_null(strstr(text, "Smith"));
	assert_null(strstr(text, "badge"));
	assert_null(strstr(text, "asmith"));
	/* Ben is untouched. */
	assert_non_null(strstr(text,
	    "user.add|bng|-|{\"username\":\"bng\","
	    "\"role\":\"staff\",\"first\":\"Ben\",\"last\":\"Ng\"}"));
	/* Amy's entries say what was there, not what it was. */
	assert_string_equal(l.v[1].action, "user.add");
	assert_null(l.v[1].subject);
	assert_true(l.v[1].purged);
	assert_string_equal(l.v[1].after,
	    "{\"username\":null,\"role\":"
	    "\"staff\",\"first\":null,\"last\":null,\"email\":null}");
	assert_false(l.v[2].purged);
	assert_true(l.v[3].purged);
	assert_string_equal(l.v[3].before,
	    "{\"status\":\"active\",\"reason\":null}");
	assert_string_equal(l.v[3].after,
	    "{\"status\":\"suspended\",\"reason\":null}");
	/* The purge's own entry is about her by id and names no one. */
	assert_string_equal(l.v[4].action, "log.purge");
	assert_int_equal(l.v[4].user_id, amy);
	assert_null(l.v[4].subject);
	assert_false(l.v[4].purged);
	assert_string_equal(l.v[4].after, "{\"values\":7}");
	free(text);
	aup_log_list_free(&l);

	/* Gone from the file too, salts with them. */
	assert_int_equal(count(f,
			     "SELECT count(*) FROM audit_values WHERE "
			     "value IS NOT NULL AND entry_id IN (2, 4)"),
	    0);
	assert_int_equal(count(f,
			     "SELECT count(*) FROM audit_values WHERE "
			     "salt IS NOT NULL AND entry_id IN (2, 4)"),
	    0);
	assert_int_equal(count(f,
			     "SELECT count(*) FROM audit_values WHERE "
			     "value IS NOT NULL AND entry_id = 3"),
	    4);

	/* Again: nothing left to erase, and the log still whole. */
	assert_int_equal(aup_log_purge_user(f->db, amy, &erased, &f->err), 0);
	assert_int_equal(erased, 0);
	assert_int_equal(aup_log_verify(f->db, &n, &bad, &f->err), 0);
}

static void
test_purge_needs_admin(void **state)
{
	struct fixture *f = *state;
	int64_t amy, ben, n, bad;

	two_people(f, &amy, &ben);
	f->db->op_role = AUP_OP_NETMGR;
	assert_int_equal(aup_log_purge_user(f->db, amy, NULL, &f->err), -1);
	assert_int_equal(f->err.code, AUP_EX_NOPERM);
	f->db->op_role = AUP_OP_ADMIN;
	assert_int_equal(count(f,
			     "SELECT count(*) FROM audit_values WHERE "
			     "value IS NULL"),
	    0);
	assert_int_equal(aup_log_verify(f->db, &n, &bad, &f->err), 0);
	assert_int_equal(n, 4); /* no purge entry either */
}

static void
test_value_edited(void **state)
{
	struct fixture *f = *state;
	int64_t amy, ben;

	two_people(f, &amy, &ben);
	tamper(f,
	    "UPDATE audit_values SET value = 'Ann' WHERE entry_id = 2 "
	    "AND name = 'after.first'");
	expect_broken(f, 2);
	assert_non_null(
	    strstr(f->err.msg, "entry 2's after.first was changed"));
}

static void
test_value_deleted(void **state)
{
	struct fixture *f = *state;
	int64_t amy, ben;

	two_people(f, &amy, &ben);
	tamper(f,
	    "DELETE FROM audit_values WHERE entry_id = 4 AND "
	    "name = 'after.reason'");
	expect_broken(f, 4);
	assert_non_null(strstr(f->err.msg,
	    "entry 4 has lost or gained a personal value outside a purge"));
}

static void
test_value_blanked(void **state)
{
	struct fixture *f = *state;
	int64_t amy, ben;

	/* Erased as a purge would, but with no purge of hers behind it:
	 * here a purge of Ben's is named instead. */
	two_people(f, &amy, &ben);
	assert_int_equal(aup_log_purge_user(f->db, ben, NULL, &f->err), 0);
	tamper(f,
	    "UPDATE audit_values SET value = NULL, salt = NULL, "
	    "purged_by = 5 WHERE entry_id = 4 AND name = 'after.reason'");
	expect_broken(f, 4);
	assert_non_null(strstr(f->err.msg,
	    "entry 4's after.reason was removed outside a purge"));
}

static void
test_values_read_back(void **state)
{
	struct fixture *f = *state;
	struct aup_log_list l;
	int64_t amy, ben, n, bad;
	const char *reason = "say \"hi\" \\ back\xe2\x80\xa8slash "
			     "\xf0\x9f\x98\x80";

	two_people(f, &amy, &ben);
	assert_int_equal(aup_user_suspend(f->db, "bng", reason, 0, &f->err), 0);
	assert_int_equal(aup_log_verify(f->db, &n, &bad, &f->err), 0);
	assert_int_equal(aup_log_list(f->db, ben, 0, &l, &f->err), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[1].after,
	    "{\"status\":\"suspended\","
	    "\"reason\":\"say \\\"hi\\\" \\\\ back\\u2028slash "
	    "\xf0\x9f\x98\x80\"}");
	aup_log_list_free(&l);
	/* The value held is the text itself, not its JSON. */
	assert_int_equal(
	    count(f,
		"SELECT count(*) FROM audit_values WHERE "
		"value = 'say \"hi\" \\ back\xe2\x80\xa8slash \xf0\x9f\x98\x80'"),
	    1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_intact, fixture_setup,
		    fixture_teardown),
		cmocka_unit_test_setup_teardown(test_edited, fixture_setup,
		    fixture_teardown),
		cmocka_unit_test_setup_teardown(test_deleted, fixture_setup,
		    fixture_teardown),
		cmocka_unit_test_setup_teardown(test_truncated, fixture_setup,
		    fixture_teardown),
		cmocka_unit_test_setup_teardown(test_rechained_edit,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_emptied, fixture_setup,
		    fixture_teardown),
		cmocka_unit_test_setup_teardown(test_anchor_catches_a_cut,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_anchor_catches_a_rewrite,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_verify_recent,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_anchor_file_edited,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_values_beside_chain,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_purge_one_person,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_purge_needs_admin,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_value_edited,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_value_deleted,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_value_blanked,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_values_read_back,
		    fixture_setup, fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
