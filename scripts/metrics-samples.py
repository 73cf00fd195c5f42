#!/usr/bin/env python3
"""Scrapes each URL given (a service's /metrics) and prints, as one JSON object by URL, every sample
as {"name", "labels", "value"}, read by prometheus_client's own text-format parser: the tests hold
the services' exposition to what a real Prometheus client library accepts.

Usage: scripts/metrics-samples.py URL [URL ...]
"""
import json
import sys
import urllib.request

from prometheus_client.parser import text_string_to_metric_families

scrapes = {}
for url in sys.argv[1:]:
    with urllib.request.urlopen(url, timeout=10) as response:
        if response.status != 200:
            sys.exit(f"{url}: HTTP {response.status}")
        text = response.read().decode("utf-8")
    scrapes[url] = [
        {"name": sample.name, "labels": sample.labels, "value": sample.value}
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    ]
json.dump(scrapes, sys.stdout)
