"""The API of programs (Chương trình công tác và đề án)."""

from ninja import Router

router = Router(tags=["programs"])
