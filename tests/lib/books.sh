# tests/lib/books.sh: random books for the property tests (sourced).
# book_data SEED: twelve projects in $DB (a fresh sow init database) and
# their SOW files in sows/: n % 4 = 0 no SOW, 1 T&M, 2 T&M capped, 3 fixed
# price with two milestones and a training; 500 time entries, milestones
# and trainings drawn from the seed (a multiplicative hash of the row
# number): the same seeds, the same books.
book_data() {  # SEED
	seed=$1
	rm -rf sows "$DB" && mkdir sows
	sow init "$DB" >/dev/null
	# twelve projects: n % 4 = 0 no SOW, 1 T&M, 2 T&M capped, 3 fixed price
	for n in 1 2 3 4 5 6 7 8 9 10 11 12; do
		p=$(printf 'P-%02d' "$n")
		case $((n % 4)) in
		1 | 2)
			cap=""
			[ $((n % 4)) -eq 2 ] && cap="  authorized hours $(((seed * n * 7) % 120 + 30))"
			printf 'import "std"\nsow "S-%s" for project "%s" {\n  customer "C%s"\n  currency USD\n  billing time_and_materials\n  rate "PSE" 100.00 per hour\n  rate "PM" 80.00 per hour\n%s\n}\n' \
				"$p" "$p" "$n" "$cap" > "sows/$p.sow" ;;
		3)
			printf 'import "std"\nsow "S-%s" for project "%s" {\n  customer "C%s"\n  currency EUR\n  billing milestone\n  milestone "%s-M1" "One" 1000.00\n  milestone "%s-M2" "Two" 2500.50\n  training "%s-T1" "Course" 700.00\n}\n' \
				"$p" "$p" "$n" "$p" "$p" "$p" > "sows/$p.sow" ;;
		esac
	done
	sqlite3 "$DB" "
		WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 12)
		INSERT INTO projects (id, name, customer, kind, status, country, calendar)
			SELECT printf('P-%02d', i), 'Project ' || i, 'C' || i, 'consulting', 'Active', 'US', 'US' FROM n;
		INSERT INTO holidays VALUES ('US', '2026-11-26', 'Thanksgiving');
		WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500),
		h(i, x) AS (SELECT i, (i * 2654435761 + $seed * 40503) % 1000003 FROM n)
		INSERT INTO time_entries (id, project_id, person, role, worked_on, hours, approved_on, billable)
			SELECT i, printf('P-%02d', 1 + x % 12), 'p' || (x % 5),
				CASE WHEN x % 13 = 0 THEN 'XX' WHEN x % 3 = 0 THEN 'PM' ELSE 'PSE' END,
				date('2026-09-01', '+' || (x % 88) || ' days'),
				CAST((1 + x % 40) / 4.0 AS TEXT),
				CASE WHEN x % 7 = 0 THEN NULL ELSE date('2026-09-01', '+' || (x % 88 + x % 9) || ' days') END,
				CASE WHEN x % 11 = 0 THEN 0 ELSE 1 END
			FROM h;
		-- every project gets a milestone and a training row (n % 4 = 3: in its SOW; others: in none)
		WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 12),
		h(i, x) AS (SELECT i, (i * 40503 + $seed * 2654435761) % 1000003 FROM n)
		INSERT INTO milestones (id, project_id, name, sign_off_sent_on, sign_off_received_on)
			SELECT printf('P-%02d-M1', i), printf('P-%02d', i), 'One',
				CASE WHEN x % 3 = 0 THEN date('2026-09-01', '+' || (x % 100) || ' days') END,
				CASE WHEN x % 2 = 0 THEN date('2026-09-01', '+' || (x % 95) || ' days') END FROM h
			UNION ALL SELECT printf('P-%02d-M2', i), printf('P-%02d', i), 'Two',
				date('2026-09-01', '+' || (x % 80) || ' days'), NULL FROM h WHERE i % 4 = 3;
		WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 12),
		h(i, x) AS (SELECT i, (i * 69069 + $seed * 40503) % 1000003 FROM n)
		INSERT INTO trainings (id, project_id, course, delivered_on, roster_received_on)
			SELECT printf('P-%02d-T1', i), printf('P-%02d', i), 'Course',
				CASE WHEN x % 4 <> 0 THEN date('2026-09-01', '+' || (x % 90) || ' days') END,
				CASE WHEN x % 5 <> 0 THEN date('2026-09-05', '+' || (x % 90) || ' days') END FROM h;"
}
