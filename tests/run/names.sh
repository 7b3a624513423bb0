# Names resolved once by the checker mean the same when evaluated: a
# function's field on rows of two shapes, a parameter named like a rule's
# variable, a selected name that hides a variable in order by, a nested
# query over the same table, consts and enum members beside columns, a
# SOW's own rounding clause.
cp "$top/tests/run/names.sow" .
sow test names.sow; echo "exit $?"
