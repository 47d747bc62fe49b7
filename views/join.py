"""Page script: see app_pages/join.py."""

from app_pages.join import render

render()
