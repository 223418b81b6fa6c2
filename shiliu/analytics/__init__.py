"""Shiliu's numeric core: mixing (互嵌) indices, composite evaluation and assignment.

Plain Python on numpy/scipy, with no Django imports, so it can be tested against published values and peer
libraries and reused outside the web application. See README.md beside this file for every index and method.
"""
