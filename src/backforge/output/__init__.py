"""Output: the folder writer, the run's lock and journal (atomic, exclusive runs), the
manifest and base copies, the three-way merge and the incremental plan."""
