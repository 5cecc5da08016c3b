"""Reading and writing files: CSV tables, source texts, package descriptors, releases.

Every reader here refuses what is not a regular file and bounds what it reads; every
writer writes a temporary file beside the target and renames it over the old one.
"""

#: The formats a table is exported in (``soviet-figures export --format``).
EXPORT_FORMATS = ("csv", "parquet", "json")
