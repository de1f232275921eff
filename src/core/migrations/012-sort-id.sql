-- 12: the lists' order is (sort key, id), and the two indexes that hold
-- the sort key now hold the id right after it, so that a list is read in
-- their own order: a whole school's list was sorted a run of equal sort
-- keys at a time, every column of every row. users_sort keeps the first
-- name's key for the search of a short word, which tests both keys from
-- the index alone; users_audit holds every column a plain list shows
-- (status_until and expires_at for its status now, as well as the
-- audit's), so that neither the audit nor a whole list reads a row.

DROP INDEX users_sort;
CREATE INDEX users_sort ON users (sort_key, id, first_key);
DROP INDEX users_audit;
CREATE INDEX users_audit ON users (sort_key, id, status, role, class,
    year_group, username, first_name, last_name, status_until, expires_at);
