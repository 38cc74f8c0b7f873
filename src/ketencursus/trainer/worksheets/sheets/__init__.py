"""The course's own worksheets, one module per sheet (each with ``sheets()``)."""
