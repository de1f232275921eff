/* A process that holds passwords keeps them out of core dumps and out of
 * reach of debuggers run by the same user. */
#include <sys/prctl.h>
#include <sys/resource.h>

#include <errno.h>
#include <string.h>

#include "aup/password.h"

int
aup_secure_process(struct aup_err *err)
{
	const struct rlimit no_core = { 0, 0 };

	/* Not dumpable also makes /proc/PID root's and refuses ptrace to
	 * anyone without CAP_SYS_PTRACE. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		return aup_err_set(err, AUP_EX_SOFTWARE,
		    "cannot turn core dumps off: %s", strerror(errno));
	if (setrlimit(RLIMIT_CORE, &no_core) != 0)
		return aup_err_set(err, AUP_EX_SOFTWARE,
		    "cannot set the core size limit to 0: %s", strerror(errno));
	return 0;
}
