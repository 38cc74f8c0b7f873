"""ketencursus: an e-learning course on chain governance (ketensturing)."""

__version__ = "0.1.0"
