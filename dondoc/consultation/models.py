"""Lấy ý kiến góp ý dự thảo: the models (see docs/consultation.md)."""
