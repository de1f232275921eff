/* The database handle: where the file is, who is using it and what they may
 * do; and the whole-database operations init, check and backup. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aup/clock.h"
#include "aup/json.h"
#include "aup/utf8.h"
#include "aup/util.h"
#include "core.h"

/* The database of a privileged run without [database] path: never one
 * under the caller's $HOME, which the caller chooses. */
#define PRIVILEGED_DB "/var/lib/aupctl/aupctl.db"

char *
aup_db_path_resolve(const struct aup_config *cfg, const char *path)
{
	const char *env = getenv("AUPCTL_DB"), *xdg, *home;

	if (cfg->privileged)
		return xstrdup(
		    cfg->db_path != NULL ? cfg->db_path : PRIVILEGED_DB);
	if (path != NULL)
		return xstrdup(path);
	if (env != NULL && *env != '\0')
		return xstrdup(env);
	if (cfg->db_path != NULL)
		return xstrdup(cfg->db_path);
	xdg = getenv("XDG_DATA_HOME");
	if (xdg != NULL && *xdg == '/')
		return xasprintf("%s/aupctl/aupctl.db", xdg);
	home = getenv("HOME");
	if (home == NULL || *home == '\0') {
		/* cron and some service managers leave $HOME unset. */
		struct passwd *pw = getpwuid(getuid());

		if (pw != NULL && pw->pw_dir != NULL && *pw->pw_dir == '/')
			home = pw->pw_dir;
	}
	return xasprintf("%s/.local/share/aupctl/aupctl.db",
	    home != NULL && *home != '\0' ? home : ".");
}

/* The login name of the real user; the one who ran sudo when under sudo.
 * Only root can have run sudo: anyone else could set SUDO_USER. */
static char *
operator_name(const struct run_ids *ids)
{
	struct passwd *pw;

	if (ids->ruid == 0 && ids->sudo_user != NULL)
		return xstrdup(ids->sudo_user);
	pw = getpwuid(getuid());
	if (pw != NULL)
		return xstrdup(pw->pw_name);
	return xasprintf("uid%ld", (long)getuid());
}

/* Give DIR, just made, to GR: the group must reach the database (and
 * SQLite make its -wal and -shm files beside it), no one else. */
static int
share_dir(const char *dir, const struct group *gr, bool last,
    struct aup_err *err)
{
	if (chown(dir, (uid_t)-1, gr->gr_gid) != 0 ||
	    chmod(dir, last ? 02770 : 0750) != 0) {
		aup_err_set(err, AUP_EX_CANTCREAT,
		    "cannot give folder %s to group '%s': %s", dir, gr->gr_name,
		    strerror(errno));
		return -1;
	}
	return 0;
}

/* mkdir -p for the folder of a new database: private to its owner, or,
 * with [database] group, reachable by that group (0750, and 2770 for the
 * database's own folder). Folders that exist are left as they are. */
static int
make_parent(const char *path, const char *group, struct aup_err *err)
{
	char *dir = xstrdup(path), *p;
	struct group *gr = NULL;
	int rc = 0;

	if (group != NULL && (gr = getgrnam(group)) == NULL) {
		aup_err_set(err, AUP_EX_CONFIG,
		    "no group '%s' for [database] group", group);
		aup_err_hint(err, "create it first (groupadd %s)", group);
		free(dir);
		return -1;
	}
	p = strrchr(dir, '/');
	if (p == NULL || p == dir) {
		free(dir);
		return 0;
	}
	*p = '\0';
	for (p = dir + 1; rc == 0; p++) {
		char c = *p;

		if (c != '/' && c != '\0')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) == 0) {
			if (gr != NULL)
				rc = share_dir(dir, gr, c == '\0', err);
		} else if (errno != EEXIST)
			rc = aup_err_set(err, AUP_EX_CANTCREAT,
			    "cannot create folder %s: %s", dir,
			    strerror(errno));
		*p = c;
		if (c == '\0')
			break;
	}
	free(dir);
	return rc;
}

/* An existing database the effective user cannot reach: say so (77)
 * rather than "no database". Effective ids, as a setgid run uses them. */
static int
check_reach(const char *path, struct aup_err *err)
{
	if (faccessat(AT_FDCWD, path, R_OK, AT_EACCESS) == 0 || errno != EACCES)
		return 0;
	aup_err_set(err, AUP_EX_NOPERM,
	    "permission denied: cannot open the database %s", path);
	aup_err_hint(err,
	    "it, or a folder above it, is closed to you; with "
	    "[database] group, run aupctl as installed (setgid to that group)");
	return -1;
}

/* A folder where the database file should be: say so, not "cannot
 * write" or "damaged". */
static int
not_a_folder(const char *path, bool create, struct aup_err *err)
{
	struct stat st;

	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
		return 0;
	aup_err_set(err, create ? AUP_EX_CANTCREAT : AUP_EX_NOINPUT,
	    "%s is a folder, not a database file", path);
	aup_err_hint(err, "name the file itself, such as %s/aupctl.db", path);
	return -1;
}

struct aup_db *
aup_db_open(const struct aup_config *cfg, const char *path, int flags,
    struct aup_err *err)
{
	struct aup_db *db;
	struct run_ids ids;
	bool create = (flags & AUP_DB_CREATE) != 0;

	run_ids_get(&ids);
	if (run_privileged(&ids) && !cfg->privileged) {
		aup_err_set(err, AUP_EX_CONFIG,
		    "a privileged run needs the "
		    "configuration read by aup_config_load");
		return NULL;
	}
	if (cfg->privileged && path != NULL) {
		aup_err_set(err, AUP_EX_CONFIG,
		    "--db is refused in a "
		    "privileged run (under sudo, setuid or setgid)");
		aup_err_hint(err, "a privileged run uses [database] path of %s",
		    AUP_SYSCONF);
		return NULL;
	}
	db = xcalloc(1, sizeof *db);
	db->cfg = cfg;
	db->path = aup_db_path_resolve(cfg, path);
	db->operator= operator_name(&ids);
	if (not_a_folder(db->path, create, err) != 0 ||
	    (create && make_parent(db->path, cfg->db_group, err) != 0) ||
	    (!create && check_reach(db->path, err) != 0) ||
	    st_open(db, create, err) != 0 ||
	    operator_role_of(db, db->operator, & db->op_role, err) != 0) {
		aup_db_close(db);
		return NULL;
	}
	return db;
}

void
aup_db_close(struct aup_db *db)
{
	if (db == NULL)
		return;
	if (db->sql != NULL)
		st_close(db);
	pw_lists_free(db->pw_lists);
	forms_free(db->forms);
	free(db->path);
	free(db->operator);
	free(db);
}

void
aup_db_discard(struct aup_db *db)
{
	char *path;

	if (db == NULL)
		return;
	path = xstrdup(db->path);
	aup_db_close(db);
	st_remove(path);
	free(path);
}

int
aup_tx_begin(struct aup_db *db, struct aup_err *err)
{
	return st_begin(db, err);
}

int
aup_tx_commit(struct aup_db *db, struct aup_err *err)
{
	return st_commit(db, err);
}

void
aup_tx_rollback(struct aup_db *db)
{
	st_rollback(db);
}

const char *
aup_db_path(const struct aup_db *db)
{
	return db->path;
}

const struct aup_config *
aup_db_config(const struct aup_db *db)
{
	return db->cfg;
}

const char *
aup_db_operator(const struct aup_db *db)
{
	return db->operator;
}

int
aup_db_op_role(const struct aup_db *db)
{
	return db->op_role;
}

int
aup_db_init(struct aup_db *db, const char *school, int final_year,
    struct aup_err *err)
{
	char fy[8], *after;
	struct aup_buf b = { 0 };
	struct aup_json j;

	if (aup_perm(db, AUP_PERM_MANAGE, err) != 0)
		return -1;
	if (school == NULL || *school == '\0')
		return aup_err_set(err, AUP_EX_DATAERR,
		    "the school needs a name");
	if (!aup_utf8_valid(school))
		return aup_err_set(err, AUP_EX_DATAERR,
		    "the school's name has "
		    "control characters or is not valid text");
	if (final_year < 1 || final_year > AUP_YEAR_MAX)
		return aup_err_set(err, AUP_EX_USAGE,
		    "final year %d is not a year group from 1 to 13",
		    final_year);
	snprintf(fy, sizeof fy, "%d", final_year);
	aup_json_init(&j, &b);
	aup_json_object(&j);
	aup_json_kstr(&j, "school", school);
	aup_json_kint(&j, "final_year", final_year);
	aup_json_kstr(&j, "admin", db->operator);
	aup_json_end(&j);
	after = aup_buf_detach(&b);
	if (st_begin(db, err) != 0) {
		free(after);
		return -1;
	}
	if (st_meta_set(db, "school", school, err) != 0 ||
	    st_meta_set(db, "final_year", fy, err) != 0 ||
	    aup_log_add(db, "db.init", NULL, NULL, after, err) != 0 ||
	    operator_init(db, err) != 0 || st_commit(db, err) != 0) {
		st_rollback(db);
		free(after);
		return -1;
	}
	free(after);
	return 0;
}

/* A problem found while checking: damage SQLite reports as an error (65)
 * is what the check looks for, and goes into the report as text. */
static bool
found_damage(const struct aup_err *e, char *text, size_t size)
{
	static const char prefix[] = "audit log: ";
	const char *m = e->msg;

	if (e->code != AUP_EX_ATTENTION && e->code != AUP_EX_DATAERR)
		return false;
	/* The report's field is the log's already. */
	if (strncmp(m, prefix, sizeof prefix - 1) == 0)
		m += sizeof prefix - 1;
	aup_strlcpy(text, m, size);
	return true;
}

int
aup_db_check(struct aup_db *db, struct aup_db_report *r, struct aup_err *err)
{
	return db_check(db, r, false, err);
}

int
db_check(struct aup_db *db, struct aup_db_report *r, bool nightly,
    struct aup_err *err)
{
	struct aup_err e;

	memset(r, 0, sizeof *r);
	if (aup_perm(db, AUP_PERM_READ, err) != 0)
		return -1;
	if (nightly) {
		/* Reading every page is for db check; the nightly run
		 * verifies the log from its last anchor, so its time grows
		 * with a day's changes, not with the school. */
		r->integrity_ok = true;
		aup_strlcpy(r->integrity, "ok", sizeof r->integrity);
		aup_err_clear(&e);
		r->log_ok = aup_log_verify_recent(db, &r->log_entries,
				&r->log_bad_id, &e) == 0;
		if (!r->log_ok &&
		    !found_damage(&e, r->log_problem, sizeof r->log_problem)) {
			*err = e;
			return -1;
		}
		return 0;
	}
	aup_err_clear(&e);
	if (st_integrity(db, r, &e) != 0) {
		if (!found_damage(&e, r->integrity, sizeof r->integrity)) {
			*err = e;
			return -1;
		}
		r->integrity_ok = false;
	}
	aup_err_clear(&e);
	r->log_ok = aup_log_verify(db, &r->log_entries, &r->log_bad_id, &e) ==
	    0;
	if (!r->log_ok &&
	    !found_damage(&e, r->log_problem, sizeof r->log_problem)) {
		*err = e;
		return -1;
	}
	return 0;
}

int
aup_db_backup(struct aup_db *db, const char *file, struct aup_err *err)
{
	if (aup_perm(db, AUP_PERM_MANAGE, err) != 0)
		return -1;
	return st_backup(db, file, err);
}
