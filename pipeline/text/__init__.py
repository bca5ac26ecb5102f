"""Text stages before spaCy: ingest (decode, clean), normalize (simplified script), tokenize (and sentences)."""
