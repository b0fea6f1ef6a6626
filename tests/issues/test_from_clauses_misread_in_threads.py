"""Found while making publishing switch by graph name (issue 13): the remote store read a
query's FROM / FROM NAMED with rdflib's SPARQL parser, which is not safe to use from two
threads at once: readers querying a remote store from threads got "its FROM clauses could not
be read: <lambda>() missing 1 required positional argument: 'x'" or "Expected SelectQuery,
found 'FROM'" for a well-formed query. The clauses are now read by the lexer of sparql_text,
which holds no state between calls."""

from __future__ import annotations

from memorial_graph.sparql_text import dataset_clause


def test_dataset_clause_is_read_by_the_lexer_in_many_threads_at_once():
    import threading

    query = "PREFIX e: <http://e/> SELECT * FROM e:g1 FROM NAMED <rel> { ?s ?p ?o }"
    answers, threads = [], []
    for _ in range(8):
        threads.append(threading.Thread(target=lambda: answers.extend(
            dataset_clause(query, "http://host/") for _ in range(200))))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 1600 and set(map(repr, answers)) == {
        repr((["http://e/g1"], ["http://host/rel"]))}
