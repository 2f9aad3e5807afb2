# site.conf is a FIFO no one writes to: it must be refused at once, not
# waited on (the runner's 20-second timeout would call it a hang).
set -e
mkfifo site.conf
