"""Page script: see app_pages/admin.py."""

from app_pages.admin import render

render()
