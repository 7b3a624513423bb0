INSERT INTO projects (id, name, customer, kind, status, country, calendar) VALUES
  ('P-TM', 'T&M', 'ACME Corp', 'consulting', 'Active', 'US', 'US'),
  ('P-MS', 'Fixed', 'Globex', 'consulting', 'Active', 'NL', 'US');
INSERT INTO holidays VALUES ('US', '2026-11-26', 'Thanksgiving');
INSERT INTO milestones (id, project_id, name, sign_off_sent_on, sign_off_received_on) VALUES
  ('P-MS-M1', 'P-MS', 'Discovery', '2026-11-23', NULL),
  ('P-MS-M2', 'P-MS', 'Migration', '2026-11-27', NULL);
INSERT INTO time_entries (id, project_id, person, role, worked_on, hours, approved_on, billable) VALUES
  (1, 'P-TM', 'ann', 'PSE', '2026-09-01', '8', '2026-09-04', 1),
  (2, 'P-TM', 'bob', 'PM', '2026-10-01', '0.125', '2026-10-02', 1),
  (3, 'P-TM', 'ann', 'PSE', '2026-11-02', '0.375', '2026-11-03', 1),
  (4, 'P-TM', 'ann', 'PSE', '2026-11-02', '3', '2026-12-01', 1);
