sh ../../../golden/exit-site.sh outside-error
