-- 8: a leaver's exit checklist, one per person: the leaving date (access
-- ends with that day), why, who opened it and, once finished, who
-- finished it and why if items were left open; and its items, each with
-- who ticked it, when, and a note.

CREATE TABLE leaver_checklists (
	user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
	leave_on INTEGER NOT NULL,
	reason TEXT,
	started_at INTEGER NOT NULL,
	started_by TEXT NOT NULL,
	finished_at INTEGER,
	finished_by TEXT,
	forced_reason TEXT
) STRICT;
-- leaver list --pending and the stale check: the open ones, oldest first.
CREATE INDEX leaver_open ON leaver_checklists (finished_at, started_at);

CREATE TABLE leaver_items (
	user_id INTEGER NOT NULL REFERENCES leaver_checklists (user_id)
	    ON DELETE CASCADE,
	seq INTEGER NOT NULL,
	item TEXT NOT NULL,
	label TEXT NOT NULL,
	done_at INTEGER,
	done_by TEXT,
	note TEXT,
	PRIMARY KEY (user_id, seq),
	UNIQUE (user_id, item)
) STRICT;
