# Generates the hostile catalog files: they are too big, or hold bytes
# (NUL, invalid UTF-8) that do not belong in a repository's text files.
set -e
c=content/catalog
# A billion laughs: ten levels of ten aliases each.
{
	echo 'apiVersion: v3'
	echo 'kind: service'
	echo 'metadata: {name: laughs}'
	echo 'a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'
	i=1
	while [ $i -le 9 ]; do
		p=$((i - 1))
		echo "a$i: &a$i [*a$p, *a$p, *a$p, *a$p, *a$p, *a$p, *a$p, *a$p, *a$p, *a$p]"
		i=$((i + 1))
	done
} >$c/alias-bomb.yaml
# 10,000 nested flow sequences on one line.
awk 'BEGIN { printf "apiVersion: v3\nkind: service\nmetadata: {name: deep}\nx: "; for (i = 0; i < 10000; i++) printf "["; printf "\n" }' >$c/deep.yaml
# Invalid UTF-8 in a description.
printf 'apiVersion: v3\nkind: service\nmetadata:\n  name: latin1\n  description: caf\351 cr\350me\n' >$c/invalid-utf8.yaml
# A NUL byte in the middle of a value.
printf 'apiVersion: v3\nkind: service\nmetadata:\n  name: nul\n  description: a\000b\n' >$c/nul.yaml
# A 100,000-character value loads; a 100,000-character key cannot be a YAML simple key.
awk 'BEGIN { printf "apiVersion: v3\nkind: service\nmetadata:\n  name: long-line\n  description: "; for (i = 0; i < 100000; i++) printf "x"; printf "\n" }' >$c/long-value.yaml
awk 'BEGIN { printf "apiVersion: v3\nkind: service\nmetadata:\n  name: long-key\n  "; for (i = 0; i < 100000; i++) printf "k"; printf ": v\n" }' >$c/long-key.yaml
# A file over the 32 MiB limit.
head -c 34000000 /dev/zero | tr '\0' '#' >$c/huge.yaml
# Names that try to leave the output folder or inject markup are just data.
cat >$c/names.yaml <<'YAML'
apiVersion: v3
kind: service
metadata:
  name: ../../etc/passwd
  displayName: <script>alert(1)</script>
  owner: "<img src=x onerror=alert(1)>"
YAML
