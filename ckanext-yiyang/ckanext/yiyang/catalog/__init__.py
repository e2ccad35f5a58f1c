"""The catalog itself (GB/T 21063): entries, units, classification trees, codes and search."""
