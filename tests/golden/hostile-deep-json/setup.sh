# An outcome file nested 5,000 arrays deep: past jansson's own limit (2048),
# so the error must still be the documented 64-level one, at its place.
set -e
mkdir -p content/outcomes
awk 'BEGIN { printf "{\"data\": {\"attributes\": {\"results\": "; for (i = 0; i < 5000; i++) printf "["; for (i = 0; i < 5000; i++) printf "]"; printf "}}}\n" }' >content/outcomes/deep.json
