/* Anchors of the audit log: its head (entry id and hash), copied out of
 * the database by the nightly check into a file of its own, so that a log
 * truncated or recomputed inside the database shows from the day of the
 * last anchor on. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "aup/clock.h"
#include "aup/util.h"
#include "core.h"

/* [log] anchor, else DB.anchor beside the database. */
char *
aup_log_anchor_path(const struct aup_db *db)
{
	if (db->cfg->log_anchor != NULL)
		return xstrdup(db->cfg->log_anchor);
	return xasprintf("%s.anchor", db->path);
}

/* With [log] syslog, a copy of the anchor in the system log, where whoever
 * can rewrite the database and the anchor file usually cannot reach. */
static void
anchor_syslog(const struct aup_db *db, const char *line)
{
	if (!db->cfg->log_syslog)
		return;
	openlog("aupctl", LOG_PID, LOG_AUTHPRIV);
	syslog(LOG_AUTHPRIV | LOG_INFO, "audit log of %s: %.*s", db->path,
	    (int)strcspn(line, "\n"), line);
	closelog();
}

/* Parse "anchor ID HASH TIME" into A; 0, or -1 when malformed. */
static int
parse_line(const char *line, struct log_anchor *a)
{
	char id[24], hash[72], when[40];
	long v;

	if (sscanf(line, "anchor %23s %71s %39s", id, hash, when) != 3 ||
	    strlen(hash) != 64 || aup_parse_long(id, 1, INT64_MAX, &v) != 0)
		return -1;
	a->id = (int64_t)v;
	aup_strlcpy(a->hash, hash, sizeof a->hash);
	aup_strlcpy(a->when, when, sizeof a->when);
	return 0;
}

int
log_anchors_read(const char *path, struct log_anchor **out, size_t *n,
    struct aup_err *err)
{
	FILE *f = fopen(path, "re");
	char line[256];
	size_t lineno = 0;

	*out = NULL;
	*n = 0;
	if (f == NULL) {
		if (errno == ENOENT)
			return 0; /* never anchored yet */
		return aup_err_set(err, AUP_EX_NOINPUT,
		    "cannot read the log anchors %s: %s", path,
		    strerror(errno));
	}
	while (fgets(line, sizeof line, f) != NULL) {
		struct log_anchor a;

		lineno++;
		if (parse_line(line, &a) != 0) {
			fclose(f);
			free(*out);
			*out = NULL;
			*n = 0;
			aup_err_set(err, AUP_EX_ATTENTION,
			    "%s:%zu: not an anchor line", path, lineno);
			aup_err_hint(err,
			    "the anchor file was edited; compare "
			    "it with its copy in the system log");
			return -1;
		}
		*out = xreallocarray(*out, *n + 1, sizeof **out);
		(*out)[(*n)++] = a;
	}
	fclose(f);
	return 0;
}

int
aup_log_anchor(struct aup_db *db, bool *added, struct aup_err *err)
{
	struct log_anchor *a = NULL;
	char *path = aup_log_anchor_path(db);
	char hash[65], when[40], line[160];
	struct tm tm;
	time_t now;
	int64_t id;
	size_t n;
	int fd, rc = -1;

	*added = false;
	if (aup_perm(db, AUP_PERM_READ, err) != 0 ||
	    st_log_head(db, &id, hash, err) != 0 ||
	    log_anchors_read(path, &a, &n, err) != 0)
		goto out;
	if (id == 0 ||
	    (n > 0 && a[n - 1].id == id && strcmp(a[n - 1].hash, hash) == 0)) {
		rc = 0; /* nothing new since the last anchor */
		goto out;
	}
	now = aup_now();
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
	snprintf(line, sizeof line, "anchor %" PRId64 " %s %s\n", id, hash,
	    when);
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		aup_err_set(err, AUP_EX_CANTCREAT,
		    "cannot write the log anchors %s: %s", path,
		    strerror(errno));
		goto out;
	}
	if (write(fd, line, strlen(line)) != (ssize_t)strlen(line) ||
	    fsync(fd) != 0) {
		aup_err_set(err, AUP_EX_IOERR,
		    "cannot write the log anchors %s: %s", path,
		    strerror(errno));
		close(fd);
		goto out;
	}
	close(fd);
	anchor_syslog(db, line);
	*added = true;
	rc = 0;
out:
	free(a);
	free(path);
	return rc;
}
