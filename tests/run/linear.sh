# Tools stay linear in the size of a file: positions come from a line table
# built once (diag.c), not a scan from the start per message or per line.
# 40,000 lines took sow fmt 22 s and check --strict 37 s; each is well
# under a second now (the timeout is for slow machines and the ASan build).
# check --strict shows the first 1,000 warnings, then the count.
awk 'BEGIN { for (i = 0; i < 40000; i++) printf "const c%d = %d # note %d\n", i, i, i }' >big.sow
timeout 20 "$SOW_BIN" fmt big.sow >big.fmt; echo "fmt: exit $?"
echo "fmt: $(grep -c "^const c[0-9]* = [0-9]*  # note" big.fmt) lines with their comments"
timeout 20 "$SOW_BIN" check --strict big.sow 2>err.txt; echo "check --strict: exit $?"
grep -c "warning: const 'c[0-9]*' is never used" err.txt
grep -v '^ ' err.txt | sed -n '1p;1000,$p'
