# Sections nested over one list multiply: 100^4 rows of 70 bytes would be
# 7 GB. The render stops at its size limit, at the template's place.
set -e
awk 'BEGIN { printf "{\"rows\": ["; for (i = 0; i < 100; i++) printf "%s%d", i ? "," : "", i; printf "]}\n" }' >data.json
