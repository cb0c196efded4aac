import responses

CURRENT = {
    "location": {"name": "Lisbon"},
    "current": {"observed_at": "2026-05-01T12:00:00+00:00", "temp_c": 21.5,
                "humidity": 0.4, "wind_kph": 12.0, "condition": "Sunny"},
}


@responses.activate
def test_current(client):
    responses.get("https://weather.test/v2/current", json=CURRENT)
    assert client.current("Lisbon").temperature_c == 21.5
