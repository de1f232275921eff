-- 12: users_sort holds the person id right after the sort key, so that
-- the lists' order (sort key, then id) is the index's own: a list of a
-- whole school is read in order, not sorted a run of equal keys at a
-- time, and a page starts right where the cursor left off. The first
-- name's key stays in it for the search of a short word, which tests
-- both keys from the index alone.

DROP INDEX users_sort;
CREATE INDEX users_sort ON users (sort_key, id, first_key);
