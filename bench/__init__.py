"""`make bench`: the mock, Prism and a bare ceiling under the same wrk load, side by side."""
