"""`make bench`: the product, a floor and the usual way under load, at two dataset sizes.

Not part of the product. BENCHMARKS.md explains what it measures and holds the results.
"""
