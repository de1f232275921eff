/* Configuration: built-in defaults, overridden by one INI file. Every section
 * and key the file may hold is in one schema, so unknown keys, wrong types and
 * keys given twice are caught with the file, line and key named. */
#ifndef AUP_CONFIG_H
#define AUP_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "aup/error.h"
#include "aup/model.h"

struct aup_pw_policy {
	int min_length;
	int max_length;
	int history;	  /* earlier passwords that may not recur */
	int max_age_days; /* 0: never expires */
	int warn_days;
	int lockout_attempts; /* 0: never locks */
	int lockout_minutes;
};

/* A list value: comma-separated items, each trimmed and never empty. */
struct aup_list {
	char **items;
	size_t n;
};

/* The fields an [import.NAME] section maps to CSV headers. */
enum aup_import_field {
	AUP_IMPORT_FIRST,
	AUP_IMPORT_LAST,
	AUP_IMPORT_PREFERRED_FIRST,
	AUP_IMPORT_PREFERRED_LAST,
	AUP_IMPORT_YEAR,
	AUP_IMPORT_CLASS,
	AUP_IMPORT_MIS_ID,
	AUP_IMPORT_EMAIL,
	AUP_IMPORT_USERNAME,
	AUP_IMPORT_FIELD_COUNT
};

/* One [import.NAME] section: the CSV header each field is read from. */
struct aup_import_map {
	char *name;			      /* NAME, lower case */
	char *header[AUP_IMPORT_FIELD_COUNT]; /* NULL: not mapped */
};

/* What a year rollover does to a pupil's class ([rollover] classes). */
enum aup_rollover_classes {
	AUP_CLASSES_SHIFT, /* 4A becomes 5A: a leading year number goes up */
	AUP_CLASSES_KEEP,
	AUP_CLASSES_CLEAR
};

struct aup_config {
	char		    *path;	  /* file read; NULL: defaults only */
	bool		     privileged;  /* read by a privileged run's rules */
	char		    *school_name; /* NULL: the name given to init */
	int		     final_year;  /* 0: the one given to init */
	int		     year_start_month;
	int		     year_start_day;
	char		    *db_path;
	char		    *db_group;
	unsigned	     argon2_t;
	unsigned	     argon2_m; /* KiB */
	unsigned	     argon2_p;
	struct aup_pw_policy pw[AUP_ROLE_COUNT];
	char		    *blocklist;
	char		    *wordlist;
	int   individual_from; /* first year group with own login */
	char *pupil_username;
	int   reuse_days; /* a username once held is not given again */
	char *staff_username;
	char *visitor_username;
	char *print_command;	     /* a slip's file is its last argument */
	int   visitor_default_hours; /* a visit's length when none is given */
	int   visitor_max_hours;     /* longer: a volunteer's account */
	bool  aup_enforce;
	int   aup_grace_days;
	char *aup_forms; /* the forms folder; NULL: the shipped one */
	enum aup_rollover_classes rollover_classes;
	struct aup_list		  leaver[AUP_ROLE_COUNT]; /* checklists */
	int leaver_stale_days; /* a checklist open longer is in check */
	struct aup_import_map *imports;
	size_t		       nimports;
	char		      *log_anchor; /* NULL: DB.anchor beside it */
	bool		       log_syslog; /* anchors to syslog(3) too */
	int retain_left_days;	 /* [retention]: a leaver's data, once left */
	int retain_visitor_days; /* an ended visitor's */
};

/*
 * Find and read the configuration: EXPLICIT (--config), else
 * $AUPCTL_CONFIG, else /etc/aupctl/aupctl.ini if it exists, else built-in
 * defaults. Errors are exit 78 naming the file and key.
 *
 * A privileged run (real and effective ids differ: setuid or setgid; or
 * root with SUDO_USER) reads only /etc/aupctl/aupctl.ini, and only when it
 * and its folder are owned by root and writable by no one else; it refuses
 * EXPLICIT, $AUPCTL_CONFIG, $AUPCTL_DB and $AUPCTL_DATADIR (exit 78), and
 * marks the result privileged for aup_db_open.
 */
struct aup_config *aup_config_load(const char *explicit, struct aup_err *err);
/* Read exactly PATH (NULL: defaults only). */
struct aup_config *aup_config_read(const char *path, struct aup_err *err);
void		   aup_config_free(struct aup_config *cfg);

/* Where the shipped data that stays on disk (forms/) is: $AUPCTL_DATADIR,
 * the source tree for a binary run from its build directory, or the
 * installed data directory. The word lists are built in. */
const char *aup_datadir(void);

/* The [import.NAME] section called NAME (case-blind); NULL if there is
 * none. */
const struct aup_import_map *aup_config_import_map(const struct aup_config *cfg,
    const char *name);
/* "first", "last", "preferred_first", ...: the key naming field F. */
const char		    *aup_import_field_name(enum aup_import_field f);
/* The leaver checklist of ROLE, from [leaver.ROLE] items or built in; *N
 * is set to its length (0 for a role with none). */
const char *const *aup_config_leaver_items(const struct aup_config *cfg,
    enum aup_role role, size_t *n);

#endif
