#!/usr/bin/env python3
"""A small warmpath client in Python, standard library only: the curl examples as a script.

It uploads a contact list (a CSV body) for an owner and their relationship to you (and names
the owner if the server knew them only by email), asks GET /v1/introducers and prints a
short table, then sends POST /v1/paths/batch with one path question per ego and prints each
one's best path.

Usage:
    python3 examples/client.py [--url URL] [--csv FILE] [--owner EMAIL] [--owner-name NAME]
                               [--relationship KIND] [--field TEXT] [--ego PERSON]...

    --url           the server (default http://127.0.0.1:8080, where `warmpath serve` listens)
    --csv           the contact list to upload (default: a two-row sample list)
    --owner         whose contacts these are (default maya.chen@example.com)
    --owner-name    the owner's name, set (PATCH /v1/people/{id}) while the server knows
                    them only by their email (default Maya Chen for the default owner)
    --relationship  the owner's relationship to you (default friend)
    --field         what to ask about (default finance): a field id or text such as "VC"
    --ego           another person to ask the batch from (me, a person id, an email or a
                    profile URL); the batch always asks from `me` and from the owner

The key: a server with workspace keys needs `WARMPATH_KEY=wp_...` in the environment; a
server on loopback without keys (`warmpath serve`, `warmpath serve --demo`) needs none.

Try it on the demo network:
    cargo run --release -- serve --demo          # in one terminal
    python3 examples/client.py                   # in another

Exits 0 when every request succeeded, 1 with the server's problem (RFC 9457) otherwise.
"""

import argparse
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

# A list in warmpath's own CSV format (every column but `name` is optional). Uploading the
# same bytes for the same owner again changes nothing: the server answers 200 with the
# earlier report instead of 201.
DEFAULT_OWNER, DEFAULT_OWNER_NAME = "maya.chen@example.com", "Maya Chen"
SAMPLE_CSV = """name,email,company,title,relationship,last_contacted,interactions
Omar Haddad,omar.haddad@example.com,Evercore,Investment Banking Associate,friend,2025-11-20,40
Lena Fischer,lena.fischer@example.com,Kirkland & Ellis,Associate,colleague,2025-06-01,12
"""


class Problem(Exception):
    """An error answer: the server's problem+json body, or what went wrong on the way."""

    def __init__(self, status, body):
        self.status = status
        self.body = body
        prefix = f"{status} {body.get('title', '')}" if status else body.get("title", "")
        super().__init__(f"{prefix}: {body.get('detail', '')}")


class Client:
    def __init__(self, url, key=None):
        self.url = url.rstrip("/")
        self.key = key

    def request(self, method, path, params=None, body=None, content_type=None):
        """Sends one request; returns (status, parsed JSON body)."""
        url = self.url + path
        if params:
            url += "?" + urllib.parse.urlencode(params)
        headers = {"Accept": "application/json"}
        if content_type:
            headers["Content-Type"] = content_type
        if self.key:
            headers["Authorization"] = f"Bearer {self.key}"
        request = urllib.request.Request(url, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, json.load(response)
        except urllib.error.HTTPError as error:
            raw = error.read()
            try:
                problem = json.loads(raw)
            except ValueError:
                problem = {"title": error.reason, "detail": raw[:200].decode("utf-8", "replace")}
            raise Problem(error.code, problem) from None
        except urllib.error.URLError as error:
            raise Problem(0, {"title": "cannot reach the server", "detail": str(error.reason)}) from None

    def import_csv(self, csv_bytes, owner, relationship):
        params = {"owner": owner}
        if relationship:
            params["relationship"] = relationship
        return self.request("POST", "/v1/imports", params, csv_bytes, "text/csv")

    def name_person(self, person_id, name):
        """Names a person whom the server knows only by an email (an owner named by email)."""
        person = self.request("GET", f"/v1/people/{person_id}")[1]
        if person["name"] in person["emails"]:
            body = json.dumps({"name": name}).encode()
            self.request("PATCH", f"/v1/people/{person_id}", body=body, content_type="application/json")

    def introducers(self, field, limit=5):
        return self.request("GET", "/v1/introducers", {"field": field, "limit": limit})[1]

    def batch(self, queries):
        body = json.dumps({"queries": queries}).encode()
        return self.request("POST", "/v1/paths/batch", body=body, content_type="application/json")[1]


def cut(text, width):
    text = text or "-"
    return text if len(text) <= width else text[: width - 1] + "…"


def describe(person):
    """A person as "Name (Title, Company)"."""
    extra = ", ".join(part for part in (person.get("title"), person.get("company")) if part)
    return f"{person['name']} ({extra})" if extra else person["name"]


def print_report(status, report):
    verb = "imported" if status == 201 else "already imported (the same bytes for this owner)"
    print(
        f"import {report['id']} {verb}: {report['format']}, {report['rows']} rows, "
        f"{report['people_created']} people created, {report['people_merged']} merged, "
        f"{report['ties_created']} ties created"
    )
    for skipped in report["skipped"]:
        print(f"  skipped line {skipped['line']}, column {skipped['column']}: {skipped['message']}")
    for warning in report["warnings"]:
        print(f"  warning: {warning}")


def print_introducers(body, asked):
    fields = ", ".join(body["fields"]) or "any field"
    print(f"\nWho can introduce {body['from']['name']} to someone in {asked} ({fields}):")
    if not body["introducers"]:
        print("  nobody yet")
        return
    print(f"  {'#':>2}  {'introducer':<22} {'relationship':<12} {'tie':>5} {'score':>6} {'reach':>5}  best target")
    for rank, introducer in enumerate(body["introducers"], 1):
        best = introducer["targets"][0]["person"] if introducer["targets"] else None
        print(
            f"  {rank:>2}  {cut(introducer['person']['name'], 22):<22} "
            f"{cut(introducer['relationship'], 12):<12} {introducer['strength']:>5.2f} "
            f"{introducer['score']:>6.3f} {introducer['reach']:>5}  "
            f"{cut(describe(best), 50) if best else '-'}"
        )


def print_batch(egos, body):
    print(f"\nBest path from each of {len(egos)} egos (POST /v1/paths/batch):")
    for ego, result in zip(egos, body["results"]):
        if "paths" not in result:
            print(f"  {ego}: {result['status']} {result['detail']}")
        elif not result["paths"]:
            print(f"  {ego}: no path")
        else:
            path = result["paths"][0]
            chain = " → ".join(hop["to"]["name"] for hop in path["hops"])
            print(f"  {ego}: {path['score']:.3f}  {result['from']['name']} → {chain}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8080")
    parser.add_argument("--csv", help="the contact list to upload (default: a sample list)")
    parser.add_argument("--owner", default=DEFAULT_OWNER)
    parser.add_argument("--owner-name")
    parser.add_argument("--relationship", default="friend")
    parser.add_argument("--field", default="finance")
    parser.add_argument("--ego", action="append", default=[])
    args = parser.parse_args()

    client = Client(args.url, os.environ.get("WARMPATH_KEY") or None)
    if args.csv:
        with open(args.csv, "rb") as file:
            csv_bytes = file.read()
    else:
        csv_bytes = SAMPLE_CSV.encode()
    owner_name = args.owner_name or (DEFAULT_OWNER_NAME if args.owner == DEFAULT_OWNER else None)
    try:
        status, report = client.import_csv(csv_bytes, args.owner, args.relationship)
        print_report(status, report)
        if owner_name:
            client.name_person(report["owner"], owner_name)
        print_introducers(client.introducers(args.field), args.field)
        egos = ["me", args.owner, *args.ego]
        queries = [{"from": ego, "field": args.field, "limit": 1} for ego in egos]
        print_batch(egos, client.batch(queries))
    except Problem as problem:
        print(f"error: {problem}", file=sys.stderr)
        for line in problem.body.get("errors") or []:
            print(f"  line {line['line']}, column {line['column']}: {line['message']}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
