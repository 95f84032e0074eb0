import pytest

from tests.unit.omni_channel.simulator import Simulator


@pytest.fixture
def sim():
	with Simulator() as s:
		yield s


@pytest.fixture
def no_sleep():
	slept = []
	return slept, slept.append
