"""The steps of grading one submission, one module each; their order and its reasons are
in :mod:`ketencursus.grading.pipeline` (``STEPS``)."""
