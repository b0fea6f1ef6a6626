"""Scale-out as deployed: nginx (Debian) as a caching reverse proxy in front of two app nodes
over one remote store (a real `oxigraph serve`). Cached documents revalidate with their ETag,
a new release shows through the cache within its max-age, `Vary` keeps formats and interface
languages apart, and query answers are cached only where that is right (a repeatable GET, each
format apart; never a POST, never a query whose answer changes from run to run)."""

from __future__ import annotations

import shutil
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from memorial_graph.build import build
from memorial_graph.build.publish import publish
from memorial_graph.config import Config
from tests.conftest import MONUMENT, copy_project
from tests.server import free_port, running_oxigraph, running_process, running_server

MAX_AGE = 2
NGINX_CONF = """\
user root;
worker_processes 1;
daemon off;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 256; }}
http {{
  access_log {dir}/access.log;
  client_body_temp_path {dir}/tmp/body;
  proxy_temp_path {dir}/tmp/proxy;
  fastcgi_temp_path {dir}/tmp/fastcgi;
  uwsgi_temp_path {dir}/tmp/uwsgi;
  scgi_temp_path {dir}/tmp/scgi;
  proxy_cache_path {dir}/cache levels=1:2 keys_zone=memorial:10m max_size=200m inactive=10m
                   use_temp_path=off;
  upstream app {{ server 127.0.0.1:{node_a}; server 127.0.0.1:{node_b}; keepalive 8; }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_cache memorial;
      proxy_cache_revalidate on;
      proxy_cache_lock on;
      add_header X-Cache-Status $upstream_cache_status always;
    }}
  }}
}}
"""


@contextmanager
def running_nginx(directory: Path, node_a: int, node_b: int):
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "tmp").mkdir(exist_ok=True)
    port = free_port()
    conf = directory / "nginx.conf"
    conf.write_text(NGINX_CONF.format(dir=directory, node_a=node_a, node_b=node_b, port=port),
                    encoding="utf-8")
    base = f"http://127.0.0.1:{port}"
    with running_process(["nginx", "-p", str(directory), "-c", str(conf)], base + "/health",
                         "nginx", directory / "error.log", wait=20):
        yield base


def get(url: str, accept: str) -> tuple[str, str, bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.headers.get("X-Cache-Status", ""), response.headers.get("ETag", ""), \
            response.read()


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    """One store, two app nodes over it, nginx in front; yields (proxy URL, project, store URL)."""
    root = tmp_path_factory.mktemp("deployment")
    project = copy_project(root / "project")
    config = Config.for_project(project)
    build(config)
    with running_oxigraph(root) as store:
        publish(config, f"{store}/query")
        flags = ("--store", f"{store}/query", "--cache-seconds", str(MAX_AGE))
        with running_server(project, *flags) as node_a, running_server(project, *flags) as node_b:
            port_a, port_b = (int(u.rsplit(":", 1)[1]) for u in (node_a, node_b))
            with running_nginx(root / "nginx", port_a, port_b) as proxy:
                yield proxy, project, store


def test_documents_are_cached_and_revalidate_with_their_etag(deployment):
    proxy, _project, _store = deployment
    url = f"{proxy}/doc/{MONUMENT}.ttl"
    first = get(url, "text/turtle")
    second = get(url, "text/turtle")
    assert first[0] == "MISS" and second[0] == "HIT" and second[2] == first[2]
    time.sleep(MAX_AGE + 1.5)          # nginx counts freshness in whole seconds
    third = get(url, "text/turtle")
    assert third[0] == "REVALIDATED" and third[1] == first[1] and third[2] == first[2]


def test_vary_keeps_turtle_and_html_apart(deployment):
    proxy, _project, _store = deployment
    url = f"{proxy}/doc/{MONUMENT}"
    turtle = get(url, "text/turtle")[2]
    html = get(url, "text/html")[2]
    again = get(url, "text/turtle")
    assert turtle.lstrip().startswith(b"@prefix") and html.lstrip().lower().startswith(b"<!doctype html")
    assert again[2] == turtle


def page_language(url: str, **headers: str) -> tuple[str, str]:
    """(the page's <html lang>, nginx's cache status)."""
    request = urllib.request.Request(url, headers={"Accept": "text/html", **headers})
    with urllib.request.urlopen(request, timeout=10) as response:
        body = response.read().decode("utf-8")
        status = response.headers.get("X-Cache-Status", "")
    return body.split('<html lang="', 1)[1].split('"', 1)[0], status


def test_vary_keeps_the_interface_languages_apart(deployment):
    """A reader who chose Azerbaijani (the `lang` cookie), or whose browser asks for it, and
    one who did not, never get each other's page from the cache."""
    proxy, _project, _store = deployment
    url = f"{proxy}/doc/{MONUMENT}"
    asks = [({"Cookie": "lang=az"}, "az"), ({}, "en"), ({"Cookie": "lang=az"}, "az"),
            ({"Cookie": "lang=az"}, "az"), ({}, "en"), ({}, "en"),
            ({"Accept-Language": "az"}, "az"), ({"Accept-Language": "en"}, "en"),
            ({"Accept-Language": "az", "Cookie": "lang=en"}, "en")]
    got = [page_language(url, **headers) for headers, _ in asks]
    assert [lang for lang, _status in got] == [lang for _, lang in asks]
    assert "HIT" in {status for _lang, status in got}       # the cache did serve some of them


def test_query_answers_are_cached_only_where_right(deployment):
    proxy, _project, _store = deployment
    url = f"{proxy}/sparql?query=ASK%7B%7D"
    # A repeatable GET has one answer per release: the cache keeps it, each format apart.
    json_results = [get(url, "application/sparql-results+json") for _ in range(3)]
    assert "HIT" in {status for status, _etag, _body in json_results}
    assert {body for _s, _e, body in json_results} == {json_results[0][2]}
    xml = get(url, "application/sparql-results+xml")[2]
    assert xml.lstrip().startswith(b"<?xml") and b"<boolean>true</boolean>" in xml
    # An answer that changes from run to run is never kept.
    rand = f"{proxy}/sparql?query=SELECT%20%28RAND%28%29%20AS%20%3Fr%29%20%7B%7D"
    runs = [get(rand, "application/sparql-results+json") for _ in range(3)]
    assert "HIT" not in {status for status, _etag, _body in runs}
    assert len({body for _s, _e, body in runs}) == 3
    # Nor is the answer to a POST.
    posted = []
    for _ in range(3):
        request = urllib.request.Request(f"{proxy}/sparql", data=b"query=ASK%7B%7D", headers={
            "Accept": "application/sparql-results+json",
            "Content-Type": "application/x-www-form-urlencoded"})
        with urllib.request.urlopen(request, timeout=10) as response:
            posted.append(response.headers.get("X-Cache-Status", ""))
    assert "HIT" not in posted


def test_a_new_release_shows_through_the_cache_within_its_max_age(deployment):
    proxy, project, store = deployment
    url = f"{proxy}/doc/{MONUMENT}.ttl"
    old = get(url, "text/turtle")[2]
    get(url, "text/turtle")                       # now cached
    monuments = project / "data" / "entities" / "monuments.yaml"
    text = monuments.read_text(encoding="utf-8")
    assert 'note: Azerbaijani for the "Ana harayı" monument.' in text     # a claim's note
    monuments.write_text(text.replace("note: Azerbaijani for", "note: Edited for the cache test. "
                                      "Azerbaijani for", 1), encoding="utf-8")
    config = Config.for_project(project)
    build(config)
    publish(config, f"{store}/query")
    published = time.monotonic()
    while b"Edited for the cache test" not in (body := get(url, "text/turtle")[2]):
        assert time.monotonic() - published < MAX_AGE + 5, "the new release never showed"
        time.sleep(0.2)
    assert body != old
    shutil.rmtree(project / "var" / "releases", ignore_errors=True)
