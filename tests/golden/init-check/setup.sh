# A fresh `yardstick init` (no theme files: the theme is built in) checks
# with no problem: 3 scorecards, 10 rules, 0 errors, 0 warnings.
"${YARDSTICK:?}" init . >/dev/null
