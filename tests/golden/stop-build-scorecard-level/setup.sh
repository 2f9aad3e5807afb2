sh ../../../golden/exit-site.sh scorecard-level
