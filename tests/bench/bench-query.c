/* Benchmark: lists and search in process on a generated school (target:
 * the first page of 50 for a search term, median under 5 ms), the AUP
 * audit's summary, the nightly check and password expiry (under 100 ms
 * each). Prints the figures and
 * their ratio to the target, measured in this one run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aup/aup.h"
#include "aup/check.h"
#include "aup/config.h"
#include "aup/db.h"
#include "aup/password.h"
#include "aup/user.h"
#include "aup/util.h"

#define RUNS 21

static const char *const terms[] = { "smith", "sian", "SIÂN", "lukasz", "o'n",
	"o’neill", "kowal", "ev", "zo", "nguyen", "jones", "obriain", "ahmed",
	"patel", "ann", "a", "k", "ko", "kow", "kowa", "kowal", "kowals",
	"kowalsk", "kowalska" };
#define NTERMS (sizeof terms / sizeof terms[0])

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return a < b ? -1 : a > b;
}

static double
median(double *v, size_t n)
{
	qsort(v, n, sizeof *v, cmp_double);
	return v[n / 2];
}

struct page {
	size_t n;
	size_t bytes; /* touch the strings, as a face would */
};

static int
page_row(void *arg, const struct aup_user_row *r)
{
	struct page *p = arg;

	p->n++;
	p->bytes += strlen(r->username) + strlen(r->first) + strlen(r->last);
	return 0;
}

static void
report(const char *what, double ms, double target)
{
	printf("%-44s %9.3f ms  target %6.1f ms  ratio %.3f %s\n", what, ms,
	    target, ms / target, ms <= target ? "met" : "MISSED");
}

int
main(int argc, char **argv)
{
	struct aup_err err = { 0 };
	struct aup_config *cfg;
	struct aup_db *db;
	struct aup_user_filter f;
	double all[NTERMS * RUNS], per[RUNS], t0;
	size_t nall = 0;
	int64_t count;

	if (argc != 2) {
		fprintf(stderr,
		    "usage: bench-query DB (make one with gen-school)\n");
		return 64;
	}
	if ((cfg = aup_config_read(NULL, &err)) == NULL ||
	    (db = aup_db_open(cfg, argv[1], 0, &err)) == NULL) {
		fprintf(stderr, "bench-query: %s\n", err.msg);
		return 1;
	}
	aup_user_filter_init(&f);
	if (aup_user_count(db, &f, &count, &err) != 0)
		goto fail;
	printf("school: %lld people in %s\n", (long long)count, argv[1]);

	for (size_t t = 0; t < NTERMS; t++) {
		struct page p = { 0 };

		aup_user_filter_init(&f);
		f.search = terms[t];
		for (int i = 0; i < RUNS; i++) {
			p.n = 0;
			t0 = now_ms();
			if (aup_user_query(db, &f, NULL, 50, page_row, &p,
				&err) != 0)
				goto fail;
			per[i] = all[nall++] = now_ms() - t0;
		}
		printf("  search %-12s first page %2zu rows  median %7.3f ms\n",
		    terms[t], p.n, median(per, RUNS));
	}
	report("search: first page of 50, median of all", median(all, nall), 5);

	for (int i = 0; i < RUNS; i++) {
		struct aup_audit_filter all_people = { .role = -1, .ks = -1 };
		struct aup_audit_summary sum;

		t0 = now_ms();
		if (aup_audit_summary(db, &all_people, &sum, &err) != 0)
			goto fail;
		per[i] = now_ms() - t0;
		if (i == 0)
			printf("  audit summary: %lld of %lld signed\n",
			    (long long)sum.signed_n, (long long)sum.total);
		aup_audit_summary_clear(&sum);
	}
	report("aup_audit_summary, median", median(per, RUNS), 100);

	for (int i = 0; i < RUNS; i++) {
		struct aup_check_report r;

		t0 = now_ms();
		if (aup_check_run(db, false, &r, &err) != 0)
			goto fail;
		per[i] = now_ms() - t0;
		if (i == 0)
			printf("  check: %zu need attention\n",
			    aup_check_count(&r));
		aup_check_clear(&r);
	}
	report("aup_check_run, median", median(per, RUNS), 100);

	for (int i = 0; i < RUNS; i++) {
		struct aup_user_list l;

		t0 = now_ms();
		if (aup_pw_expired(db, 14, false, &l, &err) != 0)
			goto fail;
		per[i] = now_ms() - t0;
		if (i == 0)
			printf("  password expired --within 14: %zu\n", l.n);
		aup_user_list_free(&l);
	}
	report("aup_pw_expired within 14 days, median", median(per, RUNS), 100);

	aup_db_close(db);
	aup_config_free(cfg);
	return 0;
fail:
	fprintf(stderr, "bench-query: %s\n", err.msg);
	return 1;
}
