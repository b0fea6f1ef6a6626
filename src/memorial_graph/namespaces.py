"""Namespace IRIs used across the project, and the prefix table shown to users."""

MG = "https://w3id.org/memorial-graph/ontology#"
ONTOLOGY_IRI = "https://w3id.org/memorial-graph/ontology"
DEFAULT_BASE_URI = "https://w3id.org/memorial-graph/"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
CRM = "http://www.cidoc-crm.org/cidoc-crm/"
SCHEMA = "https://schema.org/"
PROV = "http://www.w3.org/ns/prov#"
FOAF = "http://xmlns.com/foaf/0.1/"
OA = "http://www.w3.org/ns/oa#"
GEO = "http://www.opengis.net/ont/geosparql#"
SH = "http://www.w3.org/ns/shacl#"
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
SD = "http://www.w3.org/ns/sparql-service-description#"
WD = "http://www.wikidata.org/entity/"
AS = "https://www.w3.org/ns/activitystreams#"

PREFIXES: dict[str, str] = {
    "mg": MG,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "owl": OWL,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "crm": CRM,
    "schema": SCHEMA,
    "prov": PROV,
    "foaf": FOAF,
    "oa": OA,
    "geo": GEO,
    "wd": WD,
}


def expand(curie: str) -> str:
    """Expand `prefix:local` with the project's prefix table; raise KeyError on an unknown prefix."""
    prefix, _, local = curie.partition(":")
    return PREFIXES[prefix] + local


def compact(iri: str, prefixes: dict[str, str] | None = None) -> str:
    """The shortest `prefix:local` form of an IRI, or the IRI itself."""
    best = iri
    for prefix, ns in (prefixes or PREFIXES).items():
        if iri.startswith(ns) and len(iri) - len(ns) + len(prefix) + 1 < len(best):
            local = iri[len(ns):]
            if local and "/" not in local and "#" not in local:
                best = f"{prefix}:{local}"
    return best
