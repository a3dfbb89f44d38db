// Replaced by the pool implementation.
