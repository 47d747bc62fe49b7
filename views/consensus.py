"""Page script: see app_pages/consensus.py."""

from app_pages.consensus import render

render()
