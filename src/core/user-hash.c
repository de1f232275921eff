/* Passwords for many people at once, generated or checked and hashed on
 * every core: the slow part of a bulk job, done before its transaction. */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "aup/password.h"
#include "aup/util.h"
#include "core.h"

struct hashing {
	struct aup_user_plan **v;
	size_t n, next, done;
	size_t running; /* workers not yet finished */
	const struct aup_pw_rules *rules;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct aup_err err;
	bool failed;
};

static void *
hash_worker(void *arg)
{
	struct hashing *h = arg;

	for (;;) {
		struct aup_err e;
		size_t i;
		int rc;

		pthread_mutex_lock(&h->mu);
		i = h->failed ? h->n : h->next++;
		pthread_mutex_unlock(&h->mu);
		if (i >= h->n)
			break;
		rc = aup_user_hash(h->rules, h->v[i], &e);
		pthread_mutex_lock(&h->mu);
		if (rc != 0 && !h->failed)
			h->failed = true, h->err = e;
		h->done++;
		pthread_cond_signal(&h->cv);
		pthread_mutex_unlock(&h->mu);
	}
	/* The last word of every worker, so that a failure, which stops
	 * the others early, still wakes the one waiting. */
	pthread_mutex_lock(&h->mu);
	h->running--;
	pthread_cond_signal(&h->cv);
	pthread_mutex_unlock(&h->mu);
	return NULL;
}

int
user_hash_all(struct aup_db *db, struct aup_user_plan **v, size_t n, int njobs,
    void (*progress)(void *arg, size_t done, size_t total), void *progress_arg,
    struct aup_err *err)
{
	struct hashing h = { .v = v, .n = n };
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	size_t jobs = njobs > 0 ? (size_t)njobs : cores > 0 ? (size_t)cores : 1;
	pthread_t *tid;
	size_t started = 0;

	if (n == 0)
		return 0;
	if ((h.rules = aup_pw_rules_new(db, err)) == NULL)
		return -1;
	if (jobs > n)
		jobs = n;
	pthread_mutex_init(&h.mu, NULL);
	pthread_cond_init(&h.cv, NULL);
	if (progress != NULL)
		progress(progress_arg, 0, n);
	tid = xreallocarray(NULL, jobs, sizeof *tid);
	/* Counted before it starts, so that it cannot finish uncounted. */
	for (size_t i = 0; i < jobs; i++) {
		pthread_mutex_lock(&h.mu);
		h.running++;
		pthread_mutex_unlock(&h.mu);
		if (pthread_create(&tid[started], NULL, hash_worker, &h) == 0) {
			started++;
			continue;
		}
		pthread_mutex_lock(&h.mu);
		h.running--;
		pthread_mutex_unlock(&h.mu);
	}
	if (started == 0) {
		h.running = 1;
		hash_worker(&h);
	}
	pthread_mutex_lock(&h.mu);
	while (h.running > 0) {
		pthread_cond_wait(&h.cv, &h.mu);
		if (progress != NULL && h.done < n && !h.failed) {
			size_t done = h.done;

			pthread_mutex_unlock(&h.mu);
			progress(progress_arg, done, n);
			pthread_mutex_lock(&h.mu);
		}
	}
	pthread_mutex_unlock(&h.mu);
	for (size_t i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	free(tid);
	if (progress != NULL && !h.failed)
		progress(progress_arg, n, n);
	pthread_cond_destroy(&h.cv);
	pthread_mutex_destroy(&h.mu);
	aup_pw_rules_free((struct aup_pw_rules *)h.rules);
	if (h.failed) {
		*err = h.err;
		return -1;
	}
	return 0;
}
