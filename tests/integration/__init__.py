"""Integration tests that need a real external service or process."""
