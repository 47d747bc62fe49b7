"""Page script: see app_pages/help_page.py."""

from app_pages.help_page import render

render()
