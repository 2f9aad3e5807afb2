# A partial that is a FIFO no one writes to: refused at once, not waited on.
set -e
mkfifo partials/stuck.mustache
