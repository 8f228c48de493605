"""Tổ chức đại hội: the models (see docs/congress.md)."""
