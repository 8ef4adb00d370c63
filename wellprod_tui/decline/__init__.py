"""Decline curve analysis: the curves (Arps, modified), the vectorised fit, the fit windows read from history,
the analysis of a well or a field, and how a result is rendered. Plain Python and NumPy, no Textual.
"""
