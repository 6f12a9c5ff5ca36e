"""Writing the output folder: staging and the atomic swap, in-place updates, folder safety."""
