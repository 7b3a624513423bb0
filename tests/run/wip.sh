# Work in progress (SPEC 8.6) over three month-ends: balances per project,
# the aged-unbilled warning on a fixed-price project, and the note when a
# descoped SOW leaves more billed ahead than its unreleased work can earn;
# an amendment after a SOW was billed at completion is a warning.
sow init "$DB"
sqlite3 "$DB" "INSERT INTO projects (id, name, customer, kind, status, country, sow_signed_on, calendar) VALUES
  ('P-UP', 'Up front', 'Initech', 'consulting', 'Active', 'US', '2026-09-15', 'US'),
  ('P-OC', 'At completion', 'Hooli', 'consulting', 'Active', 'US', '2026-07-01', 'US'),
  ('P-CC', 'Completed', 'Umbrella', 'consulting', 'Active', 'US', '2026-07-01', 'US');
  INSERT INTO milestones (id, project_id, name, sign_off_received_on) VALUES
  ('P-UP-M1', 'P-UP', 'Design', '2026-10-05'), ('P-UP-M2', 'P-UP', 'Build', NULL),
  ('P-OC-M1', 'P-OC', 'Phase 1', '2026-08-01'), ('P-OC-M2', 'P-OC', 'Phase 2', NULL),
  ('P-CC-M1', 'P-CC', 'All of it', '2026-09-10'), ('P-CC-M2', 'P-CC', 'More', NULL)"
sow_file() { # the P-UP M2 amount, then P-CC's amendment (if any)
	cat > wip.sow <<SOW
import "std"

sow "S-UP" for project "P-UP" {
  customer  "Initech"
  currency  USD
  billing   on_sow_execution
  milestone "P-UP-M1" "Design" 6000.00
  milestone "P-UP-M2" "Build" $1
}

sow "S-OC" for project "P-OC" {
  customer  "Hooli"
  currency  EUR
  billing   on_completion
  milestone "P-OC-M1" "Phase 1" 5000.00
  milestone "P-OC-M2" "Phase 2" 7000.00
}

sow "S-CC" for project "P-CC" {
  customer  "Umbrella"
  currency  USD
  billing   on_completion
  milestone "P-CC-M1" "All of it" 3000.00
${2:-}
}
SOW
}
sow_file 4000.00
for p in 2026-09 2026-10 2026-11; do
	# November: P-UP descoped, P-CC amended after its completion was billed
	[ "$p" = 2026-11 ] && sow_file 1500.00 '  amendment "CR-9" effective 2026-11-02 { milestone "P-CC-M2" "More" 900.00 }'
	sow run --db "$DB" --period "$p" wip.sow >/dev/null; echo "$p exit $?"
	[ "$p" = 2026-11 ] || sow close --db "$DB" --period "$p" >/dev/null
done
sqlite3 -header "$DB" "SELECT period, project_id, currency, recognized_to_date, billed_to_date, unbilled, deferred FROM balances ORDER BY period, project_id"
sqlite3 "$DB" "SELECT r.period, f.severity, f.code, f.message FROM findings f JOIN runs r ON r.id = f.run_id
  WHERE f.code IN ('unbilled_revenue_aged', 'deferred_beyond_work', 'amendment_after_completion') ORDER BY r.period, f.code"
echo "-- the REPL, as of the last day of November"
printf '.balances\n.balances P-OC\n.format csv\n.balances P-UP\n' | sow repl --no-reuse --db "$DB" --as-of 2026-11-30 wip.sow
echo "-- November again: its earlier balances are kept in balances_history"
sow run --db "$DB" --period 2026-11 wip.sow >/dev/null; echo "exit $?"
sqlite3 "$DB" "SELECT period, count(*) FROM balances GROUP BY period; SELECT 'history', period, count(*) FROM balances_history GROUP BY period"
