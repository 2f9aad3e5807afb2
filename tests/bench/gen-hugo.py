#!/usr/bin/env python3
"""Write a Hugo site with the pages of rule tables a yardstick build shows.

    python3 tests/bench/gen-hugo.py RESULTS_JSON DIR

RESULTS_JSON is the data/results.json of a yardstick build of the
synthetic site (gen-site.sh). DIR gets a Hugo site: the theme of
tests/bench/hugo/ (config and layouts) and content/entities/<name>.md, one
page per entity, whose JSON front matter holds the entity's team and score
and, per scorecard, its score, level and every rule's level, state and
reason. Hugo's templates turn that data into the same tables of rules the
entity pages of yardstick show, so both tools render the same data.
"""
import json
import os
import shutil
import sys


def main():
    results_path, out = sys.argv[1], sys.argv[2]
    with open(results_path, encoding="utf-8") as f:
        results = json.load(f)
    here = os.path.dirname(os.path.abspath(__file__))
    if os.path.exists(out):
        shutil.rmtree(out)
    shutil.copytree(os.path.join(here, "hugo"), out)
    rules = {}
    for sc in results["scorecards"]:
        for rule in sc["rules"]:
            rules[(sc["id"], rule["id"])] = rule
    names = {sc["id"]: sc["name"] for sc in results["scorecards"]}
    pages = os.path.join(out, "content", "entities")
    os.makedirs(pages)
    for entity in results["entities"]:
        kind, _, name = entity["ref"].partition(":")
        scorecards = []
        for sc in entity["scorecards"]:
            scorecards.append({
                "id": sc["id"],
                "name": names[sc["id"]],
                "score": sc["score"],
                "level": sc["level"],
                "rules": [{
                    "id": r["id"],
                    "name": rules[(sc["id"], r["id"])]["name"],
                    "level": rules[(sc["id"], r["id"])]["level"],
                    "state": r["state"],
                    "reason": r["reason"],
                } for r in sc["rules"]],
            })
        page = {
            "title": entity["name"],
            "kind": kind,
            "ref": entity["ref"],
            "team": entity["team"],
            "score": entity["score"],
            "scorecards": scorecards,
        }
        slug = name.replace("/", "-")
        with open(os.path.join(pages, slug + ".md"), "w", encoding="utf-8") as f:
            json.dump(page, f, separators=(",", ":"))
            f.write("\n")
    print(len(results["entities"]))


main()
