-- 1: people, passwords, login counters, the audit log.
-- SQLite: STRICT tables, INTEGER PRIMARY KEY as rowid, FTS5 with the
-- trigram tokenizer. A PostgreSQL backend would use pg_trgm instead.

CREATE TABLE meta (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL
) STRICT;

CREATE TABLE users (
	id INTEGER PRIMARY KEY,
	username TEXT NOT NULL UNIQUE,
	role TEXT NOT NULL CHECK (role IN ('pupil', 'staff', 'governor',
	    'volunteer', 'visitor', 'class')),
	first_name TEXT NOT NULL,
	last_name TEXT NOT NULL,
	year_group INTEGER CHECK (year_group BETWEEN -1 AND 13),
	class TEXT,
	mis_id TEXT UNIQUE,
	email TEXT,
	status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active',
	    'suspended', 'leaving', 'left', 'expired')),
	status_reason TEXT,
	status_until INTEGER,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	pw_hash TEXT CHECK (pw_hash IS NULL OR pw_hash LIKE '$argon2id$%'),
	pw_changed_at INTEGER,
	must_change INTEGER NOT NULL DEFAULT 0,
	failures INTEGER NOT NULL DEFAULT 0,
	locked_until INTEGER,
	last_login_at INTEGER,
	expires_at INTEGER,
	-- Kept by the storage module from the names (see utf8.c's fold):
	-- the order lists are shown in, and what search looks in.
	sort_key TEXT NOT NULL,
	first_key TEXT NOT NULL,
	search_key TEXT NOT NULL
) STRICT;

-- Every list is in sort_key order, so each filter's index ends with it and
-- a page is read straight off the index. users_sort also answers a page of
-- a short search (the start of a last or first name) from the index alone
-- (a whole list of one uses users_sort and users_first), and
-- users_id_sort puts the matches of a longer search in order without
-- reading their rows.
CREATE INDEX users_sort ON users (sort_key, first_key);
CREATE INDEX users_id_sort ON users (id, sort_key);
CREATE INDEX users_first ON users (first_key);
CREATE INDEX users_role ON users (role, sort_key);
CREATE INDEX users_status ON users (status, sort_key);
CREATE INDEX users_year ON users (year_group, sort_key);
CREATE INDEX users_class ON users (class COLLATE NOCASE, sort_key);
CREATE INDEX users_pw_age ON users (role, status, pw_changed_at)
    WHERE pw_hash IS NOT NULL;
CREATE INDEX users_locked ON users (locked_until)
    WHERE locked_until IS NOT NULL;
CREATE INDEX users_until ON users (status, status_until)
    WHERE status_until IS NOT NULL;

-- Substring search over the folded key: trigrams, kept in step by triggers.
CREATE VIRTUAL TABLE users_fts USING fts5 (search_key, content = 'users',
    content_rowid = 'id', tokenize = 'trigram');
CREATE TRIGGER users_fts_ins AFTER INSERT ON users BEGIN
	INSERT INTO users_fts (rowid, search_key)
	    VALUES (new.id, new.search_key);
END;
CREATE TRIGGER users_fts_del AFTER DELETE ON users BEGIN
	INSERT INTO users_fts (users_fts, rowid, search_key)
	    VALUES ('delete', old.id, old.search_key);
END;
CREATE TRIGGER users_fts_upd AFTER UPDATE OF search_key ON users BEGIN
	INSERT INTO users_fts (users_fts, rowid, search_key)
	    VALUES ('delete', old.id, old.search_key);
	INSERT INTO users_fts (rowid, search_key)
	    VALUES (new.id, new.search_key);
END;

CREATE TABLE pw_history (
	id INTEGER PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	hash TEXT NOT NULL,
	set_at INTEGER NOT NULL
) STRICT;
CREATE INDEX pw_history_user ON pw_history (user_id, id);

CREATE TABLE auth_counts (
	day TEXT NOT NULL,
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	ok INTEGER NOT NULL DEFAULT 0,
	failed INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (day, user_id)
) STRICT;

-- Personal values (names, email, MIS id, reasons, the subject) sit in
-- audit_values, where a purge can erase them; the chain (log.c) covers a
-- salted digest of each, and before/after hold {"$value":NAME} instead.
CREATE TABLE audit_log (
	id INTEGER PRIMARY KEY,
	at INTEGER NOT NULL,
	operator TEXT NOT NULL,
	action TEXT NOT NULL,
	user_id INTEGER,
	before TEXT,
	after TEXT,
	nvalues INTEGER NOT NULL,
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL
) STRICT;
CREATE INDEX audit_log_user ON audit_log (user_id, id);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE TABLE audit_values (
	entry_id INTEGER NOT NULL REFERENCES audit_log (id),
	seq INTEGER NOT NULL,
	name TEXT NOT NULL,
	digest TEXT NOT NULL,
	salt TEXT,
	value TEXT,
	purged_by INTEGER REFERENCES audit_log (id),
	PRIMARY KEY (entry_id, seq),
	-- A purge erases value and salt together and says which entry did.
	CHECK ((value IS NULL) = (salt IS NULL)),
	CHECK ((value IS NULL) = (purged_by IS NOT NULL))
) STRICT;
