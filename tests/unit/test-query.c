/* Lists of people: every filter and the search use an index, pages through
 * the cursor add up to the whole list, and search matches the way an office
 * types (accents, case and apostrophes do not matter). */
#include "fixture.h"

#include "aup/user.h"
#include "storage.h"

static const char *const names[][2] = {
	{ "Siân", "Ó Briain" },
	{ "Zoë", "O’Neill" },
	{ "Łukasz", "Kowalski" },
	{ "Ann", "Smith" },
	{ "Bob", "Smithson" },
	{ "Cal", "Jones" },
	{ "Dee", "O'Neill" },
	{ "Eve", "Evans" },
	{ "Rhys", "Ap Gwyn" },
};
#define NNAMES (sizeof names / sizeof names[0])

static void
populate(struct fixture *f, int copies)
{
	for (int c = 0; c < copies; c++)
		for (size_t i = 0; i < NNAMES; i++) {
			char cls[8];
			struct aup_user_spec s = { .role = AUP_ROLE_PUPIL,
				.first = names[i][0],
				.last = names[i][1],
				.year = (int)(i % 4) + 3,
				.class_name = cls };

			snprintf(cls, sizeof cls, "%dB", s.year);
			assert_int_equal(aup_user_add(f->db, &s, NULL, NULL,
					     &f->err),
			    0);
		}
	for (int i = 0; i < 20; i++) {
		struct aup_user_spec s = { .role = AUP_ROLE_STAFF,
			.first = "Wyn",
			.last = "Teacher",
			.year = AUP_YEAR_NONE };
		assert_int_equal(aup_user_add(f->db, &s, NULL, NULL, &f->err),
		    0);
	}
}

/*
 * Does the plan walk the whole of users ("SCAN u", with or without an
 * index in its order), rather than search an index for the rows asked?
 * With WALK_OK, a page may walk users_sort: a search shorter than a
 * trigram tests each entry of that index in order, reads only the rows
 * that match and stops when the page is full.
 */
static bool
full_scan(const char *plan, bool walk_ok)
{
	for (const char *p = plan; (p = strstr(p, "SCAN u")) != NULL; p++) {
		if (walk_ok &&
		    strncmp(p, "SCAN u USING INDEX users_sort\n", 30) == 0)
			continue;
		if (p[6] == ' ' || p[6] == '\n' || p[6] == '\0')
			return true;
	}
	return false;
}

static void
assert_plan(struct fixture *f, const struct aup_user_filter *flt,
    const char *what, bool walk_ok)
{
	for (int paged = 0; paged < 2; paged++) {
		char *plan = NULL;

		assert_int_equal(st_user_query_plan(f->db, flt, paged, &plan,
				     &f->err),
		    0);
		if (full_scan(plan, walk_ok && paged))
			fail_msg("%s%s scans users:\n%s", what,
			    paged ? " (paged)" : "", plan);
		free(plan);
	}
}

static void
assert_indexed(struct fixture *f, const struct aup_user_filter *flt,
    const char *what)
{
	assert_plan(f, flt, what, false);
}

/* A search with a broad filter goes by the search's index: the filter's
 * (thousands of a school) would read every pupil to find a few. */
static void
assert_not_by(struct fixture *f, const struct aup_user_filter *flt,
    const char *index, const char *what)
{
	for (int paged = 0; paged < 2; paged++) {
		char *plan = NULL;

		assert_int_equal(st_user_query_plan(f->db, flt, paged, &plan,
				     &f->err),
		    0);
		if (strstr(plan, index) != NULL)
			fail_msg("%s%s goes by %s:\n%s", what,
			    paged ? " (paged)" : "", index, plan);
		free(plan);
	}
}

static void
test_every_filter_uses_an_index(void **state)
{
	struct fixture *f = *state;
	struct aup_user_filter flt;

	populate(f, 3);
	aup_user_filter_init(&flt);
	flt.role = AUP_ROLE_STAFF;
	assert_indexed(f, &flt, "--role");
	aup_user_filter_init(&flt);
	flt.ks = AUP_KS_2;
	assert_indexed(f, &flt, "--ks");
	aup_user_filter_init(&flt);
	flt.year = 5;
	assert_indexed(f, &flt, "--year");
	aup_user_filter_init(&flt);
	flt.class_name = "5b";
	assert_indexed(f, &flt, "--class");
	aup_user_filter_init(&flt);
	flt.status = AUP_STATUS_SUSPENDED;
	assert_indexed(f, &flt, "--status");
	aup_user_filter_init(&flt);
	flt.search = "neill";
	assert_indexed(f, &flt, "--search neill");
	flt.search = "ev";
	assert_plan(f, &flt, "--search ev", true);
	flt.search = "smi an";
	assert_indexed(f, &flt, "--search 'smi an'");
	flt.role = AUP_ROLE_STAFF;
	flt.search = "ev";
	assert_indexed(f, &flt, "--role --search ev");
	flt.role = AUP_ROLE_PUPIL;
	flt.search = "kowal";
	assert_indexed(f, &flt, "--role --search");
	assert_not_by(f, &flt, "users_role", "--role --search kowal");
	flt.search = "zo";
	assert_not_by(f, &flt, "users_role", "--role --search zo");
	aup_user_filter_init(&flt);
	flt.status = AUP_STATUS_ACTIVE;
	flt.search = "zo";
	assert_not_by(f, &flt, "users_status", "--status --search zo");
	flt.status = -1;
	flt.ks = AUP_KS_2;
	assert_not_by(f, &flt, "users_year", "--ks --search zo");
}

/* The whole list, and a page of it after a cursor, in users_sort's own
 * order (sort key, then id): nothing sorted, and a page starts with a
 * search of the index at the cursor, not a walk from its first entry. */
static void
test_list_in_index_order(void **state)
{
	struct fixture *f = *state;
	struct aup_user_filter flt;

	populate(f, 1);
	aup_user_filter_init(&flt);
	for (int paged = 0; paged < 2; paged++) {
		char *plan = NULL;
		const char *want = paged ? "SEARCH u USING INDEX users_sort (" :
					   "SCAN u USING INDEX users_sort\n";

		assert_int_equal(st_user_query_plan(f->db, &flt, paged, &plan,
				     &f->err),
		    0);
		if (strstr(plan, want) == NULL ||
		    strstr(plan, "TEMP B-TREE") != NULL)
			fail_msg("the list%s: %s", paged ? " (paged)" : "",
			    plan);
		free(plan);
	}
}

/* What a list shows of each row, one line each, into the buffer ARG;
 * with a brief list, also that the rest of the row is empty. */
struct shown {
	struct aup_buf text;
	bool brief;
};

static int
show_row(void *arg, const struct aup_user_row *r)
{
	struct shown *s = arg;

	aup_buf_printf(&s->text, "%lld|%s|%d|%s|%s|%d|%s|%d|%lld|%lld|%s\n",
	    (long long)r->id, r->username, (int)r->role, r->first, r->last,
	    r->year, r->class_name ? r->class_name : "-", (int)r->status,
	    (long long)r->status_until, (long long)r->expires, r->sort_key);
	if (s->brief &&
	    (r->mis_id != NULL || r->email != NULL || r->has_password ||
		r->pw_changed != 0 || r->created != 0))
		fail_msg("a brief row of %s holds more", r->username);
	return 0;
}

/* A brief list shows what a full one does, row for row, whatever the
 * filter or search; a whole one is read from users_audit alone. */
static void
test_brief_list(void **state)
{
	struct fixture *f = *state;
	static const char *const searches[] = { NULL, "smith", "ev", "o'n",
		"ann sm" };
	struct aup_user_filter flt;
	char *plan = NULL;

	populate(f, 2);
	/* A suspension that ends, a login that expires, an MIS id and an
	 * email, on two of them. */
	assert_int_equal(sqlite3_exec(f->db->sql,
			     "UPDATE users SET status = 'suspended', "
			     "status_until = 2000000000 WHERE id = 4; "
			     "UPDATE users SET expires_at = 1000000000, "
			     "mis_id = 'M1', email = 'e@example.org' "
			     "WHERE id = 2",
			     NULL, NULL, NULL),
	    SQLITE_OK);
	for (size_t i = 0; i < 2 * sizeof searches / sizeof searches[0]; i++) {
		struct shown full = { 0 }, brief = { .brief = true };

		aup_user_filter_init(&flt);
		flt.search = searches[i / 2];
		if (i % 2)
			flt.role = AUP_ROLE_PUPIL;
		assert_int_equal(aup_user_query(f->db, &flt, NULL, 0, show_row,
				     &full, &f->err),
		    0);
		flt.brief = true;
		assert_int_equal(aup_user_query(f->db, &flt, NULL, 0, show_row,
				     &brief, &f->err),
		    0);
		assert_non_null(full.text.data);
		assert_string_equal(brief.text.data, full.text.data);
		aup_buf_free(&full.text);
		aup_buf_free(&brief.text);
	}
	aup_user_filter_init(&flt);
	flt.brief = true;
	assert_int_equal(st_user_query_plan(f->db, &flt, false, &plan, &f->err),
	    0);
	if (strstr(plan, "SCAN u USING COVERING INDEX users_audit\n") == NULL ||
	    strstr(plan, "TEMP B-TREE") != NULL)
		fail_msg("a brief list of everyone: %s", plan);
	free(plan);
}

static void
test_nightly_lists_use_an_index(void **state)
{
	struct fixture *f = *state;

	populate(f, 1);
	for (size_t i = 0; st_nightly_sql[i] != NULL; i++) {
		char *plan = NULL;

		assert_int_equal(st_explain(f->db, st_nightly_sql[i], &plan,
				     &f->err),
		    0);
		if (strstr(plan, "SCAN") != NULL)
			fail_msg("%s\nscans:\n%s", st_nightly_sql[i], plan);
		free(plan);
	}
}

struct page {
	struct aup_user_cursor cur;
	int64_t ids[512];
	size_t n;
};

static int
page_row(void *arg, const struct aup_user_row *r)
{
	struct page *p = arg;

	assert_true(p->n < 512);
	p->ids[p->n++] = r->id;
	aup_user_cursor_set(&p->cur, r);
	return 0;
}

static void
test_pages_add_up_to_the_list(void **state)
{
	struct fixture *f = *state;
	struct aup_user_filter flt;
	struct page whole = { 0 }, paged = { 0 };
	int64_t count;

	populate(f, 4);
	aup_user_filter_init(&flt);
	assert_int_equal(aup_user_query(f->db, &flt, NULL, 0, page_row, &whole,
			     &f->err),
	    0);
	assert_int_equal(aup_user_count(f->db, &flt, &count, &f->err), 0);
	assert_int_equal(count, (int64_t)whole.n);
	assert_int_equal(whole.n, 4 * NNAMES + 20);
	for (int pages = 0;; pages++) {
		size_t before = paged.n;

		assert_true(pages < 100);
		assert_int_equal(aup_user_query(f->db, &flt,
				     pages ? &paged.cur : NULL, 7, page_row,
				     &paged, &f->err),
		    0);
		assert_true(paged.n - before <= 7);
		if (paged.n == before)
			break;
	}
	assert_int_equal(paged.n, whole.n);
	assert_memory_equal(paged.ids, whole.ids,
	    whole.n * sizeof whole.ids[0]);
}

/*
 * A short word few names start with is paged from its indexes and sorted
 * (rather than by walking users_sort): its pages add up, in order, to its
 * whole list, whichever names it finds first or last names by.
 */
static void
test_short_word_pages_add_up(void **state)
{
	struct fixture *f = *state;
	static const char *const words[] = { "s", "sm", "ev", "o'", "w", "zz",
		"ap" };

	populate(f, 3);
	for (size_t w = 0; w < sizeof words / sizeof words[0]; w++) {
		struct aup_user_filter flt;
		struct page whole = { 0 }, paged = { 0 };

		aup_user_filter_init(&flt);
		flt.search = words[w];
		assert_int_equal(aup_user_query(f->db, &flt, NULL, 0, page_row,
				     &whole, &f->err),
		    0);
		for (int pages = 0;; pages++) {
			size_t before = paged.n;

			assert_true(pages < 100);
			assert_int_equal(aup_user_query(f->db, &flt,
					     pages ? &paged.cur : NULL, 2,
					     page_row, &paged, &f->err),
			    0);
			if (paged.n == before)
				break;
		}
		if (paged.n != whole.n ||
		    memcmp(paged.ids, whole.ids,
			whole.n * sizeof whole.ids[0]) != 0)
			fail_msg("'%s': %zu paged, %zu whole", words[w],
			    paged.n, whole.n);
	}
}

static size_t
found(struct fixture *f, const char *text, const char *want_last)
{
	struct aup_user_filter flt;
	struct aup_user_list l;
	size_t n;

	aup_user_filter_init(&flt);
	flt.search = text;
	assert_int_equal(aup_user_list(f->db, &flt, &l, &f->err), 0);
	for (size_t i = 0; i < l.n; i++)
		if (want_last != NULL && strcmp(l.v[i].last, want_last) != 0)
			fail_msg("'%s' found %s %s", text, l.v[i].first,
			    l.v[i].last);
	n = l.n;
	aup_user_list_free(&l);
	return n;
}

static void
test_search_as_an_office_types(void **state)
{
	struct fixture *f = *state;
	int64_t n;
	struct aup_user_filter flt;

	populate(f, 1);
	assert_int_equal(found(f, "sian", "Ó Briain"), 1);
	assert_int_equal(found(f, "SIÂN", "Ó Briain"), 1);
	assert_int_equal(found(f, "lukasz", "Kowalski"), 1);
	assert_int_equal(found(f, "obri", "Ó Briain"), 1);
	/* Typed with a plain apostrophe, stored with a typographic one,
	 * and the other way round. */
	assert_int_equal(found(f, "o'n", NULL), 2);
	assert_int_equal(found(f, "O’Neill", NULL), 2);
	assert_int_equal(found(f, "zoe o'neill", "O’Neill"), 1);
	/* Short words match the start of a name; longer ones anywhere. */
	assert_int_equal(found(f, "ev", "Evans"), 1);
	assert_int_equal(found(f, "mithso", "Smithson"), 1);
	assert_int_equal(found(f, "nobody", NULL), 0);
	assert_int_equal(found(f, "%", NULL), 0);
	/* The count agrees with the list. */
	aup_user_filter_init(&flt);
	flt.search = "o'n";
	assert_int_equal(aup_user_count(f->db, &flt, &n, &f->err), 0);
	assert_int_equal(n, 2);
}

static void
test_search_follows_an_edit(void **state)
{
	struct fixture *f = *state;
	struct aup_user_edit e = { .last = "Nakamura" };
	struct aup_user_filter flt;
	struct aup_user_list l;

	populate(f, 1);
	assert_int_equal(found(f, "nakamura", NULL), 0);
	aup_user_filter_init(&flt);
	flt.search = "zoe";
	assert_int_equal(aup_user_list(f->db, &flt, &l, &f->err), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(aup_user_edit(f->db, l.v[0].username, &e, &f->err), 0);
	aup_user_list_free(&l);
	assert_int_equal(found(f, "nakamura", "Nakamura"), 1);
	assert_int_equal(found(f, "zoe nakamura", "Nakamura"), 1);
}

static void
test_search_too_long(void **state)
{
	struct fixture *f = *state;
	struct aup_user_filter flt;
	char text[AUP_SEARCH_MAX + 2];
	int64_t n;

	memset(text, 'a', sizeof text - 1);
	text[sizeof text - 1] = '\0';
	aup_user_filter_init(&flt);
	flt.search = text;
	assert_int_equal(aup_user_count(f->db, &flt, &n, &f->err), -1);
	assert_int_equal(f->err.code, AUP_EX_USAGE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_every_filter_uses_an_index,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_list_in_index_order,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_brief_list, fixture_setup,
		    fixture_teardown),
		cmocka_unit_test_setup_teardown(test_nightly_lists_use_an_index,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_pages_add_up_to_the_list,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_short_word_pages_add_up,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_search_as_an_office_types,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_search_follows_an_edit,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_search_too_long,
		    fixture_setup, fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
