sh ../../../golden/exit-site.sh warning
