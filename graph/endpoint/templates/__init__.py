"""Templates and vendored assets of the endpoint pages."""
