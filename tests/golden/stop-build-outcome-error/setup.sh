sh ../../../golden/exit-site.sh outcome-error
