#!/bin/sh
# validate.sh OUTDIR: html-validate (tests/site/.htmlvalidate.json) over every
# .html file under OUTDIR. The file list goes through xargs in batches of
# 1000 pages, one html-validate per core, so thousands of pages are fine.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if [ $# -ne 1 ]; then
	echo "usage: sh tests/site/validate.sh OUTDIR" >&2
	exit 2
fi
outdir=$1
if [ ! -d "$outdir" ]; then
	echo "html-validate: $outdir: no such folder" >&2
	exit 2
fi
bin=$here/node_modules/.bin/html-validate
if [ ! -x "$bin" ]; then
	echo "html-validate: $bin is missing; run 'make site-deps' (or: cd tests/site && npm ci)" >&2
	exit 2
fi
count=$(find "$outdir" -type f -name '*.html' | wc -l)
if [ "$count" -eq 0 ]; then
	echo "html-validate: no .html file under $outdir" >&2
	exit 1
fi
jobs=$(nproc 2>/dev/null || echo 1)
status=0
find "$outdir" -type f -name '*.html' -print0 | sort -z |
	xargs -0 -n 1000 -P "$jobs" "$bin" --config "$here/.htmlvalidate.json" --formatter stylish || status=$?
if [ "$status" -ne 0 ]; then
	echo "html-validate: $count pages checked: errors above (rules: tests/site/.htmlvalidate.json)"
	exit 1
fi
echo "html-validate: $count pages, no errors"
