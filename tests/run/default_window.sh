# The default acceptance window is policy: rules/std says 5 business days
# (const default_acceptance_days), and a SOW file may override it for its
# own SOWs. (Before, C filled in 5 and the constant was never read.)
cat > window.sow <<'EOF'
import "std"

override const default_acceptance_days = 10

sow "SOW-X" for project "P-X" {
  customer "X"
  currency USD
  billing  milestone
  milestone "P-X-M1" "One" 1000.00
}

test "a SOW file may lengthen the library's default window" {
  as of 2026-11-30
  given projects { id: "P-X", calendar: "US" }
  given milestones { id: "P-X-M1", project_id: "P-X", sign_off_sent_on: 2026-11-02 }
  expect revenue { source_id: "P-X-M1", recognized_on: 2026-11-13, basis: "passive_acceptance" }
}
EOF
sow test window.sow; echo "exit $?"
sed "s/= 10/= 5/; s/2026-11-13/2026-11-06/; s/lengthen/keep/" window.sow > five.sow
sow test five.sow; echo "exit $?"
rm -f window.sow five.sow
