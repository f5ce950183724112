"""`make soak`: a long checked load over two workers with chaos on (docs/reliability.md)."""
