/* aupctl aup forms, show, sign, audit and history: the agreements, the
 * signatures recorded against them and who has not signed. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "aup/aup.h"
#include "aup/breach.h"
#include "aup/clock.h"
#include "aup/util.h"
#include "cli.h"

/* "staff, volunteer" or "pupil (KS3, KS4, KS5)": whom F is for. */
static void
form_for_text(const struct aup_form *f, char *buf, size_t size)
{
	struct aup_buf b = { 0 };
	bool all = true;

	for (int k = 0; k < AUP_KS_COUNT; k++)
		all = all && f->ks[k];
	for (int r = 0; r < AUP_ROLE_COUNT; r++) {
		if (!f->roles[r])
			continue;
		aup_buf_printf(&b, "%s%s", b.len > 0 ? ", " : "",
		    aup_role_name((enum aup_role)r));
		if (r != AUP_ROLE_PUPIL || all)
			continue;
		aup_buf_puts(&b, " (");
		for (int k = 0, n = 0; k < AUP_KS_COUNT; k++)
			if (f->ks[k])
				aup_buf_printf(&b, "%s%s", n++ > 0 ? ", " : "",
				    aup_ks_name((enum aup_ks)k));
		aup_buf_puts(&b, ")");
	}
	aup_strlcpy(buf, b.data != NULL ? b.data : "", size);
	aup_buf_free(&b);
}

static const char *const forms_cols[] = { "form", "version", "kind", "for",
	"signer", "renew", "title" };
static const enum cell_type forms_types[] = { CELL_KEY, CELL_NUM, CELL_STR,
	CELL_STR, CELL_STR, CELL_STR, CELL_TEXT };

static int
aup_forms_cmd(struct cli *c, struct cli_args *a)
{
	const struct aup_form *v;
	struct table *t;
	size_t n;

	(void)a;
	if (cli_db(c) == NULL || aup_forms(c->db, &v, &n, &c->err) != 0)
		return cli_fail(c);
	t = table_new(forms_cols, forms_types, 7);
	for (size_t i = 0; i < n; i++) {
		char version[16], who[160];
		const char *row[7];

		snprintf(version, sizeof version, "%d", v[i].version);
		form_for_text(&v[i], who, sizeof who);
		row[0] = v[i].id;
		row[1] = version;
		row[2] = v[i].kind == AUP_FORM_CONSENT ? "consent" :
							 "agreement";
		row[3] = who;
		row[4] = aup_signer_name(v[i].signer);
		row[5] = v[i].annual ? "annual" : "once";
		row[6] = v[i].title;
		table_row(t, row);
	}
	table_print(c, t, stdout);
	table_free(t);
	return 0;
}

/* TEXT to standard output, through $PAGER (else less) on a terminal. */
static int
page(struct cli *c, const char *text)
{
	const char *pager = getenv("PAGER");
	int fd[2], status;
	pid_t pid;
	FILE *out;

	if (!isatty(STDOUT_FILENO) || (pager != NULL && *pager == '\0') ||
	    pipe(fd) != 0) {
		fputs(text, stdout);
		return 0;
	}
	if (pager == NULL)
		pager = "less";
	fflush(stdout);
	if ((pid = fork()) < 0) {
		close(fd[0]);
		close(fd[1]);
		fputs(text, stdout);
		return 0;
	}
	if (pid == 0) {
		dup2(fd[0], STDIN_FILENO);
		close(fd[0]);
		close(fd[1]);
		/* less: leave short texts on the screen, keep UTF-8. */
		setenv("LESS", "FRX", 0);
		execlp("sh", "sh", "-c", pager, (char *)NULL);
		_exit(127);
	}
	close(fd[0]);
	signal(SIGPIPE, SIG_IGN);
	if ((out = fdopen(fd[1], "w")) != NULL) {
		fputs(text, out);
		fclose(out);
	} else
		close(fd[1]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	signal(SIGPIPE, SIG_DFL);
	/* The shell's answer to a pager it cannot find: the text, then, not
	 * nothing. */
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
		fprintf(stderr,
		    "aupctl: warning: the pager '%s' could not be run; set "
		    "PAGER to one that can, or to nothing\n",
		    pager);
		fputs(text, stdout);
	}
	(void)c;
	return 0;
}

enum { SHOW_VERSION };
static const struct cli_option show_opts[] = {
	[SHOW_VERSION] = { .name = "signed",
	    .arg = "VERSION",
	    .help = "the text of version N as it was signed" },
	{ 0 },
};

static int
aup_show_cmd(struct cli *c, struct cli_args *a)
{
	const struct aup_form *f;
	const char *v = a->val[SHOW_VERSION];
	char *text = NULL;
	long version;
	int rc;

	if (v != NULL && aup_parse_long(v, 1, 1000000, &version) != 0)
		return cli_usage(c,
		    "--signed takes a version, a whole number "
		    "from 1");
	if (cli_db(c) == NULL)
		return cli_fail(c);
	if (v != NULL)
		rc = aup_signed_text(c->db, a->argv[0], (int)version, &text,
		    &c->err);
	else if ((rc = aup_form_find(c->db, a->argv[0], &f, &c->err)) == 0)
		rc = aup_form_text(f, &text, &c->err);
	if (rc != 0)
		return cli_fail(c);
	page(c, text);
	free(text);
	return 0;
}

static const char *const sig_cols[] = { "username", "year", "form", "version",
	"signed_on", "signer", "relationship", "self_signed", "method",
	"witness", "recorded", "title" };
static const enum cell_type sig_types[] = { CELL_KEY, CELL_STR, CELL_STR,
	CELL_NUM, CELL_TIME, CELL_TEXT, CELL_STR, CELL_BOOL, CELL_STR, CELL_STR,
	CELL_TIME, CELL_TEXT };
#define NSIGCOLS (sizeof sig_cols / sizeof sig_cols[0])

/* G as a row of T, streamed when STREAM, else kept for table_print. */
static void
sig_add(struct table *t, const struct aup_signature *g, bool stream)
{
	char year[8], version[16], day[16], rec[40];
	const char *row[NSIGCOLS];

	aup_academic_year_label(g->year, year, sizeof year);
	snprintf(version, sizeof version, "%d", g->version);
	aup_date_fmt(g->signed_on, day, sizeof day);
	aup_time_fmt(g->recorded, rec, sizeof rec);
	row[0] = g->username;
	row[1] = year;
	row[2] = g->form;
	row[3] = version;
	row[4] = day;
	row[5] = g->signer;
	row[6] = aup_relationship_name(g->relationship);
	row[7] = g->self_signed ? "true" : "false";
	row[8] = aup_method_name(g->method);
	row[9] = g->witness;
	row[10] = rec;
	row[11] = g->title;
	if (stream)
		table_stream_row(t, row);
	else
		table_row(t, row);
}

static int
sig_row(void *arg, const struct aup_signature *g)
{
	sig_add(arg, g, true);
	return 0;
}

/* --year Y into *YEAR (0 when not given). */
static int
parse_year_opt(struct cli *c, const char *v, int *year)
{
	*year = 0;
	return v != NULL ? cli_parse_academic_year(c, v, year) : 0;
}

enum {
	SIGN_FORM,
	SIGN_YEAR,
	SIGN_DATE,
	SIGN_SIGNER,
	SIGN_REL,
	SIGN_METHOD,
	SIGN_BATCH,
	SIGN_DRY_RUN
};
static const struct cli_option sign_opts[] = {
	[SIGN_FORM] = { .name = "form",
	    .arg = "ID",
	    .help = "the form signed (default: the person's agreement)" },
	[SIGN_YEAR] = { .name = "year",
	    .arg = "Y",
	    .help = "the academic year it is for, as 2026-27 (default: the "
		    "one the date is in)" },
	[SIGN_DATE] = { .name = "date",
	    .arg = "D",
	    .help = "the day it was signed (default: today)" },
	[SIGN_SIGNER] = { .name = "signer",
	    .arg = "NAME",
	    .help = "who signed: the parent's or carer's name where one "
		    "signs (default: the person)" },
	[SIGN_REL] = { .name = "relationship",
	    .arg = "self|parent|carer",
	    .help = "the signer's relationship to the person" },
	[SIGN_METHOD] = { .name = "method",
	    .arg = "paper|screen",
	    .help = "signed on paper (default) or on screen" },
	[SIGN_BATCH] = { .name = "batch",
	    .arg = "FILE",
	    .help = "sign every row of FILE (username, signer, relationship, "
		    "date), all or nothing" },
	[SIGN_DRY_RUN] = { .name = "dry-run",
	    .help = "with --batch: check every row, record nothing" },
	{ 0 },
};

static void
sign_said(struct cli *c, const struct aup_signature *g, bool already)
{
	char year[8], day[16];

	aup_academic_year_label(g->year, year, sizeof year);
	aup_date_fmt(g->signed_on, day, sizeof day);
	if (already)
		cli_note(c,
		    "%s signed '%s' for %s already, on %s: nothing changed\n",
		    g->username, g->form, year, day);
	else if (g->relationship == AUP_REL_SELF)
		cli_note(c, "%s signed '%s' version %d for %s on %s\n",
		    g->username, g->form, g->version, year, day);
	else
		cli_note(c, "%s: '%s' version %d for %s %s by %s (%s) on %s\n",
		    g->username, g->form, g->version, year,
		    g->self_signed ? "signed, countersigned" : "signed",
		    g->signer, aup_relationship_name(g->relationship), day);
}

struct batch_out {
	struct cli *c;
	const char *path;
	struct table *t;
	size_t problems, already;
};

static void
batch_row(void *arg, const struct aup_batch_row *r)
{
	struct batch_out *o = arg;

	if (r->problem != NULL) {
		fprintf(stderr, "%s:%d:%d: %s\n", o->path, r->problem->line,
		    r->problem->column, r->problem->msg);
		o->problems++;
		return;
	}
	if (r->already) {
		o->already++;
		sign_said(o->c, r->sig, true);
		return;
	}
	sig_add(o->t, r->sig, false);
}

static int
sign_batch(struct cli *c, struct cli_args *a)
{
	struct batch_out o = { .c = c, .path = a->val[SIGN_BATCH] };
	bool dry = a->val[SIGN_DRY_RUN] != NULL;
	size_t n;
	int rc;

	if (a->argc > 0)
		return cli_usage(c, "give a USER or --batch FILE, not both");
	for (int i = SIGN_FORM; i < SIGN_BATCH; i++)
		if (a->val[i] != NULL)
			return cli_usage(c,
			    "--%s is a column of the batch file, not an "
			    "option with --batch",
			    sign_opts[i].name);
	if (cli_db(c) == NULL)
		return cli_fail(c);
	/* Listed once the batch is recorded: a refused one lists nothing. */
	o.t = table_new(sig_cols, sig_types, NSIGCOLS);
	rc = aup_sign_batch(c->db, o.path, dry, batch_row, &o, &c->err);
	n = table_rows(o.t);
	if (rc == 0 && n > 0)
		table_print(c, o.t, stdout);
	table_free(o.t);
	if (rc != 0)
		return cli_fail(c);
	cli_note(c, "%zu signature%s %s, %zu signed already%s\n", n,
	    n == 1 ? "" : "s", dry ? "would be recorded" : "recorded",
	    o.already, dry ? " (dry run: nothing recorded)" : "");
	return 0;
}

static int
aup_sign_cmd(struct cli *c, struct cli_args *a)
{
	struct aup_sign_spec spec = { .relationship = -1, .method = -1 };
	struct aup_signature g;
	bool already;
	const char *v;

	if (a->val[SIGN_BATCH] != NULL)
		return sign_batch(c, a);
	if (a->argc != 1)
		return cli_usage(c,
		    "give the USER who signed, or --batch FILE");
	if (a->val[SIGN_DRY_RUN] != NULL)
		return cli_usage(c, "--dry-run goes with --batch");
	spec.user = a->argv[0];
	spec.form = a->val[SIGN_FORM];
	spec.signer = a->val[SIGN_SIGNER];
	if (parse_year_opt(c, a->val[SIGN_YEAR], &spec.year) != 0)
		return AUP_EX_USAGE;
	if ((v = a->val[SIGN_DATE]) != NULL &&
	    cli_parse_date(c, "--date", v, &spec.date) != 0)
		return AUP_EX_USAGE;
	if ((v = a->val[SIGN_REL]) != NULL &&
	    (spec.relationship = aup_relationship_parse(v)) < 0)
		return cli_usage(c, "--relationship is self, parent or carer");
	if ((v = a->val[SIGN_METHOD]) != NULL &&
	    (spec.method = aup_method_parse(v)) < 0)
		return cli_usage(c, "--method is paper or screen");
	if (cli_db(c) == NULL ||
	    aup_sign(c->db, &spec, &g, &already, &c->err) != 0)
		return cli_fail(c);
	if (c->format != FMT_TABLE && !already) {
		struct table *t = table_new(sig_cols, sig_types, NSIGCOLS);

		table_stream(c, t, stdout);
		sig_row(t, &g);
		table_end(t);
		table_free(t);
	}
	sign_said(c, &g, already);
	aup_signature_clear(&g);
	return 0;
}

int
cli_signatures(struct cli *c, const char *ref, size_t *n)
{
	struct table *t = table_new(sig_cols, sig_types, NSIGCOLS);
	int rc;

	table_stream(c, t, stdout);
	rc = aup_history(c->db, ref, sig_row, t, &c->err);
	*n = table_end(t);
	table_free(t);
	return rc;
}

static int
aup_history_cmd(struct cli *c, struct cli_args *a)
{
	size_t n;

	if (cli_db(c) == NULL || cli_signatures(c, a->argv[0], &n) != 0)
		return cli_fail(c);
	if (n == 0)
		cli_say(c, "%s has signed nothing\n", a->argv[0]);
	return 0;
}

enum { AUD_YEAR, AUD_ROLE, AUD_KS, AUD_CLASS, AUD_SUMMARY };
static const struct cli_option audit_opts[] = {
	[AUD_YEAR] = { .name = "year",
	    .arg = "Y",
	    .help = "the academic year, as 2026-27 (default: this one)" },
	[AUD_ROLE] = { .name = "role", .arg = "R", .help = "only this role" },
	[AUD_KS] = { .name = "ks",
	    .arg = "KS",
	    .help = "only pupils of this key stage" },
	[AUD_CLASS] = { .name = "class",
	    .arg = "C",
	    .help = "only this class" },
	[AUD_SUMMARY] = { .name = "summary",
	    .help = "signed, total and percent per role and per class" },
	{ 0 },
};

static const char *const audit_cols[] = { "username", "first", "last", "role",
	"year", "class", "form" };
static const enum cell_type audit_types[] = { CELL_KEY, CELL_TEXT, CELL_TEXT,
	CELL_STR, CELL_STR, CELL_STR, CELL_STR };

static int
audit_row(void *arg, const struct aup_user *u, const struct aup_form *f)
{
	const char *row[] = { u->username, u->first, u->last,
		aup_role_name(u->role), aup_year_name(u->year), u->class_name,
		f != NULL ? f->id : NULL };

	table_stream_row(arg, row);
	return 0;
}

static const char *const sum_cols[] = { "group", "name", "signed", "total",
	"percent" };
static const enum cell_type sum_types[] = { CELL_STR, CELL_STR, CELL_NUM,
	CELL_NUM, CELL_NUM };

static void
sum_row(struct table *t, const char *group, const char *name, int64_t s,
    int64_t total)
{
	char sn[24], tn[24], pc[16];
	const char *row[] = { group, name, sn, tn, pc };

	snprintf(sn, sizeof sn, "%lld", (long long)s);
	snprintf(tn, sizeof tn, "%lld", (long long)total);
	snprintf(pc, sizeof pc, "%.1f",
	    total > 0 ? 100.0 * (double)s / (double)total : 100.0);
	table_row(t, row);
}

static int
audit_summary(struct cli *c, const struct aup_audit_filter *f)
{
	struct aup_audit_summary s;
	long breaches[AUP_NTERMS][AUP_BREACH_NCAT];
	struct table *t;
	char label[8];
	int64_t missing;

	if (aup_audit_summary(c->db, f, &s, &c->err) != 0)
		return cli_fail(c);
	t = table_new(sum_cols, sum_types, 5);
	for (size_t i = 0; i < s.nroles; i++)
		sum_row(t, "role", s.roles[i].name, s.roles[i].signed_n,
		    s.roles[i].total);
	for (size_t i = 0; i < s.nclasses; i++)
		sum_row(t, "class",
		    *s.classes[i].name != '\0' ? s.classes[i].name :
						 "(no class)",
		    s.classes[i].signed_n, s.classes[i].total);
	sum_row(t, "all", "everyone", s.signed_n, s.total);
	/* Breaches by term and category, for the same report: the count in
	 * the total column. */
	if (aup_breach_counts(c->db, s.year, breaches, &c->err) != 0) {
		table_free(t);
		aup_audit_summary_clear(&s);
		return cli_fail(c);
	}
	for (int term = 0; term < AUP_NTERMS; term++)
		for (int cat = 0; cat < AUP_BREACH_NCAT; cat++) {
			char name[32], n[24];
			const char *row[] = { "breaches", name, NULL, n, NULL };

			snprintf(name, sizeof name, "%s %c",
			    aup_term_name((enum aup_term)term), 'A' + cat);
			snprintf(n, sizeof n, "%ld", breaches[term][cat]);
			table_row(t, row);
		}
	table_print(c, t, stdout);
	table_free(t);
	aup_academic_year_label(s.year, label, sizeof label);
	missing = s.total - s.signed_n;
	cli_note(c, "%s: %lld of %lld signed, %lld to sign\n", label,
	    (long long)s.signed_n, (long long)s.total, (long long)missing);
	aup_audit_summary_clear(&s);
	return missing > 0 ? 1 : 0;
}

static int
aup_audit_cmd(struct cli *c, struct cli_args *a)
{
	struct aup_audit_filter f = { .role = -1, .ks = -1 };
	struct table *t;
	const char *v;
	char label[8];
	size_t n;
	int rc;

	if (parse_year_opt(c, a->val[AUD_YEAR], &f.year) != 0 ||
	    ((v = a->val[AUD_ROLE]) != NULL && cli_parse_role(c, v, &f.role)) ||
	    ((v = a->val[AUD_KS]) != NULL && cli_parse_ks(c, v, &f.ks) != 0))
		return AUP_EX_USAGE;
	f.class_name = a->val[AUD_CLASS];
	if (cli_db(c) == NULL)
		return cli_fail(c);
	if (a->val[AUD_SUMMARY] != NULL)
		return audit_summary(c, &f);
	t = table_new(audit_cols, audit_types, 7);
	table_stream(c, t, stdout);
	rc = aup_audit(c->db, &f, audit_row, t, &c->err);
	n = table_end(t);
	table_free(t);
	if (rc != 0)
		return cli_fail(c);
	if (f.year == 0) {
		struct aup_school s;

		if (aup_school_get(c->db, &s, &c->err) != 0)
			return cli_fail(c);
		f.year = s.academic_year;
		aup_school_clear(&s);
	}
	aup_academic_year_label(f.year, label, sizeof label);
	if (n == 0)
		cli_say(c, "everyone has signed for %s\n", label);
	else
		cli_note(c, "%zu %s not signed for %s\n", n,
		    n == 1 ? "person has" : "people have", label);
	return n > 0 ? 1 : 0;
}

const struct cli_command cmd_aup_forms_entry = {
	.name = "forms",
	.summary = "the agreement and consent forms",
	.exec = aup_forms_cmd,
};

const struct cli_command cmd_aup_show_entry = {
	.name = "show",
	.summary = "a form's text (through a pager on a terminal)",
	.args = "FORM",
	.opts = show_opts,
	.min_args = 1,
	.max_args = 1,
	.exec = aup_show_cmd,
};

const struct cli_command cmd_aup_sign_entry = {
	.name = "sign",
	.summary = "record a signed agreement",
	.args = "[USER]",
	.opts = sign_opts,
	.min_args = 0,
	.max_args = 1,
	.exec = aup_sign_cmd,
};

const struct cli_command cmd_aup_audit_entry = {
	.name = "audit",
	.summary = "who has not signed this year (exit 1 when anyone)",
	.opts = audit_opts,
	.exec = aup_audit_cmd,
};

const struct cli_command cmd_aup_history_entry = {
	.name = "history",
	.summary = "every signature of one person",
	.args = "USER",
	.min_args = 1,
	.max_args = 1,
	.exec = aup_history_cmd,
};
