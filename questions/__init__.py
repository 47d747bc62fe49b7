"""The built-in question banks (``*.yaml``), shipped as package data of this package and
read with ``importlib.resources`` (``assessment.bank_loader``)."""
