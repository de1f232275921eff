-- 11: the audit's counts (its summary, check, the dashboard) read the
-- people from users_audit_count: status, role, year group and class are
-- all a count needs, and a walk of this narrow index costs half of one of
-- users_audit, which holds the names the list shows. Status first: the
-- people counted are three runs of it, not a test on every entry.

CREATE INDEX users_audit_count ON users (status, role, year_group, class);
