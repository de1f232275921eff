/* Benchmark data: a realistic school of N people (default 100,000) made
 * through the core's bulk path (plan, hash on every core, insert), in one
 * transaction with a savepoint a row. The people are the same every run (a
 * fixed seed); their passwords are random. Prints the time and the counts.
 * Usage: gen-school DB [N] */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "aup/clock.h"
#include "aup/config.h"
#include "aup/db.h"
#include "aup/password.h"
#include "aup/user.h"
#include "aup/util.h"

#define DAY	    86400
#define CHUNK	    4096 /* rows planned, hashed, inserted */
#define MAX_THREADS 64

static const char *const firsts[] = { "Zoë", "Siân", "Łukasz", "Amelia",
	"Oliver", "Mohammed", "Aoife", "Seán", "Chloé", "Noah", "Isla", "Jakub",
	"Zofia", "Priya", "Arjun", "Fatima", "Yusuf", "Olivia", "George", "Ava",
	"Leo", "Mia", "Harry", "Amira", "Ngọc", "Minh", "Bartłomiej",
	"Małgorzata", "Ioana", "Björn", "Renée", "François", "Dafydd", "Ffion",
	"Eilidh", "Ruairí", "Niamh", "Kofi", "Ama", "Chen", "Wei", "Hana",
	"Łucja", "Jürgen", "Zeynep", "Emre", "Sofía", "José", "Mateo", "Elif",
	"Jack", "Charlie", "Freya", "Grace", "Oscar", "Alfie", "Poppy", "Evie",
	"Jacob", "Ruby", "Aarav", "Anaïs", "Zainab", "Ibrahim", "Maja",
	"Szymon", "Thuỳ", "Dũng", "Oisín", "Caoimhe", "Gwenllian", "Rhys",
	"Tomás", "Inès", "Lily", "Archie", "Sophie", "Max", "Ella", "Ethan",
	"Daisy", "Samuel", "Erin" };

static const char *const lasts[] = { "O’Neill", "Ó Briain", "Nguyễn",
	"Kowalska", "Kowalski", "Smith", "Jones", "Williams", "Taylor", "Brown",
	"Davies", "Evans", "Wilson", "Thomas", "Roberts", "Khan", "Ahmed",
	"Patel", "Singh", "Begum", "Ali", "Hussain", "Wright", "Walker",
	"Green", "Hughes", "Edwards", "Lewis", "Wood", "Harris", "Martin",
	"Jackson", "Clarke", "Ní Bhriain", "Mac Giolla Phádraig", "Wiśniewska",
	"Lewandowski", "Dąbrowska", "Trần", "Lê", "Phạm", "Müller", "Sørensen",
	"García", "Fernández", "Öztürk", "Yılmaz", "Okafor", "Mensah", "Zhang",
	"Wang", "Li", "O’Connor", "D’Souza", "Smith-Jones", "ap Rhys",
	"Llewelyn", "Baptiste", "Robinson", "Thompson", "White", "Hall",
	"Young", "King", "Scott", "Mitchell", "Campbell", "Anderson", "Murphy",
	"Kelly", "Nowak", "Wójcik", "Kamińska", "Horvát", "Popescu", "Ionescu",
	"Şahin", "Demir", "Adeyemi", "Osei", "Bianchi", "Rossi", "Costa" };

static const char *const reasons[] = { "behaviour: misuse of school devices",
	"shared a password with a friend", "on long-term leave",
	"investigation in progress" };

/* One person to make, and what became of them. */
struct row {
	struct aup_user_spec spec;
	time_t at; /* when they are added */
	char class_name[8];
	char mis[24];
	bool email; /* from their username */
	bool suspend;
	bool lock;
	/* Filled by the insert. */
	int64_t id;
	char username[40];
	time_t pw_changed;
	bool has_password;
};

static uint64_t seed = 0x5eed2026c0ffee01u;

/* xorshift64*: the same people every run. */
static uint32_t
rnd(uint32_t n)
{
	seed ^= seed >> 12;
	seed ^= seed << 25;
	seed ^= seed >> 27;
	return (uint32_t)((seed * 0x2545f4914f6cdd1du) >> 32) % n;
}

#define PICK(a) ((a)[rnd(sizeof(a) / sizeof(a)[0])])

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A class name: year and letters, 7A .. 7Z, 7AA .. */
static void
class_label(int year, int k, char *buf, size_t size)
{
	char letters[4];

	if (k < 26)
		snprintf(letters, sizeof letters, "%c", 'A' + k);
	else
		snprintf(letters, sizeof letters, "%c%c", 'A' + k / 26 - 1,
		    'A' + k % 26);
	snprintf(buf, size, "%s%s", aup_year_name(year), letters);
}

/* An age of DAYS whole days and a half: never within hours of a policy's
 * boundary, so counts taken a little later still agree. */
static time_t
age(time_t now, uint32_t max_days)
{
	return now - (time_t)rnd(max_days + 1) * DAY - DAY / 2;
}

static void
person(struct row *r, enum aup_role role, time_t now, uint32_t max_days)
{
	memset(r, 0, sizeof *r);
	r->spec.role = role;
	r->spec.first = PICK(firsts);
	r->spec.last = PICK(lasts);
	r->spec.year = AUP_YEAR_NONE;
	r->at = age(now, max_days);
}

struct school {
	struct row *rows;
	size_t n;
	size_t classes;
};

/* About 95% pupils across N..13 in classes of about 30, a class logon for
 * each class too young for logins of its own, and the adults. */
static void
make_people(struct school *s, size_t total, const struct aup_config *cfg,
    time_t now)
{
	size_t pupils = total * 95 / 100, per_year = pupils / 15, k = 0;
	size_t adults;

	s->rows = xcalloc(total, sizeof *s->rows);
	for (int y = AUP_YEAR_N; y <= AUP_YEAR_MAX; y++) {
		size_t in_year = per_year +
		    ((size_t)(y - AUP_YEAR_N) < pupils % 15 ? 1 : 0);
		size_t nclasses = (in_year + 29) / 30;

		for (size_t i = 0; i < in_year; i++) {
			struct row *r = &s->rows[k++];

			person(r, AUP_ROLE_PUPIL, now, 3 * 365);
			r->spec.year = y;
			class_label(y, (int)(i % nclasses), r->class_name,
			    sizeof r->class_name);
			r->spec.class_name = r->class_name;
			snprintf(r->mis, sizeof r->mis, "A888%09zu", k);
			r->spec.mis_id = r->mis;
			if (rnd(1000) < 20)
				r->spec.status = AUP_STATUS_LEFT;
			else if (y >= 7 && rnd(1000) < 5)
				r->suspend = true;
			r->spec.generate = y >= cfg->individual_from &&
			    r->spec.status != AUP_STATUS_LEFT;
		}
		s->classes += nclasses;
	}
	/* Class logons, then adults in the rest. */
	for (int y = AUP_YEAR_N; y < cfg->individual_from; y++) {
		size_t in_year = per_year +
		    ((size_t)(y - AUP_YEAR_N) < pupils % 15 ? 1 : 0);
		size_t nclasses = (in_year + 29) / 30;

		for (size_t c = 0; c < nclasses && k < total; c++) {
			struct row *r = &s->rows[k++];

			person(r, AUP_ROLE_CLASS, now, 400);
			r->spec.first = "Class";
			class_label(y, (int)c, r->class_name,
			    sizeof r->class_name);
			r->spec.last = r->class_name;
			r->spec.class_name = r->class_name;
			r->spec.year = y;
			r->spec.generate = true;
		}
	}
	adults = total - k;
	for (size_t i = 0; k < total; i++) {
		struct row *r = &s->rows[k++];
		uint32_t share = (uint32_t)(i * 100 / (adults ? adults : 1));

		if (share < 70) {
			person(r, AUP_ROLE_STAFF, now, 252);
			snprintf(r->mis, sizeof r->mis, "S%06zu", i + 1);
			r->spec.mis_id = r->mis;
			r->email = true;
			if (rnd(100) < 4)
				r->spec.status = AUP_STATUS_LEFT;
			else if (rnd(100) < 2)
				r->spec.status = AUP_STATUS_LEAVING;
			else if (rnd(1000) < 5)
				r->suspend = true;
		} else if (share < 75) {
			person(r, AUP_ROLE_GOVERNOR, now, 500);
			r->email = true;
		} else if (share < 85)
			person(r, AUP_ROLE_VOLUNTEER, now, 500);
		else
			person(r, AUP_ROLE_VISITOR, now, 60);
		r->spec.generate = r->spec.status != AUP_STATUS_LEFT;
	}
	s->n = k;
	/* A few active people with a password of their own get locked out. */
	for (size_t i = 0; i < s->n; i++) {
		struct row *r = &s->rows[i];

		if (r->spec.generate && r->spec.status == AUP_STATUS_ACTIVE &&
		    !r->suspend && r->spec.role != AUP_ROLE_CLASS &&
		    rnd(1000) < 3)
			r->lock = true;
	}
}

/* Point R's spec at R's own strings again, after a sort moved it. */
static void
row_fix(struct row *r)
{
	if (r->class_name[0] != '\0')
		r->spec.class_name = r->class_name;
	if (r->mis[0] != '\0')
		r->spec.mis_id = r->mis;
	if (r->spec.role == AUP_ROLE_CLASS)
		r->spec.last = r->class_name;
}

static int
cmp_at(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	return x->at < y->at ? -1 : x->at > y->at;
}

struct hash_job {
	const struct aup_pw_rules *rules;
	struct aup_user_plan *plans;
	size_t n, first, step;
	pthread_t thread;
	bool started;
	bool failed;
	struct aup_err err;
};

/* One chunk's hashing, running on threads of its own. */
struct hashing {
	struct hash_job jobs[MAX_THREADS];
	int njobs;
};

static void *
hash_part(void *arg)
{
	struct hash_job *j = arg;

	for (size_t i = j->first; i < j->n && !j->failed; i += j->step)
		if (aup_user_hash(j->rules, &j->plans[i], &j->err) != 0)
			j->failed = true;
	return NULL;
}

/* Start hashing PLANS on NTHREADS threads, which share the read-only
 * rules; the caller goes on with other work. */
static void
hash_start(struct hashing *h, const struct aup_pw_rules *rules,
    struct aup_user_plan *plans, size_t n, int nthreads)
{
	h->njobs = nthreads;
	for (int k = 0; k < nthreads; k++) {
		struct hash_job *j = &h->jobs[k];

		*j = (struct hash_job){ .rules = rules,
			.plans = plans,
			.n = n,
			.first = (size_t)k,
			.step = (size_t)nthreads };
		j->started = pthread_create(&j->thread, NULL, hash_part, j) ==
		    0;
		if (!j->started)
			hash_part(j);
	}
}

static int
hash_wait(struct hashing *h, struct aup_err *err)
{
	int rc = 0;

	for (int k = 0; k < h->njobs; k++) {
		struct hash_job *j = &h->jobs[k];

		if (j->started)
			pthread_join(j->thread, NULL);
		if (j->failed && rc == 0) {
			*err = j->err;
			rc = -1;
		}
	}
	h->njobs = 0;
	return rc;
}

static int
fail(const char *what, const struct aup_err *err)
{
	fprintf(stderr, "gen-school: %s: %s\n", what, err->msg);
	if (err->hint[0] != '\0')
		fprintf(stderr, "gen-school: hint: %s\n", err->hint);
	return 1;
}

struct timing {
	double plan, hash, insert, status;
};

/* Plan rows BASE.. of S, up to CHUNK, into PLANS; how many. */
static int
plan_chunk(struct aup_db *db, struct aup_user_batch *batch, struct school *s,
    size_t base, struct aup_user_plan *plans, size_t *n, struct aup_err *err)
{
	*n = s->n - base < CHUNK ? s->n - base : CHUNK;
	/* Usernames from the template are made at today's date. */
	aup_clock_set(0);
	for (size_t i = 0; i < *n; i++) {
		struct row *r = &s->rows[base + i];

		if (aup_user_plan(db, batch, &r->spec, &plans[i], err) != 0)
			return -1;
		if (r->email)
			plans[i].user.email = xasprintf("%s@riverside.example",
			    plans[i].user.username);
	}
	return 0;
}

/* Insert the N hashed PLANS of rows BASE.. of S, each in a savepoint of
 * its own, with the clock at the time each person was added. */
static int
insert_chunk(struct aup_db *db, struct school *s, size_t base,
    struct aup_user_plan *plans, size_t n, struct aup_err *err)
{
	for (size_t i = 0; i < n; i++) {
		struct row *r = &s->rows[base + i];
		struct aup_user *u = &plans[i].user;

		aup_clock_set(r->at);
		if (aup_tx_begin(db, err) != 0)
			return -1;
		if (aup_user_insert(db, &plans[i], err) != 0) {
			aup_tx_rollback(db);
			return -1;
		}
		if (aup_tx_commit(db, err) != 0)
			return -1;
		r->id = u->id;
		aup_strlcpy(r->username, u->username, sizeof r->username);
		r->has_password = u->has_password;
		r->pw_changed = u->pw_changed;
		aup_user_plan_clear(&plans[i]);
	}
	return 0;
}

/*
 * Plan, hash and insert every row, CHUNK at a time, as a pipeline: while
 * this thread inserts one chunk, the next is hashed on every core. The
 * batch has reserved the usernames of the chunk being inserted, so the
 * next one can be planned before it is written.
 */
static int
add_all(struct aup_db *db, struct school *s, int nthreads, struct timing *tm,
    struct aup_err *err)
{
	struct aup_user_batch *batch = aup_user_batch_new();
	struct aup_pw_rules *rules = aup_pw_rules_new(db, err);
	struct aup_user_plan *plans[2];
	struct hashing h = { .njobs = 0 };
	size_t n[2] = { 0, 0 }, base = 0;
	int cur = 0, rc = -1;
	double t0;

	plans[0] = xcalloc(CHUNK, sizeof *plans[0]);
	plans[1] = xcalloc(CHUNK, sizeof *plans[1]);
	if (rules == NULL)
		goto out;
	t0 = now_s();
	if (plan_chunk(db, batch, s, 0, plans[0], &n[0], err) != 0)
		goto out;
	tm->plan += now_s() - t0;
	t0 = now_s();
	hash_start(&h, rules, plans[0], n[0], nthreads);
	if (hash_wait(&h, err) != 0)
		goto out;
	tm->hash += now_s() - t0;
	for (base = 0; base < s->n; base += n[cur], cur = !cur) {
		size_t next = base + n[cur];

		t0 = now_s();
		if (next < s->n) {
			if (plan_chunk(db, batch, s, next, plans[!cur],
				&n[!cur], err) != 0)
				goto out;
			hash_start(&h, rules, plans[!cur], n[!cur], nthreads);
		}
		tm->plan += now_s() - t0;
		t0 = now_s();
		if (insert_chunk(db, s, base, plans[cur], n[cur], err) != 0)
			goto out;
		tm->insert += now_s() - t0;
		t0 = now_s();
		if (hash_wait(&h, err) != 0)
			goto out;
		tm->hash += now_s() - t0;
	}
	rc = 0;
out:
	if (h.njobs > 0) {
		struct aup_err ignore;
		hash_wait(&h, &ignore);
	}
	aup_clock_set(0);
	for (int k = 0; k < 2; k++) {
		for (size_t i = 0; i < CHUNK; i++)
			aup_user_plan_clear(&plans[k][i]);
		free(plans[k]);
	}
	aup_pw_rules_free(rules);
	aup_user_batch_free(batch);
	return rc;
}

/* Suspensions with an end date, and lockouts by wrong passwords. */
static int
statuses(struct aup_db *db, struct school *s, const struct aup_config *cfg,
    struct aup_err *err)
{
	time_t now = aup_now();

	for (size_t i = 0; i < s->n; i++) {
		struct row *r = &s->rows[i];
		char ref[32];

		snprintf(ref, sizeof ref, "id:%lld", (long long)r->id);
		if (r->suspend &&
		    aup_user_suspend(db, ref, PICK(reasons),
			now + (time_t)(1 + rnd(30)) * DAY, err) != 0)
			return -1;
		for (int k = 0;
		     r->lock && k < cfg->pw[r->spec.role].lockout_attempts;
		     k++) {
			enum aup_auth_result res;

			if (aup_auth(db, r->username, "not-the-password", &res,
				err) != 0)
				return -1;
		}
	}
	return 0;
}

static void
print_counts(const struct school *s, const struct aup_config *cfg)
{
	size_t roles[AUP_ROLE_COUNT] = { 0 }, st[AUP_STATUS_COUNT] = { 0 };
	size_t pw = 0, locked = 0, expired = 0, expiring = 0;
	time_t now = aup_now();

	for (size_t i = 0; i < s->n; i++) {
		const struct row *r = &s->rows[i];
		struct aup_user u = { .role = r->spec.role,
			.has_password = r->has_password,
			.pw_changed = r->pw_changed };
		enum aup_status status = r->suspend ? AUP_STATUS_SUSPENDED :
						      r->spec.status;

		roles[r->spec.role]++;
		st[status]++;
		pw += r->has_password;
		locked += r->lock && cfg->pw[r->spec.role].lockout_attempts > 0;
		if (status != AUP_STATUS_ACTIVE)
			continue;
		switch (aup_pw_state(cfg, &u, now, 0, NULL)) {
		case AUP_PW_EXPIRED: expired++; break;
		case AUP_PW_EXPIRING: expiring++; break;
		default: break;
		}
	}
	printf("count people %zu\n", s->n);
	for (int k = 0; k < AUP_ROLE_COUNT; k++)
		printf("count %s %zu\n", aup_role_name((enum aup_role)k),
		    roles[k]);
	for (int k = 0; k < AUP_STATUS_COUNT; k++)
		if (k != AUP_STATUS_EXPIRED)
			printf("count %s %zu\n",
			    aup_status_name((enum aup_status)k), st[k]);
	printf("count classes %zu\n", s->classes);
	printf("count passwords %zu\n", pw);
	printf("count locked %zu\n", locked);
	printf("count pw-expired %zu\n", expired);
	printf("count pw-expiring %zu\n", expiring);
}

int
main(int argc, char **argv)
{
	struct school s = { 0 };
	struct aup_config *cfg;
	struct aup_db *db;
	struct aup_err err;
	struct timing tm = { 0 };
	long n = 100000, cores = sysconf(_SC_NPROCESSORS_ONLN);
	int nthreads = cores < 1 ? 1 :
	    cores > MAX_THREADS	 ? MAX_THREADS :
				   (int)cores;
	double t0, t1, t2;

	if (argc < 2 || argc > 3 ||
	    (argc == 3 && aup_parse_long(argv[2], 1, 10000000, &n) != 0)) {
		fprintf(stderr, "usage: gen-school DB [N]\n");
		return 64;
	}
	if (access(argv[1], F_OK) == 0) {
		fprintf(stderr, "gen-school: %s exists; give a new file\n",
		    argv[1]);
		return 73;
	}
	if ((cfg = aup_config_read(NULL, &err)) == NULL)
		return fail("configuration", &err);
	/* Cheap hashes: this measures the bulk path, not Argon2. Lockouts
	 * last a week, so that the benchmarks that follow still see them. */
	cfg->argon2_m = 64;
	cfg->argon2_t = 1;
	for (int r = 0; r < AUP_ROLE_COUNT; r++)
		cfg->pw[r].lockout_minutes = 7 * 24 * 60;
	if ((db = aup_db_open(cfg, argv[1], AUP_DB_CREATE, &err)) == NULL)
		return fail(argv[1], &err);
	if (aup_db_init(db, "Riverside Academy", AUP_YEAR_MAX, &err) != 0) {
		aup_db_discard(db);
		return fail("init", &err);
	}
	make_people(&s, (size_t)n, cfg, aup_now());
	/* Oldest first, so the audit log runs forward in time. */
	qsort(s.rows, s.n, sizeof *s.rows, cmp_at);
	for (size_t i = 0; i < s.n; i++)
		row_fix(&s.rows[i]);

	t0 = now_s();
	if (aup_tx_begin(db, &err) != 0)
		goto fail;
	if (add_all(db, &s, nthreads, &tm, &err) != 0) {
		aup_tx_rollback(db);
		goto fail;
	}
	t1 = now_s();
	if (statuses(db, &s, cfg, &err) != 0) {
		aup_tx_rollback(db);
		goto fail;
	}
	tm.status = now_s() - t1;
	if (aup_tx_commit(db, &err) != 0)
		goto fail;
	t2 = now_s();
	printf("gen-school: %zu people in %.2f s (%.0f a second), one "
	       "transaction, hashing on %d thread%s at m=%u t=%u\n",
	    s.n, t2 - t0, (double)s.n / (t2 - t0), nthreads,
	    nthreads == 1 ? "" : "s", cfg->argon2_m, cfg->argon2_t);
	printf("gen-school: plan %.2f s, insert %.2f s, waiting for hashes "
	       "%.2f s, statuses %.2f s, commit %.2f s\n",
	    tm.plan, tm.insert, tm.hash, tm.status, t2 - t1 - tm.status);
	print_counts(&s, cfg);
	aup_db_close(db);
	aup_config_free(cfg);
	free(s.rows);
	return 0;
fail:
	fail("adding the school", &err);
	aup_db_discard(db);
	aup_config_free(cfg);
	free(s.rows);
	return 1;
}
