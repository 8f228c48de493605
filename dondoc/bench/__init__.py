"""Benchmarks: a fast generator of realistic data at several scales, and a runner that times the
hot paths through the production HTTP server. Not part of the test suite (a smoke test is)."""
