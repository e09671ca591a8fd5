"""Static files with DEBUG off: hashed names from the manifest, plain names without."""

import json

from delivery.static_storage import LenientManifestStaticFilesStorage


def storage(tmp_path, manifest: dict | None) -> LenientManifestStaticFilesStorage:
    if manifest is not None:
        (tmp_path / "staticfiles.json").write_text(
            json.dumps({"paths": manifest, "version": "1.1", "hash": "x"})
        )
    return LenientManifestStaticFilesStorage(location=tmp_path, base_url="/static/")


def test_a_collected_file_is_linked_by_its_hashed_name(tmp_path):
    files = storage(tmp_path, {"css/delivery.css": "css/delivery.0123abcd.css"})
    assert files.url("css/delivery.css") == "/static/css/delivery.0123abcd.css"


def test_without_a_manifest_a_file_keeps_its_own_name(tmp_path):
    assert storage(tmp_path, None).url("css/delivery.css") == "/static/css/delivery.css"


def test_a_file_added_since_the_last_collection_keeps_its_own_name(tmp_path):
    files = storage(tmp_path, {"css/delivery.css": "css/delivery.0123abcd.css"})
    assert files.url("css/cards.css") == "/static/css/cards.css"
    assert files.url("css/delivery.css") == "/static/css/delivery.0123abcd.css"
