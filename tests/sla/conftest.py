import pytest

from bihuan.kit.clock import set_clock
from tests.sla.support import MONDAY, Clock


@pytest.fixture
def settings(settings):  # tokens outlive the tests' time travel
    return settings.model_copy(update={"token_ttl_hours": 24 * 30})


@pytest.fixture
def clock() -> Clock:
    """Monday 16 November 2026, 09:00 in Shanghai, until a test moves it."""
    c = Clock(MONDAY)
    set_clock(c)
    return c
