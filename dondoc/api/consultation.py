"""The API of consultation (Lấy ý kiến góp ý dự thảo)."""

from ninja import Router

router = Router(tags=["consultation"])
