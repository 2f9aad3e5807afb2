sh ../../../golden/exit-site.sh page-error
