"""Självskattning – Agera för säker vård 2025–2030.

The entry script: the frame of the app (``app_pages/frame.py``: language switch, navigation
and the shared state) around the pages. Every page is a thin function in ``app_pages/`` that
calls ``assessment/`` and ``scoring/``.

Run: ``streamlit run app.py``
"""

from app_pages import frame

frame.run()
