#!/usr/bin/env python3
"""Cuts the part of Datadog's published v1 OpenAPI description that the datadog metric source uses.

Re-run with the description from DataDog/datadog-api-client-typescript, file .generator/schemas/v1/openapi.yaml:
    python3 extract-openapi-subset.py openapi.yaml <commit> > metrics-query-openapi.json && npx prettier --write metrics-query-openapi.json
Keeps GET /api/v1/query, the servers (with the `site` variable), the two API-key security schemes and every
component those refer to, transitively; nothing else.
"""
import json
import sys

import yaml

PATH = "/api/v1/query"


def refs(node, found):
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/"):
            found.add(ref)
        for value in node.values():
            refs(value, found)
    elif isinstance(node, list):
        for value in node:
            refs(value, found)


def resolve(spec, ref):
    node = spec
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def main():
    source, commit = sys.argv[1], sys.argv[2]
    with open(source, encoding="utf-8") as handle:
        spec = yaml.safe_load(handle)
    operation = {"get": spec["paths"][PATH]["get"]}
    wanted, done = set(), set()
    refs(operation, wanted)
    components = {"securitySchemes": {name: spec["components"]["securitySchemes"][name] for name in ("apiKeyAuth", "appKeyAuth")}}
    while wanted - done:
        ref = sorted(wanted - done)[0]
        done.add(ref)
        node = resolve(spec, ref)
        _, _, kind, name = ref.split("/", 3)
        components.setdefault(kind, {})[name] = node
        refs(node, wanted)
    subset = {
        "x-provenance": f"Subset of DataDog/datadog-api-client-typescript .generator/schemas/v1/openapi.yaml at commit {commit}, cut by extract-openapi-subset.py beside this file (only GET {PATH} and what it refers to).",
        "openapi": spec["openapi"],
        "info": {"title": spec["info"]["title"], "version": spec["info"]["version"]},
        "servers": spec["servers"],
        "paths": {PATH: operation},
        "components": components,
    }
    json.dump(subset, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


main()
