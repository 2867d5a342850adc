"""What each indicator counts, one module per area of the service (see base.py)."""
