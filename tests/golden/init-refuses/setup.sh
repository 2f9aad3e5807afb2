# A folder that already holds a site.conf: init names it and writes nothing
# (tests/init/run.sh checks that nothing changed).
printf '[site]\ntitle = Mine\n' >site.conf
