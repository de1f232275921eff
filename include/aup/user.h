/* People: adding, finding, listing, changing and suspending them. */
#ifndef AUP_USER_H
#define AUP_USER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "aup/db.h"
#include "aup/error.h"
#include "aup/model.h"

struct aup_user {
	int64_t		 id;
	char		*username;
	enum aup_role	 role;
	char		*first;		/* name used day to day */
	char		*last;
	int		 year;		/* AUP_YEAR_NONE when not a pupil */
	char		*class_name;
	char		*mis_id;
	char		*email;
	enum aup_status	 status;
	char		*status_reason;
	time_t		 status_until;	/* suspended until; 0: open-ended */
	time_t		 created;
	time_t		 updated;
	bool		 has_password;
	time_t		 pw_changed;
	bool		 must_change;
	int		 failures;	/* consecutive failed logins */
	time_t		 locked_until;
	time_t		 last_login;
	time_t		 expires;	/* account end (visitors); 0: none */
};

struct aup_user_list {
	struct aup_user	*v;
	size_t		 n;
};

/* What `user add` knows; NULL or AUP_YEAR_NONE for what it does not. */
struct aup_user_spec {
	enum aup_role	 role;
	const char	*first;
	const char	*last;
	int		 year;
	const char	*class_name;
	const char	*mis_id;
	const char	*email;
	const char	*username;	/* NULL: from the role's template */
	const char	*password;	/* NULL: none, or generated below */
	bool		 generate;	/* make a passphrase, returned once */
};

int	aup_user_add(struct aup_db *db, const struct aup_user_spec *spec,
	    struct aup_user **out, char **generated, struct aup_err *err);

/* REF is a username, id:N or mis:ID. Exit 67 when no one matches. */
int	aup_user_find(struct aup_db *db, const char *ref,
	    struct aup_user **out, struct aup_err *err);

struct aup_user_filter {
	int		 role;		/* -1: any */
	int		 ks;		/* -1: any */
	int		 year;		/* AUP_YEAR_NONE: any */
	const char	*class_name;
	int		 status;	/* -1: any */
	const char	*search;	/* in names, username, email, MIS id */
};
void	aup_user_filter_init(struct aup_user_filter *f);
int	aup_user_list(struct aup_db *db, const struct aup_user_filter *f,
	    struct aup_user_list *out, struct aup_err *err);
void	aup_user_list_free(struct aup_user_list *l);

/* Changes for `user edit`: NULL (or set_year false) leaves a field as it is;
 * "" clears class, email or MIS id. */
struct aup_user_edit {
	const char	*first;
	const char	*last;
	bool		 set_year;
	int		 year;
	const char	*class_name;
	const char	*email;
	const char	*mis_id;
};
int	aup_user_edit(struct aup_db *db, const char *ref,
	    const struct aup_user_edit *e, struct aup_err *err);

int	aup_user_suspend(struct aup_db *db, const char *ref,
	    const char *reason, time_t until, struct aup_err *err);
int	aup_user_reactivate(struct aup_db *db, const char *ref,
	    struct aup_err *err);

/* Status as it stands now: a suspension whose date has passed is over, an
 * account past its end is expired. */
enum aup_status	aup_user_status_now(const struct aup_user *u, time_t now);

void	aup_user_free(struct aup_user *u);
void	aup_user_clear(struct aup_user *u);

/* A username is 1-32 of [a-z0-9._-], starting with a letter or digit. */
bool	aup_username_valid(const char *s);

#endif
