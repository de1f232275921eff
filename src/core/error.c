/* Filling the error a core function hands back to its face. */
#include <stdarg.h>
#include <stdio.h>

#include "aup/error.h"
#include "aup/util.h"

int
aup_err_set(struct aup_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return -1;
	err->code = code;
	err->hint[0] = '\0';
	err->field[0] = '\0';
	err->line = err->column = 0;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	return -1;
}

void
aup_err_hint(struct aup_err *err, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(err->hint, sizeof err->hint, fmt, ap);
	va_end(ap);
}

void
aup_err_field(struct aup_err *err, const char *field)
{
	if (err != NULL)
		aup_strlcpy(err->field, field != NULL ? field : "",
		    sizeof err->field);
}

void
aup_err_at(struct aup_err *err, int line, int column)
{
	if (err == NULL)
		return;
	err->line = line;
	err->column = column;
}

void
aup_err_clear(struct aup_err *err)
{
	if (err == NULL)
		return;
	err->code = 0;
	err->msg[0] = '\0';
	err->hint[0] = '\0';
	err->field[0] = '\0';
	err->line = err->column = 0;
}
