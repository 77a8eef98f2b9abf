from __future__ import annotations

import pytest

from tests.participation.factories import ConsultationFactory


@pytest.fixture
def consultation(place):
    return ConsultationFactory(place=place)
