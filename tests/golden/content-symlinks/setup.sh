# One rule for symbolic links in every content folder (docs/content.md,
# "Files"): links that resolve to a file or folder inside content/ are
# read; broken links, loops, links leading outside and special files are
# skipped with a warning naming them. Made here: git keeps links, but not
# FIFOs, and the links are clearer next to the rule.
set -e
mkdir -p content/teams # git keeps no empty folder
ln -s ../shared/linked-service.yaml content/catalog/linked.yaml
ln -s ../shared/more content/catalog/more
ln -s ../../outside-service.yaml content/catalog/outside.yaml
ln -s missing.yaml content/catalog/broken.yaml
ln -s .. content/catalog/loop
mkfifo content/catalog/fifo.yaml
ln -s ../shared/team.yaml content/teams/web.yaml
ln -s ../../outside-team.yaml content/teams/outsiders.yaml
mkfifo content/teams/fifo.yaml
