"""Page script: see app_pages/questionnaire.py."""

from app_pages.questionnaire import render

render()
