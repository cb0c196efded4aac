from weatherkit.units import c_to_k, kph_to_ms


def test_kph_to_ms():
    assert kph_to_ms(36) == 10


def test_c_to_k():
    assert c_to_k(0) == 273.15
