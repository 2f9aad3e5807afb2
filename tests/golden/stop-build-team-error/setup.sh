sh ../../../golden/exit-site.sh team-error
