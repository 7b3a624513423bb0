#!/usr/bin/python3
"""Generate the independent test tables for tests/unit/unit.c.

Run once (needs Debian's python3-numpy); the tables are committed and the
tests read them without Python:

    /usr/bin/python3 tests/unit/gen_tables.py tests/unit

busday.tsv   business_day / business_days_between / passive acceptance,
             from numpy.busday_offset(roll='forward') and numpy.busday_count
decimal.tsv  + - * / compare, round(to:, mode:) and round(a / b, ...),
             from Python's decimal module at 100 digits of precision
dates.tsv    month_end, add_months, fiscal quarter/year, weekday, from datetime
"""
import datetime
import decimal
import random
import sys

import numpy as np

OUT = sys.argv[1] if len(sys.argv) > 1 else "."
rng = random.Random(20261125)
D = decimal.Decimal
ctx = decimal.getcontext()
ctx.prec = 100
ctx.Emax = 999999
ctx.Emin = -999999

# ---------------------------------------------------------------- calendars
US = ["2024-01-01", "2024-01-15", "2024-05-27", "2024-07-04", "2024-09-02", "2024-11-28", "2024-12-25",
      "2025-01-01", "2025-01-20", "2025-05-26", "2025-07-04", "2025-09-01", "2025-11-27", "2025-12-25",
      "2026-01-01", "2026-01-19", "2026-05-25", "2026-07-03", "2026-09-07", "2026-11-26", "2026-12-25",
      "2027-01-01", "2027-01-18", "2027-05-31", "2027-07-05", "2027-09-06", "2027-11-25", "2027-12-24",
      "2027-12-31", "2028-02-29"]
NL = ["2025-01-01", "2025-04-18", "2025-04-21", "2025-04-26", "2025-05-05", "2025-05-29", "2025-06-09",
      "2025-12-25", "2025-12-26", "2026-01-01", "2026-04-03", "2026-04-06", "2026-04-27", "2026-05-05",
      "2026-05-14", "2026-05-25", "2026-12-25", "2026-12-26", "2027-01-01"]
# holidays that fall on weekends, and runs of holidays, on purpose
ODD = ["2026-11-28", "2026-11-29", "2026-12-21", "2026-12-22", "2026-12-23", "2026-12-24", "2026-12-28",
       "2026-12-29", "2026-12-30", "2026-12-31", "2027-01-01", "2028-02-29", "2024-02-29"]
CALS = {
    # name: (weekmask Mon..Sun as 1 = workday, holidays)
    "US": ("1111100", US),
    "NL": ("1111100", NL),
    "ODD": ("1111100", ODD),
    "FRISAT": ("1111001", ["2026-11-26", "2026-12-03"]),
    "SIXDAY": ("1111110", US),
    "NONE": ("1111100", []),
}


def rand_date(lo="2023-06-01", hi="2028-12-31"):
    a = datetime.date.fromisoformat(lo).toordinal()
    b = datetime.date.fromisoformat(hi).toordinal()
    return datetime.date.fromordinal(rng.randint(a, b))


def gen_busday():
    rows = []
    special = [datetime.date(2026, 11, d) for d in range(20, 31)] + \
              [datetime.date(2026, 12, 24), datetime.date(2026, 12, 31), datetime.date(2027, 1, 1),
               datetime.date(2028, 2, 28), datetime.date(2028, 2, 29), datetime.date(2024, 2, 29),
               datetime.date(2026, 12, 26), datetime.date(2026, 12, 27)]
    for name, (mask, hol) in CALS.items():
        h = np.array(hol, dtype="datetime64[D]")
        cal = np.busdaycalendar(weekmask=mask, holidays=h)
        for i in range(420):
            d = special[i] if i < len(special) else rand_date()
            n = rng.choice([0, 0, 1, 2, 3, 4, 5, 9, 10, 15, 20, 45, 100, 365, -1, -3, -10, -60, rng.randint(-800, 800)])
            r = np.busday_offset(np.datetime64(d, "D"), n, roll="forward", busdaycal=cal)
            rows.append(("business_day", name, d.isoformat(), str(n), str(r)))
            if n >= 1:
                rows.append(("passive_acceptance_on", name, d.isoformat(), str(n),
                             str(np.busday_offset(np.datetime64(d, "D"), n - 1, roll="forward", busdaycal=cal))))
            e = d + datetime.timedelta(days=rng.choice([0, 1, 3, 7, 30, 90, 400, -5, -40, rng.randint(-3000, 3000)]))
            c = np.busday_count(np.datetime64(d, "D"), np.datetime64(e, "D"), busdaycal=cal)
            rows.append(("business_days_between", name, d.isoformat(), e.isoformat(), str(int(c))))
    with open(f"{OUT}/calendars.tsv", "w") as f:
        f.write("# name\tweekend (days not worked, 0 = Monday)\tholidays\n")
        for name, (mask, hol) in CALS.items():
            off = ",".join(str(i) for i, c in enumerate(mask) if c == "0")
            f.write(f"{name}\t{off}\t{','.join(hol)}\n")
    with open(f"{OUT}/busday.tsv", "w") as f:
        f.write("# function\tcalendar\tdate\tn or end date\texpected (numpy)\n")
        for r in rows:
            f.write("\t".join(r) + "\n")
    return len(rows)


# ---------------------------------------------------------------- decimals
LIMIT = D(10) ** 38
MAXSCALE = 24


def fits(x):
    """The value as sow prints it, or ERR when it exceeds sow's range."""
    t = x.as_tuple()
    digits = len(t.digits)
    exp = t.exponent
    if exp > 0:  # sow keeps integers at scale 0
        digits += exp
        exp = 0
    if -exp > MAXSCALE:
        return "ERR"
    coef = int(x.scaleb(-exp))
    if abs(coef) >= LIMIT:
        return "ERR"
    s = "{:f}".format(x)
    if s.startswith("-") and not any(ch in "123456789" for ch in s):
        s = s[1:]
    return s


def fs(x):
    """Plain notation, as an analyst types it (never 1.698E-8)."""
    return "{:f}".format(x)


def rand_dec():
    kind = rng.random()
    if kind < 0.25:
        whole = rng.randint(0, 10 ** rng.randint(0, 6))
        places = rng.randint(0, 3)
        v = D(whole) + D(rng.randint(0, 10 ** places - 1 if places else 0)) / (D(10) ** places)
        v = v.quantize(D(1).scaleb(-places)) if places else D(whole)
    elif kind < 0.45:
        v = D(rng.choice(["0.125", "0.375", "0.33", "0.25", "0.5", "0.75", "0.875", "1.125", "2.5", "0.005",
                          "0.015", "0.025", "1.005", "12000.00", "9319.7", "250.00", "123.456", "0", "0.00",
                          "7.75", "8", "0.1", "0.2", "0.3", "1.0", "100", "33.333", "0.0001"]))
    elif kind < 0.6:
        digits = rng.randint(15, 30)
        places = rng.randint(0, 12)
        v = D(rng.randint(10 ** (digits - 1), 10 ** digits - 1)).scaleb(-places)
    elif kind < 0.7:
        v = D(rng.randint(1, 99999)).scaleb(-rng.randint(0, 12))
    else:
        v = D(rng.randint(0, 10 ** 9)).scaleb(-rng.randint(0, 4))
    if rng.random() < 0.35:
        v = -v
    return v


MODES = {"half_up": decimal.ROUND_HALF_UP, "half_even": decimal.ROUND_HALF_EVEN,
         "up": decimal.ROUND_UP, "down": decimal.ROUND_DOWN}
STEPS = ["0.25", "0.5", "0.01", "1", "0.05", "5", "0.001", "100", "0.1", "0.0001", "10", "0.25", "0.5", "0.01"]


def round_to(x, step, mode):
    q = (x / step).to_integral_value(rounding=MODES[mode])
    return (q * step).quantize(step)  # sow shows a rounded value with the step's places


def gen_decimal():
    rows = []
    for _ in range(900):
        a, b = rand_dec(), rand_dec()
        rows.append(("add", fs(a), fs(b), "", fits(a + b)))
        rows.append(("sub", fs(a), fs(b), "", fits(a - b)))
        rows.append(("mul", fs(a), fs(b), "", fits(a * b)))
        rows.append(("cmp", fs(a), fs(b), "", str((a > b) - (a < b))))
    for _ in range(500):
        a, b = rand_dec(), rand_dec()
        if rng.random() < 0.5:
            b = D(rng.choice(["2", "4", "8", "5", "3", "7", "0.5", "0.25", "16", "100", "1.5", "0", "-2", "40"]))
        if b == 0:
            rows.append(("div", fs(a), fs(b), "", "ERR"))
            continue
        q = a / b
        exact = q * b == a and fits(q) != "ERR"
        # sow's exact quotient: least scale >= ideal where it terminates
        rows.append(("div", fs(a), fs(b), "", fits(q) if exact and -q.normalize().as_tuple().exponent <= MAXSCALE else "ERR"))
    ties = ["0.125", "0.375", "0.33", "-0.125", "-0.375", "2.5", "-2.5", "0.625", "1.875", "-0.33", "0.045", "0.055"]
    for _ in range(1200):
        x = D(rng.choice(ties)) if rng.random() < 0.3 else rand_dec()
        step = D(rng.choice(STEPS))
        mode = rng.choice(list(MODES))
        rows.append(("round_" + mode, fs(x), fs(step), "", fits(round_to(x, step, mode))))
    for _ in range(400):
        a = rand_dec()
        b = D(rng.choice(["3", "7", "12", "0.3", "365", "1.1", "-3", "40", "9"]))
        step = D(rng.choice(["0.01", "0.25", "1", "0.0001"]))
        mode = rng.choice(list(MODES))
        q = ((a / b / step).to_integral_value(rounding=MODES[mode]) * step).quantize(step)
        rows.append(("divround_" + mode, fs(a), fs(b), fs(step), fits(q)))
    for s, ok in [("12,50", False), ("1e3", False), (" 1", False), ("", False), ("-", False), ("5.", False),
                  (".5", False), ("1.2.3", False), ("+3", True), ("-0.125", True), ("007", True),
                  ("12000.00", True), ("1" * 38, True), ("1" * 39, False), ("0." + "1" * 24, True),
                  ("0." + "1" * 25, False), ("abc", False), ("1 000", False), ("0x10", False)]:
        rows.append(("parse", s, "", "", fits(D(s)) if ok else "ERR"))
    with open(f"{OUT}/decimal.tsv", "w") as f:
        f.write("# op\ta\tb\tc\texpected (Python decimal, prec 100; ERR = sow must refuse)\n")
        for r in rows:
            f.write("\t".join(r) + "\n")
    return len(rows)


# ---------------------------------------------------------------- dates
def month_end(d):
    if d.month == 12:
        return d.replace(day=31)
    return d.replace(month=d.month + 1, day=1) - datetime.timedelta(days=1)


def add_months(d, n):
    idx = d.year * 12 + d.month - 1 + n
    y, m = divmod(idx, 12)
    m += 1
    last = month_end(datetime.date(y, m, 1)).day
    return datetime.date(y, m, min(d.day, last))


def fiscal(d, start):
    fy = d.year if (start == 1 or d.month < start) else d.year + 1
    q = ((d.month - start) % 12) // 3 + 1
    return fy, q


def gen_dates():
    rows = []
    edge = [datetime.date(2027, 1, 31), datetime.date(2027, 2, 1), datetime.date(2026, 2, 1),
            datetime.date(2026, 1, 31), datetime.date(2024, 2, 29), datetime.date(2000, 2, 29),
            datetime.date(1900, 2, 28), datetime.date(1, 1, 1), datetime.date(9999, 12, 31),
            datetime.date(2026, 10, 31), datetime.date(2026, 11, 1)]
    for i in range(700):
        d = edge[i] if i < len(edge) else (rand_date("1600-01-01", "2400-12-31") if i % 3 == 0 else rand_date())
        rows.append(("month_end", d.isoformat(), "", month_end(d).isoformat()))
        rows.append(("weekday", d.isoformat(), "", str(d.weekday())))
        rows.append(("days", d.isoformat(), "", str(d.toordinal() - datetime.date(1970, 1, 1).toordinal())))
        n = rng.choice([1, -1, 12, 3, -13, 25, 0, rng.randint(-400, 400)])
        try:
            rows.append(("add_months", d.isoformat(), str(n), add_months(d, n).isoformat()))
        except (ValueError, OverflowError):
            rows.append(("add_months", d.isoformat(), str(n), "ERR"))
        start = rng.choice([2, 2, 1, 4, 7, 10])
        if d.year < 9999:
            fy, q = fiscal(d, start)
            rows.append(("fiscal", d.isoformat(), str(start), f"FY{fy:04d}-Q{q}"))
    for s in ["2026-02-29", "2026-13-01", "2026-00-10", "0000-01-01", "2026-1-01", "2026/01/01", "20260101",
              "2028-02-29", "2026-04-31", "2026-12-31x"]:
        try:
            ok = len(s) == 10 and datetime.date.fromisoformat(s).isoformat() == s
        except ValueError:
            ok = False
        rows.append(("parse", s, "", s if ok else "ERR"))
    with open(f"{OUT}/dates.tsv", "w") as f:
        f.write("# function\tdate\targ\texpected (Python datetime)\n")
        for r in rows:
            f.write("\t".join(r) + "\n")
    return len(rows)


if __name__ == "__main__":
    print("busday", gen_busday(), "decimal", gen_decimal(), "dates", gen_dates())
