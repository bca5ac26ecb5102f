"""Batch runs: inputs to tasks, engines that run tasks, the manifest of finished inputs, and the run itself."""
