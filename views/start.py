"""Page script: see app_pages/start.py."""

from app_pages.start import render

render()
