-- 6: acceptable use agreements (spec sections 2 and 7): the exact text of
-- every form version someone signed, the signatures, parents' consents,
-- breaches of an agreement, and the academic years already rolled over.

-- Stored the first time anyone signs a version, and never changed: a
-- signature always shows the words that were signed.
CREATE TABLE aup_forms (
	form TEXT NOT NULL,
	version INTEGER NOT NULL CHECK (version >= 1),
	title TEXT NOT NULL,
	body TEXT NOT NULL,
	digest TEXT NOT NULL, -- hex SHA-256 of body
	stored_at INTEGER NOT NULL,
	PRIMARY KEY (form, version)
) STRICT;

-- One signature per person, form and academic year (2026 for 2026-27).
-- SIGNER is who put their name to it: the person (relationship self), or
-- a parent or carer who signed for them or, where the person signs too
-- (SELF_SIGNED), countersigned. WITNESS is the operator who recorded it.
-- A purge (leavers) keeps that a signature existed: USER_ID goes, and
-- PSEUDONYM, a digest that names no one, stays.
CREATE TABLE aup_signatures (
	id INTEGER PRIMARY KEY,
	user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
	pseudonym TEXT,
	form TEXT NOT NULL,
	version INTEGER NOT NULL,
	academic_year INTEGER NOT NULL,
	signed_on INTEGER NOT NULL,
	signer TEXT,
	relationship TEXT NOT NULL CHECK (relationship IN ('self', 'parent',
	    'carer')),
	self_signed INTEGER NOT NULL,
	method TEXT NOT NULL CHECK (method IN ('paper', 'screen')),
	witness TEXT NOT NULL,
	recorded_at INTEGER NOT NULL,
	FOREIGN KEY (form, version) REFERENCES aup_forms (form, version),
	CHECK (user_id IS NOT NULL OR pseudonym IS NOT NULL)
) STRICT;
CREATE UNIQUE INDEX aup_signatures_one ON aup_signatures (user_id,
    academic_year, form) WHERE user_id IS NOT NULL;
-- The audit's question, "who signed this year?", from the index alone.
CREATE INDEX aup_signatures_year ON aup_signatures (academic_year, user_id,
    form);

-- The audit reads everyone's status, role, class and year group from these
-- two indexes alone, never from the rows: in id order, to look up each
-- one's signature in the order of the signatures' index, and grouped by
-- role and class, to count them for the summary without a sort.
CREATE INDEX users_audit ON users (id, status, role, class, year_group);
CREATE INDEX users_audit_group ON users (role, class, year_group, status);

-- A parent's or carer's consents for a pupil, one row per academic year;
-- recording them again replaces them (the log keeps what they were).
CREATE TABLE aup_consents (
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	academic_year INTEGER NOT NULL,
	images INTEGER NOT NULL CHECK (images IN (0, 1)),
	platforms INTEGER NOT NULL CHECK (platforms IN (0, 1)),
	signer TEXT NOT NULL,
	relationship TEXT NOT NULL CHECK (relationship IN ('parent',
	    'carer')),
	form TEXT,
	version INTEGER,
	recorded_at INTEGER NOT NULL,
	operator TEXT NOT NULL,
	PRIMARY KEY (academic_year, user_id),
	FOREIGN KEY (form, version) REFERENCES aup_forms (form, version)
) STRICT;
CREATE INDEX aup_consents_user ON aup_consents (user_id);

-- Misuse, by the schools' sanction categories A (least) to D (most).
CREATE TABLE aup_breaches (
	id INTEGER PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	category TEXT NOT NULL CHECK (category IN ('A', 'B', 'C', 'D')),
	note TEXT NOT NULL,
	at INTEGER NOT NULL,
	operator TEXT NOT NULL,
	suspended_until INTEGER
) STRICT;
CREATE INDEX aup_breaches_at ON aup_breaches (at);
CREATE INDEX aup_breaches_user ON aup_breaches (user_id, at);

-- Each academic year rolled over, once.
CREATE TABLE rollovers (
	academic_year INTEGER PRIMARY KEY,
	at INTEGER NOT NULL,
	operator TEXT NOT NULL
) STRICT;
