"""Output: the atomic, streaming file writer and the on-disk report."""
