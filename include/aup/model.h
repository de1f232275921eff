/* The vocabulary of a school: roles, year groups, key stages and account
 * status, with their names as users type them. */
#ifndef AUP_MODEL_H
#define AUP_MODEL_H

#include <stdbool.h>

enum aup_role {
	AUP_ROLE_PUPIL,
	AUP_ROLE_STAFF,
	AUP_ROLE_GOVERNOR,
	AUP_ROLE_VOLUNTEER,
	AUP_ROLE_VISITOR,
	AUP_ROLE_CLASS,
	AUP_ROLE_COUNT
};

/* Year groups: N (nursery) is -1, R (reception) is 0, then 1..13. */
#define AUP_YEAR_NONE (-9)
#define AUP_YEAR_N    (-1)
#define AUP_YEAR_R    0
#define AUP_YEAR_MAX  13

enum aup_ks {
	AUP_KS_NONE = -1,
	AUP_KS_EYFS,
	AUP_KS_1,
	AUP_KS_2,
	AUP_KS_3,
	AUP_KS_4,
	AUP_KS_5,
	AUP_KS_COUNT
};

enum aup_status {
	AUP_STATUS_ACTIVE,
	AUP_STATUS_SUSPENDED,
	AUP_STATUS_LEAVING,
	AUP_STATUS_LEFT,
	AUP_STATUS_EXPIRED,
	AUP_STATUS_COUNT
};

const char *aup_role_name(enum aup_role r);
int	    aup_role_parse(const char *s); /* -1 if unknown */
const char *aup_role_list(void);	   /* "pupil, staff, ..." */

const char *aup_status_name(enum aup_status s);
int	    aup_status_parse(const char *s);
const char *aup_status_list(void);

/* "N", "R", "1".."13"; "" for AUP_YEAR_NONE. */
const char *aup_year_name(int year);
/* Accepts N, R, 1..13 (also "Y7", "Year 7", "nursery", "reception");
 * returns AUP_YEAR_NONE when S is not a year group. */
int	    aup_year_parse(const char *s);

enum aup_ks aup_ks_of_year(int year);
const char *aup_ks_name(enum aup_ks ks); /* "EYFS", "KS1".. */
int	    aup_ks_parse(const char *s); /* -1 if unknown */
void	    aup_ks_years(enum aup_ks ks, int *lo, int *hi);

#endif
