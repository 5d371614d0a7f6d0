"""Google Cloud helpers for policy authors.

Catalogue modules cannot import each other (each import would register their policies again),
so what several policies need to read from Google Cloud resources lives here.
"""
