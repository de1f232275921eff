/* The school a database belongs to: its name, final year group and the
 * academic year as of today. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aup/clock.h"
#include "aup/util.h"
#include "core.h"

int
aup_school_get(struct aup_db *db, struct aup_school *out, struct aup_err *err)
{
	const struct aup_config *cfg = db->cfg;
	char *name = NULL, *fy = NULL;
	long v = 0;

	memset(out, 0, sizeof *out);
	if (st_meta_get(db, "school", &name, err) != 0 ||
	    st_meta_get(db, "final_year", &fy, err) != 0) {
		free(name);
		return -1;
	}
	if (cfg->school_name != NULL) {
		free(name);
		name = xstrdup(cfg->school_name);
	}
	out->name = name != NULL ? name : xstrdup("");
	if (fy != NULL)
		aup_parse_long(fy, 1, AUP_YEAR_MAX, &v);
	free(fy);
	out->final_year = cfg->final_year > 0 ? cfg->final_year :
	    v > 0			      ? (int)v :
						6;
	out->academic_year = aup_academic_year(aup_now(), cfg->year_start_month,
	    cfg->year_start_day);
	aup_academic_year_label(out->academic_year, out->year_label,
	    sizeof out->year_label);
	return 0;
}

void
aup_school_clear(struct aup_school *s)
{
	free(s->name);
	s->name = NULL;
}
