"""`/dumps/`: the current release's files (N-Quads, TriG, ... gzipped, and SHA256SUMS)."""

from __future__ import annotations

from flask import Blueprint, Flask, g, jsonify, render_template, request, send_file

from ..errors import NotBuilt, NotFound
from ..formats import dump_media_type
from .conneg import negotiate
from .headers import repr_digest_hex

bp = Blueprint("dumps", __name__)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


def dump_files(release) -> list[str]:
    """The release's files a harvester may download, largest formats first as listed."""
    return [name for name in release.manifest.get("dumps", []) + ["SHA256SUMS"]
            if dump_media_type(name) and release.artifact(name).exists()]


@bp.route("/dumps/")
def dumps():
    snap = g.site.snapshot()
    if snap.release is None:
        raise NotBuilt("this server has no release (it serves a file or a remote store)")
    sums = snap.release.checksums
    urls = g.site.urls
    files = [{"name": name, "url": urls.dump(name), "media_type": dump_media_type(name),
              "bytes": snap.release.artifact(name).stat().st_size, "sha256": sums.get(name)}
             for name in dump_files(snap.release)]
    fmt = negotiate(("html", "json"), request.headers.get("Accept"), request.args.get("format"))
    if fmt.name == "json":
        return jsonify({"release": snap.version, "files": files})
    return render_template("dumps.html", files=files, release=snap.version)


@bp.route("/dumps/<name>")
def dump_file(name: str):
    snap = g.site.snapshot()
    if snap.release is None or name not in dump_files(snap.release):
        raise NotFound(f"there is no dump named '{name}'")
    sums = snap.release.checksums
    response = send_file(snap.release.artifact(name), mimetype=dump_media_type(name),
                         as_attachment=name.endswith(".gz"), conditional=True,
                         etag=sums.get(name, True), last_modified=snap.created)
    if name in sums:
        response.headers["Repr-Digest"] = repr_digest_hex(sums[name])
    return response
