"""The corpus: one graph over many documents (node keys, duplicates, merging) and its knowledge base."""
