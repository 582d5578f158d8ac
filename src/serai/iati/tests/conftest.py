import pytest

from serai.projects.tests.conftest import energy, make_project, roles  # noqa: F401 (fixtures)

PUBLISHER = "XI-IATI-KCACF"


@pytest.fixture(autouse=True)
def iati_publisher(settings):
    """The Secretariat has set its publisher identifier (tests of the blocked state set it to "")."""
    settings.SERAI_IATI_PUBLISHER_ID = PUBLISHER
    return PUBLISHER
