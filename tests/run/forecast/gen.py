#!/usr/bin/python3
"""Generate a random book and an independent computation of SPEC 6.8 (the
forecast by fiscal quarter as of 2026-11-30), once; the outputs are committed
and tests/run/forecast.sh compares sow's forecast with them (run it in this
folder: /usr/bin/python3 gen.py). Running the tests
does not need Python.

Independent of sow: passive dates come from numpy.busday_offset, amounts
from Python's decimal. Writes book.sql, book.sow, lines.txt (every forecast
line: project, quarter, basis, amount, currency), quarters.txt (each quarter
and currency: the exact sum of its parts, rounded once to the minor unit, half
away from zero), split.txt (its actual and forecast parts, SPEC 8.3), projects.txt
(the totals per project) and stale.txt (the milestones of 6.8's stale warning)."""
import random
from datetime import date, timedelta
from decimal import Decimal, ROUND_HALF_UP
import numpy as np

random.seed(20261130)
AS_OF = date(2026, 11, 30)
HOLIDAYS = ["2026-11-26", "2026-12-25", "2027-01-01", "2027-01-18", "2027-02-15", "2027-05-31", "2027-07-05"]
MINOR = {"USD": 2, "EUR": 2, "JPY": 0}
Q = Decimal("0.25")


def d(s):
    return date.fromisoformat(s)


def passive(sent, days):
    return date.fromisoformat(str(np.busday_offset(np.datetime64(sent.isoformat()), days - 1, roll="forward",
                                                   holidays=HOLIDAYS)))


def accepted(sent, received, days):
    if received and (not sent or received <= passive(sent, days)):
        return received
    return passive(sent, days) if sent else None


def quarter(t):
    fy = t.year + 1 if t.month >= 2 else t.year
    return "FY%d-Q%d" % (fy, (t.month - 2) % 12 // 3 + 1)


def add_months(t, k):
    m = t.month - 1 + k
    y, m = t.year + m // 12, m % 12 + 1
    last = (date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1)).day
    return date(y, m, min(t.day, last))


def rday(a, b):
    return a + timedelta(days=random.randint(0, (b - a).days))


def q(t):
    return "'%s'" % t if t is not None else "NULL"


def fmt(x):
    return format(x.normalize(), "f") if x != x.to_integral() else str(int(x))


sql, sow, lines, stale = [], ['import "std"\n'], [], []
sql.append("INSERT INTO holidays VALUES " + ", ".join("('US', '%s', 'h')" % h for h in HOLIDAYS) + ";")
entry = 1
for p in range(1, 41):
    pid = "P-%03d" % p
    cur = random.choice(["USD", "USD", "EUR", "JPY"])
    tm = p % 2 == 1
    days = random.choice([3, 5, 5, 10])
    sql.append("INSERT INTO projects (id, name, customer, kind, status, country, calendar) VALUES "
               "('%s', 'n', 'c', 'consulting', 'Active', 'US', 'US');" % pid)
    clauses = ['  customer "C%d"' % p, "  currency %s" % cur, '  calendar "US"']
    if tm:
        clauses.append("  billing time_and_materials")
        rates = {}
        for role in ("PSE", "PM"):
            r = Decimal(random.randint(1000, 30000)) if cur == "JPY" else Decimal(random.randint(100000, 300000)) / 1000
            rates[role] = r
            clauses.append('  rate "%s" %s per hour' % (role, fmt(r)))
        for _ in range(random.randint(0, 6)):
            role = random.choice(["PSE", "PM"])
            hours = Decimal(random.randint(1, 200)) / 20
            appr = rday(date(2026, 9, 1), date(2026, 12, 20))
            sql.append("INSERT INTO time_entries VALUES (%d, '%s', 'x', '%s', '%s', '%s', '%s', 1);"
                       % (entry, pid, role, appr.isoformat(), hours, appr.isoformat()))
            entry += 1
            if appr <= AS_OF:
                h = (hours / Q).quantize(Decimal(1), ROUND_HALF_UP) * Q
                lines.append((pid, quarter(appr), "released", h * rates[role], cur))
        for _ in range(random.randint(0, 6)):
            role = random.choice(["PSE", "PM"])
            week = date(2026, 11, 2) + timedelta(weeks=random.randint(0, 20))
            hours = Decimal(random.randint(1, 4000)) / 100
            kind = random.choice(["soft", "hard"])
            sql.append("INSERT INTO allocations VALUES ('%s', 'x', '%s', '%s', '%s', '%s');"
                       % (pid, role, week.isoformat(), hours, kind))
            if week > AS_OF:
                lines.append((pid, quarter(week), "allocation_" + kind, hours * rates[role], cur))
    else:
        clauses.append("  billing milestone")
        clauses.append("  acceptance passive %d business days" % days)
        for k in range(1, random.randint(1, 4) + 1):
            mid = "%s-M%d" % (pid, k)
            amount = Decimal(random.randint(1, 5000000)) / (1 if cur == "JPY" else 100)
            clauses.append('  milestone "%s" "m" %s' % (mid, fmt(amount)))
            planned = rday(date(2026, 10, 1), date(2027, 6, 30))
            confident = random.choice([1, 1, 0, None])
            sent = random.choice([None, None, rday(date(2026, 10, 15), date(2027, 3, 1))])
            received = random.choice([None, None, rday(date(2026, 10, 20), date(2027, 3, 15))])
            sql.append("INSERT INTO milestones VALUES ('%s', '%s', 'm', %s, %s, %s, %s);"
                       % (mid, pid, q(planned.isoformat()), "NULL" if confident is None else confident,
                          q(sent and sent.isoformat()), q(received and received.isoformat())))
            on = accepted(sent, received, days)
            if on and on <= AS_OF:
                lines.append((pid, quarter(on), "released", amount, cur))
                continue
            if on:
                due, basis = on, "accepted" if received == on else "passive_acceptance"
            elif confident == 0:
                due, basis = add_months(planned, 3), "not_confident"
            else:
                due, basis = planned, "planned"
            lines.append((pid, quarter(due), basis, amount, cur))
            if not sent and not received and planned < AS_OF:
                stale.append(mid)
        for k in range(1, random.randint(0, 2) + 1):
            tid = "%s-T%d" % (pid, k)
            price = Decimal(random.randint(100, 900000)) / (1 if cur == "JPY" else 100)
            clauses.append('  training "%s" "t" %s' % (tid, fmt(price)))
            planned = rday(date(2026, 10, 1), date(2027, 5, 30))
            delivered = random.choice([None, rday(date(2026, 10, 1), date(2026, 12, 31))])
            roster = random.choice([None, rday(date(2026, 10, 1), date(2026, 12, 31))])
            sql.append("INSERT INTO trainings VALUES ('%s', '%s', 'c', '%s', %s, %s);"
                       % (tid, pid, planned.isoformat(), q(delivered and delivered.isoformat()),
                          q(roster and roster.isoformat())))
            if delivered and roster and max(delivered, roster) <= AS_OF:
                lines.append((pid, quarter(max(delivered, roster)), "released", price, cur))
            else:
                lines.append((pid, quarter(planned), "training_planned", price, cur))
    sow.append('sow "S-%03d" for project "%s" {\n%s\n}\n' % (p, pid, "\n".join(clauses)))

# released revenue is one forecast line per project, quarter and currency: its exact sum
merged = {}
out = []
for pid, qt, basis, amount, cur in lines:
    if basis == "released":
        merged[(pid, qt, cur)] = merged.get((pid, qt, cur), Decimal(0)) + amount
    else:
        out.append((pid, qt, basis, amount, cur))
out += [(pid, qt, "released", a, cur) for (pid, qt, cur), a in merged.items()]
totals, by_project, actual = {}, {}, {}
for pid, qt, basis, amount, cur in out:
    if basis == "released":
        actual[(qt, cur)] = actual.get((qt, cur), Decimal(0)) + amount
    totals[(qt, cur)] = totals.get((qt, cur), Decimal(0)) + amount
    by_project[(pid, qt, cur)] = by_project.get((pid, qt, cur), Decimal(0)) + amount
with open("book.sql", "w") as f:
    f.write("\n".join(sql) + "\n")
with open("book.sow", "w") as f:
    f.write("\n".join(sow))
with open("lines.txt", "w") as f:
    for pid, qt, basis, amount, cur in sorted(out, key=lambda r: (r[0], r[1], r[2], r[3])):
        f.write("%s|%s|%s|%s|%s\n" % (pid, qt, basis, fmt(amount), cur))
with open("quarters.txt", "w") as f:
    for (qt, cur), a in sorted(totals.items()):
        f.write("%s,%s,%s\n" % (qt, cur, a.quantize(Decimal(1).scaleb(-MINOR[cur]), ROUND_HALF_UP)))
with open("split.txt", "w") as f:
    # SPEC 8.3: actual = released lines recognized in the quarter, forecast = the rest
    for (qt, cur), a in sorted(totals.items()):
        unit = Decimal(1).scaleb(-MINOR[cur])
        act = actual.get((qt, cur), Decimal(0))
        f.write("%s,%s,%s,%s\n" % (qt, cur, act.quantize(unit, ROUND_HALF_UP), (a - act).quantize(unit, ROUND_HALF_UP)))
with open("projects.txt", "w") as f:
    for (pid, qt, cur), a in sorted(by_project.items()):
        f.write("%s %s,%s,%s\n" % (pid, qt, cur, a.quantize(Decimal(1).scaleb(-MINOR[cur]), ROUND_HALF_UP)))
with open("stale.txt", "w") as f:
    f.write("".join("milestones:%s\n" % m for m in sorted(stale)))
