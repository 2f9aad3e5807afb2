#!/bin/sh
# --strict: a broken catalog file stops the build before anything is written.
[ ! -e output ] || { echo "strict: output/ was created"; exit 1; }
