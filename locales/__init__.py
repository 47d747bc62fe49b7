"""The interface texts, one ``<language>.yaml`` per language, shipped as package data of this
package and read with ``importlib.resources`` (``assessment.i18n``)."""
