-- Holidays the eval tests rely on (loaded into a fresh `sow init` database).
INSERT INTO holidays VALUES ('US', '2026-01-01', 'New Year''s Day');
INSERT INTO holidays VALUES ('US', '2026-11-26', 'Thanksgiving');
INSERT INTO holidays VALUES ('US', '2026-12-25', 'Christmas Day');
INSERT INTO holidays VALUES ('US', '2027-01-01', 'New Year''s Day');
INSERT INTO holidays VALUES ('NL', '2026-12-25', 'Eerste Kerstdag');
INSERT INTO holidays VALUES ('NL', '2026-12-26', 'Tweede Kerstdag');
INSERT INTO holidays VALUES ('NL', '2027-01-01', 'Nieuwjaarsdag');
INSERT INTO holidays VALUES ('BROKEN', '2026-13-45', 'not a date');
