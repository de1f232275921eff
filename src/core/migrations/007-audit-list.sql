-- 7: the audit reads everything it shows of the people, and filters on,
-- from users_audit, in list order, so that listing the unsigned of a whole
-- school reads no row of the table and sorts nothing (a row each, in name
-- order, was most of the list's time); the summary counts on the same
-- walk, so users_audit_group goes.

DROP INDEX users_audit;
DROP INDEX users_audit_group;
CREATE INDEX users_audit ON users (sort_key, first_key, id, status, role,
    class, year_group, username, first_name, last_name);
