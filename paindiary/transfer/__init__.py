"""Moving records in and out of a diary: the import pipeline and the exporter.

``importer`` reads a source through an :mod:`paindiary.io` format, validates,
matches and writes all or nothing; ``staging`` holds the set-based SQL of a
staged import; ``exporter`` writes records out through a format. The formats
themselves (how bytes look) live in :mod:`paindiary.io`, one module each.
"""
