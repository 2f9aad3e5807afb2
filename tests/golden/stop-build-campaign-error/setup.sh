sh ../../../golden/exit-site.sh campaign-error
