/* Sign an agreement: the person's form in a pager that must be read to its
 * end, then who signed (the signer and relationship defaulting from the
 * form's rules, which the core enforces), on paper or on screen, and a
 * confirmation before it is recorded. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aup/aup.h"
#include "aup/utf8.h"
#include "aup/util.h"
#include "tui.h"

struct screen {
	struct tui_pager pg; /* first: the lines, and the first shown */
	struct aup_user u;
	char ref[32];
	const struct aup_form *form;
	char *text;
	char **lines; /* TEXT wrapped to WIDTH */
	int width;
	bool read; /* the end has been on the screen */
};

static void
lines_free(struct screen *s)
{
	for (size_t i = 0; i < s->pg.n; i++)
		free(s->lines[i]);
	free(s->lines);
	s->lines = NULL;
	s->pg.n = 0;
}

static void
push_line(struct screen *s, const char *p, size_t len, size_t *cap)
{
	if (s->pg.n == *cap) {
		*cap = *cap > 0 ? 2 * *cap : 64;
		s->lines = xreallocarray(s->lines, *cap, sizeof *s->lines);
	}
	s->lines[s->pg.n++] = xstrndup(p, len);
}

/* TEXT's lines broken at spaces to fit WIDTH columns. */
static void
wrap(struct screen *s, int width)
{
	size_t cap = 0;

	lines_free(s);
	s->width = width;
	for (const char *line = s->text; *line != '\0';) {
		const char *end = strchr(line, '\n');
		const char *stop = end != NULL ? end : line + strlen(line);

		do {
			const char *p = line, *brk = NULL;
			int w = 0;

			while (p < stop) {
				const char *c = p;
				int32_t cp = aup_utf8_next(&p);

				if (w + aup_utf8_char_width(cp) > width)
					break;
				w += aup_utf8_char_width(cp);
				if (cp == ' ')
					brk = c;
			}
			if (p < stop && brk != NULL && brk > line)
				p = brk;
			push_line(s, line, (size_t)(p - line), &cap);
			line = p;
			while (line < stop && *line == ' ')
				line++;
		} while (line < stop);
		line = end != NULL ? end + 1 : stop;
	}
}

static void
draw(struct tui *t, struct view *v)
{
	struct screen *s = v->data;
	int rows = tui_pager_rows(t);
	char right[96];

	if (s->width != t->cols - 4)
		wrap(s, t->cols - 4);
	if (tui_pager_fit(t, &s->pg))
		s->read = true;
	snprintf(right, sizeof right, "%s v%d  %zu%%", s->form->id,
	    s->form->version,
	    s->pg.n > 0 ? (s->pg.top + (size_t)rows >= s->pg.n ?
				  100 :
				  (s->pg.top + (size_t)rows) * 100 / s->pg.n) :
			  100);
	tui_frame(t, v, right);
	for (int y = 0; y < rows && s->pg.top + (size_t)y < s->pg.n; y++) {
		if (s->pg.top + (size_t)y == 0) /* the form's title */
			attrset(A_BOLD);
		tui_put(1 + y, 2, s->lines[s->pg.top + (size_t)y], t->cols - 4);
		attrset(A_NORMAL);
	}
	if (t->status[0] == '\0')
		tui_put(t->rows - 1, 0,
		    s->read ? "Read to the end: Enter records the signature." :
			      "Read it to the end (Space, PgDn) to sign.",
		    t->cols);
}

/* Who signed, asked with the form's rule as the default; false when the
 * office cancelled. */
static bool
ask_signer(struct tui *t, struct screen *s, char *signer, size_t size, int *rel)
{
	char buf[32];

	if (s->form->signer == AUP_SIGNER_SELF) {
		snprintf(signer, size, "%s %s", s->u.first, s->u.last);
		*rel = AUP_REL_SELF;
		return tui_ask(t, "Signed by: ", signer, size);
	}
	signer[0] = '\0';
	if (!tui_ask(t, "The parent or carer who signed, their name: ", signer,
		size))
		return false;
	aup_strlcpy(buf, "parent", sizeof buf);
	if (!tui_ask(t, "Their relationship (parent or carer): ", buf,
		sizeof buf))
		return false;
	*rel = aup_relationship_parse(buf);
	if (*rel < 0) {
		tui_say(t, "'%s' is neither parent nor carer: nothing recorded",
		    buf);
		t->status_err = true;
		return false;
	}
	return true;
}

static void
key_sign(struct tui *t, struct view *v)
{
	struct screen *s = v->data;
	struct aup_sign_spec spec = { .user = s->ref };
	struct aup_signature g = { 0 };
	struct aup_err err = { 0 };
	char signer[128], method[16] = "paper", q[320];
	bool already = false;
	int rel;

	if (!s->read) {
		tui_say(t, "read the agreement to its end first (Space, PgDn)");
		return;
	}
	if (!ask_signer(t, s, signer, sizeof signer, &rel) ||
	    !tui_ask(t, "Signed on paper or here on screen (paper/screen)? ",
		method, sizeof method))
		return;
	if ((spec.method = aup_method_parse(method)) < 0) {
		tui_say(t, "'%s' is neither paper nor screen: nothing recorded",
		    method);
		t->status_err = true;
		return;
	}
	spec.form = s->form->id;
	spec.signer = signer;
	spec.relationship = rel;
	snprintf(q, sizeof q,
	    "Record that %s signed %s for %s %s, on %s? (y/n)", signer,
	    s->form->id, s->u.first, s->u.last, aup_method_name(spec.method));
	if (!tui_confirm(t, q))
		return;
	if (aup_sign(t->db, &spec, &g, &already, &err) != 0) {
		tui_error(t, &err);
		return;
	}
	if (already)
		tui_say(t, "%s had signed %s already: nothing changed",
		    s->u.username, g.form);
	else
		tui_say(t, "recorded: %s signed %s v%d", g.signer, g.form,
		    g.version);
	aup_signature_clear(&g);
	tui_pop(t); /* S is gone */
}

static const struct tui_key keys[] = {
	{ '\n', "Enter", "record the signature, once read to the end", key_sign,
	    "sign" },
	{ ' ', "Space", "a page down", tui_pager_pgdn, "page" },
	TUI_PAGER_KEYS,
	{ 0, NULL, NULL, NULL, NULL },
};

static void
screen_free(struct view *v)
{
	struct screen *s = v->data;

	lines_free(s);
	free(s->text);
	aup_user_clear(&s->u);
	free(s);
}

static const struct view_ops sign_ops = {
	.title = "Sign the agreement",
	.draw = draw,
	.free = screen_free,
	.keys = keys,
};

void
sign_open(struct tui *t, const struct aup_user *u)
{
	struct aup_err err = { 0 };
	const struct aup_form *f;
	struct screen *s;
	char *text;

	if (aup_form_for(t->db, u->role, u->year, &f, &err) != 0 ||
	    (f != NULL && aup_form_text(f, &text, &err) != 0)) {
		tui_error(t, &err);
		return;
	}
	if (f == NULL) {
		tui_say(t, "no agreement is for %s (%s)", u->username,
		    aup_role_name(u->role));
		return;
	}
	s = xcalloc(1, sizeof *s);
	aup_user_copy(&s->u, u);
	snprintf(s->ref, sizeof s->ref, "id:%lld", (long long)u->id);
	s->form = f;
	s->text = text;
	tui_push(t, &sign_ops, s);
}
