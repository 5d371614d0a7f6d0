"""Tests of the policy catalogue, one module per catalogue module."""
