"""The OWL gate: the ontology plus the collection (or a stated sample) checked by HermiT
through owlready2, at build time only."""

from __future__ import annotations

import tempfile
from pathlib import Path

from ..errors import InconsistentOntology


def check_consistency(data_nt: bytes, ontology_nt: bytes) -> None:
    """Load the ontology and the data (both N-Triples) into owlready2 and ask HermiT; raise
    InconsistentOntology if they contradict each other."""
    import owlready2

    with tempfile.TemporaryDirectory(prefix="mg-owl-") as tmp:
        onto_nt = Path(tmp, "ontology.nt")
        onto_nt.write_bytes(ontology_nt)
        data_path = Path(tmp, "data.nt")
        data_path.write_bytes(data_nt)
        world = owlready2.World()
        world.get_ontology(onto_nt.as_uri()).load(format="ntriples")
        world.get_ontology(data_path.as_uri()).load(format="ntriples")
        try:
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyJavaError as exc:
            detail = str(exc).strip().splitlines()
            raise InconsistentOntology(
                "HermiT could not check the collection: "
                + next((ln for ln in detail if "Exception" in ln), detail[-1] if detail else "")
            ) from exc
        except owlready2.OwlReadyInconsistentOntologyError as exc:
            raise InconsistentOntology(
                "HermiT finds the ontology plus the collection inconsistent: some record "
                "contradicts the ontology (typically a reference to an entity of the wrong "
                "kind, e.g. applies_to naming a person, or commemorates naming a place)."
            ) from exc
        finally:
            world.close()

