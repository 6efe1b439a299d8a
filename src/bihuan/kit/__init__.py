"""Shared plumbing with no domain logic."""
