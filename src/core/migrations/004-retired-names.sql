-- 4: usernames people held, kept when their owners are purged, so that no
-- one is given a name someone else held within [import] reuse_days (the
-- old owner's files, mail and logs still carry it).

CREATE TABLE retired_usernames (
	username TEXT PRIMARY KEY,
	retired_at INTEGER NOT NULL
) STRICT;
