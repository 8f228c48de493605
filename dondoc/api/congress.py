"""The API of congress (Tổ chức đại hội)."""

from ninja import Router

router = Router(tags=["congress"])
