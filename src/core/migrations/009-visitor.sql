-- 9: a visitor's temporary login: who they are with (organisation, the
-- member of staff hosting them), why, and its window. The window's end is
-- the person's expires_at, which auth already honours; with
-- first_login_hours it is set at the first login. A login count can cap
-- it. An ended visit keeps its row, for the office's record, until the
-- purge.

CREATE TABLE visits (
	user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
	org TEXT,
	host_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
	reason TEXT,
	valid_from INTEGER NOT NULL,
	first_login_hours INTEGER,
	first_login_at INTEGER,
	max_logins INTEGER,
	logins INTEGER NOT NULL DEFAULT 0,
	issued_at INTEGER NOT NULL,
	issued_by TEXT NOT NULL,
	ended_at INTEGER,
	ended_by TEXT
) STRICT;
-- The lists and the check: the visits not ended, by start.
CREATE INDEX visits_open ON visits (ended_at, valid_from);
