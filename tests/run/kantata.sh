# SPEC 8.2 done-when: the demo month-end from Kantata-style exports read
# through the shipped maps equals the one from the standard CSVs, table by table.
ex="$top/examples"
load() {  # DB, then how projects arrive (first: the other tables name them)
	db=$1; shift
	sow init "$db"
	"$@"
	for t in milestones trainings holidays people allocations status_history \
		opportunities health_reports partner_invoices service_logs invoices fx_rates; do
		sow import "$db" "$t" "$ex/data/$t.csv" >/dev/null || echo "import $t failed"
	done
}
month_end() {  # DB, LATE-IMPORT-COMMAND...
	db=$1; shift
	sow run --db "$db" --period 2026-09 "$ex/sows" >/dev/null
	sow close --db "$db" --period 2026-09 >/dev/null
	sow run --db "$db" --period 2026-10 "$ex/sows" >/dev/null
	sow close --db "$db" --period 2026-10 >/dev/null
	"$@"
	sow run --db "$db" --period 2026-11 "$ex/sows" >/dev/null
}
load std.db sow import std.db projects "$ex/data/projects.csv"
sow import std.db time_entries "$ex/data/time_entries.csv"
month_end std.db sow import std.db time_entries "$ex/data/time_entries_late.csv"
load kantata.db sow import kantata.db projects "$ex/data/kantata-projects.csv" --map "$ex/maps/kantata-projects.map"
sow import --upsert kantata.db projects "$ex/data/project_details.csv"
sow import kantata.db time_entries "$ex/data/kantata-time.csv" --map "$ex/maps/kantata-time.map"
month_end kantata.db sow import kantata.db time_entries "$ex/data/kantata-time-late.csv" --map "$ex/maps/kantata-time.map"
# hours compare as numbers: the export writes 8.00 where the CSV has 8
hours="CASE WHEN instr(hours, '.') THEN rtrim(rtrim(hours, '0'), '.') ELSE hours END"
for q in "projects ORDER BY id" \
	"id, project_id, person, role, worked_on, $hours, approved_on, billable FROM time_entries ORDER BY id" \
	"revenue ORDER BY run_id, source, source_id" "revenue_by_project ORDER BY period, project_id" \
	"billing ORDER BY run_id, project_id, source_id, reason" \
	"forecast ORDER BY run_id, project_id, fiscal_quarter, basis, rule" \
	"transitions ORDER BY run_id, project_id, to_status" \
	"findings ORDER BY run_id, project_id, code, subject, message"; do
	case $q in *FROM*) sel=$q ;; *) sel="* FROM $q" ;; esac
	sqlite3 std.db "SELECT $sel" > std.txt
	sqlite3 kantata.db "SELECT $sel" > kantata.txt
	name=${sel#* FROM }
	name=${name%% *}
	if cmp -s std.txt kantata.txt; then
		echo "$name: identical ($(wc -l < std.txt) rows)"
	else
		echo "$name: DIFFERENT"; diff std.txt kantata.txt | head -10
	fi
done
