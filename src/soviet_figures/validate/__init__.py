"""Validation in four layers: structure, semantics, provenance, completeness.

>>> from soviet_figures.validate import validate
>>> from soviet_figures._paths import datapackage_dir
>>> validate(datapackage_dir() / "datapackage.json", sources=None).layers["structure"]
'passed'
"""

from .report import Issue, Report
from .runner import table_of_file, validate

__all__ = ["validate", "table_of_file", "Issue", "Report"]
