"""Charter's simulator: replays recorded agent work against constraint sets.

It depends on ``charter.hooks``; the engine never imports it (ADR-0002).
"""
