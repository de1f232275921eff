/* Acceptable use agreements: the forms, the signatures recorded against
 * them, the rule that says who signs, and the annual audit of who has not. */
#ifndef AUP_AUP_H
#define AUP_AUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "aup/db.h"
#include "aup/error.h"
#include "aup/model.h"
#include "aup/user.h"

/* Who puts their name to a form. */
enum aup_signer {
	AUP_SIGNER_SELF,       /* the person */
	AUP_SIGNER_PARENT,     /* a parent or carer, for the person */
	AUP_SIGNER_SELF_PARENT /* the person, countersigned by a parent */
};

enum aup_form_kind {
	AUP_FORM_AGREEMENT, /* an acceptable use agreement: aup sign */
	AUP_FORM_CONSENT    /* a parent's consents: aup consent */
};

/* One form of the forms folder's index.ini. */
struct aup_form {
	char		  *id; /* the [section] */
	int		   version;
	char		  *title;
	enum aup_form_kind kind;
	bool		   roles[AUP_ROLE_COUNT];
	bool ks[AUP_KS_COUNT]; /* all, when key_stages is not given */
	enum aup_signer signer;
	bool		annual; /* renew = annual; else once, for good */
	char	       *path;	/* its text file */
};

/*
 * The forms of DB's configuration ([aup] forms, else the shipped folder),
 * read once per handle, in the index's order. A bad index is exit 78 with
 * the file and line: an unknown key, a bad value, a missing text file, two
 * agreements for the same people.
 */
int aup_forms(struct aup_db *db, const struct aup_form **v, size_t *n,
    struct aup_err *err);
/* The form called ID; exit 65 naming the forms there are when none is. */
int aup_form_find(struct aup_db *db, const char *id,
    const struct aup_form **out, struct aup_err *err);
/* The agreement for someone of ROLE in year group YEAR, into *OUT; NULL
 * when no agreement is for them (class logons, say). */
int aup_form_for(struct aup_db *db, enum aup_role role, int year,
    const struct aup_form **out, struct aup_err *err);
/* The text of F as it is on disk now, into *TEXT (UTF-8 checked). */
int aup_form_text(const struct aup_form *f, char **text, struct aup_err *err);
/* "self", "parent", "self+parent". */
const char *aup_signer_name(enum aup_signer s);

enum aup_relationship { AUP_REL_SELF, AUP_REL_PARENT, AUP_REL_CARER };
const char *aup_relationship_name(enum aup_relationship r);
int	    aup_relationship_parse(const char *s); /* -1 if unknown */

enum aup_method { AUP_METHOD_PAPER, AUP_METHOD_SCREEN };
const char *aup_method_name(enum aup_method m);
int	    aup_method_parse(const char *s);

/* What `aup sign` is told; 0, NULL or -1 for what it is not. */
struct aup_sign_spec {
	const char *user;   /* username, id:N or mis:ID */
	const char *form;   /* NULL: their agreement, by role and key stage */
	int	    year;   /* academic year (2026); 0: the one DATE is in */
	time_t	    date;   /* the day it was signed; 0: today */
	const char *signer; /* the name signed; NULL: the person's */
	int	    relationship; /* enum aup_relationship; -1: by the form */
	int	    method;	  /* enum aup_method; -1: paper */
};

/* A signature as recorded. */
struct aup_signature {
	int64_t		      id;
	int64_t		      user_id;
	char		     *username;
	char		     *form;
	int		      version;
	char		     *title;
	int		      year;
	time_t		      signed_on;
	char		     *signer;
	enum aup_relationship relationship;
	bool		      self_signed; /* the person signed too */
	enum aup_method	      method;
	char		     *witness; /* the operator who recorded it */
	time_t		      recorded;
};
void aup_signature_clear(struct aup_signature *s);

/*
 * Record a signature: the form defaults from the person's role and key
 * stage, the signer rules are enforced (a young pupil's parent or carer
 * signs; at KS2 the pupil signs and a parent countersigns; everyone else
 * signs for themselves), the form's text is stored the first time its
 * version is signed (a changed text under a signed version is refused,
 * 78). One signature per person, form and year: when there is one
 * already, *ALREADY is set, OUT holds it and nothing changes. Errors name
 * their field: "user", "form", "year", "date", "signer", "relationship".
 */
int aup_sign(struct aup_db *db, const struct aup_sign_spec *spec,
    struct aup_signature *out, bool *already, struct aup_err *err);

/*
 * A stack of paper forms, all or nothing: PATH is a table (CSV, as the
 * import reads them) whose first line names its columns: username, and as
 * needed signer, relationship, date, form and method. Each row is signed as
 * aup_sign signs, and FN told how it went; a row signed already is noted
 * and changes nothing. Any row that cannot be signed (its problem placed
 * at its line and column) leaves the whole file unrecorded, exit 65; so
 * does DRY_RUN, without the error.
 */
struct aup_batch_row {
	long			    line;
	const char		   *username;
	const struct aup_signature *sig; /* NULL: a problem */
	bool			    already;
	const struct aup_err	   *problem;
};
typedef void (*aup_batch_fn)(void *arg, const struct aup_batch_row *r);
int aup_sign_batch(struct aup_db *db, const char *path, bool dry_run,
    aup_batch_fn fn, void *arg, struct aup_err *err);

/* Every signature of REF, oldest first. */
typedef int (*aup_signature_fn)(void *arg, const struct aup_signature *s);
int aup_history(struct aup_db *db, const char *ref, aup_signature_fn fn,
    void *arg, struct aup_err *err);
/* The text of form FORM version VERSION as signed, into *TEXT; exit 67
 * when no one signed that version. */
int aup_signed_text(struct aup_db *db, const char *form, int version,
    char **text, struct aup_err *err);

/* Whom the audit looks at: people who are not gone (left or expired) and
 * whom an agreement is for. */
struct aup_audit_filter {
	int	    year; /* academic year; 0: the current one */
	int	    role; /* -1: any */
	int	    ks;	  /* -1: any */
	const char *class_name;
};

/* Everyone the filter takes who has not signed their agreement for the
 * year, in list order, with the form they should sign. Of each person U
 * holds what the audit shows: id, username, names, role, year group, class
 * and status (read from one index; aup_user_get has the rest). FN returns
 * 0 to go on, else stops. */
typedef int (*aup_audit_fn)(void *arg, const struct aup_user *u,
    const struct aup_form *f);
int aup_audit(struct aup_db *db, const struct aup_audit_filter *f,
    aup_audit_fn fn, void *arg, struct aup_err *err);

/* Signed and total, per role and per class (pupils), for the governors. */
struct aup_audit_count {
	char   *name; /* "staff"; "4A"; "" for pupils without a class */
	int64_t signed_n;
	int64_t total;
};
struct aup_audit_summary {
	int			year;
	struct aup_audit_count *roles; /* in role order, roles with people */
	size_t			nroles;
	struct aup_audit_count *classes; /* by class name */
	size_t			nclasses;
	int64_t			signed_n, total;
};
int  aup_audit_summary(struct aup_db *db, const struct aup_audit_filter *f,
     struct aup_audit_summary *out, struct aup_err *err);
void aup_audit_summary_clear(struct aup_audit_summary *s);

/* The end of the grace period of the academic year NOW is in: until then
 * last year's signatures are enough ([aup] grace_days). */
time_t aup_grace_end(const struct aup_config *cfg, time_t now);

/* Where U stands with this year's agreement at NOW. */
struct aup_standing {
	const struct aup_form *form; /* NULL: no agreement is for them */
	int		       year;
	bool		       signed_ok; /* signed for YEAR (or once, ever) */
	time_t		       signed_on;
	time_t		       grace_ends; /* the end of this year's grace */
	bool		       enforced;   /* [aup] enforce and past grace */
};
int aup_standing(struct aup_db *db, const struct aup_user *u, time_t now,
    struct aup_standing *out, struct aup_err *err);

#endif
