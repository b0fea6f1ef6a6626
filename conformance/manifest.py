"""Reading the W3C manifests (mf:, qt:, ut:, ht:) into plain test records.

Each suite directory has a `manifest.ttl` listing its tests in order (`mf:entries`). IRIs in a
manifest are relative to the manifest file, so every file is named by its `file:` IRI here: the
same IRI names its graph in the server's dataset and is the base of its query.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS

MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
DAWGT = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-dawg#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
HTS = rdflib.Namespace("http://www.w3.org/2011/http-statusCodes#")

EVALUATION = {MF.QueryEvaluationTest: "eval", MF.CSVResultFormatTest: "eval",
              MF.PositiveSyntaxTest11: "positive-syntax", MF.PositiveSyntaxTest: "positive-syntax",
              MF.NegativeSyntaxTest11: "negative-syntax", MF.NegativeSyntaxTest: "negative-syntax",
              MF.ProtocolTest: "protocol", MF.ServiceDescriptionTest: "service-description"}
NOT_RUN_APPROVALS = {DAWGT.Withdrawn: "withdrawn", DAWGT.Rejected: "rejected",
                     DAWGT.Obsoleted: "obsoleted", DAWGT.Deprecated: "deprecated"}


def path_of(iri: str) -> Path:
    return Path(unquote(urlparse(iri).path))


@dataclass
class HttpRequest:
    """One ht:Request of a protocol test, with the response it expects."""

    method: str
    path: str                      # ht:absolutePath, as written (starts with /sparql/)
    headers: list[tuple[str, str]]
    body: bytes | None
    statuses: list[str]            # e.g. ["2xx", "3xx"]
    boolean: bool | None
    result_format: str | None      # "boolean", "tabular" or "RDF"


@dataclass
class Test:
    suite: str
    name: str                      # the entry's local name, e.g. "agg01"
    iri: str
    kind: str                      # eval, positive-syntax, negative-syntax, protocol, ...
    title: str = ""
    approval: str = ""
    query: str | None = None       # file: IRI of the query
    data: list[str] = field(default_factory=list)        # qt:data file IRIs
    graph_data: list[str] = field(default_factory=list)  # qt:graphData file IRIs
    result: str | None = None      # file: IRI of the expected result
    requests: list[HttpRequest] = field(default_factory=list)
    # protocol tests: ut:graphData files loaded under a given graph name (rdfs:label)
    labelled_graphs: list[tuple[str, str]] = field(default_factory=list)
    skip: str | None = None        # why it does not run (withdrawn, ...)

    @property
    def id(self) -> str:
        return f"{self.suite}/{self.name}"


def load_suite(directory: Path) -> list[Test]:
    path = directory / "manifest.ttl"
    g = rdflib.Graph()
    g.parse(path, format="turtle", publicID=path.resolve().as_uri())
    manifest = next(g.subjects(RDF.type, MF.Manifest))
    tests = []
    for entry in Collection(g, g.value(manifest, MF.entries)):
        tests.append(_test(g, directory.name, entry))
    return tests


def _local(iri) -> str:
    text = str(iri)
    return text.rsplit("#", 1)[-1] if "#" in text else text.rsplit("/", 1)[-1]


def _test(g: rdflib.Graph, suite: str, entry) -> Test:
    kinds = [EVALUATION[t] for t in g.objects(entry, RDF.type) if t in EVALUATION]
    kind = kinds[0] if kinds else "unknown"
    approval = g.value(entry, DAWGT.approval)
    test = Test(suite=suite, name=_local(entry), iri=str(entry), kind=kind,
                title=str(g.value(entry, MF.name) or ""), approval=_local(approval or ""))
    if approval in NOT_RUN_APPROVALS:
        test.skip = f"the test is {NOT_RUN_APPROVALS[approval]} (dawgt:approval)"
    action = g.value(entry, MF.action)
    if kind in ("positive-syntax", "negative-syntax"):
        test.query = str(action)
    elif kind == "eval":
        test.query = str(g.value(action, QT.query))
        test.data = sorted(str(d) for d in g.objects(action, QT.data))
        test.graph_data = sorted(str(d) for d in g.objects(action, QT.graphData))
        result = g.value(entry, MF.result)
        test.result = str(result) if result is not None else None
    elif kind == "protocol":
        for item in g.objects(entry, UT.graphData):
            test.labelled_graphs.append((str(g.value(item, UT.graph)),
                                         str(g.value(item, RDFS.label))))
        for request in Collection(g, g.value(action, HT.requests)):
            test.requests.append(_request(g, request))
    return test


def _request(g: rdflib.Graph, node) -> HttpRequest:
    headers = []
    header_list = g.value(node, HT.headers)
    if header_list is not None:
        for h in Collection(g, header_list):
            headers.append((str(g.value(h, HT.fieldName)), str(g.value(h, HT.fieldValue))))
    body = None
    body_node = g.value(node, HT.body)
    if body_node is not None:
        encoding = str(g.value(body_node, CNT.characterEncoding) or "UTF-8")
        body = str(g.value(body_node, CNT.chars)).encode(encoding)
    response = g.value(node, HT.resp)
    statuses = sorted(str(s).rsplit("StatusCode", 1)[-1]
                      for s in g.objects(response, MF.expectedStatus))
    boolean = g.value(response, MF.expectedBoolean)
    fmt = g.value(response, MF.expectedFormat)
    return HttpRequest(method=str(g.value(node, HT.methodName)),
                       path=str(g.value(node, HT.absolutePath)), headers=headers, body=body,
                       statuses=statuses,
                       boolean=None if boolean is None else bool(boolean.toPython()),
                       result_format=None if fmt is None else str(fmt))
