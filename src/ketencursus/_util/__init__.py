"""Small private helpers shared by several subpackages (not part of the public API)."""
