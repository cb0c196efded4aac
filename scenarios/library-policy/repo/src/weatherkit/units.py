# SPDX-License-Identifier: Apache-2.0
"""Unit conversions."""


def kph_to_ms(kph: float) -> float:
    return kph / 3.6


def c_to_k(celsius: float) -> float:
    return celsius + 273.15
