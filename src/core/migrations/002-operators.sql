-- 2: operators, who may do what through aupctl (spec section 9), by Unix
-- login name. The primary key compares bytes: "Bob" is not "bob". With no
-- row, whoever can open the database is admin.

CREATE TABLE operators (
	login TEXT PRIMARY KEY,
	role TEXT NOT NULL CHECK (role IN ('admin', 'netmgr', 'office',
	    'auditor', 'auth'))
) STRICT;
