"""Page script: see app_pages/results.py."""

from app_pages.results import render

render()
