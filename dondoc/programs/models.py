"""Chương trình công tác và đề án: the models (see docs/programs.md)."""
