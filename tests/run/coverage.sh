# sow test --coverage: what the tests ran, the uncovered list, the threshold, JSON.
cat > cov.sow <<'SOW'
relation flags(id text, level text) unique (id)

fn big(x) = x > 100
fn never_called(x) = x + 1

rule flag_big
  for m in milestones
  where m.project_id is set
  when big(1000)
  emit flags { id: m.id, level: "big" }

rule flag_late
  for m in milestones
  when m.sign_off_received_on is set and m.sign_off_received_on > as_of
    and m.project_id is set
  emit flags { id: m.id, level: "late" }

machine simple(p) {
  "Active" -> "Closed" when p.booked_on is set because "booked"
}

test "big ones" {
  as of 2026-11-30
  given milestones { id: "M-1", project_id: "P-1" }
  expect flags { id: "M-1", level: "big" }
}
SOW
echo "-- text"
sow test --coverage cov.sow; echo "exit $?"
echo "-- threshold met, then not"
sow test --threshold 40 cov.sow >/dev/null; echo "exit $?"
sow test --coverage --threshold 75.5 cov.sow >out.txt; echo "exit $?"; tail -1 out.txt
echo "-- json on stdout, the test lines on stderr"
sow test --coverage --format json cov.sow 2>/dev/null; echo "exit $?"
echo "-- files with nothing to cover"
printf 'const x = 1\n' > none.sow
sow test --coverage none.sow; echo "exit $?"
echo "-- usage"
sow test --threshold 101 cov.sow; echo "exit $?"
sow test --format json cov.sow; echo "exit $?"
sow test --coverage --format xml cov.sow; echo "exit $?"
