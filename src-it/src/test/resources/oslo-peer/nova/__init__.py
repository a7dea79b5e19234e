"""A stand-in for nova's package: only nova.exception, for Warren's failure-identity tests."""
