import pytest


@pytest.fixture
def energy_field(reference):
    from serai.reference.models import CooperationField

    return CooperationField.objects.get(code="energy")
