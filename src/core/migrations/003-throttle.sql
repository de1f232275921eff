-- 3: failed logins counted per client address as well as per account
-- (squid's key_extras "%>a", PAM_RHOST), so that one machine is slowed
-- down without locking out the accounts it tries (auth.c).

CREATE TABLE auth_addr (
	addr TEXT PRIMARY KEY,
	failures INTEGER NOT NULL,
	locked_until INTEGER,
	last_failure_at INTEGER NOT NULL
) STRICT;
CREATE INDEX auth_addr_last ON auth_addr (last_failure_at);

-- The addresses that failed against an account since its last success:
-- with an address, an account counts one failure per address.
CREATE TABLE auth_addr_user (
	addr TEXT NOT NULL,
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	PRIMARY KEY (addr, user_id)
) STRICT;
CREATE INDEX auth_addr_user_user ON auth_addr_user (user_id);
