from __future__ import annotations

import pytest

from commonhome.core.constants import Role
from tests.factories import member
from tests.matching.factories import ProgrammeFactory


@pytest.fixture
def programme(place):
    return ProgrammeFactory(place=place)


@pytest.fixture
def coordinator(place):
    return member(place, Role.MODERATOR)
