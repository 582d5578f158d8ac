"""access sits below reference, so it names the body kinds a role may be scoped to by value."""

from serai.access.models import SCOPED_BODY_KINDS
from serai.reference.models import BodyKind


def test_the_scoped_body_kinds_are_reference_body_kinds():
    assert set(SCOPED_BODY_KINDS) == {BodyKind.SUBCOMMITTEE, BodyKind.WORKING_GROUP}
    assert set(SCOPED_BODY_KINDS) <= set(BodyKind.values)
