"""Page script: see app_pages/compare.py."""

from app_pages.compare import render

render()
