#!/usr/bin/env python3
"""Generate the balances property case once (the tests never run Python).

Writes, beside this file:
  balances.sql       random projects, time entries, milestones, trainings
  balances.sow       one SOW per project (all six billing terms; some amended)
  balances.expected  period project currency recognized billed unbilled deferred

The expected balances are computed here from SPEC 6.3, 6.4, 8.6 and 8.7
directly, with Python's decimal module, not from anything sow prints: revenue
lines and billing lines summed per project to each period end.

Run: python3 tests/run/balances_gen.py (seed fixed, so the output is stable).
"""
import datetime as dt
import os
import random
from decimal import ROUND_HALF_UP, Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
PERIODS = [(2026, 9), (2026, 10), (2026, 11)]
TERMS = ["time_and_materials", "milestone", "on_sow_execution", "on_order_form",
         "half_and_half", "on_completion"]
rng = random.Random(20261201)


def period_end(y, m):
    first_next = dt.date(y + (m == 12), m % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def rand_day(lo, hi):
    return lo + dt.timedelta(days=rng.randrange((hi - lo).days + 1))


def cents(x):
    return x.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def norm(d):
    """A decimal without trailing zeros (sow keeps the places arithmetic gives)."""
    s = format(d, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def add_milestone(pr, mid, name, amt, received, eff):
    """Record a milestone (eff: the date of the amendment adding it); its SOW clause."""
    pr["milestones"].append((mid, amt, received, eff))
    sql.append(f"INSERT INTO milestones (id, project_id, name, sign_off_received_on) VALUES "
               f"('{mid}', '{pr['id']}', '{name}', {repr(str(received)) if received else 'NULL'});")
    return f"  milestone \"{mid}\" \"{name}\" {amt}"


LO, HI = dt.date(2026, 8, 1), dt.date(2026, 12, 20)
sql, sow, projects = [], ["import \"std\"", ""], []
entry_id = 1
for p in range(1, 25):
    pid = f"P-B{p:02d}"
    term = TERMS[(p - 1) % 6]
    cur = "USD" if p % 3 else "EUR"
    signed = rand_day(dt.date(2026, 8, 1), dt.date(2026, 11, 25))
    booked = rand_day(dt.date(2026, 7, 15), dt.date(2026, 11, 25))
    sql.append(f"INSERT INTO projects (id, name, customer, kind, status, country, booked_on, sow_signed_on, calendar) "
               f"VALUES ('{pid}', 'Project {p}', 'Customer {p}', 'consulting', 'Active', 'US', '{booked}', '{signed}', 'US');")
    pr = {"id": pid, "term": term, "cur": cur, "signed": signed, "booked": booked,
          "rates": {}, "amend_rates": [], "milestones": [], "trainings": [], "entries": []}
    clauses = [f"  customer \"Customer {p}\"", f"  currency {cur}", f"  billing  {term}"]
    amendments = []
    if term == "time_and_materials":
        pr["rates"] = {"PSE": Decimal(rng.choice(["250.00", "180.50", "123.456"])),
                       "PM": Decimal(rng.choice(["200.00", "99.99"]))}
        for role, rate in pr["rates"].items():
            clauses.append(f"  rate \"{role}\" {rate} per hour")
        if rng.random() < 0.6:  # an amendment raising PSE (and maybe adding TA)
            eff = max(signed, rand_day(dt.date(2026, 9, 1), dt.date(2026, 11, 30)))
            new = {"PSE": pr["rates"]["PSE"] + Decimal(rng.choice(["25.00", "10.125"]))}
            if rng.random() < 0.5:
                new["TA"] = Decimal("75.00")
            pr["amend_rates"].append((eff, new))
            body = "\n".join(f"    rate \"{r}\" {v} per hour" for r, v in new.items())
            amendments.append(f"  amendment \"CR-{p}\" effective {eff} {{\n{body}\n  }}")
        for _ in range(rng.randrange(5, 30)):
            worked = rand_day(LO, dt.date(2026, 11, 28))
            approved = worked + dt.timedelta(days=rng.randrange(0, 12)) if rng.random() < 0.85 else None
            hours = Decimal(rng.randrange(1, 80)) / 8 if rng.random() < 0.5 else Decimal(rng.randrange(1, 900)) / 100
            role = rng.choice(["PSE", "PSE", "PM", "TA"])
            billable = 1 if rng.random() < 0.9 else 0
            pr["entries"].append((worked, approved, hours, role, billable))
            sql.append(f"INSERT INTO time_entries VALUES ({entry_id}, '{pid}', 'x', '{role}', '{worked}', '{hours}', "
                       f"{repr(str(approved)) if approved else 'NULL'}, {billable});")
            entry_id += 1
    else:
        for k in range(1, rng.randrange(2, 5)):
            mid = f"{pid}-M{k}"
            amt = Decimal(rng.randrange(100000, 3000000)) / 100
            received = rand_day(LO, HI) if rng.random() < 0.7 else None
            clauses.append(add_milestone(pr, mid, f"Milestone {k}", amt, received, None))
        if term in ("milestone", "on_sow_execution", "on_order_form") and rng.random() < 0.5:
            eff = max(signed, booked, rand_day(dt.date(2026, 9, 1), dt.date(2026, 11, 30)))
            mid = f"{pid}-A1"
            amt = Decimal(rng.randrange(100000, 900000)) / 100
            received = rand_day(LO, HI) if rng.random() < 0.8 else None
            clause = add_milestone(pr, mid, "Added", amt, received, eff)
            amendments.append(f"  amendment \"CR-{p}\" effective {eff} {{\n  {clause}\n  }}")
        if rng.random() < 0.4:
            tid = f"{pid}-T1"
            price = Decimal(rng.randrange(50000, 500000)) / 100
            delivered = rand_day(LO, HI) if rng.random() < 0.8 else None
            roster = rand_day(LO, HI) if rng.random() < 0.8 else None
            pr["trainings"].append((tid, price, delivered, roster))
            clauses.append(f"  training \"{tid}\" \"Course\" {price}")
            sql.append(f"INSERT INTO trainings (id, project_id, course, delivered_on, roster_received_on) VALUES "
                       f"('{tid}', '{pid}', 'Course', {repr(str(delivered)) if delivered else 'NULL'}, "
                       f"{repr(str(roster)) if roster else 'NULL'});")
    sow.append(f"sow \"SOW-B{p:02d}\" for project \"{pid}\" {{")
    sow.extend(clauses + amendments)
    sow.append("}")
    sow.append("")
    projects.append(pr)


def rate_on(pr, role, day):
    """SPEC 8.7: the rate card in force on the day the entry was worked."""
    rate = pr["rates"].get(role)
    for eff, new in sorted(pr["amend_rates"]):
        if eff <= day and role in new:
            rate = new[role]
    return rate


def in_force(eff, day):
    return eff is None or eff <= day


def revenue_lines(pr):
    """(recognition date, exact amount) of every releasable source row."""
    out = []
    if pr["term"] == "time_and_materials":
        for worked, approved, hours, role, billable in pr["entries"]:
            rate = rate_on(pr, role, worked)
            if approved and billable and rate is not None:
                q = (hours * 4).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 4  # 0.25 h, half up
                out.append((approved, q * rate))
    else:
        for mid, amt, received, eff in pr["milestones"]:
            if received:
                out.append((max(received, eff) if eff else received, amt))
    for tid, price, delivered, roster in pr["trainings"]:
        if delivered and roster:
            out.append((max(delivered, roster), price))
    return out


def total_on(pr, day):
    return (sum((a for _, a, _, e in pr["milestones"] if in_force(e, day)), Decimal(0))
            + sum((t[1] for t in pr["trainings"]), Decimal(0)))


def billing_lines(pr, end, lines):
    """(bill date, amount) of every billing line raised by period end `end`."""
    term, out = pr["term"], []
    if term == "time_and_materials":
        prev = None
        for y, m in PERIODS:
            e = period_end(y, m)
            if e > end:
                break
            s = sum((a for d, a in lines if d <= e and (prev is None or d > prev)), Decimal(0))
            if any(d <= e and (prev is None or d > prev) for d, _ in lines):
                out.append((e, cents(s)))
            prev = e
        return out
    if term == "milestone":
        for mid, amt, received, eff in pr["milestones"]:
            if received and (max(received, eff) if eff else received) <= end:
                out.append((max(received, eff) if eff else received, amt))
        return out
    if term in ("on_sow_execution", "on_order_form"):
        start = pr["signed"] if term == "on_sow_execution" else pr["booked"]
        if start <= end:
            out.append((start, total_on(pr, start)))
        for mid, amt, received, eff in pr["milestones"]:
            if eff and max(eff, start) <= end:
                out.append((max(eff, start), amt))
        return out
    # half_and_half, on_completion: completion as of each period end
    if term == "half_and_half" and pr["signed"] <= end:
        out.append((pr["signed"], cents(total_on(pr, pr["signed"]) * Decimal("0.5"))))
    done = None
    for y, m in PERIODS:
        e = period_end(y, m)
        if e > end:
            break
        ms = pr["milestones"]
        if ms and all(r and r <= e for _, _, r, _ in ms):
            done = max(r for _, _, r, _ in ms)
            break
    if done:
        total = total_on(pr, done)
        out.append((done, total - cents(total_on(pr, pr["signed"]) * Decimal("0.5")) if term == "half_and_half" else total))
    return out


rows = []
for y, m in PERIODS:
    end = period_end(y, m)
    for pr in projects:
        lines = revenue_lines(pr)
        rec = sum((a for d, a in lines if d <= end), Decimal(0))
        bills = billing_lines(pr, end, lines)
        billed = sum((a for _, a in bills), Decimal(0))
        has = any(d <= end for d, _ in lines) or bills
        if has:
            rows.append(f"{y}-{m:02d} {pr['id']} {pr['cur']} {norm(rec)} {norm(billed)} "
                        f"{norm(max(rec - billed, Decimal(0)))} {norm(max(billed - rec, Decimal(0)))}")

with open(os.path.join(HERE, "balances.sql"), "w") as f:
    f.write("\n".join(sql) + "\n")
with open(os.path.join(HERE, "balances.sow"), "w") as f:
    f.write("\n".join(sow))
with open(os.path.join(HERE, "balances.expected"), "w") as f:
    f.write("\n".join(rows) + "\n")
