"""Careers over time: the status, date and rank of every post (per document), and each official's
timeline, transitions and successions across the corpus."""
