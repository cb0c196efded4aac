"""Reports of simulator results: a self-contained HTML page (no network, inline SVG)."""
