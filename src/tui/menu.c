/* Moving in a menu of headings and choices (the dashboard, the audit's
 * summary): no terminal here, so it is tested without one. */
#include <stddef.h>

#include "tui.h"

int
tui_menu_step(const void *rows, size_t size, int n, int sel, int by)
{
	int i = sel;

	do
		i += by;
	while (i >= 0 && i < n &&
	    *(const char *const *)((const char *)rows + (size_t)i * size) !=
		NULL);
	return i >= 0 && i < n ? i : sel;
}
