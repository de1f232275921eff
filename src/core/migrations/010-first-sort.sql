-- 10: users_first holds the sort key beside the first name, so that a
-- page of the people whose first name starts with a short search word is
-- sorted from the index alone, without reading each of their rows.

DROP INDEX users_first;
CREATE INDEX users_first ON users (first_key, sort_key);
