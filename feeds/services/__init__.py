"""The engine's services: load rows, call the algorithms, write rows and Redis."""
