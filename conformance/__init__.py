"""The W3C SPARQL 1.1 test suites, manifest-driven, against our real HTTP endpoint.

`python -m conformance.run --w3c DIR` (`make conformance W3C=DIR`); see conformance/README.md.
"""
