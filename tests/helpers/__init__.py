"""Helpers shared by the tests (import as ``helpers``: ``tests/`` must be on ``sys.path``)."""
