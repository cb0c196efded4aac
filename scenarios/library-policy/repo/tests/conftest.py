import pytest

from weatherkit import WeatherClient


@pytest.fixture
def client() -> WeatherClient:
    return WeatherClient(api_key="test", base_url="https://weather.test/v2")
