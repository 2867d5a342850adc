"""One module per area of the service; pipeline.STEPS runs them in order."""
