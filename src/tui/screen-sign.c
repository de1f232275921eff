/* Sign an agreement: the person's form read to its end (screen-read.c),
 * then who signed (the signer and relationship defaulting from the form's
 * rules, which the core enforces), on paper or on screen, and a
 * confirmation before it is recorded. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aup/aup.h"
#include "aup/consent.h"
#include "aup/util.h"
#include "tui.h"

struct signing {
	struct aup_user u;
	char ref[32];
	const struct aup_form *form;
};

/* Who signed, asked with the form's rule as the default; false when the
 * office cancelled. */
static bool
ask_signer(struct tui *t, struct signing *s, char *signer, size_t size,
    int *rel)
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

/* yes or no asked with QUESTION, into *OUT; false when cancelled or
 * neither. */
static bool
ask_yes_no(struct tui *t, const char *question, bool *out)
{
	char buf[16] = "";

	if (!tui_ask(t, question, buf, sizeof buf))
		return false;
	if (strcmp(buf, "yes") != 0 && strcmp(buf, "no") != 0) {
		tui_say(t, "'%s' is neither yes nor no: nothing recorded", buf);
		t->status_err = true;
		return false;
	}
	*out = strcmp(buf, "yes") == 0;
	return true;
}

void
consent_ask(struct tui *t, const struct aup_user *u, const char *signer,
    int rel)
{
	struct aup_consent_spec c = { 0 };
	struct aup_err err = { 0 };
	char name[128], relation[32], ref[32];
	int rc;

	if (!ask_yes_no(t, "Photos and video of them may be used (yes/no)? ",
		&c.images) ||
	    !ask_yes_no(t, "Their data may go to learning platforms (yes/no)? ",
		&c.platforms))
		return;
	aup_strlcpy(name, signer != NULL && rel != AUP_REL_SELF ? signer : "",
	    sizeof name);
	aup_strlcpy(relation, rel == AUP_REL_CARER ? "carer" : "parent",
	    sizeof relation);
	if (!tui_ask(t, "Consent given by (a parent or carer's name): ", name,
		sizeof name) ||
	    !tui_ask(t, "Their relationship (parent or carer): ", relation,
		sizeof relation))
		return;
	c.signer = name;
	c.relationship = relation;
	snprintf(ref, sizeof ref, "id:%lld", (long long)u->id);
	if ((rc = aup_consent_record(t->db, ref, &c, &err)) < 0) {
		tui_error(t, &err);
		return;
	}
	tui_say(t,
	    rc == 1 ? "consents for %s as recorded already: nothing changed" :
		      "consents recorded for %s: photos %s, platforms %s",
	    u->username, c.images ? "yes" : "no", c.platforms ? "yes" : "no");
}

static void
sign_accept(struct tui *t, struct view *v, void *arg)
{
	struct signing *s = arg;
	struct aup_sign_spec spec = { .user = s->ref };
	struct aup_signature g = { 0 };
	struct aup_err err = { 0 };
	char signer[128], method[16] = "paper", q[320];
	bool already = false;
	int rel;

	(void)v;
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
		snprintf(q, sizeof q,
		    "%s had signed %s already: nothing changed", s->u.username,
		    g.form);
	else
		snprintf(q, sizeof q, "recorded: %s signed %s v%d", g.signer,
		    g.form, g.version);
	/* A pupil's parents give their consents on the same paper; what
	 * they did is said after what was signed. */
	if (!already && s->u.role == AUP_ROLE_PUPIL &&
	    tui_confirm(t,
		"Signed. Record the parents' consents now too? "
		"(y/n)")) {
		consent_ask(t, &s->u, signer, rel);
		if (t->status[0] != '\0') {
			char said[sizeof t->status];

			aup_strlcpy(said, t->status, sizeof said);
			tui_say(t, "%s; %s", q, said);
		} else
			tui_say(t, "%s", q);
	} else
		tui_say(t, "%s", q);
	aup_signature_clear(&g);
	tui_pop(t); /* S is gone with the reader */
}

static void
signing_free(void *arg)
{
	struct signing *s = arg;

	aup_user_clear(&s->u);
	free(s);
}

void
sign_open(struct tui *t, const struct aup_user *u)
{
	struct aup_err err = { 0 };
	const struct aup_form *f;
	struct signing *s;

	if (aup_form_for(t->db, u->role, u->year, &f, &err) != 0) {
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
	read_open(t, f, "Sign the agreement", "record the signature",
	    sign_accept, s, signing_free);
}
