/* The people list behind the people screen: one page at a time from the
 * core's cursor, with the cursors of the pages before it kept so that going
 * back is a query too. No terminal here, so it is tested without one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aup/aup.h"
#include "aup/clock.h"
#include "aup/model.h"
#include "aup/util.h"
#include "tui.h"

void
people_init(struct people *p, struct aup_db *db, size_t page_size)
{
	memset(p, 0, sizeof *p);
	p->db = db;
	aup_user_filter_init(&p->f);
	p->page_size = page_size > 0 ? page_size : 1;
}

static void
rows_free(struct people *p)
{
	for (size_t i = 0; i < p->n; i++) {
		struct people_row *r = &p->rows[i];

		free(r->username);
		free(r->name);
		free(r->role);
		free(r->year);
		free(r->class_name);
		free(r->status);
		free(r->aup);
		free(r->pw_age);
	}
	free(p->rows);
	p->rows = NULL;
	p->n = 0;
}

void
people_free(struct people *p)
{
	rows_free(p);
	free(p->starts);
	p->starts = NULL;
	p->nstarts = 0;
}

struct fill {
	struct people *p;
	struct aup_user *users;	     /* for the standing, after the query */
	struct aup_user_cursor last; /* of the page's last row */
	time_t now;
};

static int
fill_one(void *arg, const struct aup_user_row *r)
{
	struct fill *f = arg;
	struct people *p = f->p;
	struct people_row *row;
	char buf[64];

	if (p->n == p->page_size) {
		p->more = true;
		return 1;
	}
	row = &p->rows[p->n];
	aup_user_from_row(&f->users[p->n], r);
	aup_user_cursor_set(&f->last, r);
	p->n++;
	row->id = r->id;
	row->username = xstrdup(r->username);
	row->name = xasprintf("%s %s", r->first, r->last);
	row->role = xstrdup(aup_role_name(r->role));
	if (r->year != AUP_YEAR_NONE)
		snprintf(buf, sizeof buf, "%s%s %s", r->year > 0 ? "Y" : "",
		    aup_year_name(r->year),
		    aup_ks_name(aup_ks_of_year(r->year)));
	else
		buf[0] = '\0';
	row->year = xstrdup(buf);
	row->class_name = xstrdup(r->class_name != NULL ? r->class_name : "");
	row->status = xstrdup(
	    aup_status_name(aup_user_row_status_now(r, f->now)));
	if (r->has_password)
		snprintf(buf, sizeof buf, "%lldd",
		    (long long)((f->now - r->pw_changed) / 86400));
	else
		aup_strlcpy(buf, "-", sizeof buf);
	row->pw_age = xstrdup(buf);
	return 0;
}

/* Load page P->page, which starts after P->starts[page - 1]. */
static int
load(struct people *p, struct aup_err *err)
{
	struct fill f = { .p = p, .now = aup_now() };
	const struct aup_user_cursor *after = p->page > 0 ?
	    &p->starts[p->page - 1] :
	    NULL;
	int rc;

	rows_free(p);
	p->more = false;
	p->rows = xcalloc(p->page_size, sizeof *p->rows);
	f.users = xcalloc(p->page_size, sizeof *f.users);
	p->f.search = p->search[0] != '\0' ? p->search : NULL;
	rc = aup_user_query(p->db, &p->f, after, p->page_size + 1, fill_one, &f,
	    err);
	for (size_t i = 0; i < p->n; i++) {
		struct aup_standing st;

		if (rc >= 0 &&
		    aup_standing(p->db, &f.users[i], f.now, &st, err) != 0)
			rc = -1;
		else if (rc >= 0)
			p->rows[i].aup = xstrdup(st.form == NULL ? "-" :
				st.signed_ok			 ? "yes" :
								   "no");
		aup_user_clear(&f.users[i]);
	}
	free(f.users);
	if (rc < 0) {
		rows_free(p);
		p->more = false;
		return -1;
	}
	for (size_t i = 0; i < p->n; i++)
		if (p->rows[i].aup == NULL)
			p->rows[i].aup = xstrdup("-");
	if (p->more) {
		/* Where the next page starts, kept once. */
		if (p->nstarts <= p->page) {
			p->starts = xreallocarray(p->starts, p->page + 1,
			    sizeof *p->starts);
			p->nstarts = p->page + 1;
		}
		p->starts[p->page] = f.last;
	}
	if (p->sel >= p->n)
		p->sel = p->n > 0 ? p->n - 1 : 0;
	return 0;
}

int
people_reload(struct people *p, struct aup_err *err)
{
	p->page = 0;
	p->sel = 0;
	p->nstarts = 0;
	return load(p, err);
}

int
people_page(struct people *p, int by, struct aup_err *err)
{
	if (by > 0 && p->more) {
		p->page++;
		return load(p, err);
	}
	if (by < 0 && p->page > 0) {
		p->page--;
		return load(p, err);
	}
	/* No page that way: the selection goes to the end of this one. */
	p->sel = by > 0 && p->n > 0 ? p->n - 1 : 0;
	return 0;
}

int
people_move(struct people *p, int by, struct aup_err *err)
{
	long to = (long)p->sel + by;

	if (to >= 0 && to < (long)p->n) {
		p->sel = (size_t)to;
		return 0;
	}
	if (to >= (long)p->n && p->more) {
		p->page++;
		if (load(p, err) != 0)
			return -1;
		p->sel = 0;
	} else if (to < 0 && p->page > 0) {
		p->page--;
		if (load(p, err) != 0)
			return -1;
		p->sel = p->n > 0 ? p->n - 1 : 0;
	}
	return 0;
}

struct walk {
	struct people *p;
	size_t i;
	struct aup_user_cursor last;
};

/* Every row after the current page, the start of each page kept. */
static int
walk_one(void *arg, const struct aup_user_row *r)
{
	struct walk *w = arg;
	struct people *p = w->p;

	if (w->i > 0 && w->i % p->page_size == 0) {
		size_t k = p->page + w->i / p->page_size;

		if (p->nstarts < k) {
			p->starts = xreallocarray(p->starts, k,
			    sizeof *p->starts);
			p->nstarts = k;
		}
		p->starts[k - 1] = w->last;
	}
	aup_user_cursor_set(&w->last, r);
	w->i++;
	return 0;
}

int
people_end(struct people *p, struct aup_err *err)
{
	struct walk w = { .p = p };
	const struct aup_user_cursor *after = p->page > 0 ?
	    &p->starts[p->page - 1] :
	    NULL;

	if (!p->more) {
		p->sel = p->n > 0 ? p->n - 1 : 0;
		return 0;
	}
	p->f.search = p->search[0] != '\0' ? p->search : NULL;
	if (aup_user_query(p->db, &p->f, after, 0, walk_one, &w, err) < 0)
		return -1;
	if (w.i > 0)
		p->page += (w.i - 1) / p->page_size;
	if (load(p, err) != 0)
		return -1;
	p->sel = p->n > 0 ? p->n - 1 : 0;
	return 0;
}

int
people_resize(struct people *p, size_t page_size, struct aup_err *err)
{
	if (page_size == 0)
		page_size = 1;
	if (page_size == p->page_size)
		return 0;
	p->page_size = page_size;
	return people_reload(p, err);
}

const struct people_row *
people_selected(const struct people *p)
{
	return p->n > 0 ? &p->rows[p->sel] : NULL;
}
