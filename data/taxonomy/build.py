#!/usr/bin/env python3
"""Derive warmpath's compact taxonomy tables from ../shared/data-sources.

Run from the repository root:  python3 data/taxonomy/build.py [path/to/shared/data-sources]
Python 3 standard library only. Writes, next to this script:
  sp500.tsv         S&P 500 company name -> field (via gics_fields.tsv)
  occupations.tsv   O*NET 27.0 / ESCO title -> field (via soc_fields.tsv / isco_fields.tsv)
  universities.tsv  university name -> domains (Hipo university-domains-list, MIT)
  gov_domains.tsv   federal and school-district .gov domains -> field (cisagov dotgov-data, CC0)
  gov_agencies.tsv  federal agency and bureau names (cisagov dotgov-data, CC0)
  industries.tsv    NAICS 2022 industry title -> field (via naics_fields.tsv; U.S. Census Bureau, public domain)
The hand-written mapping tables (gics/soc/isco/naics_fields.tsv) are inputs; everything else here is reproducible.
"""
import csv
import json
import os
import re
import sys
import unicodedata
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "..", "shared", "data-sources")

# Single-word heads that must never decide a field alone (FIELDS.md 4.2 tier 6); also dropped as exact titles.
GENERIC = set("""analyst associate engineer technician specialist manager director consultant partner officer
coordinator assistant administrator supervisor executive advisor adviser agent representative clerk operator
worker inspector planner designer developer architect scientist researcher writer editor producer president
vice president principal owner founder intern trainee apprentice head lead chief instructor trainer broker
dealer examiner investigator estimator auditor controller counselor therapist attendant aide""".split())


def norm(text):
    text = unicodedata.normalize("NFKC", text).lower()
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    text = text.replace("&", " and ")
    text = re.sub(r"[^\w+#]+", " ", text).replace("_", " ")
    return " ".join(text.split())


def read_prefix_table(name):
    table = {}
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            key, field = line.rstrip("\n").split("\t")[:2]
            table[key] = field
    return table


def lookup_prefix(table, code):
    for end in range(len(code), 0, -1):
        if code[:end] in table:
            return table[code[:end]]
    return "-"


def write(name, header, rows):
    with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="\n") as f:
        f.write(header + "\n")
        for row in rows:
            f.write("\t".join(row) + "\n")
    print(f"{name}: {len(rows)} rows")


def build_sp500():
    gics = read_prefix_table("gics_fields.tsv")
    rows = {}
    with open(os.path.join(SRC, "sp500-companies", "constituents.csv"), encoding="utf-8") as f:
        for rec in csv.DictReader(f):
            name = re.sub(r"\s*\(Class [A-Z]\)", "", rec["Security"]).strip()
            # "Coca-Cola Company (The)" -> "The Coca-Cola Company", "Lilly (Eli)" -> "Eli Lilly"
            name = re.sub(r"^(.*) \((.*)\)$", r"\2 \1", name)
            field = gics.get(rec["GICS Sub-Industry"])
            if field is None:
                sys.exit(f"unmapped GICS sub-industry: {rec['GICS Sub-Industry']}")
            if field != "-":
                rows[name] = field
    write("sp500.tsv", "# S&P 500 constituent (ODC-PDDL-1.0)\tfield via GICS sub-industry", sorted(rows.items()))


def add_title(votes, title, field, source):
    key = norm(title)
    if key and key not in GENERIC and len(key) >= 3:
        votes[key].add((field, source))


def agreed(fields):
    if len(fields) == 1 and "-" not in fields:
        return next(iter(fields))
    tops = {f.split("/")[0] for f in fields}
    if len(tops) == 1 and "-" not in tops:
        return tops.pop()
    return None


def build_occupations():
    soc = read_prefix_table("soc_fields.tsv")
    isco = read_prefix_table("isco_fields.tsv")
    votes = defaultdict(set)
    onet = os.path.join(SRC, "onet-27")
    with open(os.path.join(onet, "Occupation Data.txt"), encoding="utf-8") as f:
        for rec in csv.DictReader(f, delimiter="\t"):
            add_title(votes, rec["Title"], lookup_prefix(soc, rec["O*NET-SOC Code"]), "O")
    with open(os.path.join(onet, "Alternate Titles.txt"), encoding="utf-8") as f:
        for rec in csv.DictReader(f, delimiter="\t"):
            field = lookup_prefix(soc, rec["O*NET-SOC Code"])
            add_title(votes, rec["Alternate Title"], field, "O")
            if rec["Short Title"] not in ("n/a", ""):
                add_title(votes, rec["Short Title"], field, "O")
    with open(os.path.join(SRC, "esco-occupations", "occupations_en.csv"), encoding="utf-8") as f:
        for rec in csv.DictReader(f):
            field = lookup_prefix(isco, rec["iscoGroup"])
            add_title(votes, rec["preferredLabel"], field, "E")
            for alt in rec["altLabels"].split("\n"):
                if alt.strip():
                    add_title(votes, alt, field, "E")
    rows = []
    for key, pairs in votes.items():
        # A title several occupations share decides nothing unless they agree (at least on the top field).
        # O*NET is asked first; ESCO decides only the titles O*NET leaves open.
        for source in ("O", "E"):
            field = agreed({f for f, s in pairs if s == source})
            if field:
                rows.append((key, field, source))
                break
    rows.sort()
    write("occupations.tsv", "# normalised title\tfield\tsource (O = O*NET 27.0, CC BY 4.0; E = ESCO, European Commission)", rows)


def build_universities():
    with open(os.path.join(SRC, "university-domains", "world_universities_and_domains.json"), encoding="utf-8") as f:
        data = json.load(f)
    rows = {}
    for uni in data:
        name = " ".join(uni["name"].split())
        domains = sorted({d.strip().lower() for d in uni.get("domains") or [] if d.strip()})
        rows.setdefault(name, set()).update(domains)
    out = [(name, ";".join(sorted(doms))) for name, doms in sorted(rows.items())]
    write("universities.tsv", "# university name (Hipo university-domains-list, MIT)\tdomains", out)


def build_gov():
    rows = {}
    with open(os.path.join(SRC, "dotgov-domains", "current-full.csv"), encoding="utf-8") as f:
        for rec in csv.DictReader(f):
            kind = rec["Domain type"]
            if kind.startswith("Federal"):
                rows[rec["Domain name"].lower()] = "government/federal"
            elif kind == "School district":
                rows[rec["Domain name"].lower()] = "education/k12"
    write("gov_domains.tsv", "# .gov domain (cisagov dotgov-data, CC0)\tfield; other .gov domains are state/local government", sorted(rows.items()))
    names = set()
    with open(os.path.join(SRC, "dotgov-domains", "agencies-and-subs.csv"), encoding="utf-8") as f:
        for rec in csv.DictReader(f):
            for name in (rec["Agency"], rec["Bureau"]):
                name = " ".join(name.split())
                if len(norm(name).split()) >= 2:
                    names.add(name)
    write("gov_agencies.tsv", "# federal agency or bureau (cisagov dotgov-data, CC0)", [(n,) for n in sorted(names)])


def naics_title(title):
    """The title as vocabulary, or None when it is too vague: asides in parentheses go, "Other ..." titles too."""
    title = " ".join(re.sub(r"\s*\([^)]*\)", "", title).split())
    if re.match(r"(Offices of )?(All Other|Other|Miscellaneous)\b", title):
        return None
    return title


def build_industries():
    naics = read_prefix_table("naics_fields.tsv")
    votes = defaultdict(set)
    with open(os.path.join(SRC, "naics-2022", "naics_2022_codes.csv"), encoding="utf-8") as f:
        for rec in csv.DictReader(f):
            code = rec["code"]
            if "-" in code:  # the range sectors 31-33, 44-45, 48-49
                first, last = code.split("-")
                codes = [str(c) for c in range(int(first), int(last) + 1)]
            else:
                codes = [code]
            title = naics_title(rec["title"])
            if title is None:
                continue
            for c in codes:
                votes[norm(title)].add(lookup_prefix(naics, c))
    # A title several codes share (a 5-digit industry and its one 6-digit child) keeps a field only if they agree.
    rows = sorted((key, field) for key, fields in votes.items() if (field := agreed(fields)))
    write("industries.tsv", "# normalised NAICS 2022 industry title\tfield", rows)


if __name__ == "__main__":
    build_sp500()
    build_occupations()
    build_universities()
    build_gov()
    build_industries()
