import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dondoc.settings")
os.environ.setdefault("DONDOC_PROCESS", "web")  # any WSGI server: its sessions say "web"
application = get_wsgi_application()
