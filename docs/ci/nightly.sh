#!/bin/sh
# yardstick-nightly: pull the catalog, build, post to Slack, publish with
# rsync. Install yardstick once (`apt-get install ./yardstick_VERSION_ARCH.deb`
# or `make install`), copy this file to /usr/local/bin/yardstick-nightly,
# and run it from cron as the user who owns the checkout:
#
#   # /etc/cron.d/yardstick
#   SLACK_WEBHOOK_URL=https://hooks.slack.com/services/...
#   17 3 * * *  scorecards  /usr/local/bin/yardstick-nightly >>/var/log/yardstick/nightly.log 2>&1
#
# Exit codes: those of `yardstick build` (man yardstick). 1 content errors
# and 3 I/O errors publish nothing (the web server keeps yesterday's site);
# 4 (a Slack digest was not delivered) publishes the site, then exits 4 so
# cron mails the failure. A failed pull or rsync exits 3.
set -u
SITE_DIR=${SITE_DIR:-/srv/scorecards/catalog}
DEST=${DEST:-www@web.example.com:/var/www/scorecards/}

cd "$SITE_DIR" || exit 3
git pull --ff-only -q || { echo "yardstick-nightly: git pull failed"; exit 3; }
# The history lives in output/history.db, kept between runs on this
# machine (and published with the site, so a new machine restores it).
status=0
yardstick build --slack || status=$?
case $status in
0 | 4) ;;
*) echo "yardstick-nightly: build failed (exit $status); nothing published"
   exit "$status" ;;
esac
# --delete-after: the old site stays whole until the new one is in place;
# the output's hidden files (the build's manifest and lock) stay here.
rsync -a --delete-after --exclude='.*' output/ "$DEST" ||
	{ echo "yardstick-nightly: rsync to $DEST failed"; exit 3; }
[ "$status" -eq 4 ] && echo "yardstick-nightly: the site is published, a Slack digest was not delivered"
exit "$status"
