sh ../../../golden/exit-site.sh catalog-error
