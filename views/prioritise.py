"""Page script: see app_pages/prioritise.py."""

from app_pages.prioritise import render

render()
