# A fresh `yardstick init` (the repository's theme, four folders up) checks
# with no problem: 3 scorecards, 10 rules, 0 errors, 0 warnings.
"${YARDSTICK:?}" init --theme ../../../.. . >/dev/null
