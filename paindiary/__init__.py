"""paindiary: a local, private pain diary for the command line.

The package is split in layers: ``cli/`` parses and renders, ``models`` and
``when`` validate, ``db`` and ``store`` keep the data, ``analysis``/``charts``
compute and draw. Domain modules never import typer or rich.
"""

__version__ = "0.1.0"
