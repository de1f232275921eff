-- 5: the legal names an MIS export gives beside the names a person uses
-- day to day, which are shown everywhere; NULL when they are the same.

ALTER TABLE users ADD COLUMN legal_first TEXT;
ALTER TABLE users ADD COLUMN legal_last TEXT;
