"""The engine's algorithms: plain functions over plain values (no database, no Redis)."""
