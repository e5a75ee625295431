-- A citizen account's applicant details (identification number, name, phone, e-mail, address),
-- JSON; filled in the filing form the next time.
ALTER TABLE app_user ADD COLUMN applicant TEXT;
