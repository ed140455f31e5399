"""Charts of the diary: what to draw (:mod:`.data`, pure) and how (:mod:`.trend`, :mod:`.course`, :mod:`.pages`).

Importing this package is cheap: only the drawing modules import matplotlib,
and they are imported inside the commands that draw. Figures are built as
:class:`matplotlib.figure.Figure` objects (never pyplot's global state) and
turned into bytes by :func:`paindiary.charts.style.render`.
"""
