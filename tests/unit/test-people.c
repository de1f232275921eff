/* auptui's people list without a terminal: pages forward and back, End and
 * Home, moving across a page's edge, the search and a filter, all adding
 * up to the core's own list; the dashboard's counts; and moving in a menu
 * of headings and choices. */
#include "fixture.h"

#include "aup/dashboard.h"
#include "aup/model.h"
#include "../../src/tui/tui.h"

#define NPUPILS 23

static void
populate(struct fixture *f)
{
	char first[16];

	for (int i = 0; i < NPUPILS; i++) {
		struct aup_user_spec s = { .role = AUP_ROLE_PUPIL,
			.first = first,
			.last = "Pupil",
			.year = 3 + i % 4 };

		snprintf(first, sizeof first, "P%02d", i);
		assert_int_equal(aup_user_add(f->db, &s, NULL, NULL, &f->err),
		    0);
	}
	struct aup_user_spec z = { .role = AUP_ROLE_PUPIL,
		.first = "Zoë",
		.last = "Quilliam",
		.year = 4,
		.class_name = "4A" };
	struct aup_user_spec a = { .role = AUP_ROLE_STAFF,
		.first = "Amy",
		.last = "Smith",
		.year = AUP_YEAR_NONE };
	assert_int_equal(aup_user_add(f->db, &z, NULL, NULL, &f->err), 0);
	assert_int_equal(aup_user_add(f->db, &a, NULL, NULL, &f->err), 0);
}

/* The usernames of every page read forward from the start, in order. */
static size_t
read_all(struct fixture *f, struct people *p, char names[][40], size_t max)
{
	size_t n = 0;

	assert_int_equal(people_reload(p, &f->err), 0);
	for (;;) {
		for (size_t i = 0; i < p->n && n < max; i++)
			snprintf(names[n++], 40, "%s", p->rows[i].username);
		if (!p->more)
			return n;
		assert_int_equal(people_page(p, 1, &f->err), 0);
	}
}

static void
test_pages_add_up(void **state)
{
	struct fixture *f = *state;
	struct aup_user_list all;
	struct aup_user_filter flt;
	struct people p;
	char names[64][40];
	size_t n;

	populate(f);
	aup_user_filter_init(&flt);
	assert_int_equal(aup_user_list(f->db, &flt, &all, &f->err), 0);
	people_init(&p, f->db, 7);
	n = read_all(f, &p, names, 64);
	assert_int_equal(n, all.n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(names[i], all.v[i].username);
	/* The last page is 25 - 21 = 4 rows; back one page gives rows 14-20. */
	assert_int_equal(p.page, 3);
	assert_int_equal(p.n, 4);
	assert_int_equal(people_page(&p, -1, &f->err), 0);
	assert_int_equal(p.page, 2);
	assert_string_equal(p.rows[0].username, all.v[14].username);
	/* Home, then End by the walk. */
	assert_int_equal(people_reload(&p, &f->err), 0);
	assert_int_equal(people_end(&p, &f->err), 0);
	assert_int_equal(p.page, 3);
	assert_string_equal(people_selected(&p)->username,
	    all.v[all.n - 1].username);
	/* Up from the top of a page turns back to the end of the one before. */
	assert_int_equal(people_move(&p, -(int)p.sel - 1, &f->err), 0);
	assert_int_equal(p.page, 2);
	assert_string_equal(people_selected(&p)->username, all.v[20].username);
	/* Down from its end turns forward again. */
	assert_int_equal(people_move(&p, 1, &f->err), 0);
	assert_string_equal(people_selected(&p)->username, all.v[21].username);
	/* Past the very end nothing moves. */
	assert_int_equal(people_end(&p, &f->err), 0);
	assert_int_equal(people_move(&p, 1, &f->err), 0);
	assert_string_equal(people_selected(&p)->username,
	    all.v[all.n - 1].username);
	people_free(&p);
	aup_user_list_free(&all);
}

static void
test_search_and_filter(void **state)
{
	struct fixture *f = *state;
	struct people p;

	populate(f);
	people_init(&p, f->db, 10);
	snprintf(p.search, sizeof p.search, "ZOE QUIL");
	assert_int_equal(people_reload(&p, &f->err), 0);
	assert_int_equal(p.n, 1);
	assert_false(p.more);
	assert_string_equal(p.rows[0].name, "Zoë Quilliam");
	assert_string_equal(p.rows[0].year, "Y4 KS2");
	assert_string_equal(p.rows[0].class_name, "4A");
	assert_string_equal(p.rows[0].status, "active");
	assert_string_equal(p.rows[0].aup, "no");
	assert_string_equal(p.rows[0].pw_age, "-");
	p.search[0] = '\0';
	p.f.role = AUP_ROLE_STAFF;
	assert_int_equal(people_reload(&p, &f->err), 0);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.rows[0].role, "staff");
	assert_string_equal(p.rows[0].year, "");
	/* A new page size starts again from the top. */
	p.f.role = -1;
	assert_int_equal(people_resize(&p, 5, &f->err), 0);
	assert_int_equal(p.n, 5);
	assert_true(p.more);
	people_free(&p);
}

static void
test_dashboard_counts(void **state)
{
	struct fixture *f = *state;
	struct aup_dashboard d;

	populate(f);
	assert_int_equal(aup_dashboard_get(f->db, &d, &f->err), 0);
	assert_string_equal(d.school, "Riverside Primary");
	assert_int_equal(d.by_role[AUP_ROLE_PUPIL], NPUPILS + 1);
	assert_int_equal(d.by_role[AUP_ROLE_STAFF], 1);
	assert_int_equal(d.by_role[AUP_ROLE_VISITOR], 0);
	assert_int_equal(d.unsigned_n, NPUPILS + 2);
	assert_int_equal(d.owing, NPUPILS + 2);
	assert_int_equal(d.locked, 0);
	assert_int_equal(d.visitors, 0);
	assert_int_equal(d.leavers, 0);
	aup_dashboard_clear(&d);
}

/* Up and down a menu skip its headings and stop at its ends, headings
 * there included. */
static void
test_menu_step(void **state)
{
	struct row {
		const char *heading;
		int n;
	} m[] = { { "People", 0 }, { NULL, 1 }, { NULL, 2 }, { "Passwords", 0 },
		{ "Locked", 0 }, { NULL, 3 }, { "End", 0 } };
	int n = (int)(sizeof m / sizeof m[0]);

	(void)state;
	assert_int_equal(tui_menu_step(m, sizeof *m, n, 1, 1), 2);
	assert_int_equal(tui_menu_step(m, sizeof *m, n, 2, 1), 5);
	assert_int_equal(tui_menu_step(m, sizeof *m, n, 5, -1), 2);
	assert_int_equal(tui_menu_step(m, sizeof *m, n, 5, 1), 5);
	assert_int_equal(tui_menu_step(m, sizeof *m, n, 1, -1), 1);
	assert_int_equal(tui_menu_step(m, sizeof *m, 0, 0, 1), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pages_add_up,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_search_and_filter,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_dashboard_counts,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test(test_menu_step),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
