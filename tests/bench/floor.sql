-- The floor: the month's T&M release written by hand, as one SQL statement
-- (float arithmetic, no ledger, no provenance, no checks). gen.sh puts
-- the book's T&M project filter in place of the TM_FILTER line.
INSERT INTO revenue (run_id, period, project_id, source, source_id, amount, currency, recognized_on, basis, rule)
SELECT 1, '2026-11', t.project_id, 'time', t.id, round(t.hours * 4) / 4.0 * r.rate, 'USD', t.approved_on, 'approved_time', 'floor'
FROM time_entries t JOIN bench_rates r ON r.project_id = t.project_id AND r.role = t.role
WHERE t.approved_on IS NOT NULL AND t.approved_on <= '2026-11-30' AND t.billable = 1
  -- TM_FILTER
  ;
