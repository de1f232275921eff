/* One person: their details, password state, this year's agreement and its
 * history, parents' consents and breaches, as lines to scroll; and what
 * the office does to them: a new password, unlock, suspend, reactivate. */
#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aup/aup.h"
#include "aup/breach.h"
#include "aup/clock.h"
#include "aup/consent.h"
#include "aup/leaver.h"
#include "aup/password.h"
#include "aup/record.h"
#include "aup/util.h"
#include "tui.h"

struct line {
	char *text;
	bool heading;
};

struct screen {
	struct tui_pager pg; /* first: the lines, and the first shown */
	int64_t id;
	char ref[32];
	struct aup_user_record r;
	bool loaded;
	bool ok; /* R was read: the keys act on it */
	struct line *lines;
	size_t cap;
};

static void put(struct screen *s, bool heading, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
put(struct screen *s, bool heading, const char *fmt, ...)
{
	va_list ap;
	char buf[512];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (s->pg.n == s->cap) {
		s->cap = s->cap > 0 ? 2 * s->cap : 64;
		s->lines = xreallocarray(s->lines, s->cap, sizeof *s->lines);
	}
	s->lines[s->pg.n++] = (struct line){ xstrdup(buf), heading };
}

static void
lines_free(struct screen *s)
{
	for (size_t i = 0; i < s->pg.n; i++)
		free(s->lines[i].text);
	s->pg.n = 0;
}

static const char *
or_none(const char *s)
{
	return s != NULL && s[0] != '\0' ? s : "-";
}

/* T as "2026-09-01 15:30", or "-" for none. */
static const char *
when(time_t t, char *buf, size_t size)
{
	if (t == 0)
		aup_strlcpy(buf, "-", size);
	else
		aup_time_fmt_local(t, buf, size);
	return buf;
}

static int
add_signature(void *arg, const struct aup_signature *g)
{
	struct screen *s = arg;
	char y[8], on[16];

	aup_academic_year_label(g->year, y, sizeof y);
	aup_date_fmt(g->signed_on, on, sizeof on);
	put(s, false, "  %s  %s v%d  signed %s by %s (%s), %s, witness %s", y,
	    g->form, g->version, on, g->signer,
	    aup_relationship_name(g->relationship), aup_method_name(g->method),
	    g->witness);
	return 0;
}

static int
add_consent(void *arg, const struct aup_consent_row *c)
{
	struct screen *s = arg;
	char y[8];

	aup_academic_year_label(c->academic_year, y, sizeof y);
	put(s, false, "  %s  images: %s  platforms: %s  by %s (%s)", y,
	    c->images ? "yes" : "no", c->platforms ? "yes" : "no",
	    or_none(c->signer), or_none(c->relationship));
	return 0;
}

static int
add_breach(void *arg, const struct aup_breach_row *b)
{
	struct screen *s = arg;
	char at[32], until[32];

	put(s, false, "  %s  category %c: %s (by %s)%s%s",
	    when(b->at, at, sizeof at), b->category, b->note, b->operator,
	    b->suspended_until != 0 ? ", suspended until " : "",
	    b->suspended_until != 0 ?
		when(b->suspended_until, until, sizeof until) :
		"");
	return 0;
}

static int
load(struct tui *t, struct screen *s)
{
	struct aup_err err = { 0 };
	const struct aup_user *u;
	const char *reason;
	char a[32], b[32];
	size_t before;

	aup_user_record_clear(&s->r);
	lines_free(s);
	s->loaded = true;
	s->ok = false;
	if (aup_user_record(t->db, s->ref, &s->r, &err) != 0) {
		memset(&s->r, 0, sizeof s->r);
		tui_error(t, &err);
		return -1;
	}
	s->ok = true;
	u = &s->r.user;
	put(s, true, "%s %s (%s)", u->first, u->last, u->username);
	put(s, false, "  Role       %s", aup_role_name(u->role));
	if (u->year != AUP_YEAR_NONE)
		put(s, false, "  Year       %s (%s)", aup_year_name(u->year),
		    aup_ks_name(aup_ks_of_year(u->year)));
	put(s, false, "  Class      %s", or_none(u->class_name));
	put(s, false, "  MIS id     %s", or_none(u->mis_id));
	put(s, false, "  Email      %s", or_none(u->email));
	reason = s->r.status != AUP_STATUS_ACTIVE ? u->status_reason : NULL;
	put(s, false, "  Status     %s%s%s%s%s", aup_status_name(s->r.status),
	    reason != NULL ? ": " : "", reason != NULL ? reason : "",
	    u->status_until != 0 ? ", until " : "",
	    u->status_until != 0 ? when(u->status_until, a, sizeof a) : "");
	put(s, false, " ");
	put(s, true, "Password");
	put(s, false, "  State      %s%s", aup_pw_state_name(s->r.pw_state),
	    u->must_change ? ", must be changed at next login" : "");
	put(s, false, "  Changed    %s   expires %s",
	    when(u->has_password ? u->pw_changed : 0, a, sizeof a),
	    when(s->r.pw_expires, b, sizeof b));
	put(s, false, "  Locked     %s%s   failed logins %d",
	    s->r.locked ? "until " : "no",
	    s->r.locked ? when(s->r.locked_until, a, sizeof a) : "",
	    u->failures);
	put(s, false, "  Last login %s", when(u->last_login, b, sizeof b));
	put(s, false, " ");
	put(s, true, "Agreement this year");
	if (s->r.aup.form == NULL)
		put(s, false, "  none is due");
	else
		put(s, false, "  %s: %s%s", s->r.aup.form->id,
		    s->r.aup.signed_ok ? "signed" : "NOT SIGNED",
		    !s->r.aup.signed_ok && s->r.aup.enforced ?
			", logins refused until it is" :
			"");
	put(s, false, " ");
	put(s, true, "Agreements signed");
	before = s->pg.n;
	if (aup_history(t->db, s->ref, add_signature, s, &err) != 0)
		goto fail;
	if (s->pg.n == before)
		put(s, false, "  none");
	if (u->role == AUP_ROLE_PUPIL) {
		put(s, false, " ");
		put(s, true, "Parents' consents");
		before = s->pg.n;
		if (aup_consent_walk_user(t->db, u->id, add_consent, s, &err) !=
		    0)
			goto fail;
		if (s->pg.n == before)
			put(s, false, "  none");
	}
	put(s, false, " ");
	put(s, true, "Breaches");
	before = s->pg.n;
	if (aup_breach_walk_user(t->db, u->id, add_breach, s, &err) != 0)
		goto fail;
	if (s->pg.n == before)
		put(s, false, "  none");
	return 0;
fail:
	tui_error(t, &err);
	return -1;
}

static void
draw(struct tui *t, struct view *v)
{
	struct screen *s = v->data;
	int body = tui_pager_rows(t);

	if (!s->loaded)
		load(t, s);
	tui_frame(t, v, s->r.user.username);
	tui_pager_fit(t, &s->pg);
	for (int y = 0; y < body && s->pg.top + (size_t)y < s->pg.n; y++) {
		const struct line *l = &s->lines[s->pg.top + (size_t)y];

		if (l->heading)
			attrset(A_BOLD);
		tui_put(1 + y, 1, l->text, t->cols - 2);
		attrset(A_NORMAL);
	}
}

/* V's screen, when its person was read; else NULL, and why. */
static struct screen *
person_of(struct tui *t, struct view *v)
{
	struct screen *s = v->data;

	if (!s->ok) {
		tui_say(t,
		    "this person could not be read: q, and open them "
		    "again");
		t->status_err = true;
		return NULL;
	}
	return s;
}

static void
key_password(struct tui *t, struct view *v)
{
	struct screen *s = person_of(t, v);
	struct aup_err err = { 0 };
	char q[160], *pw = NULL;

	if (s == NULL)
		return;
	snprintf(q, sizeof q,
	    "Give %s a new password? Their old one stops working. (y/n)",
	    s->r.user.username);
	if (!tui_confirm(t, q))
		return;
	if (aup_pw_reset(t->db, s->ref, &pw, &err) != 0) {
		tui_error(t, &err);
		return;
	}
	s->loaded = false;
	secret_open(t, &s->r.user, pw);
}

static void
key_unlock(struct tui *t, struct view *v)
{
	struct screen *s = person_of(t, v);
	struct aup_err err = { 0 };
	int rc;

	if (s == NULL)
		return;
	if ((rc = aup_user_unlock(t->db, s->ref, &err)) < 0) {
		tui_error(t, &err);
		return;
	}
	tui_say(t, rc == 1 ? "%s was not locked" : "%s is unlocked",
	    s->r.user.username);
	s->loaded = false;
}

static void
key_suspend(struct tui *t, struct view *v)
{
	struct screen *s = person_of(t, v);
	struct aup_err err = { 0 };
	char reason[200] = "", until[40] = "", q[160];
	time_t end = 0;

	if (s == NULL)
		return;
	if (!tui_ask(t, "Suspend: the reason? ", reason, sizeof reason))
		return;
	if (!tui_ask(t, "Until (2026-12-01, empty for no end date)? ", until,
		sizeof until))
		return;
	if (until[0] != '\0' && aup_date_parse(until, &end) != 0) {
		tui_say(t,
		    "'%s' is not a date: write it as 2026-12-01 or "
		    "2026-12-01T15:30",
		    until);
		t->status_err = true;
		return;
	}
	snprintf(q, sizeof q,
	    "Suspend %s? They cannot log in while it "
	    "lasts. (y/n)",
	    s->r.user.username);
	if (!tui_confirm(t, q))
		return;
	if (aup_user_suspend(t->db, s->ref, reason, end, &err) != 0) {
		tui_error(t, &err);
		return;
	}
	tui_say(t, "%s is suspended", s->r.user.username);
	s->loaded = false;
}

static void
key_reactivate(struct tui *t, struct view *v)
{
	struct screen *s = person_of(t, v);
	struct aup_err err = { 0 };
	char q[160];
	int rc;

	if (s == NULL)
		return;
	snprintf(q, sizeof q, "Make %s active again? (y/n)",
	    s->r.user.username);
	if (!tui_confirm(t, q))
		return;
	if ((rc = aup_user_reactivate(t->db, s->ref, &err)) < 0) {
		tui_error(t, &err);
		return;
	}
	tui_say(t, rc == 1 ? "%s was active already" : "%s is active again",
	    s->r.user.username);
	s->loaded = false;
}

static void
key_sign(struct tui *t, struct view *v)
{
	struct screen *s = person_of(t, v);

	if (s == NULL)
		return;
	s->loaded = false;
	sign_open(t, &s->r.user);
}

static void
key_leaver(struct tui *t, struct view *v)
{
	struct screen *s = person_of(t, v);
	struct aup_err err = { 0 };
	char day[40] = "", reason[200] = "", q[200];
	time_t on = 0;

	if (s == NULL)
		return;
	if (!tui_ask(t, "Leaving on (2026-12-18, empty for today)? ", day,
		sizeof day))
		return;
	if (day[0] != '\0' && aup_date_parse(day, &on) != 0) {
		tui_say(t, "'%s' is not a date: write it as 2026-12-18", day);
		t->status_err = true;
		return;
	}
	if (!tui_ask(t, "Why they leave (may be empty)? ", reason,
		sizeof reason))
		return;
	snprintf(q, sizeof q,
	    "Open a leaver checklist for %s, leaving %s%s? They can log in "
	    "until that day ends. (y/n)",
	    s->r.user.username, day[0] != '\0' ? "on " : "today", day);
	if (!tui_confirm(t, q))
		return;
	if (aup_leaver_start(t->db, s->ref, on,
		reason[0] != '\0' ? reason : NULL, &err) != 0) {
		tui_error(t, &err);
		return;
	}
	s->loaded = false;
	tui_say(t, "%s is leaving: their checklist is open",
	    s->r.user.username);
	leaver_open(t, s->id);
}

static void
key_edit(struct tui *t, struct view *v)
{
	struct screen *s = person_of(t, v);

	if (s == NULL)
		return;
	s->loaded = false;
	edit_open(t, &s->r.user);
}

static void
key_consent(struct tui *t, struct view *v)
{
	struct screen *s = person_of(t, v);

	if (s == NULL)
		return;
	if (s->r.user.role != AUP_ROLE_PUPIL) {
		tui_say(t, "consents are for pupils");
		return;
	}
	s->loaded = false;
	consent_ask(t, &s->r.user, NULL, AUP_REL_PARENT);
}

static const struct tui_key keys[] = {
	{ 'g', "g", "sign this year's agreement: read it, then record it",
	    key_sign, "sign" },
	{ 'e', "e", "edit: names, year group, class, MIS id, email", key_edit,
	    "edit" },
	{ 'c', "c", "a pupil's consents this year: photos, platforms",
	    key_consent, NULL },
	{ 'p', "p", "a new password, shown once", key_password, "password" },
	{ 'u', "u", "unlock after failed logins", key_unlock, "unlock" },
	{ 's', "s", "suspend, with a reason and an end date", key_suspend,
	    "suspend" },
	{ 'a', "a", "make active again", key_reactivate, NULL },
	{ 'L', "L", "start a leaver checklist: the leaving day and why",
	    key_leaver, "leaver" },
	TUI_PAGER_KEYS,
	{ 0, NULL, NULL, NULL, NULL },
};

static void
screen_free(struct view *v)
{
	struct screen *s = v->data;

	lines_free(s);
	free(s->lines);
	aup_user_record_clear(&s->r);
	free(s);
}

static const struct view_ops person_ops = {
	.title = "Person",
	.draw = draw,
	.free = screen_free,
	.keys = keys,
};

void
person_open(struct tui *t, int64_t id)
{
	struct screen *s = xcalloc(1, sizeof *s);

	s->id = id;
	snprintf(s->ref, sizeof s->ref, "id:%lld", (long long)id);
	tui_push(t, &person_ops, s);
}
