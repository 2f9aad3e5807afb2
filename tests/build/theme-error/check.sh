#!/bin/sh
# A broken template stops the build before anything is written.
[ ! -e output ] || { echo "theme-error: output/ was created"; exit 1; }
