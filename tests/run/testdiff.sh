# sow test: a failed expect shows the nearest actual rows of its table (those
# matching the most fields), field by field, expected against actual.
cat > t.sow <<'SOW'
import "std"

test "the nearest rows of a failed expect" {
  as of 2026-11-30
  sow "TEST-X" for project "P-X" {
    customer   "Test"
    currency   USD
    billing    milestone
    milestone  "P-X-M1" "One" 100
    milestone  "P-X-M2" "Two" 200
    milestone  "P-X-M3" "Three" 300
  }
  given milestones { id: "P-X-M1", project_id: "P-X", planned_sign_off_on: 2027-01-15, confident: false }
    { id: "P-X-M2", project_id: "P-X", planned_sign_off_on: 2027-01-15 }
    { id: "P-X-M3", project_id: "P-X", planned_sign_off_on: 2027-03-15 }
  expect forecast { project_id: "P-X", fiscal_quarter: "FY2027-Q4", amount: 100 USD, basis: "planned" }
  expect forecast { fiscal_quarter: "FY2027-Q4", amount: 200 USD, basis: "planned" }
  expect forecast { fiscal_quarter: "FY2029-Q1", basis: "planned" }
  expect transitions { project_id: "P-X" }
}
SOW
sow test t.sow; echo "exit $?"
rm -f t.sow
