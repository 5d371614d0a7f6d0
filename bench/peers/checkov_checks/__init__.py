"""checkov custom checks for bench/compare_peers.py (checkov loads a directory only with this file)."""
