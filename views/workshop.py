"""Page script: see app_pages/workshop.py."""

from app_pages.workshop import render

render()
