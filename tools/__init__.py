"""Developer tools for tests and benchmarks (not part of the product; not installed)."""
